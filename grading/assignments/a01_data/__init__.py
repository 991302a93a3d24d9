"""Assignment 01, the data: its simulated students (no threshold to calibrate)."""

from __future__ import annotations

from grading.simulated import Mistake, Tamper

ASSIGNMENT = "01_data"
RECORD = None  # no threshold of its own: nothing calibrated
REBINDS = "no_channel_axis"

MISTAKES: dict[str, Mistake] = {
    "not_normalised": Mistake(
        ASSIGNMENT,
        {"preprocess": "def preprocess(images):\n    return images.astype(np.float32)[..., np.newaxis]\n"},
        {"test_preprocess_range", "test_preprocess_reference"},
    ),
    "no_channel_axis": Mistake(
        ASSIGNMENT,
        {"preprocess": "def preprocess(images):\n    return images.astype(np.float32) / 255.0\n"},
        {"test_preprocess_shape", "test_preprocess_reference"},
    ),
    "batch_max": Mistake(
        ASSIGNMENT,
        {"preprocess": "def preprocess(images):\n    return (images / images.max()).astype(np.float32)[..., None]\n"},
        {"test_preprocess_reference"},
    ),
}

TAMPER: dict[str, Tamper] = {}
