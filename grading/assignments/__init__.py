"""One place per assignment (issue 28): each module holds one assignment's simulated students and calibration.

``a01_data`` to ``a08_few_labels`` each define ``ASSIGNMENT``; ``MISTAKES``, typical mistakes (the
solution cells a student wrote instead of the reference and the test cells each must lose; a
``calibration`` label makes calibration train it); ``TAMPER``, students who tamper with the grading
instead; ``REBINDS``, the mistake its rebinding student of issue 25 makes; and ``RECORD``, its
calibration record (``calibration.json`` beside it, written by ``python -m grading calibrate`` from the
spec in ``calibration.py``; None where the assignment has no threshold). This package gathers them for the classes of
``tests/exercises`` and for calibration: ``MISTAKES`` and ``TAMPER`` over every assignment (with one
rebinding student per assignment), ``calibrated(assignment)``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from grading.simulated import Mistake, Tamper, rebinding_student

FOLDERS = (
    "a01_data",
    "a02_architecture",
    "a03_training",
    "a04_latent_space",
    "a05_denoising",
    "a06_bottleneck",
    "a07_vae",
    "a08_few_labels",
)
MODULES: dict[str, ModuleType] = {
    module.ASSIGNMENT: module for module in (importlib.import_module(f"{__name__}.{name}") for name in FOLDERS)
}

MISTAKES: dict[str, Mistake] = {name: m for module in MODULES.values() for name, m in module.MISTAKES.items()}
TAMPER: dict[str, Tamper] = {name: t for module in MODULES.values() for name, t in module.TAMPER.items()}
TAMPER |= {
    f"rebinds_names_{assignment[:2]}": rebinding_student(MISTAKES[module.REBINDS])
    for assignment, module in MODULES.items()
}


def calibrated(assignment: str) -> dict[str, Mistake]:
    """The mistakes of ``assignment`` that calibration trains, by their calibration label."""
    return {m.calibration: m for m in MODULES[assignment].MISTAKES.values() if m.calibration}
