"""Unchanged grades (issue 28): the simulated students submit the same sources, the thresholds stay as calibrated.

``simulated_students.snapshot.json`` was written from the tree before issue 28 moved the grading wing
(``python tests/grading/test_simulated_students.py --write``, with the old imports; do not rewrite it).
Every simulated student (typical mistakes, tampering students, valid designs) must still submit
byte-identical cell sources (the error-path students of ``tests/exercises``, rebuilt from the reference
answer, write the same cells and lose the same tests) once nbgrader's ``fill_release`` strips
the surrounding newlines (what it writes into the notebook), and every calibrated threshold and
calibration record must say what it said: the six records of the flat wing are rebuilt from the
per-assignment ones and compared by digest.
Same source, same points: ``tests/exercises`` asserts each student's points.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).with_name("simulated_students.snapshot.json")


def _submitted(sources: dict[str, str]) -> dict[str, str]:
    """The cells as ``grading.submissions.fill_release`` writes them into the notebook."""
    return {grade_id: source.strip("\n") for grade_id, source in sorted(sources.items())}


def _errpath_students() -> dict[str, dict[str, Any]]:
    """The raising students of ``tests/exercises/test_exercises_errpath.py``."""
    folder = REPO / "tests" / "exercises"
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location("_errpath", folder / "test_exercises_errpath.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    return {
        f"{assignment}/{student}": {"sources": _submitted(raising.sources), "loses": sorted(raising.loses)}
        for assignment, students in module.RAISING.items()
        for student, raising in students.items()
    }


def _digest(content: Any) -> str:
    """sha256 of a JSON record's content (key order and spacing aside)."""
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _old_records() -> dict[str, str]:
    """The six records of the flat grading wing, rebuilt from the per-assignment records (issue 28): their digests."""
    from grading.calibration import combined, read_records

    records = read_records()
    return {
        "calibration.bottleneck.json": _digest(records["06_bottleneck"]["runs"]),
        "calibration.few_labels.json": _digest(records["08_few_labels"]["runs"]),
        "calibration.fit_pairs.json": _digest(records["05_denoising"]["fit_pairs"]),
        "calibration.json": _digest(combined(records)),
        "calibration.vae.json": _digest(records["07_vae"]["runs"]),
        "calibration.vae_history.json": _digest(records["07_vae"]["history"]),
    }


def collect() -> dict[str, Any]:
    """Every simulated student's submitted sources, the thresholds and the calibration records' digests."""
    from cae_ref.grader import checks
    from grading.assignments import MISTAKES, TAMPER
    from grading.assignments.a02_architecture.designs import designs
    from grading.assignments.a05_denoising import fit_pairs
    from grading.assignments.a06_bottleneck import calibration as calibration_06
    from grading.assignments.a07_vae.calibration import DESIGNS as VAE_DESIGNS
    from grading.assignments.a07_vae.history import calibration_students
    from grading.assignments.a08_few_labels import calibration as calibration_08

    return {
        "mistakes": {
            name: {
                "assignment": m.assignment,
                "sources": _submitted(m.sources),
                "loses": sorted(m.loses),
                "calibration": m.calibration,
                "autograded": m.autograded,
            }
            for name, m in sorted(MISTAKES.items())
        },
        "tampering": {
            name: {"assignment": t.assignment, "sources": _submitted(t.sources), "loses": sorted(t.loses)}
            for name, t in sorted(TAMPER.items())
        },
        "designs": {
            "02_05": {name: _submitted(cells) for name, cells in designs().items()},
            "06_bottleneck": {name: _submitted(cells) for name, cells in calibration_06.DESIGNS.items()},
            "07_vae": {name: _submitted(cells) for name, cells in VAE_DESIGNS.items()},
            "08_few_labels": {name: _submitted(cells) for name, cells in calibration_08.DESIGNS.items()},
        },
        "calibration_students": {
            "07_vae_history": {
                name: {"kind": kind, "sources": _submitted(cells)}
                for name, (kind, cells) in calibration_students().items()
            },
            "05_fit_pairs": {"train_denoiser": fit_pairs._DATASET.strip("\n")},
        },
        "errpath": _errpath_students(),
        "thresholds": dict(checks.THRESHOLDS),
        "records": _old_records(),
    }


@pytest.fixture(scope="module")
def now() -> dict[str, Any]:
    return collect()


@pytest.fixture(scope="module")
def snapshot() -> dict[str, Any]:
    return json.loads(SNAPSHOT.read_text())


@pytest.mark.parametrize("part", ["mistakes", "tampering", "designs", "calibration_students"])
def test_simulated_students_submit_the_same_sources(part: str, now: dict, snapshot: dict) -> None:
    assert now[part] == snapshot[part]


def test_error_path_students_write_the_same_cells_and_lose_the_same_tests(now: dict, snapshot: dict) -> None:
    """The one justified difference: issue 28 rebuilt them from the reference answer by a named substitution.

    Their sources now carry the reference's docstrings and comments around the line that raises, so they
    differ from the pasted copies of the snapshot; the cells they write and the test cells they must lose
    are the same, and ``tests/exercises/test_exercises_errpath.py`` grades them with nbgrader.
    """
    assert now["errpath"].keys() == snapshot["errpath"].keys()
    for student, submission in now["errpath"].items():
        assert submission["sources"].keys() == snapshot["errpath"][student]["sources"].keys(), student
        assert submission["loses"] == snapshot["errpath"][student]["loses"], student


def test_thresholds_unchanged(now: dict, snapshot: dict) -> None:
    assert now["thresholds"] == snapshot["thresholds"]


def test_calibration_records_unchanged(now: dict, snapshot: dict) -> None:
    assert now["records"] == snapshot["records"]


def test_snapshot_check_can_fail(now: dict, snapshot: dict) -> None:
    """A student whose source changed by one character is told apart."""
    name = next(iter(now["mistakes"]))
    changed = json.loads(json.dumps(now["mistakes"]))
    grade_id = next(iter(changed[name]["sources"]))
    changed[name]["sources"][grade_id] += " "
    assert changed != snapshot["mistakes"]


def test_a_substitution_applies_exactly_once() -> None:
    from grading.simulated import substituted

    assert substituted("relu_output", 'activation="sigmoid"', ('"sigmoid"', '"relu"')) == 'activation="relu"'
    with pytest.raises(ValueError, match=r"simulated student 'relu_output'.*matches 0 times"):
        substituted("relu_output", "x = 1\n", ('"sigmoid"', '"relu"'))
    with pytest.raises(ValueError, match=r"matches 2 times in its base"):
        substituted("twice", '"sigmoid" "sigmoid"', ('"sigmoid"', '"relu"'))


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: python tests/grading/test_simulated_students.py --write")
    sys.path.insert(0, str(REPO))
    SNAPSHOT.write_text(json.dumps(collect(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {SNAPSHOT}")
