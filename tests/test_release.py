"""Versioned releases: one configured course version, pinned in every setup cell, and recorded with what it grades.

- ``cae_ref/course.py`` holds ``VERSION``; the package version and ``cae_ref.__version__`` come from it.
- ``scripts/set_course_version.py`` pins the notebooks' install line and Colab links to its tag.
- ``grading/fingerprints.json`` records the thresholds, budgets and graded cells of each version, and
  ``CHANGELOG.md`` has an entry for it: changing what grades without a new version fails here.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.version import Version

import cae_ref
from cae_ref import course
from grading import fingerprint
from grading.submissions import ASSIGNMENTS

REPO = Path(__file__).resolve().parents[1]
BUMP = (
    "bump VERSION in cae_ref/course.py, add a CHANGELOG.md entry for it, then run "
    "`python scripts/set_course_version.py --record` (INSTRUCTORS.md, Releasing a version)"
)


def _script():
    spec = importlib.util.spec_from_file_location("set_course_version", REPO / "scripts" / "set_course_version.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _setup_source(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    (setup,) = [c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "setup"]
    return "".join(setup["source"])


def test_one_configured_version():
    """The package, cae_ref.__version__, the tag and the install line all come from course.VERSION."""
    Version(course.VERSION)  # a valid PEP 440 version
    assert cae_ref.__version__ == course.VERSION
    assert f"v{course.VERSION}" == course.RELEASE_TAG
    assert f"%pip install --quiet git+{course.REPOSITORY}@v{course.VERSION}" == course.INSTALL_LINE
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cae_ref.course.VERSION"}
    # setuptools reads the attribute without importing cae_ref only when it is a plain string literal
    tree = ast.parse((REPO / "cae_ref" / "course.py").read_text(encoding="utf-8"))
    (value,) = [n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "VERSION"]
    assert isinstance(value, ast.Constant) and value.value == course.VERSION


def _notebook(setup: str, intro: str) -> dict:
    def cell(kind: str, source: str, **nbgrader) -> dict:
        meta = {"nbgrader": {"grade_id": nbgrader["gid"], "locked": True, "schema_version": 3}} if nbgrader else {}
        extra = {"execution_count": None, "outputs": []} if kind == "code" else {}
        return {
            "cell_type": kind,
            "id": f"c{len(source)}",
            "metadata": meta,
            "source": source.splitlines(True),
            **extra,
        }

    cells = [cell("markdown", intro), cell("code", setup, gid="setup"), cell("code", "x = 1\n", gid="other")]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


OLD_SETUP = (
    "try:\n    import cae_ref\nexcept ImportError:\n"
    "    %pip install --quiet git+https://github.com/cae-course/cae-fashion-mnist\n    import cae_ref\n"
)
OLD_INTRO = (
    "# 01\n[Open it in Colab](https://colab.research.google.com/github/cae-course/cae-fashion-mnist/blob/main/"
    "exercises/01_data/01_data.ipynb).\n[other](https://example.org/blob/main/exercises/x)\n"
)


def test_set_course_version_pins_a_copy_in_one_write_and_is_idempotent(tmp_path):
    script = _script()
    folder = tmp_path / "solutions" / "01_data"
    folder.mkdir(parents=True)
    path = folder / "01_data.ipynb"
    original = _notebook(OLD_SETUP.replace("mnist\n", "mnist@v0.0.1\n"), OLD_INTRO)
    path.write_text(json.dumps(original, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "README.md").write_text(OLD_INTRO, encoding="utf-8")

    assert script.main(["--root", str(tmp_path), "--no-generate"]) == 0
    raw = path.read_text(encoding="utf-8")
    pinned = json.loads(raw)
    assert raw == json.dumps(pinned, indent=1, sort_keys=True, ensure_ascii=False) + "\n"  # the files' own format
    assert _setup_source(path) == OLD_SETUP.replace(
        "%pip install --quiet git+https://github.com/cae-course/cae-fashion-mnist", course.INSTALL_LINE
    )
    intro = "".join(pinned["cells"][0]["source"])
    assert f"/blob/{course.RELEASE_TAG}/exercises/01_data/01_data.ipynb" in intro and "/blob/main/" in intro
    assert pinned["cells"][2] == original["cells"][2]  # nothing else touched
    assert f"/blob/{course.RELEASE_TAG}/exercises/" in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert script.set_notebook(path) is False  # already pinned: no second write
    assert path.read_text(encoding="utf-8") == raw


def test_set_course_version_refuses_a_folder_without_solutions(tmp_path, capsys):
    with pytest.raises(SystemExit):
        _script().main(["--root", str(tmp_path), "--no-generate"])
    assert "private instructor repository" in capsys.readouterr().err


@pytest.mark.slow  # nbgrader generate_assignment for every assignment
@pytest.mark.needs_solutions
def test_set_course_version_on_a_copy_of_the_course_regenerates_pinned_exercises(tmp_path):
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    assert _script().main(["--root", str(tmp_path)]) == 0
    for assignment in ASSIGNMENTS:
        for folder in ("solutions", "exercises"):
            source = _setup_source(tmp_path / folder / assignment / f"{assignment}.ipynb")
            assert course.INSTALL_LINE in source, f"{folder}/{assignment}: setup cell not pinned"


@pytest.mark.parametrize(
    ("folder", "assignment"),
    [
        *(pytest.param("solutions", a, marks=pytest.mark.needs_solutions, id=f"solutions/{a}") for a in ASSIGNMENTS),
        *(pytest.param("exercises", a, id=f"exercises/{a}") for a in ASSIGNMENTS),
    ],
)
def test_every_setup_cell_pins_the_configured_version(folder, assignment):
    """Students install exactly the version that grades them (a Colab install from main would drift)."""
    source = _setup_source(REPO / folder / assignment / f"{assignment}.ipynb")
    installs = [line.strip() for line in source.splitlines() if "%pip install" in line]
    assert installs == [course.INSTALL_LINE], (
        f"{folder}/{assignment}: the setup cell installs {installs}, expected [{course.INSTALL_LINE!r}]; "
        "run `python scripts/set_course_version.py` (it pins solutions/ and regenerates exercises/)"
    )


def test_changelog_has_an_entry_for_this_version():
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{course.VERSION}]" in changelog, f"CHANGELOG.md has no '## [{course.VERSION}]' entry: {BUMP}"


def test_changelog_entry_names_every_threshold_and_budget_of_this_version():
    """The current version's entry says what grades: each threshold, grading budget and setting by name."""
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = changelog.partition(f"## [{course.VERSION}]")[2].split("\n## [", 1)[0]
    constants = fingerprint.grading_constants()
    names = [*constants["thresholds"], *constants["budgets"], *constants["settings"]]
    missing = [name for name in names if f"`{name}`" not in entry]
    assert not missing, f"CHANGELOG.md's entry for {course.VERSION} does not name {missing}"


def test_thresholds_and_budgets_are_those_recorded_for_this_version():
    recorded = fingerprint.load().get(course.VERSION)
    assert recorded is not None, f"grading/fingerprints.json has no record of version {course.VERSION}: {BUMP}"
    today = fingerprint.grading_constants()
    for key, value in today.items():
        assert recorded.get(key) == value, (
            f"{key} changed since version {course.VERSION} was recorded: {recorded.get(key)} -> {value}; {BUMP}"
        )


@pytest.mark.needs_solutions
def test_graded_cells_are_those_recorded_for_this_version():
    recorded = fingerprint.load().get(course.VERSION, {}).get("tests")
    today = fingerprint.tests_digest(REPO / "solutions")
    changed = sorted(a for a in today.keys() | (recorded or {}).keys() if today.get(a) != (recorded or {}).get(a))
    assert not changed, f"the graded cells of {changed} changed since version {course.VERSION} was recorded; {BUMP}"


def test_the_fingerprint_sees_a_changed_test_and_points_but_not_a_model_answer():
    test = {"metadata": {"nbgrader": {"grade": True, "grade_id": "t", "points": 1}}, "source": "assert x\n"}
    answer = {"metadata": {"nbgrader": {"grade": True, "solution": True, "grade_id": "q", "points": 2}}, "source": "A"}
    base = fingerprint.graded_cells({"cells": [test, answer]})
    assert fingerprint.graded_cells({"cells": [{**test, "source": "assert y\n"}, answer]}) != base
    more = {**answer, "metadata": {"nbgrader": {**answer["metadata"]["nbgrader"], "points": 3}}}
    assert fingerprint.graded_cells({"cells": [test, more]}) != base
    assert fingerprint.graded_cells({"cells": [test, {**answer, "source": "B"}]}) == base


def test_a_needs_solutions_test_fails_without_solutions(request, tmp_path, monkeypatch):
    """In a clone without solutions/, a marked test fails with what to do; an unmarked one is not touched."""
    conftest = str(REPO / "tests" / "conftest.py")
    (plugin,) = [p for p in request.config.pluginmanager.get_plugins() if getattr(p, "__file__", None) == conftest]

    class Item:
        def __init__(self, marked: bool):
            self.marked = marked

        def get_closest_marker(self, name: str):
            return object() if self.marked and name == "needs_solutions" else None

    monkeypatch.setattr(plugin, "REPO_ROOT", tmp_path)
    with pytest.raises(pytest.fail.Exception, match="-m 'not needs_solutions'"):
        plugin.pytest_runtest_setup(Item(True))
    plugin.pytest_runtest_setup(Item(False))


def test_the_books_colab_copies_install_the_release_tag(tmp_path):
    """The book's Colab notebooks install the package and fetch chapter_setup.py at the same tag as the exercises."""
    spec = importlib.util.spec_from_file_location("colab_notebooks", REPO / "book" / "_ext" / "colab_notebooks.py")
    colab_notebooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(colab_notebooks)
    assert colab_notebooks.release_tag() == course.RELEASE_TAG
    cell = colab_notebooks._chapter_setup().colab_cell("from chapter_setup import glue", course.REPOSITORY, "v9.9.9")
    assert f'"git+{course.REPOSITORY}@v9.9.9"' in cell and "/cae-fashion-mnist/v9.9.9/book/chapter_setup.py" in cell


def test_record_refuses_to_rewrite_a_tagged_version_that_grades_differently(tmp_path, capsys):
    script = _script()
    folder = tmp_path / "solutions" / "01_data"
    folder.mkdir(parents=True)
    (folder / "01_data.ipynb").write_text(json.dumps(_notebook(OLD_SETUP, OLD_INTRO)), encoding="utf-8")
    (tmp_path / "grading").mkdir()
    record = tmp_path / "grading" / "fingerprints.json"
    record.write_text(json.dumps({course.VERSION: {"thresholds": {"training_mse": 1.0}}}), encoding="utf-8")
    args = ["--root", str(tmp_path), "--no-generate", "--record"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "r"]
    subprocess.run(git, cwd=tmp_path, check=True)
    subprocess.run(["git", "tag", course.RELEASE_TAG], cwd=tmp_path, check=True)
    with pytest.raises(SystemExit):
        script.main(args)
    assert "bump VERSION first" in capsys.readouterr().err
    subprocess.run(["git", "tag", "-d", course.RELEASE_TAG], cwd=tmp_path, check=True, capture_output=True)
    assert script.main(args) == 0  # not released yet: the record of this version is replaced
    assert fingerprint.load(record)[course.VERSION] == fingerprint.current(tmp_path / "solutions")


def test_the_fingerprint_sees_a_changed_check_module(tmp_path):
    """The checks of a test cell live in cae_ref/grader/graded and grading/hidden: changing one changes the digest."""
    for folder in ("solutions/01_data", "cae_ref/grader/graded", "grading/hidden"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "solutions/01_data/01_data.ipynb").write_text('{"cells": []}')
    base = fingerprint.tests_digest(tmp_path / "solutions")
    (tmp_path / "cae_ref/grader/graded/01_data.py").write_text("def test_x(f):\n    pass\n")
    visible = fingerprint.tests_digest(tmp_path / "solutions")
    (tmp_path / "grading/hidden/01_data.py").write_text("def hidden_x(f):\n    pass\n")
    hidden = fingerprint.tests_digest(tmp_path / "solutions")
    assert len({base["01_data"], visible["01_data"], hidden["01_data"]}) == 3
