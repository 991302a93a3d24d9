"""Checks of exercise 05 (noise, PSNR, a denoiser), run by ``cae_ref.grader.grade``.

The data and its noisy copies are the grader's own (``checks.grading_data`` and the seeds of the
notebook's run cell); the training is read from the grader's record (``checks.last_training``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref import checks

HIDDEN = "graded after submission; the visible checks above do not cover this"
LABEL = "train_denoiser"


def noisy_data() -> dict[str, np.ndarray]:
    """The grading data with the noisy copies the notebook's run cell makes (seeds 1, 2, 3)."""
    data = checks.grading_data(checks.DENOISING_BUDGET)
    for seed, part in enumerate(("train", "val", "test"), start=1):
        data[f"x_{part}_noisy"] = cae_ref.add_gaussian_noise(
            data[f"x_{part}"], checks.NOISE_FACTOR, seed=seed
        )
    return data


def test_add_gaussian_noise(add_gaussian_noise: Any) -> None:
    x_test = checks.grading_data(checks.DENOISING_BUDGET)["x_test"]
    images = x_test[:20].copy()
    first = np.asarray(checks.graded_call(add_gaussian_noise, images, 0.5, 0))
    assert first.shape == images.shape, checks.expected_got(
        "shape", images.shape, first.shape
    )
    assert first.dtype == np.float32, checks.expected_got(
        "dtype", "float32", first.dtype, "end with .astype(np.float32)"
    )
    assert first.min() >= 0.0 and first.max() <= 1.0, checks.expected_got(
        "value range",
        "[0, 1]",
        f"{first.min():.3f} to {first.max():.3f}",
        "clip with np.clip(noisy, 0.0, 1.0)",
    )
    assert np.array_equal(images, x_test[:20]), (
        "add_gaussian_noise modified its input: build a new array"
    )
    again = np.asarray(checks.graded_call(add_gaussian_noise, images, 0.5, 0))
    assert np.array_equal(first, again), (
        "the same seed gave different noise: draw from np.random.default_rng(seed)"
    )
    other = np.asarray(checks.graded_call(add_gaussian_noise, images, 0.5, 1))
    assert not np.array_equal(first, other), (
        "different seeds gave the same noise: use the seed argument"
    )
    print("noise is clipped, float32 and reproducible")


def test_add_gaussian_noise_statistics(add_gaussian_noise: Any) -> None:
    print(HIDDEN)


def test_psnr(psnr: Any) -> None:
    clean = np.zeros((4, 28, 28, 1), dtype=np.float32)
    for offset, expected in ((0.1, 20.0), (0.01, 40.0), (0.5, 6.0206)):
        got = float(
            checks.graded_call(psnr, clean, clean + np.float32(offset))
        )
        assert abs(got - expected) < 0.01, checks.expected_got(
            f"psnr for an error of {offset} on every pixel",
            f"{expected} dB",
            f"{got:.4f} dB",
            "use 10 * log10(1 / MSE) with pixels in [0, 1] (peak 1, not 255)",
        )
    print("psnr gives the textbook values")
    print(HIDDEN)


def test_train_denoiser_history() -> None:
    _, fits, returned = checks.last_training(LABEL)
    problem = ""
    if not fits or returned is not fits[-1]["history"]:
        problem = (
            "train_denoiser must call model.fit on the model it is given "
            "and return the History that fit returns"
        )
    elif len(fits[-1]["epochs"]) != checks.DENOISING_BUDGET.epochs:
        problem = checks.expected_got(
            "number of epochs fit ran",
            checks.DENOISING_BUDGET.epochs,
            len(fits[-1]["epochs"]),
            "pass epochs=epochs to fit",
        )
    elif not all("val_loss" in logs for logs in fits[-1]["epochs"]):
        problem = "no validation loss in the epochs fit ran: pass validation_data=(x_val_noisy, x_val) to fit"
    assert not problem, problem
    print("history is complete")


def test_denoising_gain() -> None:
    limit = checks.THRESHOLDS["denoising_gain_db"]
    data = noisy_data()
    model, fits, _ = checks.last_training(LABEL)
    problem = checks.fitted_on(fits, data["x_train_noisy"], data["x_train"])
    assert not problem, checks.expected_got(
        "training pairs",
        "(x_train_noisy, x_train): noisy inputs, clean targets",
        problem,
        "a denoiser learns from noisy inputs: fit(x_train_noisy, x_train, ...)",
    )
    x_test, x_test_noisy = data["x_test"], data["x_test_noisy"]
    # batch-norm statistics re-estimated on the handed-over noisy training
    # inputs first (grading/calibration.md, "Batch normalisation")
    restored = checks.settled_predict(
        model, x_test_noisy, data["x_train_noisy"]
    )
    with checks.quiet():
        gain = cae_ref.psnr(x_test, restored) - cae_ref.psnr(
            x_test, x_test_noisy
        )
    print(f"PSNR gain {gain:.2f} dB (must be at least {limit} dB)")
    assert gain >= limit, checks.expected_got(
        "PSNR gain on held-out images",
        f"at least {limit} dB",
        f"{gain:.2f} dB",
        "train on (noisy input, clean target) pairs: fit(x_train_noisy, x_train, ...)",
    )


def test_denoiser_validation() -> None:
    print(HIDDEN)
