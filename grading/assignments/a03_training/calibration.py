"""03's threshold ``training_mse``: the held-out MSE after ``checks.TRAINING_BUDGET``.

Every valid design (``grading/assignments/a02_architecture/designs.py``) and a valid variant (Adam with MSE) over
``seeds``, every calibrated mistake over ``mistake_seeds``, through the notebook's code path (cell ``run_training``):
``own_autoencoder``, then the student's ``compile_autoencoder`` and ``train_autoencoder``. Rows in
``grading/calibration.py``'s format; ``summarise`` places the threshold between the worst valid run and the best
mistake.
"""

from __future__ import annotations

import numpy as np

from cae_ref.grader import checks
from grading.calibration import OWN_MODE, _own_model, _row, _runs, run_cells

THRESHOLDS = ("training_mse",)

MSE_COMPILE = """
def compile_autoencoder(model):
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    return model
"""


def calibrate(seeds: list[int], mistake_seeds: list[int]) -> list[dict]:
    """03: own_autoencoder, then the student's compile_autoencoder and train_autoencoder (cell run_training)."""
    budget = checks.TRAINING_BUDGET
    data = checks.grading_data(budget)
    rows = []
    for design, variant, kind, sources in _runs(
        "03_training", {"Adam 1e-3, MSE": {"compile_autoencoder": MSE_COMPILE}}
    ):
        cells = run_cells(sources)
        for seed in seeds if kind == "valid" else mistake_seeds:
            model = cells["compile_autoencoder"](_own_model(cells, seed).autoencoder)
            with checks.quiet():
                cells["train_autoencoder"](model, data["x_train"], data["x_val"], budget.epochs, budget.batch_size)
            # as test_heldout_mse measures: batch-norm statistics settled on the training images
            restored = checks.settled_predict(model, data["x_test"], data["x_train"])
            mse = float(np.mean((restored - data["x_test"]) ** 2))
            own_mode = float(np.mean((checks.predict(model, data["x_test"]) - data["x_test"]) ** 2))
            rows.append(_row("training_mse", design, variant, kind, seed, mse))
            rows.append(_row("training_mse" + OWN_MODE, design, variant, kind, seed, own_mode))
            print(f"training_mse  {design:<11} {variant:<40} seed {seed}: {mse:.5f}", flush=True)
    return rows


def record(seeds: list[int], mistake_seeds: list[int]) -> dict:
    """This assignment's calibration record (``python -m grading calibrate 03_training``)."""
    from grading.calibration import threshold_record

    return threshold_record(calibrate, seeds, mistake_seeds)
