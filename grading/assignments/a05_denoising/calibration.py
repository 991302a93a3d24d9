"""05's threshold ``denoising_gain_db``: the PSNR gain of the student's denoiser.

Every valid design compiled by the course, then the student's ``train_denoiser`` (cell ``run_denoiser``) at
``checks.DENOISING_BUDGET``; every calibrated mistake on every design. Rows in ``grading/calibration.py``'s
format. The training-pair check (no threshold) is measured by ``fit_pairs.py`` beside this module.
"""

from __future__ import annotations

import cae_ref
from cae_ref.grader import checks
from grading.assignments.a05_denoising import fit_pairs
from grading.calibration import OWN_MODE, _own_model, _row, _runs, run_cells

THRESHOLDS = ("denoising_gain_db",)


def calibrate(seeds: list[int], mistake_seeds: list[int]) -> list[dict]:
    """05: own_autoencoder compiled by the course, then the student's train_denoiser (cell run_denoiser)."""
    budget = checks.DENOISING_BUDGET
    data = checks.grading_data(budget)
    noisy = {
        key: cae_ref.add_gaussian_noise(data[key], checks.NOISE_FACTOR, seed=index)
        for index, key in enumerate(("x_train", "x_val", "x_test"), start=1)
    }
    before = cae_ref.psnr(data["x_test"], noisy["x_test"])
    rows = []
    for design, variant, kind, sources in _runs("05_denoising"):
        cells = run_cells(sources)
        for seed in seeds if kind == "valid" else mistake_seeds:
            with checks.quiet():
                model = cae_ref.compile_autoencoder(_own_model(cells, seed).autoencoder)
                cells["train_denoiser"](
                    model, noisy["x_train"], data["x_train"], noisy["x_val"], data["x_val"], budget.epochs,
                    budget.batch_size,
                )  # fmt: skip
                # as test_denoising_gain measures: batch-norm statistics settled on the noisy training images
                restored = checks.settled_predict(model, noisy["x_test"], noisy["x_train"])
                gain = cae_ref.psnr(data["x_test"], restored) - before
                own_mode = cae_ref.psnr(data["x_test"], checks.predict(model, noisy["x_test"])) - before
            rows.append(_row("denoising_gain_db", design, variant, kind, seed, gain))
            rows.append(_row("denoising_gain_db" + OWN_MODE, design, variant, kind, seed, own_mode))
            print(f"denoising     {design:<11} {variant:<40} seed {seed}: {gain:.2f} dB", flush=True)
    return rows


def record(seeds: list[int], mistake_seeds: list[int]) -> dict:
    """This assignment's calibration record (``python -m grading calibrate 05_denoising``)."""
    from grading.calibration import threshold_record

    return {**threshold_record(calibrate, seeds, mistake_seeds), "fit_pairs": fit_pairs.measure()}


def sections(record: dict) -> list[str]:
    """05's own section of ``grading/calibration.md``: the training-pair check on every design."""
    return [fit_pairs.section(record["fit_pairs"], checks.THRESHOLDS["denoising_gain_db"])]
