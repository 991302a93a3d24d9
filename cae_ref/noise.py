"""Corrupt images with Gaussian noise for the denoising autoencoder (chapter 8)."""

from __future__ import annotations

import numpy as np

from cae_ref.preprocessing import check_unit_images


def add_gaussian_noise(
    images: np.ndarray, noise_factor: float, seed: int = 0
) -> np.ndarray:
    """Return ``images + noise_factor * N(0, 1)``, clipped to [0, 1].

    The result is float32. The same ``seed`` always gives the same noise;
    ``images`` is not modified.
    """
    images = check_unit_images(images)
    if not np.isfinite(noise_factor) or noise_factor < 0:
        raise ValueError(
            f"noise_factor must be a finite number >= 0, got {noise_factor}"
        )
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(images.shape, dtype=np.float32)
    noisy = images + np.float32(noise_factor) * noise
    return np.clip(noisy, 0.0, 1.0).astype(np.float32)
