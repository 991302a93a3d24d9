"""Size and text of the recorded figures the book shows at 100 % in its text column.

The book's text column is about 686 pixels wide. A figure drawn wider is scaled down by the
browser, and its text with it, so the charts are drawn ``FIGURE_WIDTH`` inches wide at ``DPI``
(684 pixels) with constrained layout and saved without a tight bounding box, which keeps the
width exact; no text is smaller than ``SMALL_FONT`` points. Image strips follow the book's cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from cae_ref.plots import plot_image_rows

FIGURE_WIDTH = 5.7  # inches at DPI: 684 pixels, within the book's 686-pixel text column
DPI = 120
SMALL_FONT = 9  # points: legends, tick labels, annotations (the smallest text in a figure)
TITLE_FONT = 10


def column_figure(height: float, nrows: int = 1, ncols: int = 1, **kwargs):
    """``plt.subplots`` one column wide and ``height`` inches tall, with constrained layout."""
    return plt.subplots(nrows, ncols, figsize=(FIGURE_WIDTH, height), layout="constrained", **kwargs)


def save_column_figure(fig: Figure, path: Path) -> None:
    """Save ``fig`` at ``DPI`` without trimming (so it stays ``FIGURE_WIDTH`` wide) and close it."""
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


# Image strips are laid out like the book's own cells (``cae_ref.plot_image_rows`` at 6.8 inches,
# shown at 100 dpi): 680 pixels, ten images with their class names in 9-point text.
STRIP_WIDTH = 6.8
STRIP_DPI = 100


def save_image_rows(rows: Mapping[str, np.ndarray], labels: Sequence[int], path: Path, num_images: int = 10) -> None:
    """Named rows of images (``cae_ref.plot_image_rows``) one column wide, saved to ``path``."""
    fig = plot_image_rows(rows, labels, num_images, width=STRIP_WIDTH)
    fig.savefig(path, dpi=STRIP_DPI, bbox_inches="tight")
    plt.close(fig)
