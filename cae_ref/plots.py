"""Figures for the book, the CLI and the exercises. Each returns a Matplotlib Figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from cae_ref.data import CLASS_NAMES


def _finish(
    fig: Figure, path: str | Path | None, tight: bool = True
) -> Figure:
    if tight:
        fig.tight_layout()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120, bbox_inches="tight")
    return fig


def _image(array: np.ndarray) -> np.ndarray:
    return np.asarray(array).reshape(28, 28)


def _two_lines(name: str) -> str:
    """``T-shirt/top`` -> ``T-shirt/`` over ``top``: narrow column titles."""
    return name.replace("/", "/\n").replace(" ", "\n")


# Text of image grids in inches: a 9-point character is at most about 0.08 wide.
_CHAR_INCHES = 0.08
_GAP = 0.08  # space between images, as a fraction of an image


def plot_image_rows(
    rows: Mapping[str, np.ndarray],
    labels: Sequence[int] | None = None,
    num_images: int = 10,
    path: str | Path | None = None,
    width: float | None = None,
) -> Figure:
    """Show images in named rows (e.g. original / reconstruction), class names as column titles.

    Row names stand left of their rows. Each image takes up to 1.3 inches; ``width`` (inches,
    row names included) shrinks a wider grid to fit, e.g. a book page (6.8).
    """
    num_images = min(num_images, *(len(images) for images in rows.values()))
    label_inches = _CHAR_INCHES * max(len(name) for name in rows) + 0.25
    natural = label_inches + 1.3 * num_images
    total = natural if width is None else min(natural, width)
    image = (total - label_inches) / (num_images + _GAP * (num_images - 1))
    title_inches = 0.42 if labels is not None else 0.05
    height = title_inches + image * (len(rows) + _GAP * (len(rows) - 1)) + 0.05
    fig, axes = plt.subplots(
        len(rows), num_images, figsize=(total, height), squeeze=False
    )
    fig.subplots_adjust(
        left=label_inches / total,
        right=1.0,
        top=1.0 - title_inches / height,
        bottom=0.05 / height,
        wspace=_GAP,
        hspace=_GAP,
    )
    for row, (row_name, images) in enumerate(rows.items()):
        for col in range(num_images):
            axis = axes[row, col]
            axis.imshow(_image(images[col]), cmap="gray", vmin=0.0, vmax=1.0)
            axis.set_xticks([])
            axis.set_yticks([])
            if row == 0 and labels is not None:
                name = _two_lines(CLASS_NAMES[int(labels[col])])
                axis.set_title(name, fontsize=9, pad=3)
        axes[row, 0].set_ylabel(
            row_name,
            rotation=0,
            ha="right",
            va="center",
            labelpad=4,
            fontsize=9,
        )
    return _finish(fig, path, tight=False)


def plot_reconstructions(
    originals: np.ndarray,
    reconstructions: np.ndarray,
    labels: Sequence[int] | None = None,
    num_images: int = 10,
    path: str | Path | None = None,
) -> Figure:
    """Originals above their reconstructions, titled with class names."""
    return plot_image_rows(
        {"original": originals, "reconstruction": reconstructions},
        labels,
        num_images,
        path,
    )


def plot_denoising(
    clean: np.ndarray,
    noisy: np.ndarray,
    denoised: np.ndarray,
    labels: Sequence[int] | None = None,
    num_images: int = 10,
    path: str | Path | None = None,
) -> Figure:
    """Clean, noisy and denoised images in three rows."""
    return plot_image_rows(
        {"clean": clean, "noisy": noisy, "denoised": denoised},
        labels,
        num_images,
        path,
    )


def plot_loss_curves(
    history: Mapping[str, Sequence[float]],
    title: str = "Training",
    ylabel: str = "loss",
    path: str | Path | None = None,
) -> Figure:
    """Training and validation loss per epoch from ``History.history`` (or a dict like it)."""
    history = getattr(history, "history", history)
    fig, axis = plt.subplots(figsize=(5.5, 3.5))
    for key, label in (("loss", "training"), ("val_loss", "validation")):
        if key in history:
            epochs = np.arange(1, len(history[key]) + 1)
            axis.plot(
                epochs, history[key], marker="o", markersize=3, label=label
            )
    axis.set_xlabel("epoch")
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axis.set_ylabel(ylabel)
    axis.set_title(title)
    axis.grid(alpha=0.3)
    axis.legend()
    return _finish(fig, path)


def plot_latent_scatter(
    points: np.ndarray,
    labels: Sequence[int],
    title: str = "Latent space",
    axis_labels: tuple[str, str] = ("dimension 1", "dimension 2"),
    path: str | Path | None = None,
) -> Figure:
    """Scatter 2-D points coloured by class, with a legend of class names."""
    points = np.asarray(points)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(
            f"expected 2-D points of shape (N, 2), got {points.shape}"
        )
    labels = np.asarray(labels)
    fig, axis = plt.subplots(figsize=(5.0, 4.2))
    colours = plt.get_cmap("tab10")
    for class_id, class_name in enumerate(CLASS_NAMES):
        mask = labels == class_id
        if mask.any():
            axis.scatter(
                *points[mask].T,
                s=4,
                alpha=0.6,
                color=colours(class_id),
                label=class_name,
            )
    axis.set_xlabel(axis_labels[0])
    axis.set_ylabel(axis_labels[1])
    axis.set_title(title)
    axis.legend(
        markerscale=4,
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
    )
    return _finish(fig, path)
