"""Fixtures of the grading tests: the data must be present, and a freshly generated course to copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from grading.submissions import make_course


@pytest.fixture(scope="session")
def course_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh course: config and solutions copied, every assignment generated with nbgrader."""
    folder = os.environ.get("FASHION_MNIST_DIR")
    if not folder or not (Path(folder) / "train-images-idx3-ubyte.gz").is_file():
        pytest.fail(f"set FASHION_MNIST_DIR to the folder with the Fashion-MNIST .gz files; got {folder!r}")
    return make_course(tmp_path_factory.mktemp("template") / "course")


@pytest.fixture
def course(course_template: Path, tmp_path: Path) -> Path:
    """A private copy of the course (its own gradebook) for one test."""
    return Path(shutil.copytree(course_template, tmp_path / "course", symlinks=True))
