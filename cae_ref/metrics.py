"""Reconstruction quality: BCE, MSE, PSNR and SSIM with TensorFlow's own functions (chapter 5)."""

from __future__ import annotations

import numpy as np

from cae_ref._tf import keras, tf
from cae_ref.preprocessing import check_unit_images

METRIC_NAMES: tuple[str, ...] = ("bce", "mse", "psnr", "ssim")


def _pair(
    clean: np.ndarray, other: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    clean = check_unit_images(clean, "clean")
    other = check_unit_images(other, "other")
    if clean.shape != other.shape:
        raise ValueError(
            f"clean has shape {clean.shape} but other has {other.shape}"
        )
    if len(clean) == 0:
        raise ValueError("no images to compare")
    return clean, other


def psnr(clean: np.ndarray, other: np.ndarray) -> float:
    """Mean peak signal-to-noise ratio in dB over images, pixels in [0, 1] (``tf.image.psnr``).

    An image reproduced exactly (MSE 0) has PSNR ``inf``, so the mean is ``inf`` too (exercise 05 agrees).
    """
    clean, other = _pair(clean, other)
    return float(tf.reduce_mean(tf.image.psnr(clean, other, max_val=1.0)))


def ssim(clean: np.ndarray, other: np.ndarray) -> float:
    """Mean structural similarity over images, pixels in [0, 1] (``tf.image.ssim``)."""
    clean, other = _pair(clean, other)
    return float(tf.reduce_mean(tf.image.ssim(clean, other, max_val=1.0)))


def image_metrics(clean: np.ndarray, other: np.ndarray) -> dict[str, float]:
    """Return BCE (``other`` read as predicted probabilities), MSE, PSNR and SSIM, each a mean."""
    clean, other = _pair(clean, other)
    bce = keras.losses.binary_crossentropy(
        clean.reshape(len(clean), -1), other.reshape(len(other), -1)
    )
    return {
        "bce": float(np.mean(bce)),
        "mse": float(np.mean((clean - other) ** 2)),
        "psnr": psnr(clean, other),
        "ssim": ssim(clean, other),
    }


def reconstruct(
    model: keras.Model, images: np.ndarray, batch_size: int = 512
) -> np.ndarray:
    """Run ``model`` on ``images`` (no progress bar) and return float32 outputs in [0, 1]."""
    images = check_unit_images(images, "images")
    outputs = model.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(outputs, dtype=np.float32)


def evaluate_reconstruction(
    model: keras.Model,
    inputs: np.ndarray,
    targets: np.ndarray | None = None,
    batch_size: int = 512,
) -> dict[str, float]:
    """Reconstruct ``inputs`` and score against ``targets`` (default: ``inputs``)."""
    targets = inputs if targets is None else targets
    return image_metrics(targets, reconstruct(model, inputs, batch_size))
