"""The Indonesian release of the exercises (``exercises_id/``): translations that cannot go stale.

- every translatable paragraph of the English notebooks (``solutions/`` and ``exercises/``) has a
  non-empty, non-fuzzy translation, the catalogues hold nothing else, and ``extract`` would not
  change a byte of them; an edited English sentence fails this until someone translates it;
- the committed ``exercises_id/`` is exactly what ``build`` writes from ``exercises/`` and the
  catalogues;
- apart from its first cell, ``%env CAE_LANGUAGE=id``, an Indonesian notebook has the English
  release's cells, ids and metadata, and every code cell and every cell nbgrader knows (tests,
  locked cells, answers) byte for byte: one autograde grades both (tests/exercises/test_exercises_id.py);
- the translations keep code, math, emphasis and links, and follow ``locale/id/terminology.csv``;
  the links go to the Indonesian book and notebook.
"""

from __future__ import annotations

import copy
import filecmp
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

from cae_ref import course
from tests.book.test_translation import term_violations, terminology

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("translate_notebooks", ROOT / "scripts" / "translate_notebooks.py")
tn = importlib.util.module_from_spec(_spec)
sys.modules["translate_notebooks"] = tn
_spec.loader.exec_module(tn)

ASSIGNMENTS = tn.assignments(tn.RELEASE)  # solutions/ lives only in the instructor repository
UPDATE = "python scripts/translate_notebooks.py extract, translate, then build"
CODE_OR_MATH = re.compile(r"`[^`]+`|\$\$.+?\$\$", re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_every_assignment_has_an_indonesian_notebook_and_catalogue() -> None:
    assert tn.assignments(tn.TRANSLATED) == ASSIGNMENTS
    assert sorted(p.stem for p in tn.CATALOGUES.glob("*.po")) == ASSIGNMENTS


@pytest.mark.parametrize(
    "folder",
    [pytest.param(tn.SOURCE, marks=pytest.mark.needs_solutions), tn.RELEASE],
    ids=["solutions", "exercises"],
)
def test_every_message_is_translated_none_is_fuzzy_and_none_is_left_over(folder: Path) -> None:
    problems = tn.problems(folder)
    assert not problems, f"run `{UPDATE}`:\n" + "\n".join(problems[:20])


def test_extract_would_not_change_the_catalogues(tmp_path: Path) -> None:
    shutil.copytree(tn.CATALOGUES, tmp_path / "po")
    tn.extract(tn.SOURCE, tmp_path / "po")
    changed = [
        p.name for p in sorted(tn.CATALOGUES.glob("*.po")) if not filecmp.cmp(p, tmp_path / "po" / p.name, False)
    ]
    assert not changed, f"the catalogues are not in step with solutions/ ({changed}): run `{UPDATE}`"


def _edited_course(tmp_path: Path) -> Path:
    """A copy of exercises/01_data in which one English sentence changed."""
    source = tmp_path / "exercises"
    shutil.copytree(tn.RELEASE / "01_data", source / "01_data")
    path = source / "01_data" / "01_data.ipynb"
    text = path.read_text(encoding="utf-8")
    old = "Run it on the first 1,000 training images and look at a few:"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "Run it on the first 1,000 training images and look at some of them:"), "utf-8")
    return source


def test_an_edited_english_sentence_is_missing_then_fuzzy_until_translated(tmp_path: Path) -> None:
    source = _edited_course(tmp_path)
    catalogues = tmp_path / "po"
    shutil.copytree(tn.CATALOGUES, catalogues)
    before = tn.problems(source, catalogues)
    assert any("not in the catalogue" in p and "some of them" in p for p in before), before
    assert any("no longer in the notebook" in p and "look at a few" in p for p in before), before
    assert tn.extract(source, catalogues)["01_data"] == (0, 1)  # the old translation, marked fuzzy
    after = tn.problems(source, catalogues)
    assert after == ["01_data: fuzzy: 'Run it on the first 1,000 training images and look at some of them:'"]
    with pytest.raises(KeyError, match="no checked translation"):
        tn.translate(tn.notebook(source, "01_data"), tn.load(catalogues / "01_data.po"), "01_data")


def test_the_committed_release_is_what_build_writes(tmp_path: Path) -> None:
    written = tn.build(tn.RELEASE, tn.CATALOGUES, tmp_path)
    assert [p.parent.name for p in written] == ASSIGNMENTS
    for path in written:
        committed = tn.TRANSLATED / path.relative_to(tmp_path)
        assert filecmp.cmp(path, committed, shallow=False), f"{committed} is stale: run `{UPDATE}`"
    extra = sorted(p.relative_to(tn.TRANSLATED) for p in tn.TRANSLATED.rglob("*") if p.is_file())
    assert extra == sorted(p.relative_to(tmp_path) for p in written), "exercises_id/ holds files build does not write"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_only_the_env_cell_and_the_text_differ_from_the_english_release(assignment: str) -> None:
    english, indonesian = tn.notebook(tn.RELEASE, assignment), tn.notebook(tn.TRANSLATED, assignment)
    assert tn.differences(english, indonesian) == []
    assert indonesian.cells[0].source == "%env CAE_LANGUAGE=id"
    graded = [c for c in english.cells if c.metadata.get("nbgrader")]
    assert graded and all(c in indonesian.cells for c in graded)  # tests, locked cells, answers: as released
    translated = [
        ours for ours, theirs in zip(indonesian.cells[1:], english.cells, strict=True) if ours.source != theirs.source
    ]
    assert translated and all(tn.translatable(cell) for cell in translated)


def test_the_comparison_finds_an_edited_code_cell_a_missing_env_cell_and_changed_metadata() -> None:
    english = tn.notebook(tn.RELEASE, "01_data")
    indonesian = tn.notebook(tn.TRANSLATED, "01_data")
    edited = copy.deepcopy(indonesian)
    test = next(c for c in edited.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_preprocess_range")
    test.source += "\n# a comment"
    assert tn.differences(english, edited) == ["cell 01_data-11 (code) differs from the English release"]
    edited = copy.deepcopy(indonesian)
    edited.cells[2].metadata["nbgrader"] = {"locked": True}
    assert tn.differences(english, edited) == ["cell 01_data-01: more than its text differs"]
    edited = copy.deepcopy(indonesian)
    del edited.cells[0]
    assert "the first cell is not an unlocked code cell '%env CAE_LANGUAGE=id'" in tn.differences(english, edited)


def _pairs() -> list[tuple[str, str, str]]:
    return [(a, m.id, m.string) for a in ASSIGNMENTS for m in tn.load(tn.catalogue_path(a)) if m.id]


def kept_spans(msgid: str, msgstr: str) -> list[str]:
    """What a translation lost or added of its English: code spans, math, bold marks, link targets, line structure."""
    found = []
    if sorted(CODE_OR_MATH.findall(msgid)) != sorted(CODE_OR_MATH.findall(msgstr)):
        found.append("code or math differs")
    if msgid.count("**") != msgstr.count("**"):
        found.append("bold marks differ")
    if LINK.findall(msgid) != LINK.findall(msgstr):
        found.append("link targets differ")
    for marker in (r"^#+ ", r"^\|", r"^\s*(\d+\.|-) "):  # headings, table rows, list items
        if len(re.findall(marker, msgid, re.M)) != len(re.findall(marker, msgstr, re.M)):
            found.append(f"lines starting {marker!r} differ")
    return found


def test_translations_keep_code_math_emphasis_links_and_structure() -> None:
    problems = [f"{a}: {p}: {i[:60]!r}" for a, i, s in _pairs() for p in kept_spans(i, s)]
    assert not problems, "\n".join(problems[:20])


def test_the_span_check_finds_a_lost_code_span_and_a_changed_link() -> None:
    assert kept_spans("Write `f(x)`.", "Tulis f(x).") == ["code or math differs"]
    assert kept_spans("[a](https://x/book/a.html)", "[a](https://x/id/a.html)") == ["link targets differ"]
    assert kept_spans("## Part A (4 points)", "Bagian A (4 poin)") == ["lines starting '^#+ ' differ"]


def test_translations_follow_the_terminology() -> None:
    rows = terminology()
    problems = [f"{a}: {p}: {i[:60]!r}" for a, i, s in _pairs() for p in term_violations(i, s, rows)]
    assert not problems, "departs from locale/id/terminology.csv:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_links_go_to_the_indonesian_book_and_notebook(assignment: str) -> None:
    text = "\n".join(c.source for c in tn.notebook(tn.TRANSLATED, assignment).cells if c.cell_type == "markdown")
    links = LINK.findall(text)
    assert course.colab_link(assignment, language="id") in links
    book = [link for link in links if link.startswith(course.BOOK_URL)]
    assert book, f"{assignment}: no link to the book"
    for link in book:
        chapter = link.removeprefix(course.BOOK_URL + "id/book/").removesuffix(".html")
        assert link == course.book_page(chapter, "id"), f"{assignment}: {link} is not an Indonesian book page"
        assert (ROOT / "locale" / "id" / "LC_MESSAGES" / "book" / f"{chapter}.po").is_file(), link


def test_course_links_take_a_language() -> None:
    assert course.book_page("03_data", "id") == "https://cae-course.github.io/cae-fashion-mnist/id/book/03_data.html"
    assert course.book_page("03_data") == "https://cae-course.github.io/cae-fashion-mnist/book/03_data.html"
    assert course.colab_link("01_data", "v1.2.3", "id") == (
        "https://colab.research.google.com/github/cae-course/cae-fashion-mnist/blob/v1.2.3/exercises_id/01_data/01_data.ipynb"
    )
    with pytest.raises(ValueError, match="expected a language"):
        course.colab_link("01_data", language="fr")
    with pytest.raises(ValueError, match="expected a language"):
        course.book_page("03_data", "Indonesian")


def test_the_indonesian_readme_opens_both_notebooks_of_each_assignment() -> None:
    links = LINK.findall((ROOT / "README.id.md").read_text(encoding="utf-8"))
    for assignment in ASSIGNMENTS:
        assert course.colab_link(assignment, language="id") in links, assignment
        assert course.colab_link(assignment) in links, assignment


def test_a_version_bump_repoints_the_indonesian_colab_links() -> None:
    spec = importlib.util.spec_from_file_location("set_course_version", ROOT / "scripts" / "set_course_version.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    old = course.colab_link("01_data", "v0.0.1", "id") + " " + course.colab_link("01_data", "v0.0.1")
    assert module.pin_colab_links(old) == course.colab_link("01_data", language="id") + " " + course.colab_link(
        "01_data"
    )
