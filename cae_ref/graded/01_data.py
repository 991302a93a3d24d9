"""Checks of exercise 01 (preprocessing), run by ``cae_ref.grader.grade`` in the grader's namespace."""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref import checks

HIDDEN = "graded after submission; the visible checks above do not cover this"


def raw_images() -> tuple[np.ndarray, np.ndarray]:
    """The uint8 training and test images of Fashion-MNIST."""
    (x_train_raw, _), (x_test_raw, _) = cae_ref.load_fashion_mnist()
    return x_train_raw, x_test_raw


def test_preprocess_shape(preprocess: Any) -> None:
    raw = raw_images()[0][:50].copy()
    out = np.asarray(checks.graded_call(preprocess, raw))
    assert out.shape == (50, 28, 28, 1), checks.expected_got(
        "shape of preprocess(50 images)",
        (50, 28, 28, 1),
        out.shape,
        "add a channel axis, e.g. images[..., np.newaxis]",
    )
    assert out.dtype == np.float32, checks.expected_got(
        "dtype",
        "float32",
        out.dtype,
        "convert with .astype(np.float32); float64 doubles the memory",
    )
    print("shape and dtype are right")


def test_preprocess_range(preprocess: Any) -> None:
    probe = np.zeros((2, 28, 28), dtype=np.uint8)
    probe[1] = 255
    out = np.asarray(
        checks.graded_call(preprocess, probe), dtype=np.float64
    ).reshape(2, -1)
    low, high = float(out[0].max()), float(out[1].min())
    hint = (
        "divide by 255.0"
        if high > 1.5
        else "divide by 255, not 256"
        if 0.99 < high < 1.0
        else ""
    )
    assert abs(low) < 1e-6, checks.expected_got("value for pixel 0", 0.0, low)
    assert abs(high - 1.0) < 1e-6, checks.expected_got(
        "value for pixel 255", 1.0, high, hint
    )
    print("values are scaled to [0, 1]")


def test_preprocess_reference(preprocess: Any) -> None:
    x_test_raw = raw_images()[1]
    raw = x_test_raw[:200].copy()
    out = np.asarray(checks.graded_call(preprocess, raw))
    assert np.array_equal(raw, x_test_raw[:200]), (
        "preprocess modified its input array: work on a copy"
    )
    assert out.shape == (200, 28, 28, 1), checks.expected_got(
        "shape", (200, 28, 28, 1), out.shape
    )
    print("visible checks passed")
    print(HIDDEN)
