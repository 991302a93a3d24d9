"""Grade a simulated class of one assignment in one ``nbgrader autograde`` batch and read the scores back.

Used by the exercise tests that build their own class (06, 07, 08): each hands in its students,
calls :func:`grade_class` once per module, and compares :attr:`GradedClass.scores` with the points
each student should keep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grading.submissions import nbgrader, notebook_path, read_notebook, write_submission

UNTOUCHED = "untouched"


@dataclass
class GradedClass:
    """The gradebook's view of one assignment after autograding: per student, per grade cell."""

    course: Path
    assignment: str
    max_scores: dict[str, float] = field(default_factory=dict)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    needs_manual: dict[str, set[str]] = field(default_factory=dict)
    log: str = ""

    def autograded_max(self) -> dict[str, float]:
        """The maximum of every test cell (``test_*``): the written answers (``q_*``) wait for a person."""
        return {name: points for name, points in self.max_scores.items() if name.startswith("test_")}

    def expected(self, loses: set[str]) -> dict[str, float]:
        """Every test cell's points a student keeps who loses exactly the cells in ``loses``."""
        maxima = self.autograded_max()
        unknown = set(loses) - set(maxima)
        assert not unknown, f"unknown test cells {sorted(unknown)}; the notebook has {sorted(maxima)}"
        return {name: 0.0 if name in loses else points for name, points in maxima.items()}

    def autograded(self, student: str) -> dict[str, float]:
        """``student``'s score on every test cell."""
        maxima = self.autograded_max()
        return {name: score for name, score in self.scores[student].items() if name in maxima}

    def explain(self, student: str) -> str:
        """The first error or stderr text of each cell in ``student``'s autograded notebook (for failures)."""
        path = notebook_path(self.course / "autograded" / student, self.assignment)
        if not path.exists():
            return f"(no autograded notebook)\n{self.log[-3000:]}"
        lines = []
        for cell in read_notebook(path).cells:
            bad = [o for o in cell.get("outputs", []) if o.output_type == "error" or o.get("name") == "stderr"]
            if bad:
                text = bad[0].get("evalue") or bad[0].get("text", "")
                lines.append(f"{cell.metadata.get('nbgrader', {}).get('grade_id', '?')}: {text[:300]}")
        return "\n".join(lines) or "(no errors recorded)"


def grade_class(
    course: Path, assignment: str, students: dict[str, dict[str, str]], *nbgrader_options: str
) -> GradedClass:
    """Hand in each student's cells and the untouched release (as ``UNTOUCHED``), autograde, read the gradebook."""
    from nbgrader.api import Gradebook

    for student, sources in students.items():
        write_submission(course, student, assignment, sources)
    write_submission(course, UNTOUCHED, assignment, untouched=True)
    run = nbgrader(course, "autograde", assignment, "--force", *nbgrader_options, check=False)
    result = GradedClass(course, assignment, log=run.stdout + run.stderr)
    assert run.returncode == 0, result.log[-3000:]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        result.max_scores = {c.name: c.max_score for c in gb.find_notebook(assignment, assignment).grade_cells}
        for student in [*students, UNTOUCHED]:
            notebook = gb.find_submission_notebook(assignment, assignment, student)
            result.scores[student] = {g.name: float(g.score or 0.0) for g in notebook.grades}
            result.needs_manual[student] = {g.name for g in notebook.grades if g.needs_manual_grade}
    return result
