"""Feedback without the key (issue 25): what generate_feedback returns holds no hidden test, every outcome.

For every assignment a reference and a mistaken submission are autograded and given feedback with the
course's configuration (``grading/classroom/feedback.py`` in ``c.GenerateFeedback.preprocessors``). The HTML
shows each test cell with its points and, for a failing one, its message; no hidden block, no hidden
check's name or code, and a hidden check's traceback cut to its message. About 300 CPU-s (two students,
eight assignments).
"""

from __future__ import annotations

import ast
import html
from pathlib import Path

import pytest

from grading.assignments import MISTAKES
from grading.submissions import ASSIGNMENTS, REPO, nbgrader, notebook_path, read_notebook, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

# assignment -> a typical mistake that fails at least one test cell (most of them a hidden check)
MISTAKEN = {
    "01_data": "batch_max",
    "02_architecture": "transpose_no_kernel",
    "03_training": "no_validation",
    "04_latent_space": "fits_test_rows",
    "05_denoising": "noisy_noisy",
    "06_bottleneck": "sizes_swapped",
    "07_vae": "kl_sign_flipped",
    "08_few_labels": "first_rows_per_class",
}


@pytest.fixture(scope="module")
def feedback(course: Path) -> dict[tuple[str, str], str]:
    """(student, assignment) -> the feedback HTML, after autograding both students of every assignment."""
    for assignment in ASSIGNMENTS:
        write_submission(course, "fb_reference", assignment, {})
        write_submission(course, "fb_mistaken", assignment, MISTAKES[MISTAKEN[assignment]].sources)
        nbgrader(course, "autograde", assignment, "--force", "--student", "fb_*", check=False)
        nbgrader(course, "generate_feedback", assignment, "--force", "--student", "fb_*")
    return {
        (student, a): (course / "feedback" / student / a / f"{a}.html").read_text(encoding="utf-8")
        for student in ("fb_reference", "fb_mistaken")
        for a in ASSIGNMENTS
    }


def _hidden_code_lines(assignment: str) -> list[str]:
    """Code lines of the assignment's hidden checks (not their messages), long enough to be telling."""
    source = (REPO / "grading" / "hidden" / f"{assignment}.py").read_text(encoding="utf-8")
    strings = {
        n.lineno for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    return [
        line.strip()
        for number, line in enumerate(source.splitlines(), start=1)
        if number not in strings and len(line.strip()) > 30 and not line.strip().startswith(("#", '"', "def "))
    ]


@pytest.mark.parametrize("student", ["fb_reference", "fb_mistaken"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_holds_no_hidden_test(feedback, student, assignment):
    page = html.unescape(feedback[(student, assignment)])
    for mark in ("BEGIN HIDDEN TESTS", "hidden_", "grading/hidden"):
        assert mark not in page, f"{student}/{assignment}: {mark!r} in the feedback"
    leaked = [line for line in _hidden_code_lines(assignment) if line in page]
    assert not leaked, f"{student}/{assignment}: hidden code in the feedback: {leaked[:3]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_shows_every_outcome(feedback, course, assignment):
    """Every test cell (hidden ones included) shows its grade id and points; a failing one its message."""
    for student in ("fb_reference", "fb_mistaken"):
        page = html.unescape(feedback[(student, assignment)])
        graded = read_notebook(notebook_path(course / "autograded" / student, assignment))
        for cell in graded.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not meta.get("grade"):
                continue
            assert meta["grade_id"] in page, f"{student}/{assignment}: {meta['grade_id']} missing"
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    assert output["evalue"].splitlines()[0][:60] in page, (student, meta["grade_id"])


def test_a_hidden_failure_is_cut_to_its_message(feedback):
    """01's batch_max fails a hidden check: the student reads its message, not its traceback."""
    page = html.unescape(feedback[("fb_mistaken", "01_data")])
    assert "dark images are scaled differently" in page
    assert "Traceback" not in page.split("test_preprocess_reference", 1)[1].split("test_", 1)[0]
