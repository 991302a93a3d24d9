"""Hidden checks of exercise 05: run at grading only, never installed or returned to students."""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks


def hidden_add_gaussian_noise_statistics(add_gaussian_noise: Any) -> None:
    grey = np.full((50, 28, 28, 1), 0.5, dtype=np.float32)
    noise = np.asarray(checks.graded_call(add_gaussian_noise, grey, 0.1, 3), dtype=np.float64) - 0.5
    assert abs(noise.mean()) < 0.005, checks.message("n_h_centred")
    assert abs(noise.std() - 0.1) < 0.005, checks.message("n_h_std")
    kurtosis = float(np.mean(noise**4) / np.mean(noise**2) ** 2)
    assert 2.7 < kurtosis < 3.3, checks.message("n_h_gaussian")
    x_test = checks.grading_data(checks.DENOISING_BUDGET)["x_test"]
    same = np.asarray(checks.graded_call(add_gaussian_noise, x_test[:5], 0.0, 0))
    assert np.allclose(same, x_test[:5]), checks.message("n_h_zero")


def hidden_psnr(psnr: Any) -> None:
    x_test = checks.grading_data(checks.DENOISING_BUDGET)["x_test"]
    noisy = cae_ref.add_gaussian_noise(x_test[:30], 0.3, seed=5)
    expected = cae_ref.psnr(x_test[:30], noisy)
    got = float(checks.graded_call(psnr, x_test[:30], noisy))
    assert abs(got - expected) < 0.01, checks.message("n_h_psnr_mean")
    same = float(checks.graded_call(psnr, x_test[:3], x_test[:3].copy()))
    assert same == float("inf"), checks.message("n_h_psnr_inf")


def hidden_denoiser_validation() -> None:
    data = checks.grading_data(checks.DENOISING_BUDGET)
    x_val_noisy = cae_ref.add_gaussian_noise(data["x_val"], checks.NOISE_FACTOR, seed=2)
    _, fits, returned = checks.last_training("train_denoiser")
    problem = checks.fitted_on(fits, x_val_noisy, data["x_val"], validation=True)
    assert not problem, checks.message("t_h_val_pairs", pairs="(x_val_noisy, x_val)", problem=problem)
    assert fits and returned is fits[-1]["history"] and all("val_loss" in e for e in fits[-1]["epochs"]), (
        checks.message("t_h_history_val")
    )
