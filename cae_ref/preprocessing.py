"""Turn raw uint8 images into the float tensors the autoencoder trains on (chapter 3)."""

from __future__ import annotations

import numpy as np

# The subset recipes live in cae_ref.subsets; re-exported for the modules that import them from here.
from cae_ref.subsets import subset_per_class as subset_per_class
from cae_ref.subsets import train_val_split as train_val_split

IMAGE_SHAPE: tuple[int, int, int] = (28, 28, 1)


def preprocess_images(images: np.ndarray) -> np.ndarray:
    """Scale uint8 images to float32 in [0, 1] and add a channel axis.

    (N, 28, 28) in, (N, 28, 28, 1) out. Raises TypeError for a dtype other
    than uint8 and ValueError for another shape.
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(
            "expected uint8 pixel values 0..255, got dtype "
            f"{images.dtype}; were the images already normalised?"
        )
    if images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE[:2]:
        raise ValueError(
            f"expected images of shape (N, 28, 28), got {images.shape}"
        )
    return (images.astype(np.float32) / 255.0)[..., np.newaxis]


def check_unit_images(images: np.ndarray, name: str = "images") -> np.ndarray:
    """Return ``images`` as float32 after checking shape (N, 28, 28, 1) and range [0, 1]."""
    images = np.asarray(images)
    if not np.issubdtype(images.dtype, np.floating):
        raise TypeError(
            f"{name}: expected floats in [0, 1], got dtype {images.dtype}; call preprocess_images first"
        )
    if images.ndim != 4 or images.shape[1:] != IMAGE_SHAPE:
        raise ValueError(
            f"{name}: expected shape (N, 28, 28, 1), got {images.shape}"
        )
    if images.size and (
        np.nanmin(images) < 0.0
        or np.nanmax(images) > 1.0
        or np.isnan(images).any()
    ):
        raise ValueError(
            f"{name}: values must lie in [0, 1], got min {np.nanmin(images):.3g}, max {np.nanmax(images):.3g}"
            + (" and NaN" if np.isnan(images).any() else "")
        )
    return images.astype(np.float32, copy=False)
