"""The Indonesian edition of the book: translations that cannot go stale.

Fast (no build):
- every page of ``_toc.yml`` has its catalogue ``locale/id/LC_MESSAGES/book/<page>.po``, 100 %
  translated and nothing fuzzy (the catalogues' own statistics, as ``sphinx-intl stat`` counts);
- the terminology list ``locale/id/terminology.csv`` holds in every translated message, and the
  Indonesian glossary keeps the English terms (``{term}`` targets) and opens each definition with
  the bold Indonesian term.

Slow (reads the English build of tests/book/conftest.py, whose execution cache serves both):
- templates regenerated from the English sources hold exactly the catalogues' messages, so an
  edited English sentence is a missing translation until ``scripts/update_translations.py``
  runs and someone translates it;
- the Indonesian build passes ``-W -n --keep-going``; its pages are in Indonesian, show the same
  figures with translated captions and alt text, and link to their English counterparts and back.

``CAE_BOOK_LOCALE_DIR`` names another catalogue folder (a scratch copy) instead of ``locale/``.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from tests.book.conftest import ROOT, run_build

LOCALE = Path(os.environ.get("CAE_BOOK_LOCALE_DIR") or ROOT / "locale")
CATALOGUES = LOCALE / "id" / "LC_MESSAGES"
TERMINOLOGY = ROOT / "locale" / "id" / "terminology.csv"
UPDATE = "python scripts/update_translations.py"
# Emphasis and code marks, and backslash escapes ("5\\. Melatih"): gone from a rendered title.
MARKDOWN_MARK = re.compile(r"(?<!\\)[*`]")
MARKDOWN_ESCAPE = re.compile(r"\\(.)")
# Inline code and math: names and formulas, not words to translate.
CODE_OR_MATH = re.compile(r"`[^`]*`|\$[^$]*\$")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


edition_links = _load("edition_links", ROOT / "book" / "_ext" / "edition_links.py")


def book_pages() -> list[str]:
    """The documents of ``_toc.yml`` (``book/05_training``), in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def messages(catalogue: Catalog) -> list:
    """The catalogue's messages, without its header entry (obsolete ones are kept apart by Babel)."""
    return [message for message in catalogue if message.id]


def catalogue_problems(path: Path) -> list[str]:
    """What stops ``path`` from being complete: each untranslated and each fuzzy message."""
    problems = []
    for message in messages(read_catalogue(path)):
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id[:90]!r}")
        elif not message.string:
            problems.append(f"untranslated: {message.id[:90]!r}")
    return problems


# ---------------------------------------------------------------------------------------------
# The catalogues are complete.


def test_every_page_has_a_catalogue_and_no_catalogue_is_left_over() -> None:
    expected = {f"{page}.po" for page in book_pages()}
    # the book's pages only: notebooks/ holds the exercise notebooks' catalogues (scripts/translate_notebooks.py)
    found = {path.relative_to(CATALOGUES).as_posix() for path in (CATALOGUES / "book").rglob("*.po")}
    assert expected <= found, (
        f"no Indonesian catalogue for {sorted(expected - found)} in {CATALOGUES}: run `{UPDATE}` and translate"
    )
    assert found <= expected, f"catalogues of no page of _toc.yml: {sorted(found - expected)} (remove them)"


@pytest.mark.parametrize("page", book_pages())
def test_every_message_is_translated_and_none_is_fuzzy(page: str) -> None:
    path = CATALOGUES / f"{page}.po"
    assert path.is_file(), f"no catalogue {path}: run `{UPDATE}`"
    problems = catalogue_problems(path)
    assert not problems, (
        f"{path.name}: {len(problems)} of {len(messages(read_catalogue(path)))} messages are not done "
        "(translate them; remove '#, fuzzy' once a suggestion is checked):\n" + "\n".join(problems[:15])
    )


def test_an_untranslated_or_fuzzy_message_is_found(tmp_path: Path) -> None:
    """The completeness check fails on a doctored catalogue."""
    catalogue = Catalog(locale="id")
    catalogue.add("Before you start", "Sebelum mulai")
    catalogue.add("The loss falls.")
    catalogue.add("The code is small.", "Kodenya kecil.", flags=["fuzzy"])
    path = tmp_path / "page.po"
    with path.open("wb") as handle:
        write_po(handle, catalogue)
    assert catalogue_problems(path) == ["untranslated: 'The loss falls.'", "fuzzy: 'The code is small.'"]


# ---------------------------------------------------------------------------------------------
# Terminology in one place.


def terminology() -> list[dict[str, str]]:
    with TERMINOLOGY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def term_violations(msgid: str, msgstr: str, rows: list[dict[str, str]]) -> list[str]:
    """The terms that ``msgid`` uses and ``msgstr`` does not render as the list says.

    ``translate``: the Indonesian term must appear; ``keep``: the English term must (italics are
    the translator's). Inline code and math are no words; phrases in ``except`` are other senses
    of the word. A message left as it is (names, formulas, glossary terms) is not checked.
    """
    if msgstr == msgid:
        return []
    text = CODE_OR_MATH.sub(" ", msgid)
    found = []
    for row in rows:
        if row["rule"] not in {"translate", "keep"}:
            continue
        clean = text
        for phrase in filter(None, row["except"].split("|")):
            clean = re.sub(re.escape(phrase), " ", clean, flags=re.IGNORECASE)
        english = r"\b" + re.escape(row["english"]).replace(r"\ ", r"[\s-]+") + r"(s|es)?\b"
        if re.search(english, clean, flags=re.IGNORECASE) and row["indonesian"].lower() not in msgstr.lower():
            found.append(f"{row['english']!r} should read {row['indonesian']!r}")
    return found


def test_the_terminology_list_is_well_formed() -> None:
    rows = terminology()
    assert rows and set(rows[0]) == {"english", "indonesian", "rule", "except", "note"}
    for row in rows:
        assert row["rule"] in {"translate", "keep", "by hand"}, row
        assert row["english"] and row["indonesian"], row
        if row["rule"] == "keep":
            assert row["english"] == row["indonesian"], f"{row['english']} is kept in English: {row}"
        if row["rule"] == "by hand":
            assert row["note"], f"say why {row['english']!r} is not checked automatically"
    english = [row["english"] for row in rows]
    assert len(english) == len(set(english)), "a term is listed twice"


@pytest.mark.parametrize("page", book_pages())
def test_the_terminology_holds_in_every_message(page: str) -> None:
    path = CATALOGUES / f"{page}.po"
    assert path.is_file(), f"no catalogue {path}: run `{UPDATE}`"
    rows, problems = terminology(), []
    for message in messages(read_catalogue(path)):
        if message.string:
            problems += [
                f"{problem}: {message.id[:80]!r}" for problem in term_violations(message.id, message.string, rows)
            ]
    assert not problems, f"{path.name} departs from locale/id/terminology.csv:\n" + "\n".join(problems[:15])


def test_the_terminology_check_finds_a_wrong_term() -> None:
    rows = terminology()
    assert term_violations("The latent space of MNIST.", "Ruang tersembunyi MNIST.", rows) == [
        "'latent space' should read 'ruang laten'"
    ]
    assert term_violations("The loss falls.", "Kerugiannya turun.", rows) == ["'loss' should read 'loss'"]
    assert term_violations("The latent-space map.", "Peta *ruang laten*.", rows) == []
    assert term_violations("Use `loss=` here.", "Pakai `loss=` di sini.", rows) == []  # code is no word


def glossary_terms() -> list[str]:
    """The English terms of ``book/glossary.md``'s glossary, in order."""
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = re.search(r"^```\{glossary\}\n(.*?)^```", text, flags=re.S | re.M)
    assert block, "book/glossary.md has no ```{glossary} block"
    return [line.strip() for line in block[1].splitlines() if line.strip() and not line[0].isspace()]


def test_the_indonesian_glossary_keeps_the_terms_and_names_them_in_indonesian() -> None:
    """Terms stay English (so ``{term}`` targets resolve); a listed term's definition opens with its Indonesian name."""
    path = CATALOGUES / "book" / "glossary.po"
    assert path.is_file(), f"no catalogue {path}: run `{UPDATE}`"
    catalogue = {message.id: message for message in messages(read_catalogue(path))}
    indonesian = {row["english"].lower(): row["indonesian"] for row in terminology() if row["rule"] == "translate"}
    ids = list(catalogue)
    problems = []
    for term in glossary_terms():
        if term not in catalogue:
            problems.append(f"{term!r} is not in the catalogue")
            continue
        if catalogue[term].string not in {"", term}:
            problems.append(f"term {term!r} translated as {catalogue[term].string!r}: keep it English")
        if term.lower() in indonesian:
            definition = catalogue[ids[ids.index(term) + 1]].string
            if not definition.lower().startswith(f"**{indonesian[term.lower()].lower()}"):
                problems.append(f"{term!r}: the definition should open with **{indonesian[term.lower()]}**")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The edition links (book/_ext/edition_links.py).


def test_counterpart_urls() -> None:
    assert edition_links.counterpart_url("book/05_training", "en", "id") == "../id/book/05_training.html"
    assert edition_links.counterpart_url("book/05_training", "id", "en") == "../../book/05_training.html"
    assert edition_links.counterpart_url("search", "en", "id") == "id/search.html"
    with pytest.raises(ValueError, match="'fr'"):
        edition_links.counterpart_url("book/05_training", "en", "fr")


def test_a_page_gets_the_link_and_a_language_without_edition_stops_the_build() -> None:
    app = SimpleNamespace(config=SimpleNamespace(language="id"), builder=SimpleNamespace(link_suffix=".html"))
    context = {"body": "<h1>Judul</h1>", "metatags": ""}
    edition_links.add_edition_links(app, "book/glossary", "page.html", context, doctree=object())
    assert context["body"].endswith("<h1>Judul</h1>")
    assert 'href="../../book/glossary.html" hreflang="en"' in context["body"]
    assert '<link rel="alternate" hreflang="en" href="../../book/glossary.html" />' in context["metatags"]
    search = {"metatags": ""}
    edition_links.add_edition_links(app, "search", "search.html", search, doctree=None)
    assert search == {"metatags": ""}
    from sphinx.errors import ExtensionError

    with pytest.raises(ExtensionError, match="'fr'"):
        edition_links.check_language(app, SimpleNamespace(language="fr"))


# ---------------------------------------------------------------------------------------------
# In step with the English sources, and a strict Indonesian build (slow).


def _script(name: str, *args: str) -> list[str]:
    return [sys.executable, str(ROOT / "scripts" / name), *args]


@pytest.fixture(scope="session")
def templates(built_book: Path) -> Path:
    """Templates regenerated from the English sources, the chapters' outputs from the English build's cache."""
    out = built_book.parents[1]
    build = run_build(
        _script("build_book.py", "--language", "en", "--builder", "gettext", "--path-output", str(out)),
        out / "gettext.log",
    )
    assert build.returncode == 0, build.failure("the gettext build")
    return out / "_build" / "gettext"


@pytest.fixture(scope="session")
def built_book_id(built_book: Path) -> tuple[Path, object]:
    """The Indonesian edition, built strictly (-W -n --keep-going) beside the English one."""
    out = built_book.parents[1]
    args = ["--language", "id", "--strict", "--path-output", str(out), "--locale-dir", str(LOCALE)]
    return out / "_build" / "html" / "id", run_build(_script("build_book.py", *args), out / "build-id.log")


def msgids(path: Path) -> set[str]:
    return {message.id for message in messages(read_catalogue(path))}


@pytest.mark.slow
def test_the_catalogues_hold_the_messages_of_the_english_sources(templates: Path) -> None:
    """A changed English sentence is a new message: missing here until the catalogues are updated."""
    problems = []
    for page in book_pages():
        template, catalogue = templates / f"{page}.pot", CATALOGUES / f"{page}.po"
        assert template.is_file(), f"the gettext build made no template {template}"
        if not catalogue.is_file():
            problems.append(f"{page}: no catalogue")
            continue
        english, translated = msgids(template), msgids(catalogue)
        problems += [f"{page}: new in English, not in the catalogue: {m[:90]!r}" for m in sorted(english - translated)]
        problems += [f"{page}: in the catalogue, gone from English: {m[:90]!r}" for m in sorted(translated - english)]
    assert not problems, f"the catalogues are out of step with the English book; run `{UPDATE}`:\n" + "\n".join(
        problems[:30]
    )


@pytest.mark.slow
def test_the_indonesian_build_is_strict(built_book_id: tuple[Path, object]) -> None:
    html, build = built_book_id
    assert build.returncode == 0 and not build.problems(), build.failure("the Indonesian build (-W -n --keep-going)")
    assert (html / "book" / "01_introduction.html").is_file(), f"no Indonesian pages in {html}"


class _Page(HTMLParser):
    """The language, title, edition links, figure alt texts and captions of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang, self.title, self.links, self.alts, self.captions = "", "", {}, [], []
        self._in_title = self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        self._in_title |= tag == "title"
        if tag == "a" and "edition-link" in classes:
            self.links[attributes["hreflang"]] = attributes["href"]
        if tag == "img" and "_images/" in (attributes.get("src") or ""):
            self.alts.append(attributes.get("alt") or "")
        if tag == "span" and "caption-text" in classes:
            self._in_caption = True
            self.captions.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_title &= tag != "title"
        self._in_caption &= tag != "span"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._in_caption:
            self.captions[-1] += data


def _plain(markdown: str) -> str:
    """The text of a one-line Markdown title, as the page shows it."""
    return MARKDOWN_ESCAPE.sub(r"\1", MARKDOWN_MARK.sub("", markdown))


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.mark.slow
@pytest.mark.parametrize("page", book_pages())
def test_each_indonesian_page_is_translated_and_linked_both_ways(
    built_book: Path, built_book_id: tuple[Path, object], page: str
) -> None:
    html, _ = built_book_id
    english_path, indonesian_path = built_book / f"{page}.html", html / f"{page}.html"
    assert indonesian_path.is_file(), f"no Indonesian page {indonesian_path}"
    english, indonesian = _page(english_path), _page(indonesian_path)
    assert (english.lang, indonesian.lang) == ("en", "id")
    heading = english.title.split(" \u2014 ")[0]
    expected = {m.id: _plain(m.string) for m in messages(read_catalogue(CATALOGUES / f"{page}.po"))}
    assert heading in expected, f"{page}: the title {heading!r} is not a message of the catalogue"
    assert indonesian.title.startswith(expected[heading] + " \u2014 "), (
        f"{page}: the page's title is {indonesian.title!r}, its translation {expected[heading]!r}"
    )
    assert (english_path.parent / english.links["id"]).resolve() == indonesian_path.resolve()
    assert (indonesian_path.parent / indonesian.links["en"]).resolve() == english_path.resolve()
    assert len(indonesian.alts) == len(english.alts), f"{page}: the editions show different numbers of figures"
    same = [
        text
        for text in english.alts + english.captions
        if text.strip() and text in indonesian.alts + indonesian.captions
    ]
    assert not same, f"{page}: figure captions or alt texts left in English on the Indonesian page:\n" + "\n".join(
        text[:100] for text in same
    )
    numbers = re.findall(r'<span class="caption-number">([^<]*)</span>', indonesian_path.read_text(encoding="utf-8"))
    assert all(number.startswith(("Gambar ", "Tabel ", "Kode ")) for number in numbers), (
        f"{page}: figure numbers in English on the Indonesian page: {numbers}"
    )


NUMBERED_TITLE = re.compile(r"^\d+\.\s")


@pytest.mark.parametrize("page", book_pages())
def test_numbered_messages_escape_their_dot(page: str) -> None:
    """Sphinx parses a translation as Markdown: "5. Melatih" is a list and stays English; "5\\. Melatih" works."""
    path = CATALOGUES / f"{page}.po"
    assert path.is_file(), f"no catalogue {path}: run `{UPDATE}`"
    unescaped = [
        f"{message.string!r}: write {NUMBERED_TITLE.sub(lambda m: m[0].replace('.', chr(92) + '.'), message.string)!r}"
        for message in messages(read_catalogue(path))
        if NUMBERED_TITLE.match(message.id) and NUMBERED_TITLE.match(message.string)
    ]
    assert not unescaped, (
        f"{path.name}: a title or cell that starts with a number stays English unless its dot is escaped:\n"
        + ("\n".join(unescaped))
    )
