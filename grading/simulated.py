"""What every assignment's simulated students are made of (issue 28): the shared machinery.

A ``Mistake`` or a ``Tamper`` is the solution cells a student wrote instead of the reference
(grade_id -> source; cells not listed keep the reference) and the test cells it must lose: every
other test cell keeps its full points. Each assignment's module in ``grading/assignments/`` lists its
own; ``grading.assignments`` gathers them. ``rebinding_student`` builds issue 25's rebinding student
from an assignment's typical mistake; ``released_vae_head`` is 07's given ``VAE`` class that the
students who rewrite ``train_step`` build on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mistake:
    """One typical mistake in one assignment."""

    assignment: str
    sources: dict[str, str]  # grade_id -> the solution cell as the student wrote it
    loses: set[str]  # the test cells it must fail
    calibration: str = ""  # its variant name in the calibration ("" = not calibrated)
    autograded: bool = True  # part of the simulated class in tests/exercises

    def function(self, grade_id: str) -> Callable[..., Any] | None:
        """The function the student's cell ``grade_id`` defines (None when the cell keeps the reference)."""
        if grade_id not in self.sources:
            return None
        import keras
        import numpy as np

        import cae_ref

        # What the notebook's setup cell imports, as the student's cell sees it.
        namespace: dict[str, Any] = {"cae_ref": cae_ref, "keras": keras, "layers": keras.layers, "np": np}
        exec(self.sources[grade_id], namespace)
        return namespace[grade_id]


class Tamper(NamedTuple):
    """A submission that tampers: the cells it writes and the test cells that must score 0."""

    assignment: str
    sources: dict[str, str]
    loses: set[str]
    before: str  # its score before issue 14's protections, in words


# ---------------------------------------------------------------- 07's given VAE class
VAE_RELEASE = REPO / "exercises" / "07_vae" / "07_vae.ipynb"
STUDENT_PART = "    def train_step(self, data):"


def released_vae_head(release: Path = VAE_RELEASE) -> str:
    """The released ``VAE`` cell up to (not including) ``train_step``, which the student writes.

    Read from ``exercises/07_vae`` so that the students who rewrite ``train_step`` cannot drift from
    what students see.
    """
    cells = json.loads(release.read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    found = [source for source in sources if source.lstrip().startswith("class VAE(")]
    if len(found) != 1 or STUDENT_PART not in found[0]:
        raise ValueError(f"{release}: expected one cell with `class VAE(` and `{STUDENT_PART.strip()}`")
    return "\n" + found[0][: found[0].index(STUDENT_PART)].rstrip() + "\n"


# ---------------------------------------------------------------- issue 25's rebinding students
# A typical mistake whose cell also rebinds, in the notebook's namespace, every builtin the old test
# cells read that the notebook's own code does not need (``abs``, ``len``, ``float``, ``isinstance``),
# the module aliases (``np`` to a copy of NumPy whose comparisons always agree, ``checks`` to a copy of
# the checks with thresholds that pass anything and a ``graded_call`` without the guard) and the
# grader's entry point (``grade`` to a function that does nothing). Before issue 25 such rebindings
# gained points; now each student loses exactly its mistake's test cells.
LYING_BUILTINS = {
    "abs": "lambda x: 0",
    "len": "lambda x: 50",
    "float": "lambda x=0.0: 0.0",
    "isinstance": "lambda obj, kind: True",
}
_ALIASES = """

import types as _types

import numpy as _numpy
from cae_ref.grader import checks as _checks

np = _types.SimpleNamespace(**{_n: getattr(_numpy, _n) for _n in dir(_numpy) if not _n.startswith("__")})
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.isfinite = lambda values: _numpy.ones(_numpy.shape(values), bool)
checks = _types.SimpleNamespace(**vars(_checks))
checks.THRESHOLDS = {
    "training_mse": 1e9, "latent_accuracy": -1.0, "latent_shuffled_accuracy": 1e9, "denoising_gain_db": -1e9,
    "vae_elbo_gain": -1e9, "vae_history_gap": 1e9, "bottleneck_gain_db": -1e9, "few_label_agreement": 1e9,
}
checks.fitted_on = lambda *args, **kwargs: ""
checks.graded_call = lambda function, *args, **kwargs: function(*args, **kwargs)
grade = lambda *args, **kwargs: None
"""


def _notebook_code(assignment: str) -> str:
    """Every code cell of the source notebook but its test cells: the code that runs in the student's namespace."""
    import nbformat

    notebook = nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return "\n".join(
        c.source for c in notebook.cells if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade")
    )


def rebinding_code(assignment: str, mistake_source: str) -> str:
    """The lines a rebinding student appends to its cell: lying builtins its notebook does not call, and aliases."""
    used = _notebook_code(assignment) + mistake_source
    lies = [f"{name} = {value}" for name, value in LYING_BUILTINS.items() if not re.search(rf"\b{name}\(", used)]
    return "\n\n" + "\n".join(lies) + _ALIASES


def rebinding_student(mistake: Mistake) -> Tamper:
    """The rebinding student of ``mistake``'s assignment: the mistake, its first cell followed by the rebindings."""
    cell, source = next(iter(mistake.sources.items()))
    sources = {**mistake.sources, cell: source + rebinding_code(mistake.assignment, source)}
    return Tamper(
        mistake.assignment, sources, set(mistake.loses), "gained points by rebinding names the test cells read"
    )


# ---------------------------------------------------------------- students by named substitution
def substituted(name: str, source: str, *replacements: tuple[str, str]) -> str:
    """``source`` with each ``(old, new)`` replaced in turn, each ``old`` found exactly once.

    A simulated student that differs from another (or from the reference) in a few lines is written as
    those lines, named by the student: when the base no longer holds ``old`` exactly once, the error says
    which student and which substitution to update, instead of grading a student that lost its mistake.
    """
    for old, new in replacements:
        found = source.count(old)
        if found != 1:
            raise ValueError(
                f"simulated student {name!r}: the substitution {old.strip()[:60]!r} -> {new.strip()[:60]!r} "
                f"matches {found} times in its base, not once (did the base source change?)"
            )
        source = source.replace(old, new)
    return source


SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def reference_cell(assignment: str, cell: str) -> str:
    """The reference answer's cell ``cell`` as a student hands it in: ``solutions/`` without nbgrader's markers."""
    from grading.submissions import reference_answers

    source = reference_answers(REPO, assignment)[cell]
    return "\n".join(line for line in source.splitlines() if line.strip() not in SOLUTION_MARKERS) + "\n"


def from_reference(name: str, assignment: str, cell: str, *replacements: tuple[str, str]) -> str:
    """Student ``name``'s cell: the reference answer's ``cell`` with its named substitutions."""
    return substituted(name, reference_cell(assignment, cell), *replacements)
