"""The grading subsets: drawn from the full data set, or read from one small file the grader wrote.

Every graded notebook reads the same few subsets (one per grading budget), several times: the
notebook's own cell, the visible checks and the hidden ones. Drawing them means decompressing the
whole of Fashion-MNIST (about 0.2 CPU-s each time). ``python -m grading autograde`` writes every
grading budget's subsets once, before grading, to one uncompressed file (``write``) outside what a
grading kernel may write, and names it in ``CAE_GRADING_DATA``; ``subsets`` then reads them from
there. The file's path is read when the grader is first imported (the setup cell, before any
student code runs) and kept in this module, which ``cae_ref.pristine`` records and restores;
anywhere else (Colab, plain nbgrader) the variable is unset and the subsets are drawn as before.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from cae_ref.budget import (
    BOTTLENECK_BUDGET,
    DENOISING_BUDGET,
    FEW_LABEL_BUDGET,
    LATENT_BUDGET,
    TRAINING_BUDGET,
    VAE_BUDGET,
    Budget,
)
from cae_ref.data import load_fashion_mnist
from cae_ref.preprocessing import preprocess_images
from cae_ref.subsets import grading_indices

ENV = "CAE_GRADING_DATA"
CACHE = os.environ.get(
    ENV
)  # as the grader was imported: later changes count for nothing
GRADING_BUDGETS = (
    TRAINING_BUDGET,
    LATENT_BUDGET,
    DENOISING_BUDGET,
    VAE_BUDGET,
    BOTTLENECK_BUDGET,
    FEW_LABEL_BUDGET,
)
PARTS = ("train", "val", "test")


def _key(budget: Budget) -> str:
    """What the subsets depend on (``grading_indices``): sizes and seed."""
    return (
        f"{budget.train_images}-{budget.val_images}-"
        f"{budget.test_images}-{budget.seed}"
    )


def draw(budget: Budget) -> dict[str, np.ndarray]:
    """The budget's subsets from the full data set, preprocessed (x float32, y uint8)."""
    (x_all, y_all), (x_test_all, y_test_all) = load_fashion_mnist()
    indices = grading_indices(budget, len(x_all), len(x_test_all))
    data = {}
    for part, idx in indices.items():
        images, labels = (
            (x_test_all, y_test_all) if part == "test" else (x_all, y_all)
        )
        data[f"x_{part}"] = preprocess_images(images[idx])
        data[f"y_{part}"] = labels[idx]
    return data


def write(path: Path, budgets: tuple[Budget, ...] = GRADING_BUDGETS) -> Path:
    """Draw every budget's subsets once and save them, uncompressed, to ``path`` (``.npz``)."""
    arrays = {}
    for budget in budgets:
        for name, array in draw(budget).items():
            arrays[f"{_key(budget)}/{name}"] = array
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as file:
        np.savez(file, **arrays)
    return path


def _read(path: str, budget: Budget) -> dict[str, np.ndarray] | None:
    prefix = f"{_key(budget)}/"
    try:
        with np.load(path, allow_pickle=False) as stored:
            names = [n for n in stored.files if n.startswith(prefix)]
            data = {n.removeprefix(prefix): stored[n] for n in names}
    except (OSError, ValueError):
        return None  # unreadable: draw from the data set instead
    sizes = {
        "train": budget.train_images,
        "val": budget.val_images,
        "test": budget.test_images,
    }
    complete = all(
        len(data.get(f"{axis}_{part}", ())) == sizes[part]
        for part in PARTS
        for axis in "xy"
    )
    return data if complete else None


def subsets(budget: Budget) -> dict[str, np.ndarray]:
    """The budget's subsets: from the grader's file when it has them, else drawn from the data set."""
    stored = _read(CACHE, budget) if CACHE else None
    return stored if stored is not None else draw(budget)
