"""Hand-translated parallel pages cannot go stale (issue 27, items 5 and 6).

``README.id.md`` and ``INSTRUCTORS.id.md`` translate named sections of ``README.md`` and ``INSTRUCTORS.md``; each
translated section carries the hash of the English section it translates (``scripts/parallel_translations.py``
defines the section text). The repository's pages must be in step, and the check must fail when an English
sentence changes, name that section, and pass again once the translator accepts the update.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "parallel_translations.py"
PAGES = {"README.id.md": "README.md", "INSTRUCTORS.id.md": "INSTRUCTORS.md"}
TRANSLATED = {
    "README.id.md": [
        "# Convolutional Autoencoders on Fashion-MNIST",
        "## Quick start",
        "## Where the data come from",
        "## Exercises",
        "## The book",
    ],
    "INSTRUCTORS.id.md": [
        "# Instructor guide: autograded exercises with nbgrader",
        "## Setup (once)",
        "## The instructor's loop",
    ],
}


def _load():
    spec = importlib.util.spec_from_file_location("parallel_translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve the module by name
    spec.loader.exec_module(module)
    return module


pt = _load()


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--root", str(root), *args], capture_output=True, text=True)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The four files in a temporary folder, where they can be edited."""
    for page, source in PAGES.items():
        shutil.copy(REPO / page, tmp_path / page)
        shutil.copy(REPO / source, tmp_path / source)
    return tmp_path


def test_the_repository_translations_are_in_step():
    problems = pt.check(REPO)
    assert not problems, "stale or broken translations:\n" + "\n".join(problems)


def test_every_named_section_is_translated_and_linked():
    for page, sections in TRANSLATED.items():
        text = (REPO / page).read_text(encoding="utf-8")
        found = [marker.section for marker in pt.markers(text.splitlines())]
        assert found == sections, f"{page} translates {found}, expected {sections}"
        first = text.splitlines()[0]
        assert f"]({PAGES[page]})" in first, f"{page}'s first line must link its English source"
        english_first = (REPO / PAGES[page]).read_text(encoding="utf-8").splitlines()[0]
        assert f"]({page})" in english_first, f"{PAGES[page]}'s first line must link {page}"


def test_section_text_definition():
    lines = ["# T", "intro  ", "", "## A", "a", "```bash", "# not a heading", "```", "### A.1", "x", "", "## B", "b"]
    assert pt.section_lines(lines, 0) == lines[:3]  # the title's section: the opening, up to any heading
    assert pt.section_lines(lines, 3) == lines[3:11]  # "## A" includes "### A.1", not the fenced "# ..."
    assert pt.normalise(pt.section_lines(lines, 0)) == "# T\nintro\n"
    assert pt.code_blocks("\n".join(lines[3:11])) == ["```bash\n# not a heading\n```"]


def test_a_changed_english_sentence_fails_the_check_until_accepted(copy: Path):
    assert _run(copy, "check").returncode == 0
    readme = copy / "README.md"
    text = readme.read_text(encoding="utf-8")
    sentence = "`FASHION_MNIST_DIR` at the data first (next section)."
    assert sentence in text
    readme.write_text(text.replace(sentence, "`FASHION_MNIST_DIR` at the data before you start."), encoding="utf-8")

    result = _run(copy, "check")
    assert result.returncode == 1
    stale = [line for line in result.stdout.splitlines() if "stale" in line]
    assert len(stale) == 1 and 'README.md "## Quick start"' in stale[0], result.stdout

    accepted = _run(copy, "accept", "README.id.md", "## Quick start")
    assert accepted.returncode == 0, accepted.stderr
    assert _run(copy, "check").returncode == 0


def test_a_vanished_heading_and_a_translated_command_are_reported(copy: Path):
    guide = copy / "INSTRUCTORS.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("## Setup (once)", "## Setup"), encoding="utf-8")
    page = copy / "README.id.md"
    page.write_text(page.read_text(encoding="utf-8").replace("-m pytest\n", "-m pytest -q\n", 1), encoding="utf-8")

    result = _run(copy, "check")
    assert result.returncode == 1
    assert "vanished" in result.stdout and '"## Setup (once)"' in result.stdout, result.stdout
    assert 'README.md "## Quick start": its fenced code blocks differ' in result.stdout, result.stdout


def test_accept_refuses_an_unknown_section(copy: Path):
    result = _run(copy, "accept", "README.id.md", "## Layout")
    assert result.returncode == 2 and "0 markers" in result.stderr


def test_a_release_repointing_the_colab_links_leaves_the_translation_in_step(copy: Path):
    """``scripts/set_course_version.py`` re-points both languages' Colab links at a new tag."""
    for page in ("README.md", "README.id.md"):
        text = (copy / page).read_text(encoding="utf-8")
        assert "/blob/v" in text
        (copy / page).write_text(
            re.sub(r"/blob/v[0-9.]+/exercises/", "/blob/v9.9.9/exercises/", text), encoding="utf-8"
        )
    assert _run(copy, "check").returncode == 0
    readme = copy / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("/exercises/01_data/", "/exercises/01_dat/"), "utf-8")
    assert _run(copy, "check").returncode == 1  # another link change still counts
