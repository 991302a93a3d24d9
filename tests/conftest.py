"""Shared fixtures: the real Fashion-MNIST, found the way users find it."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import cae_ref

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def fashion_dir() -> Path:
    """The folder named by FASHION_MNIST_DIR; the suite fails (never skips) without it."""
    folder = os.environ.get(cae_ref.DATA_DIR_ENV)
    if not folder or not Path(folder).is_dir():
        pytest.fail(
            f"set {cae_ref.DATA_DIR_ENV} to the Fashion-MNIST folder (e.g. ../shared/data/fashion-mnist); "
            f"got {folder!r}"
        )
    return Path(folder)


@pytest.fixture(scope="session")
def fashion(fashion_dir: Path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The complete data set as uint8 arrays."""
    return cae_ref.load_fashion_mnist(allow_download=False)


@pytest.fixture(scope="session")
def small_images(fashion) -> dict[str, np.ndarray]:
    """A fixed preprocessed subset for quick training: 2,000 train and 500 test images."""
    (x_train, y_train), (x_test, y_test) = fashion
    return {
        "x_train": cae_ref.preprocess_images(x_train[:2000]),
        "y_train": y_train[:2000],
        "x_test": cae_ref.preprocess_images(x_test[:500]),
        "y_test": y_test[:500],
    }
