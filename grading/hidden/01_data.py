"""Hidden checks of exercise 01: run at grading only, never installed or returned to students."""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks


def hidden_preprocess_reference(preprocess: Any) -> None:
    (_, _), (x_test_raw, _) = cae_ref.load_fashion_mnist()
    raw = x_test_raw[:200].copy()
    out = np.asarray(checks.graded_call(preprocess, raw))
    expected = cae_ref.preprocess_images(raw)
    assert np.allclose(out, expected, atol=1e-6), checks.message("d_mismatch")
    dark = (x_test_raw[:20] // 2).astype(np.uint8)  # brightest pixel 127
    dark_out = np.asarray(checks.graded_call(preprocess, dark))
    assert np.allclose(dark_out, cae_ref.preprocess_images(dark), atol=1e-6), checks.message("d_dark")
    one = np.asarray(checks.graded_call(preprocess, x_test_raw[:1]))
    assert one.shape == (1, 28, 28, 1), checks.message("d_one")
    scaled = x_test_raw[:5].astype(np.float32) / 255.0
    try:
        checks.graded_call(preprocess, scaled)
    except TypeError:
        pass
    else:
        raise AssertionError(checks.message("d_float_input"))
