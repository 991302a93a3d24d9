"""Every data subset the project draws, in one place (chapter 3 explains the two basic recipes).

- ``train_val_split``: shuffle with a seed and split off a validation fraction;
- ``subset_per_class``: the same number of images of each class (the book, the few-label probes);
- ``grading_indices``: the exercise notebooks' fixed subsets of a grading ``Budget``;
- ``chapter_indices``: the book's chapters, class-balanced, for a book ``Budget``;
- ``random_subsets``: sorted random subsets drawn in turn from one seeded generator (the
  experiments' data, seed ``EXPERIMENT_DATA_SEED``; per-experiment training subsets and the
  fast-recipe benchmark, seed ``TRAIN_SUBSET_SEED``; the latent-space probes, ``PROBE_SEEDS``);
- ``first_indices``: the first N images (command line ``--train-size``, test fixtures, benchmarks).

Everything here returns indices into Fashion-MNIST's arrays, never images. ``tests/test_subsets.py``
pins every draw: the calibrated grading thresholds and the recorded results were computed on them.
"""

from __future__ import annotations

import numpy as np

from cae_ref.budget import Budget

EXPERIMENT_DATA_SEED = 1234
TRAIN_SUBSET_SEED = 4321
PROBE_SEEDS = {"train": 11, "test": 12}

Indices = dict[str, np.ndarray]


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
        raise ValueError(
            f"val_fraction must lie strictly between 0 and 1, got {val_fraction}"
        )
    count = len(images)
    if labels is not None and len(labels) != count:
        raise ValueError(f"{count} images but {len(labels)} labels")
    num_val = round(count * val_fraction)
    if num_val < 1 or num_val >= count:
        raise ValueError(
            f"val_fraction {val_fraction} of {count} images leaves an empty split"
        )
    order = np.random.default_rng(seed).permutation(count)
    val_idx, train_idx = order[:num_val], order[num_val:]
    if labels is None:
        return images[train_idx], images[val_idx], None, None
    return (
        images[train_idx],
        images[val_idx],
        labels[train_idx],
        labels[val_idx],
    )


def subset_per_class(
    labels: np.ndarray, per_class: int, seed: int = 0
) -> np.ndarray:
    """Return sorted indices of ``per_class`` examples of each class, drawn with ``seed``."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < per_class:
            raise ValueError(
                f"class {label} has {len(members)} examples, fewer than {per_class}"
            )
        chosen.append(rng.choice(members, size=per_class, replace=False))
    return np.sort(np.concatenate(chosen))


def random_subsets(
    seed: int, *requests: tuple[int, int | None]
) -> list[np.ndarray | None]:
    """For each ``(count, size)`` in turn, sorted indices of ``size`` of ``range(count)``.

    One generator seeded with ``seed`` serves all requests in order, so a request's draw depends
    on the ones before it. A ``size`` of None or 0 draws nothing (None in the result) and leaves
    the generator untouched; a ``size`` above ``count`` returns every index.
    """
    rng = np.random.default_rng(seed)
    return [
        np.sort(rng.permutation(count)[:size]) if size else None
        for count, size in requests
    ]


def first_indices(count: int, size: int | None = None) -> np.ndarray:
    """The first ``size`` indices of ``range(count)`` (all of them for None); ValueError above ``count``."""
    size = count if size is None else size
    if not 0 < size <= count:
        raise ValueError(f"size must lie between 1 and {count}, got {size}")
    return np.arange(size)


def grading_indices(budget: Budget, num_train: int, num_test: int) -> Indices:
    """The grading subsets of ``budget``: ``train`` and ``val`` from the training split, ``test`` (sorted).

    Training and validation indices come in the order drawn (not sorted), from one permutation
    seeded with ``budget.seed``; the same generator then draws the test images.
    """
    rng = np.random.default_rng(budget.seed)
    order = rng.permutation(num_train)
    end = budget.train_images + budget.val_images
    return {
        "train": order[: budget.train_images],
        "val": order[budget.train_images : end],
        "test": np.sort(rng.permutation(num_test)[: budget.test_images]),
    }


def chapter_indices(
    train_labels: np.ndarray, test_labels: np.ndarray, budget: Budget
) -> Indices:
    """The book's subsets of ``budget``: class-balanced, then split into ``train`` and ``val``.

    ``train_images + val_images`` are drawn as equal numbers per class with ``budget.seed``
    (``subset_per_class``) and split by ``train_val_split`` with the same seed; ``test_images``
    are drawn per class from the test labels. With every image of a class requested, the draw
    is simply all of them.
    """
    classes = len(np.unique(train_labels))
    drawn = budget.train_images + budget.val_images
    if drawn % classes or budget.test_images % classes:
        raise ValueError(
            f"{budget} does not split evenly into {classes} classes"
        )
    keep = subset_per_class(train_labels, drawn // classes, seed=budget.seed)
    train, val, _, _ = train_val_split(
        keep, val_fraction=budget.val_fraction, seed=budget.seed
    )
    test = subset_per_class(
        test_labels, budget.test_images // classes, seed=budget.seed
    )
    return {"train": train, "val": val, "test": test}
