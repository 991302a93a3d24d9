"""Fixtures of the exercise tests: the data must be present, and a freshly generated course."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grading.submissions import make_course


@pytest.fixture(scope="session", autouse=True)
def fashion_mnist_present() -> None:
    """The exercises need the data; without it the suite fails loudly (never skips)."""
    folder = os.environ.get("FASHION_MNIST_DIR")
    if not folder or not (Path(folder) / "train-images-idx3-ubyte.gz").is_file():
        pytest.fail(f"set FASHION_MNIST_DIR to the folder with the Fashion-MNIST .gz files; got {folder!r}")


@pytest.fixture(scope="session")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh course: config and solutions copied, every assignment generated with nbgrader."""
    return make_course(tmp_path_factory.mktemp("course"))
