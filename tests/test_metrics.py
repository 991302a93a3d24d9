"""Metrics agree with their definitions on inputs small enough to check by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cae_ref import image_metrics, psnr, ssim


def _constant(value: float, count: int = 2) -> np.ndarray:
    return np.full((count, 28, 28, 1), value, np.float32)


def test_psnr_of_a_constant_error_is_10_log10_of_one_over_mse():
    clean = _constant(0.5)
    other = _constant(0.6)
    assert psnr(clean, other) == pytest.approx(10 * math.log10(1 / 0.01), abs=1e-3)


def test_identical_images_have_ssim_one_and_zero_mse():
    rng = np.random.default_rng(0)
    images = rng.random((3, 28, 28, 1)).astype(np.float32)
    metrics = image_metrics(images, images)
    assert metrics["mse"] == 0.0
    assert metrics["ssim"] == pytest.approx(1.0, abs=1e-6)
    assert metrics["psnr"] == math.inf  # exercise 05's psnr docstring promises the same


def test_psnr_is_inf_when_one_image_is_reproduced_exactly():
    clean = _constant(0.5)
    other = clean.copy()
    other[1:] += 0.1
    assert psnr(clean, other) == math.inf


def test_bce_matches_the_formula():
    clean = _constant(1.0)
    other = _constant(0.8)
    assert image_metrics(clean, other)["bce"] == pytest.approx(-math.log(0.8), rel=1e-4)


def test_ssim_drops_with_noise():
    rng = np.random.default_rng(0)
    images = rng.random((4, 28, 28, 1)).astype(np.float32)
    noisy = np.clip(images + 0.3 * rng.standard_normal(images.shape), 0, 1).astype(np.float32)
    assert ssim(images, noisy) < 0.9


def test_mismatched_or_empty_inputs_are_rejected():
    with pytest.raises(ValueError, match="clean has shape"):
        psnr(_constant(0.5, 2), _constant(0.5, 3))
    with pytest.raises(ValueError, match="no images"):
        psnr(_constant(0.5, 0), _constant(0.5, 0))
    with pytest.raises(ValueError, match="values must lie in"):
        psnr(_constant(0.5), _constant(2.0))
