"""Checks of exercise 05 (noise, PSNR, a denoiser), run by ``cae_ref.grader.grade``.

The data and its noisy copies are the grader's own (``checks.grading_data`` and the seeds of the
notebook's run cell); the training is read from the grader's record (``checks.last_training``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks

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
        checks.message("shape"), images.shape, first.shape
    )
    assert first.dtype == np.float32, checks.expected_got(
        "dtype",
        "float32",
        first.dtype,
        checks.message("n_hint_float"),
    )
    assert first.min() >= 0.0 and first.max() <= 1.0, checks.expected_got(
        checks.message("n_range"),
        "[0, 1]",
        f"{first.min():.3f} to {first.max():.3f}",
        checks.message("n_hint_clip"),
    )
    assert np.array_equal(images, x_test[:20]), checks.message("n_modified")
    again = np.asarray(checks.graded_call(add_gaussian_noise, images, 0.5, 0))
    assert np.array_equal(first, again), checks.message("n_same_seed")
    other = np.asarray(checks.graded_call(add_gaussian_noise, images, 0.5, 1))
    assert not np.array_equal(first, other), checks.message("n_other_seed")
    print(checks.message("n_noise_ok"))


def test_add_gaussian_noise_statistics(add_gaussian_noise: Any) -> None:
    print(checks.message("hidden"))


def test_psnr(psnr: Any) -> None:
    clean = np.zeros((4, 28, 28, 1), dtype=np.float32)
    for offset, expected in ((0.1, 20.0), (0.01, 40.0), (0.5, 6.0206)):
        got = float(
            checks.graded_call(psnr, clean, clean + np.float32(offset))
        )
        assert abs(got - expected) < 0.01, checks.expected_got(
            checks.message("n_psnr_case", offset=offset),
            f"{expected} dB",
            f"{got:.4f} dB",
            checks.message("n_hint_psnr"),
        )
    print(checks.message("n_psnr_ok"))
    print(checks.message("hidden"))


def test_train_denoiser_history() -> None:
    _, fits, returned = checks.last_training(LABEL)
    problem = ""
    if not fits or returned is not fits[-1]["history"]:
        problem = checks.message("t_fit_return", function="train_denoiser")
    elif len(fits[-1]["epochs"]) != checks.DENOISING_BUDGET.epochs:
        problem = checks.expected_got(
            checks.message("t_epochs"),
            checks.DENOISING_BUDGET.epochs,
            len(fits[-1]["epochs"]),
            checks.message("t_hint_epochs"),
        )
    elif not all("val_loss" in logs for logs in fits[-1]["epochs"]):
        problem = checks.message(
            "t_no_val_loss", validation="validation_data=(x_val_noisy, x_val)"
        )
    assert not problem, problem
    print(checks.message("t_history_ok"))


def test_denoising_gain() -> None:
    limit = checks.THRESHOLDS["denoising_gain_db"]
    data = noisy_data()
    model, fits, _ = checks.last_training(LABEL)
    problem = checks.fitted_on(fits, data["x_train_noisy"], data["x_train"])
    assert not problem, checks.expected_got(
        checks.message("training_pairs"),
        checks.message("n_pairs_expected"),
        problem,
        checks.message("n_hint_pairs"),
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
    print(checks.message("n_gain_print", gain=f"{gain:.2f}", limit=limit))
    assert gain >= limit, checks.expected_got(
        checks.message("n_gain"),
        checks.message("at_least", limit=f"{limit} dB"),
        f"{gain:.2f} dB",
        checks.message("n_hint_gain"),
    )


def test_denoiser_validation() -> None:
    print(checks.message("hidden"))
