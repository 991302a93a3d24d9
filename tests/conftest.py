"""Shared fixtures: the real Fashion-MNIST, found the way users find it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cae_ref
from cae_ref.data import find_local_copy

REPO_ROOT = Path(__file__).resolve().parents[1]
# The exercise test files that grade one class in the same course (scheduled on one worker).
SHARED_CLASS = {"tests/exercises/test_exercises_autograde.py", "tests/exercises/test_exercises_course.py"}
# The book's files that read one build (tests/book/conftest.py: the Indonesian build reuses the English one's cache).
SHARED_BOOK = {"tests/book/test_book.py", "tests/book/test_translation.py"}
NO_SOLUTIONS = (
    "this test needs solutions/ (the answers and hidden tests), which a public clone of the course does not have: "
    "run it in the private instructor repository, or leave it out with -m 'not needs_solutions' (INSTRUCTORS.md)"
)


@pytest.fixture(scope="session")
def fashion_dir() -> Path:
    """The local Fashion-MNIST folder, found as users find it; the suite fails (never skips) without it.

    With FASHION_MNIST_DIR unset, the loader's search (Keras cache, Debian package, then a
    download into the Keras cache) decides.
    """
    named = os.environ.get(cae_ref.DATA_DIR_ENV)
    if named and not Path(named).is_dir():
        pytest.fail(f"{cae_ref.DATA_DIR_ENV}={named!r} is not a folder")
    folder = find_local_copy()
    if folder is None:
        cae_ref.load_fashion_mnist()  # downloads into the Keras cache, or fails listing every place tried
        folder = find_local_copy()
    if folder is None:
        pytest.fail("Fashion-MNIST was loaded but no local copy of the four files was found afterwards")
    return folder


@pytest.fixture(scope="session")
def fashion(fashion_dir: Path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The complete data set as uint8 arrays."""
    return cae_ref.load_fashion_mnist(allow_download=False)


@pytest.fixture(scope="session")
def small_images(fashion) -> dict[str, np.ndarray]:
    """A fixed preprocessed subset for quick training: 2,000 train and 500 test images."""
    (x_train, y_train), (x_test, y_test) = fashion
    train, test = cae_ref.first_indices(len(x_train), 2000), cae_ref.first_indices(len(x_test), 500)
    return {
        "x_train": cae_ref.preprocess_images(x_train[train]),
        "y_train": y_train[train],
        "x_test": cae_ref.preprocess_images(x_test[test]),
        "y_test": y_test[test],
    }


@pytest.hookimpl(tryfirst=True)
def pytest_report_header(config: pytest.Config) -> list[str]:
    """The system prerequisites the README names, said on the first lines of the run when one is missing."""
    missing = []
    if sys.platform.startswith("linux") and shutil.which("bwrap") is None:
        missing.append(
            "MISSING bubblewrap: install it (apt-get install -y bubblewrap); the grading sandbox's test "
            "(tests/grading/test_grading_sandbox.py::test_bubblewrap_sandbox) fails without it (README, Quick start)"
        )
    return missing


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``needs_solutions`` fails, saying why, where solutions/ is missing (never a silent skip)."""
    if item.get_closest_marker("needs_solutions") and not any((REPO_ROOT / "solutions").glob("*/*.ipynb")):
        pytest.fail(NO_SOLUTIONS, pytrace=False)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``-n 2 --dist loadfile``, run the shared-class exercise files on one worker: they share one course.

    ``test_exercises_autograde`` and ``test_exercises_course`` grade one class together; every other
    file is its own unit (06, 07 and 08 grade their own class in the worker's course), so a module's
    expensive fixture (the book build, the quick profile) is built once, on one worker. The English and
    Indonesian book tests share one build in the same way.
    """
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ExercisesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            if scope in SHARED_BOOK:
                return "tests/book (shared build)"
            return "tests/exercises (shared class)" if scope in SHARED_CLASS else scope

    return ExercisesTogether(config, log)
