"""Size and text of the recorded figures the book shows at 100 % in its text column.

The book's text column is about 686 pixels wide. A figure drawn wider is scaled down by the
browser, and its text with it, so the charts are drawn ``FIGURE_WIDTH`` inches wide at ``DPI``
(684 pixels) with constrained layout and saved without a tight bounding box, which keeps the
width exact; no text is smaller than ``SMALL_FONT`` points.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

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
