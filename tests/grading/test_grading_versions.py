"""The grader warns when a submission was made against another course version (grading/classroom/versions.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cae_ref import course
from grading import __main__ as cli
from grading.classroom import versions

OLD = "%pip install --quiet git+https://github.com/cae-course/cae-fashion-mnist"


def _submit(root: Path, student: str, assignment: str, install: str) -> Path:
    """A submitted notebook whose locked setup cell carries ``install`` (plus a test cell that mentions pip)."""
    setup = f"try:\n    import cae_ref\nexcept ImportError:\n    {install}\n    import cae_ref\n"
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": f"# {assignment}\n"},
        {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "setup", "locked": True}}, "source": setup},
        {"cell_type": "code", "metadata": {}, "source": "# %pip install --quiet something-else\n"},
    ]
    path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


@pytest.fixture
def class_(tmp_path: Path) -> Path:
    _submit(tmp_path, "alice", "01_data", course.INSTALL_LINE)
    _submit(tmp_path, "alice", "02_architecture", course.INSTALL_LINE)
    _submit(tmp_path, "bob", "01_data", f"{OLD}@v0.0.9")
    _submit(tmp_path, "carol", "02_architecture", OLD)  # a release installed from main, before versions
    return tmp_path


def test_setup_cell_version_reads_the_pinned_tag_only_from_the_course_install():
    assert versions.notebook_version(Path("/nonexistent.ipynb")) == versions.UNKNOWN
    cell = {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "setup"}}, "source": [OLD, "@v2.3.4\n"]}
    assert versions.setup_cell_version({"cells": [cell]}) == "2.3.4"
    other = {"cell_type": "code", "metadata": {}, "source": "%pip install git+https://github.com/else/where@v9\n"}
    assert versions.setup_cell_version({"cells": [other]}) == versions.UNKNOWN
    assert versions.setup_cell_version({"cells": [{**cell, "source": OLD}]}) == versions.UNPINNED


def test_check_versions_names_student_assignment_and_both_versions(class_, capsys):
    assert cli.main(["check-versions", "--course", str(class_)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and not any("alice" in line for line in err)
    (bob,) = [line for line in err if "student bob" in line]
    assert "assignment 01_data" in bob and "course version 0.0.9" in bob and f"grades with {course.VERSION}" in bob
    (carol,) = [line for line in err if "student carol" in line]
    assert "assignment 02_architecture" in carol and "names no course version (unpinned)" in carol


def test_check_versions_is_silent_when_every_version_matches(class_, capsys):
    assert cli.main(["check-versions", "--course", str(class_), "--students", "alice"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert (
        captured.out.startswith("checked ") and "of 1 student(s): 0 made against another course version" in captured.out
    )


def test_check_versions_says_how_many_it_checked(class_, capsys):
    assert cli.main(["check-versions", "--course", str(class_)]) == 1
    expected = len(list((class_ / "submitted").glob("*/*/*.ipynb")))
    assert f"checked {expected} submitted notebook(s) of 3 student(s): 2 made against" in capsys.readouterr().out


def test_check_versions_with_nothing_submitted_is_not_a_pass(tmp_path, capsys):
    assert cli.main(["check-versions", "--course", str(tmp_path)]) == 1
    assert "no submitted notebook found" in capsys.readouterr().out


def test_autograde_warns_before_grading_from_the_files_as_submitted(class_, capsys, monkeypatch):
    import grading.classroom.parallel

    seen = []

    def fake_autograde_class(course_dir, assignments, students, **kwargs):
        seen.append(capsys.readouterr().err)  # what was printed before grading started
        return grading.classroom.parallel.Summary()

    monkeypatch.setattr(grading.classroom.parallel, "autograde_class", fake_autograde_class)
    assert cli.main(["autograde", "--course", str(class_), "--assignments", "01_data"]) == 0
    assert "student bob, assignment 01_data" in seen[0] and "carol" not in seen[0]  # only the assignments graded
    monkeypatch.setattr(grading.classroom.parallel, "autograde_class", fake_autograde_class)
    assert cli.main(["autograde", "--course", str(class_), "--students", "alice"]) == 0
    assert seen[1] == ""


def test_plain_nbgrader_autograde_warns_through_the_configured_pre_convert_hook(class_, capsys):
    """nbgrader_config.py hands nbgrader's pre-convert hook the submitted files; it warns about bob only."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(Path(__file__).resolve().parents[2])).load_config()
    hook = config.Autograde.pre_convert_hook
    notebooks = sorted(str(p) for p in (class_ / "submitted").glob("*/01_data/*.ipynb"))
    hook(assignment="01_data", student="*", notebooks=notebooks)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "student bob, assignment 01_data" in err[0] and "course version 0.0.9" in err[0]
