"""Assignment 01 (the data): its simulated students and its calibration record.

``MISTAKES`` are typical mistakes (the solution cells a student wrote instead of the reference and the
test cells each must lose; a ``calibration`` label makes calibration train it), ``TAMPER`` students who
tamper with the grading instead, ``REBINDS`` the mistake that the rebinding student of issue 25 makes
(``grading.simulated.rebinding_student``). ``tests/exercises`` grades them with nbgrader.
"""

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
