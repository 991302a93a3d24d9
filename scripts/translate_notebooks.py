"""The Indonesian release of the exercises: the English release plus one gettext catalogue per assignment.

Usage (from the repository root)::

    python scripts/translate_notebooks.py update    # extract, then build when nothing is left to translate
    python scripts/translate_notebooks.py extract   # English notebooks -> locale/id/LC_MESSAGES/notebooks/*.po
    python scripts/translate_notebooks.py build     # exercises/ + catalogues -> exercises_id/
    python scripts/translate_notebooks.py check     # exit 1 while a message is missing, empty, fuzzy or stale

After an English edit (and ``grading/generate.sh``), run ``update``, translate the empty and fuzzy
messages it reports (delete each ``#, fuzzy`` line you have checked), and run ``update`` again.

``extract`` reads the markdown cells of ``solutions/<assignment>/<assignment>.ipynb`` that nbgrader
neither grades nor locks (instructions, headings, written questions), one message per paragraph, and
merges them into ``locale/id/LC_MESSAGES/notebooks/<assignment>.po``: a new paragraph gets an empty
translation, a changed one is marked fuzzy with the old translation as a suggestion, a removed one goes.
The course tag in Colab links is written ``{tag}``, so a version bump leaves the catalogues alone.

``build`` copies each English release (``exercises/``, written by nbgrader) to
``exercises_id/<assignment>/<assignment>.ipynb`` with those paragraphs translated, the book links
pointing at the Indonesian pages and the Colab link at the Indonesian notebook, and one unlocked
first cell ``%env CAE_LANGUAGE=id`` (cae_ref's messages read it). Every code cell, every cell nbgrader
knows (test, locked, solution and written-answer cells) and the notebook's metadata stay byte for
byte the English ones: the same file name, handed in under ``submitted/<student>/<assignment>/``,
is graded by the same ``nbgrader autograde`` into the same gradebook with the same points.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cae_ref import course  # noqa: E402

LANGUAGE = "id"
CATALOGUES = ROOT / "locale" / LANGUAGE / "LC_MESSAGES" / "notebooks"
RELEASE = ROOT / "exercises"
SOURCE = ROOT / "solutions"
TRANSLATED = ROOT / course.EXERCISE_FOLDERS[LANGUAGE].rstrip("/")
ENV_CELL = f"%env CAE_LANGUAGE={LANGUAGE}"
ENV_CELL_ID = "cae-language"
TAG = re.compile(r"(/blob/)v\d+\.\d+\.\d+(/exercises/)")
FENCE = re.compile(r"^\s*(```|~~~)")


def assignments(folder: Path) -> list[str]:
    """The assignments of a course folder (``solutions/``, ``exercises/``); none where it is absent (public clone)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / f"{p.name}.ipynb").is_file())


def notebook(folder: Path, assignment: str) -> nbformat.NotebookNode:
    """Read ``folder/<assignment>/<assignment>.ipynb``."""
    return nbformat.read(folder / assignment / f"{assignment}.ipynb", as_version=4)


def translatable(cell: nbformat.NotebookNode) -> bool:
    """A markdown cell that nbgrader neither grades, locks nor treats as an answer: its text may change."""
    return cell.cell_type == "markdown" and not cell.metadata.get("nbgrader")


def paragraphs(text: str) -> list[str]:
    """Split markdown at blank lines; a fenced code block stays whole."""
    blocks: list[list[str]] = [[]]
    fenced = False
    for line in text.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            blocks.append([])
        else:
            blocks[-1].append(line)
    return ["\n".join(block) for block in blocks if block]


def message(paragraph: str) -> str:
    """The catalogue's key of an English paragraph: the course tag in Colab links is ``{tag}``."""
    return TAG.sub(r"\1{tag}\2", paragraph)


def messages(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(msgid, cell id) of every translatable paragraph, in notebook order, first occurrence only."""
    seen: dict[str, str] = {}
    for cell in nb.cells:
        if translatable(cell):
            for paragraph in paragraphs(cell.source):
                seen.setdefault(message(paragraph), cell.get("id", ""))
    return list(seen.items())


def template(nb: nbformat.NotebookNode, assignment: str) -> Catalog:
    """A catalogue of ``nb``'s messages with empty translations."""
    catalog = Catalog(locale=LANGUAGE, project="cae-fashion-mnist", fuzzy=False)
    for msgid, cell_id in messages(nb):
        catalog.add(msgid, locations=[(f"{assignment}.ipynb", 0)], auto_comments=[f"cell {cell_id}"])
    return catalog


def catalogue_path(assignment: str, catalogues: Path = CATALOGUES) -> Path:
    """``<catalogues>/<assignment>.po``."""
    return catalogues / f"{assignment}.po"


def load(path: Path) -> Catalog:
    """Read a ``.po`` file."""
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def save(catalog: Catalog, path: Path) -> None:
    """Write a ``.po`` file (wrapped at 120 columns, no obsolete messages, deterministic header)."""
    catalog.creation_date = catalog.revision_date = course_date()
    catalog.version = course.VERSION
    catalog.copyright_holder = "the cae-fashion-mnist authors"
    catalog.msgid_bugs_address = course.REPOSITORY + "/issues"
    catalog.last_translator = "cae-fashion-mnist course"
    catalog.language_team = "Indonesian"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=120, omit_header=False, ignore_obsolete=True, include_previous=True)


def course_date() -> datetime:
    """A fixed date for the catalogues' header, so that ``extract`` twice writes the same bytes."""
    return datetime(2026, 1, 1, tzinfo=UTC)


def extract(source: Path = SOURCE, catalogues: Path = CATALOGUES) -> dict[str, tuple[int, int]]:
    """Merge the English notebooks' messages into the catalogues; return assignment -> (untranslated, fuzzy)."""
    stats = {}
    for assignment in assignments(source):
        fresh = template(notebook(source, assignment), assignment)
        path = catalogue_path(assignment, catalogues)
        if path.exists():
            catalog = load(path)
            catalog.update(fresh, no_fuzzy_matching=False)
        else:
            catalog = fresh
        save(catalog, path)
        stats[assignment] = _stat(catalog)
    return stats


def _stat(catalog: Catalog) -> tuple[int, int]:
    real = [m for m in catalog if m.id]
    return sum(not m.string for m in real), sum(m.fuzzy for m in real)


def problems(source: Path = SOURCE, catalogues: Path = CATALOGUES) -> list[str]:
    """What keeps the catalogues from matching the English notebooks in ``source`` (empty: all in step)."""
    found = []
    for assignment in assignments(source):
        path = catalogue_path(assignment, catalogues)
        if not path.exists():
            found.append(f"{assignment}: no catalogue {path.name}")
            continue
        catalog = load(path)
        wanted = {msgid for msgid, _ in messages(notebook(source, assignment))}
        have = {m.id for m in catalog if m.id}
        found += [f"{assignment}: not in the catalogue: {m[:70]!r}" for m in sorted(wanted - have)]
        found += [f"{assignment}: no longer in the notebook: {m[:70]!r}" for m in sorted(have - wanted)]
        for m in catalog:
            if m.id in wanted and not m.string:
                found.append(f"{assignment}: untranslated: {m.id[:70]!r}")
            elif m.id in wanted and m.fuzzy:
                found.append(f"{assignment}: fuzzy: {m.id[:70]!r}")
    return found


def localise_links(text: str, assignment: str) -> str:
    """Point book links at the Indonesian pages and the Colab link at the Indonesian notebook."""
    book, exercises = course.BOOK_FOLDERS, course.EXERCISE_FOLDERS
    text = text.replace(course.BOOK_URL + book["en"], course.BOOK_URL + book[LANGUAGE])
    notebook_file = f"{assignment}/{assignment}.ipynb"
    return text.replace(f"/{exercises['en']}{notebook_file}", f"/{exercises[LANGUAGE]}{notebook_file}")


def translate_cell(source: str, catalog: Catalog, assignment: str) -> str:
    """One markdown cell in Indonesian, paragraph by paragraph (joined by one blank line)."""
    return "\n\n".join(_translate(paragraph, catalog, assignment) for paragraph in paragraphs(source))


def _translate(paragraph: str, catalog: Catalog, assignment: str) -> str:
    entry = catalog.get(message(paragraph))
    if entry is None or not entry.string or entry.fuzzy:
        raise KeyError(f"{assignment}: no checked translation of {paragraph[:70]!r}; run extract and translate it")
    tag = TAG.search(paragraph)
    text = entry.string.replace("{tag}", tag.group(0)[len("/blob/") : -len("/exercises/")]) if tag else entry.string
    return localise_links(text, assignment)


def translate(nb: nbformat.NotebookNode, catalog: Catalog, assignment: str) -> nbformat.NotebookNode:
    """The Indonesian notebook of an English release ``nb`` (a new object; ``nb`` is unchanged)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if translatable(cell):
            cell.source = translate_cell(cell.source, catalog, assignment)
    env = nbformat.v4.new_code_cell(ENV_CELL)
    env.id = ENV_CELL_ID
    nb.cells.insert(0, env)
    return nb


def differences(english: nbformat.NotebookNode, translated: nbformat.NotebookNode) -> list[str]:
    """How ``translated`` departs from ``english`` beyond its first ``%env`` cell and translated text (empty: none)."""
    found = []
    first, *cells = translated.cells or [None]
    if first is None or first.cell_type != "code" or first.source != ENV_CELL or first.metadata.get("nbgrader"):
        found.append(f"the first cell is not an unlocked code cell {ENV_CELL!r}")
    if translated.metadata != english.metadata:
        found.append("the notebook metadata differ")
    if len(cells) != len(english.cells):
        found.append(f"{len(cells)} cells after the first, the English release has {len(english.cells)}")
    for ours, theirs in zip(cells, english.cells, strict=False):  # a count mismatch is reported above
        name = theirs.get("id", "?")
        if translatable(theirs):
            same = {k: v for k, v in ours.items() if k != "source"} == {
                k: v for k, v in theirs.items() if k != "source"
            }
            if not same:
                found.append(f"cell {name}: more than its text differs")
        elif ours != theirs:
            found.append(f"cell {name} ({theirs.cell_type}) differs from the English release")
    return found


def build(release: Path = RELEASE, catalogues: Path = CATALOGUES, out: Path = TRANSLATED) -> list[Path]:
    """Write every Indonesian notebook under ``out``; return their paths."""
    written = []
    for assignment in assignments(release):
        nb = translate(notebook(release, assignment), load(catalogue_path(assignment, catalogues)), assignment)
        path = out / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "extract", "build", "check"])
    args = parser.parse_args(argv)
    if args.command in ("update", "extract"):
        stats = extract()
        for assignment, (empty, fuzzy) in stats.items():
            print(f"{assignment}: {empty} untranslated, {fuzzy} fuzzy")
        if args.command == "extract":
            return 0
        if any(empty or fuzzy for empty, fuzzy in stats.values()):
            print(f"translate the messages above in {CATALOGUES.relative_to(ROOT)}, then run update again")
            return 1
    if args.command in ("update", "build"):
        try:
            for path in build():
                print(path.relative_to(ROOT))
        except KeyError as error:
            print(error.args[0], file=sys.stderr)
            return 1
        return 0
    source = problems()
    found = source + [p for p in problems(RELEASE) if p not in source]  # the release may lag the source
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
