"""Exercise 05: does "trained on (x_train_noisy, x_train)" separate the clean-input denoiser from valid designs?

``test_denoising_gain`` reads the pairs ``model.fit`` really trained on from the grader's record
(``cae_ref.grader.checks.graded_training``, ``fitted_on``; issue 14) before it measures the PSNR gain. The
check has no threshold; this script shows, through the notebook's own code path (the design's model
cells, ``own_autoencoder``, the course's compile, the student's ``train_denoiser`` as a graded
training), what the gain alone would say and what the pair check says, for every valid design of
``grading/assignments/a02_architecture/designs.py`` with the reference answers and with the clean-input
mistake, and for the reference design with the other variants. ``python -m grading calibrate 05_denoising``
keeps the rows in 05's record and writes the section of ``grading/calibration.md`` (about 17 trainings at
DENOISING_BUDGET).
"""

from __future__ import annotations

import json

_DATASET = """
import tensorflow as tf


def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    pairs = tf.data.Dataset.from_tensor_slices((np.copy(x_train_noisy), x_train.astype(np.float64)))
    pairs = pairs.shuffle(len(x_train), seed=0).batch(batch_size)
    validation = tf.data.Dataset.from_tensor_slices((x_val_noisy, x_val)).batch(batch_size)
    return model.fit(pairs, validation_data=validation, epochs=epochs, verbose=0)
"""


def measure(seed: int = 0) -> list[dict]:
    """One row per (design, variant): the PSNR gain, the threshold's verdict and the pair check's."""
    import cae_ref
    from cae_ref.grader import checks
    from cae_ref.grader.student_model import own_autoencoder
    from grading.assignments import MISTAKES, TAMPER
    from grading.assignments.a02_architecture.designs import designs
    from grading.calibration import run_cells
    from grading.submissions import REPO, reference_answers

    budget = checks.DENOISING_BUDGET
    data = checks.grading_data(budget)
    noisy = {key: cae_ref.add_gaussian_noise(data[key], checks.NOISE_FACTOR, seed=index)
             for index, key in enumerate(("x_train", "x_val", "x_test"), start=1)}  # fmt: skip
    before = cae_ref.psnr(data["x_test"], noisy["x_test"])
    variants = {"reference answers": ("valid", {}), "clean inputs": ("mistake", MISTAKES["clean_inputs"].sources)}
    runs = [(design, label, kind, cells, sources) for design, cells in designs().items()
            for label, (kind, sources) in variants.items()]  # fmt: skip
    reference_cells = designs()["reference"]
    runs += [
        ("reference", "tf.data, copies, float64", "valid", reference_cells, {"train_denoiser": _DATASET}),
        ("reference", "clean (clean, clean)", "mistake", reference_cells, MISTAKES["clean_clean"].sources),
        ("reference", "clean pairs mixed in", "mistake", reference_cells, TAMPER["tamper_mixes_clean_pairs"].sources),
    ]
    rows = []
    for design, label, kind, cells, sources in runs:
        namespace = run_cells({**reference_answers(REPO, "05_denoising"), **cells, **sources})
        own = own_autoencoder(namespace["build_encoder"], namespace["build_decoder"], namespace["build_autoencoder"],
                              seed=seed)  # fmt: skip
        model = cae_ref.compile_autoencoder(own.autoencoder)
        _, fits = checks.graded_training(
            namespace["train_denoiser"], model, noisy["x_train"], data["x_train"], noisy["x_val"], data["x_val"],
            budget.epochs, budget.batch_size,
        )  # fmt: skip
        # as test_denoising_gain measures: batch-norm statistics settled on the noisy training images (issue 25)
        restored = checks.settled_predict(model, noisy["x_test"], noisy["x_train"])
        with checks.quiet():
            gain = cae_ref.psnr(data["x_test"], restored) - before
        problem = checks.fitted_on(fits, noisy["x_train"], data["x_train"])
        row = {"design": design, "variant": label, "kind": kind, "gain": round(gain, 2), "pairs": problem or "ok"}
        row["passes"] = not problem and gain >= checks.THRESHOLDS["denoising_gain_db"]
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def section(rows: list[dict], threshold: float) -> str:
    """05's section of ``grading/calibration.md``: the training-pair check on every design."""
    lines = [
        "## Trained on the task's pairs (exercise 05, no threshold)",
        "",
        "`test_denoising_gain` first checks that `model.fit` trained on the pairs (x_train_noisy[i], x_train[i]) "
        "(any order, copies, other dtypes or a `tf.data.Dataset` of them), read from the grader's record of the "
        "fit calls, then measures the PSNR gain. A denoiser trained on clean inputs gains nearly as much as a "
        f"valid one, so the threshold ({threshold} dB) alone cannot fail it; the pair check fails it on every "
        "design, and passes every valid design. Seed 0, `DENOISING_BUDGET`, the notebook's code path:",
        "",
        "| design | train_denoiser | kind | PSNR gain (dB) | gain alone passes | pair check | test_denoising_gain |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        verdict = "passes" if row["passes"] else "fails"
        alone = "yes" if row["gain"] >= threshold else "no"
        pairs = "ok" if row["pairs"] == "ok" else "fails: " + row["pairs"].split(": ", 1)[-1]  # the likely cause
        lines.append(f"| {row['design']} | {row['variant']} | {row['kind']} | {row['gain']:.2f} | {alone} | "
                     f"{pairs} | {verdict} |")  # fmt: skip
    lines += [
        "",
        "Decision: the check accepts what leaves the pairs as given (shuffled, copied, another dtype, a subset, "
        "a `tf.data.Dataset` of them) and refuses any pair that is not (x_train_noisy[i], x_train[i]): clean "
        "inputs, swapped pairs, augmented or re-noised copies, clean pairs mixed in (which gain more: twice the "
        "data at the calibrated budget). The failure message says how many pairs were not the given ones and the "
        "likely cause.",
    ]
    return "\n".join(lines)
