"""Which course version a submission was made against, and a warning when it is not the grading checkout's.

Every notebook's setup cell installs the course at a tag (``%pip install ... cae-fashion-mnist@v0.1.0``,
``cae_ref/course.py``). The setup cell is locked, so a student's file carries the version of the
release they downloaded; this reads it from the file *as submitted* (``nbgrader autograde`` and
``grading/classroom/repair.py`` later overwrite locked cells with the grading checkout's) and compares it
with the version that grades (``cae_ref.course.VERSION``). A release installed from ``main``
(the install line without ``@v...``, before versioned releases) reads as ``unpinned``.

    python -m grading check-versions [--course DIR] [--assignments ...] [--students ...]

``python -m grading autograde`` runs the same check first and prints the same warnings, and plain
``nbgrader autograde`` calls :func:`nbgrader_pre_convert_hook` (``nbgrader_config.py``) for each
submission before it copies it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cae_ref.course import REPOSITORY, VERSION

UNPINNED = "unpinned"
UNKNOWN = "unknown"
_INSTALL = re.compile(
    r"%pip install\b[^\n]*?" + re.escape(REPOSITORY.removeprefix("https://")) + r"(?:@v(?P<v>[^\s\"'#]+))?"
)


@dataclass(frozen=True)
class Mismatch:
    """One submitted notebook made against another course version than the one that grades it."""

    student: str
    assignment: str
    notebook: str
    submitted: str
    grading: str

    def message(self) -> str:
        """The warning line printed for this notebook."""
        return (
            f"WARNING: version mismatch: student {self.student}, assignment {self.assignment} ({self.notebook}) "
            f"was made against course version {self.submitted}; this checkout grades with {self.grading}. "
            "Its thresholds and tests may differ (CHANGELOG.md): grade it with a checkout of the tag "
            f"v{self.submitted}, or check the changes between the two versions."
            if self.submitted not in (UNPINNED, UNKNOWN)
            else f"WARNING: version mismatch: student {self.student}, assignment {self.assignment} "
            f"({self.notebook}): the setup cell names no course version ({self.submitted}); this checkout "
            f"grades with {self.grading}. It was made from an unversioned release (main) or the cell was edited."
        )


def setup_cell_version(notebook: dict) -> str:
    """The course version the notebook's setup cell installs: ``"0.1.0"``, ``UNPINNED`` or ``UNKNOWN``.

    Reads the cell with nbgrader grade_id ``setup``, or else any code cell with the course's install line.
    """
    cells = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    setup = [c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "setup"]
    for cell in setup or cells:
        source = cell.get("source", "")
        match = _INSTALL.search(source if isinstance(source, str) else "".join(source))
        if match:
            return match["v"] or UNPINNED
    return UNKNOWN


def notebook_version(path: Path) -> str:
    """:func:`setup_cell_version` of a notebook file; ``UNKNOWN`` when the file is not a readable notebook."""
    try:
        return setup_cell_version(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, AttributeError, TypeError, RecursionError):
        return UNKNOWN


def submitted_notebooks(course: Path, assignments: Iterable[str], students: Iterable[str] | None = None) -> list[Path]:
    """Every notebook under ``course/submitted/<student>/<assignment>/`` (all students by default), sorted."""
    submitted = course / "submitted"
    if students is None:
        students = sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    assignments = list(assignments)
    return [
        path
        for student in sorted(students)
        for assignment in assignments
        for path in sorted((submitted / student / assignment).glob("*.ipynb"))
    ]


def check_submissions(
    course: Path,
    assignments: Iterable[str],
    students: Iterable[str] | None = None,
    grading: str = VERSION,
) -> list[Mismatch]:
    """Each notebook under ``course/submitted/<student>/<assignment>/`` made against another version."""
    found = []
    for path in submitted_notebooks(course, assignments, students):
        version = notebook_version(path)
        if version != grading:
            found.append(Mismatch(path.parent.parent.name, path.parent.name, path.name, version, grading))
    return found


def nbgrader_pre_convert_hook(assignment: str, student: str, notebooks: list[str]) -> None:
    """nbgrader's ``Autograde.pre_convert_hook``: warn on stderr about each submitted notebook of another version.

    nbgrader passes the submitted files (``submitted/<student>/<assignment>/*.ipynb``) before it copies them.
    """
    for name in notebooks:
        path = Path(name)
        version = notebook_version(path)
        if version != VERSION:
            print(
                Mismatch(path.parent.parent.name, path.parent.name, path.name, version, VERSION).message(),
                file=sys.stderr,
            )
