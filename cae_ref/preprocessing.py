"""Turn raw uint8 images into the float tensors the autoencoder trains on (chapter 3)."""

from __future__ import annotations

import numpy as np

IMAGE_SHAPE: tuple[int, int, int] = (28, 28, 1)


def preprocess_images(images: np.ndarray) -> np.ndarray:
    """Scale uint8 images (N, 28, 28) to float32 in [0, 1] with a channel axis (N, 28, 28, 1).

    Raises TypeError for a dtype other than uint8 and ValueError for another shape.
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(
            f"expected uint8 pixel values 0..255, got dtype {images.dtype}; were the images already normalised?"
        )
    if images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE[:2]:
        raise ValueError(f"expected images of shape (N, 28, 28), got {images.shape}")
    return (images.astype(np.float32) / 255.0)[..., np.newaxis]


def check_unit_images(images: np.ndarray, name: str = "images") -> np.ndarray:
    """Return ``images`` as float32 after checking shape (N, 28, 28, 1) and range [0, 1]."""
    images = np.asarray(images)
    if not np.issubdtype(images.dtype, np.floating):
        raise TypeError(f"{name}: expected floats in [0, 1], got dtype {images.dtype}; call preprocess_images first")
    if images.ndim != 4 or images.shape[1:] != IMAGE_SHAPE:
        raise ValueError(f"{name}: expected shape (N, 28, 28, 1), got {images.shape}")
    if images.size and (np.nanmin(images) < 0.0 or np.nanmax(images) > 1.0 or np.isnan(images).any()):
        raise ValueError(
            f"{name}: values must lie in [0, 1], got min {np.nanmin(images):.3g}, max {np.nanmax(images):.3g}"
            + (" and NaN" if np.isnan(images).any() else "")
        )
    return images.astype(np.float32, copy=False)


def train_val_split(
    images: np.ndarray,
    labels: np.ndarray | None = None,
    val_fraction: float = 0.1,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Shuffle with ``seed`` and split off ``val_fraction`` for validation.

    Returns ``(x_train, x_val, y_train, y_val)``; the label entries are None without labels.
    """
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must lie strictly between 0 and 1, got {val_fraction}")
    count = len(images)
    if labels is not None and len(labels) != count:
        raise ValueError(f"{count} images but {len(labels)} labels")
    num_val = round(count * val_fraction)
    if num_val < 1 or num_val >= count:
        raise ValueError(f"val_fraction {val_fraction} of {count} images leaves an empty split")
    order = np.random.default_rng(seed).permutation(count)
    val_idx, train_idx = order[:num_val], order[num_val:]
    if labels is None:
        return images[train_idx], images[val_idx], None, None
    return images[train_idx], images[val_idx], labels[train_idx], labels[val_idx]


def subset_per_class(labels: np.ndarray, per_class: int, seed: int = 0) -> np.ndarray:
    """Return sorted indices of ``per_class`` examples of each class, drawn with ``seed``."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < per_class:
            raise ValueError(f"class {label} has {len(members)} examples, fewer than {per_class}")
        chosen.append(rng.choice(members, size=per_class, replace=False))
    return np.sort(np.concatenate(chosen))
