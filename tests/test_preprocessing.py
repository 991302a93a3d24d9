"""Preprocessing, the seeded split and the noise: ranges, dtypes, determinism and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from cae_ref import add_gaussian_noise, preprocess_images, subset_per_class, train_val_split
from cae_ref.preprocessing import check_unit_images


def test_preprocess_scales_to_unit_floats_with_a_channel(fashion):
    (x_train, _), _ = fashion
    images = preprocess_images(x_train[:100])
    assert images.shape == (100, 28, 28, 1) and images.dtype == np.float32
    assert images.min() == 0.0 and images.max() == 1.0
    np.testing.assert_allclose(images[..., 0] * 255, x_train[:100], atol=1e-4)


@pytest.mark.parametrize(
    ("images", "error", "pattern"),
    [
        (np.zeros((2, 28, 28), np.float32), TypeError, "expected uint8 .* got dtype float32; were the images already"),
        (
            np.zeros((2, 28, 28, 1), np.uint8),
            ValueError,
            r"expected images of shape \(N, 28, 28\), got \(2, 28, 28, 1\)",
        ),
        (np.zeros((2, 32, 32), np.uint8), ValueError, r"got \(2, 32, 32\)"),
    ],
)
def test_preprocess_rejects_bad_input(images, error, pattern):
    with pytest.raises(error, match=pattern):
        preprocess_images(images)


def test_check_unit_images_rejects_out_of_range_and_nan():
    with pytest.raises(ValueError, match="values must lie in \\[0, 1\\], got min 255, max 255"):
        check_unit_images(np.full((1, 28, 28, 1), 255.0, np.float32))
    bad = np.zeros((1, 28, 28, 1), np.float32)
    bad[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="and NaN"):
        check_unit_images(bad)


def test_split_is_seeded_disjoint_and_complete():
    images = np.arange(100).reshape(100, 1)
    labels = np.arange(100) % 10
    a_train, a_val, a_ytrain, a_yval = train_val_split(images, labels, 0.2, seed=3)
    b_train, b_val, _, _ = train_val_split(images, labels, 0.2, seed=3)
    c_train, _, _, _ = train_val_split(images, labels, 0.2, seed=4)
    np.testing.assert_array_equal(a_train, b_train)
    np.testing.assert_array_equal(a_val, b_val)
    assert not np.array_equal(a_train, c_train)
    assert len(a_val) == 20 and len(a_train) == 80
    assert sorted(np.concatenate([a_train, a_val]).ravel()) == list(range(100))
    np.testing.assert_array_equal(a_ytrain, a_train.ravel() % 10)
    np.testing.assert_array_equal(a_yval, a_val.ravel() % 10)


def test_split_rejects_bad_fraction_and_mismatched_labels():
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        train_val_split(np.zeros((10, 1)), val_fraction=1.0)
    with pytest.raises(ValueError, match="10 images but 9 labels"):
        train_val_split(np.zeros((10, 1)), np.zeros(9))


def test_subset_per_class_draws_exactly_n_of_each():
    labels = np.repeat(np.arange(10), 50)
    chosen = subset_per_class(labels, 7, seed=1)
    assert np.bincount(labels[chosen]).tolist() == [7] * 10
    np.testing.assert_array_equal(chosen, subset_per_class(labels, 7, seed=1))
    with pytest.raises(ValueError, match="fewer than 51"):
        subset_per_class(labels, 51)


def test_noise_is_clipped_seeded_and_scaled(small_images):
    clean = small_images["x_test"][:200]
    noisy = add_gaussian_noise(clean, 0.3, seed=5)
    assert noisy.dtype == np.float32 and noisy.shape == clean.shape
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0
    assert noisy.min() == 0.0 and noisy.max() == 1.0  # clipping happened at both ends
    np.testing.assert_array_equal(noisy, add_gaussian_noise(clean, 0.3, seed=5))
    assert not np.array_equal(noisy, add_gaussian_noise(clean, 0.3, seed=6))
    # Where no clipping happened, the noise has the requested standard deviation.
    unclipped = (noisy > 0) & (noisy < 1)
    assert np.std((noisy - clean)[unclipped]) == pytest.approx(0.3, rel=0.15)
    np.testing.assert_array_equal(add_gaussian_noise(clean, 0.0), clean)


def test_noise_does_not_modify_its_input(small_images):
    clean = small_images["x_test"][:10].copy()
    add_gaussian_noise(clean, 0.5)
    np.testing.assert_array_equal(clean, small_images["x_test"][:10])


@pytest.mark.parametrize("factor", [-0.1, float("nan"), float("inf")])
def test_noise_rejects_bad_factor(small_images, factor):
    with pytest.raises(ValueError, match="noise_factor must be a finite number >= 0"):
        add_gaussian_noise(small_images["x_test"][:2], factor)


def test_noise_rejects_raw_uint8_images(fashion):
    (x_train, _), _ = fashion
    with pytest.raises(TypeError, match="call preprocess_images first"):
        add_gaussian_noise(x_train[:2], 0.2)
