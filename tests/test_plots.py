"""Every figure has its labels and legends and is written when a path is given."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cae_ref import (
    CLASS_NAMES,
    plot_denoising,
    plot_image_rows,
    plot_latent_scatter,
    plot_loss_curves,
    plot_reconstructions,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_reconstruction_grid_titles_are_class_names(small_images, tmp_path):
    images = small_images["x_test"][:6]
    fig = plot_reconstructions(images, images, small_images["y_test"][:6], num_images=6, path=tmp_path / "r.png")
    titles = [axis.get_title().replace("/\n", "/").replace("\n", " ") for axis in fig.axes[:6]]  # two lines
    assert titles == [CLASS_NAMES[label] for label in small_images["y_test"][:6]]
    assert fig.axes[0].get_ylabel() == "original" and fig.axes[6].get_ylabel() == "reconstruction"
    assert (tmp_path / "r.png").stat().st_size > 5000


def test_denoising_has_three_rows(small_images):
    images = small_images["x_test"][:4]
    fig = plot_denoising(images, images, images, num_images=4)
    assert [fig.axes[i].get_ylabel() for i in (0, 4, 8)] == ["clean", "noisy", "denoised"]


def test_loss_curves_have_both_series():
    fig = plot_loss_curves({"loss": [0.5, 0.3], "val_loss": [0.4, 0.35]})
    axis = fig.axes[0]
    assert [line.get_label() for line in axis.get_lines()] == ["training", "validation"]
    assert axis.get_xlabel() == "epoch" and axis.get_ylabel() == "loss"


def test_latent_scatter_has_a_legend_of_class_names(tmp_path):
    points = np.random.default_rng(0).normal(size=(100, 2))
    labels = np.arange(100) % 10
    fig = plot_latent_scatter(points, labels, path=tmp_path / "latent.png")
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert legend == list(CLASS_NAMES)
    with pytest.raises(ValueError, match=r"expected 2-D points of shape \(N, 2\)"):
        plot_latent_scatter(np.zeros((5, 3)), labels[:5])


def test_plot_image_rows_fits_a_width():
    """``width`` shrinks a wide grid to fit a page (the book passes 6.8 inches); narrower grids keep their size."""
    images = np.zeros((10, 28, 28, 1), dtype=np.float32)
    wide = plot_image_rows({"a": images, "b": images}, width=9)
    assert wide.get_size_inches()[0] == pytest.approx(9.0)
    narrow = plot_image_rows({"a": images[:3]}, width=9)  # 3 images of 1.3 inches and the row name
    assert 3.9 < narrow.get_size_inches()[0] < 4.5
