"""What graded the students of a course version: thresholds, grading budgets and graded cells, recorded per version.

``grading/fingerprints.json`` holds, for every released version (``cae_ref.course.VERSION``), the
calibrated thresholds, the grading budgets and the other numeric grading settings as plain values, and a digest of
each assignment's graded cells in ``solutions/`` (the source and points of every autograded test
cell, hidden tests included, and the points of every written answer) and of the modules that hold its
test logic (``cae_ref/grader/graded/<assignment>.py``, ``grading/hidden/<assignment>.py``: issue 25).
``tests/test_release.py`` compares today's values with the record of the current version and fails, asking for a new
version and a ``CHANGELOG.md`` entry, when they differ. A new version is recorded with
``python scripts/set_course_version.py --record``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RECORD = REPO / "grading" / "fingerprints.json"


def grading_constants() -> dict[str, Any]:
    """THRESHOLDS, the grading Budgets and every other numeric setting of ``cae_ref.grader.checks`` (loads TensorFlow).

    Other settings: public upper-case names bound to a number or a tuple of numbers (``NOISE_FACTOR``,
    ``BOTTLENECK_SIZES``, ...), so a new one is recorded without a change here.
    """
    from cae_ref.budget import Budget
    from cae_ref.grader import checks

    budgets, settings = {}, {}
    for name, value in vars(checks).items():
        if isinstance(value, Budget):
            budgets[name] = dataclasses.asdict(value)
        elif name.isupper() and not name.startswith("_") and _numeric(value):
            settings[name] = list(value) if isinstance(value, tuple) else value
    return {
        "thresholds": dict(sorted(checks.THRESHOLDS.items())),
        "budgets": dict(sorted(budgets.items())),
        "settings": dict(sorted(settings.items())),
    }


def _numeric(value: Any) -> bool:
    numbers = (int, float)
    return isinstance(value, numbers) or (isinstance(value, tuple) and all(isinstance(v, numbers) for v in value))


def graded_cells(notebook: dict) -> list[dict[str, Any]]:
    """The cells that score: autograded tests with their source, written answers with their points only."""
    cells = []
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade"):
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        entry = {"grade_id": meta.get("grade_id"), "points": meta.get("points")}
        if not meta.get("solution"):  # a test cell; a written answer's model text does not grade anyone
            entry["source"] = source
        cells.append(entry)
    return cells


def check_modules(solutions: Path, assignment: str) -> dict[str, str]:
    """The source of the modules that hold an assignment's checks, visible and hidden, by path."""
    root = solutions.resolve().parent
    paths = [
        root / "cae_ref" / "grader" / "graded" / f"{assignment}.py",
        root / "grading" / "hidden" / f"{assignment}.py",
    ]
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in paths if p.is_file()}


def tests_digest(solutions: Path) -> dict[str, str]:
    """Assignment -> a short digest of its graded cells and check modules, for every ``solutions/<assignment>/``."""
    if not solutions.is_dir():
        raise FileNotFoundError(f"{solutions} is missing: the graded cells live in the private instructor repository")
    digests = {}
    for folder in sorted(p for p in solutions.iterdir() if p.is_dir()):
        cells = [graded_cells(json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.ipynb"))]
        text = json.dumps([cells, check_modules(solutions, folder.name)], sort_keys=True, ensure_ascii=False)
        digests[folder.name] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return digests


def load(path: Path = RECORD) -> dict[str, dict[str, Any]]:
    """The recorded fingerprints: version -> {constants..., "tests": {assignment: digest}}."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def current(solutions: Path) -> dict[str, Any]:
    """Today's fingerprint: :func:`grading_constants` and the :func:`tests_digest` of ``solutions``."""
    return {**grading_constants(), "tests": tests_digest(solutions)}


def record(version: str, solutions: Path, path: Path = RECORD) -> dict[str, Any]:
    """Write today's fingerprint as ``version``'s (replacing an older record of it) and return it."""
    entry = current(solutions)
    recorded = load(path)
    recorded[version] = entry
    path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return entry
