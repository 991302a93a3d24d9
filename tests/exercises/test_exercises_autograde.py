"""Autograde end to end: a class of simulated students, graded in one batch per assignment.

The reference earns full marks, the untouched release 0, each typical mistake loses exactly its
part, correct-but-different designs (pasted in 02, carried into 03 to 05) earn full marks, a function
that reaches cae_ref's answer key by any route earns 0 while the rest of its notebook keeps its
points, hostile notebooks neither crash the run nor gain points, grades are deterministic, and no
submitted file is modified. The written answers (``q_*``) are left to a person: autograde flags them,
the export's ``max_score`` counts their points, and a score entered with ``grading.classroom.manual_grades``
(what the Formgrader does) shows in the export's ``score``.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from exercise_submissions import ALL, DELEGATES, DESIGN_STUDENTS, EDITS, ROBUST

from grading.classroom import manual_grades
from grading.assignments.a02_architecture.designs import MODEL_CELLS
from grading.assignments import MISTAKES
from grading.submissions import (
    ASSIGNMENTS as ALL_ASSIGNMENTS,
)
from grading.submissions import (
    REPO,
    code_cells,
    nbgrader,
    notebook_path,
    read_notebook,
    reference_answers,
    write_submission,
)

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

# The class of this file: exercises 01 to 05. The later assignments grade their own simulated
# classes (test_exercises_06.py, test_exercises_07.py), so they are not graded twice here.
ASSIGNMENTS = ALL_ASSIGNMENTS[:5]

# The written questions of each assignment, graded by hand (grade_id -> points), and each notebook's
# total as its introduction states it: autograded plus written points.
WRITTEN = {
    "01_data": {"q_pixel_scale": 2},
    "02_architecture": {"q_shape_trace": 2},
    "03_training": {"q_loss_curve": 2},
    "04_latent_space": {"q_code_classes": 2},
    "05_denoising": {"q_denoise_limits": 2},
}
TOTALS = {"01_data": 6, "02_architecture": 14, "03_training": 10, "04_latent_space": 11, "05_denoising": 13}

# The robustness batch of this assignment holds an infinite loop: a shorter per-cell limit than the
# course's keeps the suite fast (every cell of the reference finishes far below it).
TIMEOUT_OVERRIDES = {"02_architecture": 45}
# Typical mistakes (grading/assignments/) in the class: student -> (assignment, sources, test cells it must lose).
BROKEN = {
    name: (m.assignment, m.sources, m.loses)
    for name, m in MISTAKES.items()
    if m.autograded and m.assignment in ASSIGNMENTS
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _students() -> dict[str, dict[str, dict[str, str] | None]]:
    """student -> assignment -> replacement solution sources (None: the untouched release)."""
    students: dict[str, dict[str, dict[str, str] | None]] = {
        "reference": {a: {} for a in ASSIGNMENTS},
        "reference_twin": {"03_training": {}, "05_denoising": {}},  # the assignments that train
        "untouched": dict.fromkeys(ASSIGNMENTS),
        **DESIGN_STUDENTS,
    }
    for name, (assignment, sources, *_) in {**BROKEN, **ROBUST, **DELEGATES}.items():
        students[name] = {assignment: sources}
    return students


@dataclass
class Graded:
    course: Path
    scores: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    max_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    written_max: dict[str, dict[str, float]] = field(default_factory=dict)
    needs_manual: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    written_scores: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)
    returncodes: dict[str, int] = field(default_factory=dict)
    hashes_before: dict[Path, str] = field(default_factory=dict)


@pytest.fixture(scope="session")
def graded(course: Path) -> Graded:
    from nbgrader.api import Gradebook

    result = Graded(course)
    students = _students()
    for student, assignments in students.items():
        for assignment, sources in assignments.items():
            path = write_submission(
                course, student, assignment, sources, untouched=sources is None, edit=EDITS.get(student)
            )
            result.hashes_before[path] = sha256(path)
    for assignment in ASSIGNMENTS:
        extra = [f"--Execute.timeout={TIMEOUT_OVERRIDES[assignment]}"] if assignment in TIMEOUT_OVERRIDES else []
        run = nbgrader(course, "autograde", assignment, "--force", *extra, check=False)
        result.logs[assignment] = run.stdout + run.stderr
        result.returncodes[assignment] = run.returncode
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for assignment in ASSIGNMENTS:
            source = gb.find_notebook(assignment, assignment)
            # autograded cells only: written answers (markdown) are graded by hand, after autograding
            result.max_scores[assignment] = {
                cell.name: cell.max_score for cell in source.grade_cells if cell.cell_type == "code"
            }
            result.written_max[assignment] = {
                cell.name: cell.max_score for cell in source.grade_cells if cell.cell_type == "markdown"
            }
        for student, assignments in students.items():
            for assignment in assignments:
                notebook = gb.find_submission_notebook(assignment, assignment, student)
                # A notebook that could not be graded (dead kernel) keeps no score: 0 points, as nbgrader's CSV shows.
                result.scores[(student, assignment)] = {
                    g.name: float(g.score or 0.0) for g in notebook.grades if g.name in result.max_scores[assignment]
                }
                result.needs_manual[(student, assignment)] = {g.name for g in notebook.grades if g.needs_manual_grade}
                result.written_scores[(student, assignment)] = {
                    g.name: float(g.score or 0.0) for g in notebook.grades if g.name in result.written_max[assignment]
                }
    return result


def _expected(graded: Graded, assignment: str, loses: set[str] | str) -> dict[str, float]:
    maxima = graded.max_scores[assignment]
    if loses == ALL:
        return dict.fromkeys(maxima, 0.0)
    unknown = set(loses) - set(maxima)
    assert not unknown, f"unknown test cells {unknown}"
    return {name: 0.0 if name in loses else points for name, points in maxima.items()}


def _explain(graded: Graded, student: str, assignment: str) -> str:
    path = notebook_path(graded.course / "autograded" / student, assignment)
    if not path.exists():
        return f"(no autograded notebook)\n{graded.logs[assignment][-3000:]}"
    lines = []
    for cell in read_notebook(path).cells:
        meta = cell.metadata.get("nbgrader", {})
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error" or o.get("name") == "stderr"]
        if errors:
            text = errors[0].get("evalue") or errors[0].get("text", "")
            lines.append(f"{meta.get('grade_id', '?')}: {text[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_earns_full_marks(graded, assignment):
    assert graded.scores[("reference", assignment)] == graded.max_scores[assignment], _explain(
        graded, "reference", assignment
    )


def test_untouched_release_earns_nothing(graded):
    for assignment in ASSIGNMENTS:
        assert sum(graded.scores[("untouched", assignment)].values()) == 0, assignment


@pytest.mark.parametrize(
    ("student", "assignment"), [(student, a) for student, work in DESIGN_STUDENTS.items() for a in work]
)
def test_correct_but_different_earns_full_marks(graded, student, assignment):
    assert graded.scores[(student, assignment)] == graded.max_scores[assignment], _explain(graded, student, assignment)


_DELEGATIONS = [
    pytest.param(student, function, id=f"{student}-{function}")
    for student, delegation in DELEGATES.items()
    for function in delegation.functions
]


@pytest.mark.parametrize(("student", "function"), _DELEGATIONS)
def test_delegating_function_earns_nothing(graded, student, function):
    """Each test cell of a function that reaches the answer key scores 0, by every route."""
    assignment, _, functions = DELEGATES[student]
    route, tests = functions[function]
    got = {name: graded.scores[(student, assignment)][name] for name in tests}
    assert got == dict.fromkeys(tests, 0.0), f"{function} via {route}: {got}\n{_explain(graded, student, assignment)}"


@pytest.mark.parametrize("student", sorted(DELEGATES))
def test_delegation_costs_only_its_functions(graded, student):
    """Every other test cell of the notebook keeps its points, and the student is told why."""
    assignment, _, functions = DELEGATES[student]
    lost = set().union(*(tests for _, tests in functions.values()))
    maxima = graded.max_scores[assignment]
    got = {name: score for name, score in graded.scores[(student, assignment)].items() if name not in lost}
    assert got == {name: points for name, points in maxima.items() if name not in lost}, _explain(
        graded, student, assignment
    )
    assert "write your own code; cae_ref." in _explain(graded, student, assignment)


def test_delegation_covers_every_function_and_route():
    """Every graded function of 01 to 05 delegates somewhere, and every route of issue 11 is tried."""
    issue_11 = ASSIGNMENTS  # 01 to 05; 03 to 05 hold the pasted model cells, which are not graded there
    graded_functions = {
        (a, cell)
        for a in issue_11
        for cell in code_cells(reference_answers(REPO, a))
        if a < "03" or cell not in MODEL_CELLS
    }
    delegated = {(d.assignment, function) for d in DELEGATES.values() for function in d.functions}
    assert delegated == graded_functions
    routes = " / ".join(route for d in DELEGATES.values() for route, _ in d.functions.values())
    required = ("a direct call", "an alias bound in an earlier cell", "from cae_ref.models import", "computed name")
    required += ("importlib.import_module", "__import__", "sys.modules", "a helper of the student's own")
    assert [route for route in required if route not in routes] == []


@pytest.mark.parametrize("student", sorted(BROKEN))
def test_typical_mistake_loses_only_its_part(graded, student):
    assignment, _, loses = BROKEN[student]
    got = graded.scores[(student, assignment)]
    assert got == _expected(graded, assignment, loses), _explain(graded, student, assignment)


@pytest.mark.parametrize("student", sorted(ROBUST))
def test_hostile_submission_gains_nothing(graded, student):
    assignment, _, loses = ROBUST[student]
    got = graded.scores[(student, assignment)]
    assert got == _expected(graded, assignment, loses), _explain(graded, student, assignment)


def test_only_the_kernel_killer_is_reported_as_failed(graded):
    """A dead kernel fails that one submission (scored 0); nbgrader grades everyone else and says so."""
    for assignment in ASSIGNMENTS:
        log = graded.logs[assignment]
        failures = [line for line in log.splitlines() if "There was an error processing assignment '" in line]
        if assignment == ROBUST["kills_kernel"][0]:
            assert graded.returncodes[assignment] != 0
            assert failures and all("'kills_kernel'" in line for line in failures), log[-3000:]
        else:
            assert graded.returncodes[assignment] == 0, log[-3000:]
            assert not failures


@pytest.mark.parametrize("assignment", ["03_training", "05_denoising"])
def test_grades_are_deterministic(graded, assignment):
    """The same submission, graded twice (twice in the batch), gets identical scores for every cell."""
    assert graded.scores[("reference_twin", assignment)] == graded.scores[("reference", assignment)]


def test_submissions_never_modified(graded):
    for path, digest in graded.hashes_before.items():
        assert path.exists(), f"{path} was deleted"
        assert sha256(path) == digest, f"{path} was modified by grading"


def test_feedback_and_csv_export(graded):
    """The instructor's last steps: feedback for a student, then every grade to a CSV file."""
    nbgrader(graded.course, "generate_feedback", "01_data", "--student", "reference", "--force")
    feedback = graded.course / "feedback" / "reference" / "01_data" / "01_data.html"
    assert feedback.is_file() and "test_preprocess_shape" in feedback.read_text()
    nbgrader(graded.course, "export", "--to", "grades.csv")
    with open(graded.course / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_key = {(row["student_id"], row["assignment"]): float(row["score"]) for row in rows}
    assert by_key[("reference", "02_architecture")] == sum(graded.max_scores["02_architecture"].values())
    assert by_key[("untouched", "02_architecture")] == 0.0


def test_written_points_count_in_the_assignment(graded):
    """Each notebook's written answers are graded cells with points; with the autograded ones, the stated total."""
    for assignment in ASSIGNMENTS:
        assert graded.written_max[assignment] == WRITTEN[assignment], assignment
        total = sum(graded.max_scores[assignment].values()) + sum(graded.written_max[assignment].values())
        assert total == TOTALS[assignment], assignment


@pytest.mark.parametrize("student", ["reference", "alt_sequential"])
def test_written_answers_wait_for_a_person(graded, student):
    """Autograde gives an answered question no points and flags it for manual grading; no test cell is flagged."""
    for assignment in ASSIGNMENTS:
        assert graded.needs_manual[(student, assignment)] == set(WRITTEN[assignment]), assignment
        assert graded.written_scores[(student, assignment)] == dict.fromkeys(WRITTEN[assignment], 0.0), assignment


def test_unanswered_question_scores_nothing(graded):
    """The untouched release still shows YOUR ANSWER HERE: 0 points, and nothing for a person to grade."""
    for assignment in ASSIGNMENTS:
        assert graded.written_scores[("untouched", assignment)] == dict.fromkeys(WRITTEN[assignment], 0.0)
        assert not graded.needs_manual[("untouched", assignment)], assignment


def test_manual_scores_show_in_the_export(graded):
    """Written scores entered by hand (command line and CSV, as in INSTRUCTORS.md) count in `score`.

    The scores go to alt_sequential, whom no other test reads from the export.
    """
    course, student = graded.course, "alt_sequential"
    db = course / "gradebook.db"
    entered = {"01_data": 1.5, "02_architecture": 2.0, "03_training": 1.0, "04_latent_space": 0.5, "05_denoising": 0.0}
    first, *rest = ASSIGNMENTS
    (grade_id,) = WRITTEN[first]
    assert manual_grades.main([first, student, grade_id, str(entered[first]), "--db", str(db)]) == 0
    rows = "".join(f"{a},{student},{next(iter(WRITTEN[a]))},{entered[a]}\n" for a in rest)
    (course / "written.csv").write_text("assignment,student,grade_id,score\n" + rows)
    assert manual_grades.main(["--csv", str(course / "written.csv"), "--db", str(db)]) == 0
    with pytest.raises(ValueError, match="at most 2"):
        manual_grades.enter_manual_score(db, first, student, grade_id, 2.5)
    nbgrader(course, "export", "--to", "grades-written.csv")
    with open(course / "grades-written.csv", newline="") as handle:
        exported = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(handle)}
    for assignment in ASSIGNMENTS:
        row = exported[(student, assignment)]
        autograded = sum(graded.scores[(student, assignment)].values())
        assert autograded == sum(graded.max_scores[assignment].values()), assignment  # full autograded marks
        assert float(row["max_score"]) == TOTALS[assignment], assignment
        assert float(row["score"]) == autograded + entered[assignment], assignment
        assert float(exported[("untouched", assignment)]["max_score"]) == TOTALS[assignment]
