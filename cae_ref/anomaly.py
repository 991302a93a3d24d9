"""Anomaly detection by reconstruction error (book page "Anomaly detection").

An autoencoder trained only on normal images reconstructs them well and
unfamiliar images worse, so its reconstruction error is an anomaly score.
The book trains on nine classes, holds one out as the anomaly and measures
how well the score separates the two with the ROC AUC.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sklearn.metrics import roc_auc_score

from cae_ref._tf import keras
from cae_ref.data import CLASS_NAMES
from cae_ref.preprocessing import check_unit_images


def reconstruction_errors(
    model: keras.Model, images: np.ndarray, batch_size: int = 512
) -> np.ndarray:
    """Mean squared error between each image and its reconstruction: (N,).

    The anomaly score of the book page "Anomaly detection": one number per
    image, larger for images the autoencoder has not learned to rebuild.
    """
    images = check_unit_images(images, "images")
    outputs = model.predict(images, batch_size=batch_size, verbose=0)
    outputs = np.asarray(outputs, dtype=np.float32)
    if outputs.shape != images.shape:
        raise ValueError(
            f"the model returned {outputs.shape} for images {images.shape}"
        )
    return np.mean((images - outputs) ** 2, axis=(1, 2, 3))


def anomaly_mask(
    labels: np.ndarray, anomaly_classes: Iterable[int]
) -> np.ndarray:
    """True where an image's class is one of ``anomaly_classes``.

    Train on ``images[~mask]`` (the normal classes only); on test images
    the mask is the truth the anomaly score is measured against.
    """
    labels = np.asarray(labels)
    classes = sorted(set(anomaly_classes))
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels: expected a 1-D array of class ids, got {labels.dtype} "
            f"with shape {labels.shape}"
        )
    valid = range(len(CLASS_NAMES))
    if not classes or any(c not in valid for c in classes):
        raise ValueError(
            f"anomaly_classes must name classes 0 to 9, got {classes!r}"
        )
    if len(classes) == len(CLASS_NAMES):
        raise ValueError("every class is an anomaly: no normal class left")
    return np.isin(labels, classes)


def anomaly_auc(errors: np.ndarray, is_anomaly: np.ndarray) -> float:
    """ROC AUC of ``errors`` as an anomaly score for ``is_anomaly``.

    1.0: every anomaly has a larger error than every normal image; 0.5: the
    error says nothing; below 0.5: anomalies are reconstructed *better*.
    The book page "Anomaly detection" explains it.
    """
    errors = np.asarray(errors, dtype=np.float64)
    truth = np.asarray(is_anomaly)
    if errors.ndim != 1 or errors.shape != truth.shape:
        raise ValueError(
            f"errors {errors.shape} and is_anomaly {truth.shape} must be "
            "1-D and of the same length"
        )
    if truth.dtype != bool:
        raise ValueError(f"is_anomaly must be booleans, got {truth.dtype}")
    if truth.all() or not truth.any():
        raise ValueError(
            "is_anomaly needs both normal and anomalous images, got "
            f"{int(truth.sum())} anomalies among {truth.size}"
        )
    if not np.isfinite(errors).all():
        raise ValueError("errors must be finite numbers (no NaN or inf)")
    return float(roc_auc_score(truth, errors))
