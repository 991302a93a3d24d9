"""Keep hand-translated parallel pages (``README.id.md``, ``INSTRUCTORS.id.md``) in step with their English source.

Usage::

    python scripts/parallel_translations.py check [--root DIR]
    python scripts/parallel_translations.py accept FILE SECTION [--root DIR]

Each translated section of a parallel page ``<name>.<lang>.md`` is preceded by a marker naming the English
section it translates and a hash of that section's text when it was translated::

    <!-- source: README.md "## Quick start" sha256=0123456789ab -->

**Section text.** A section starts at its heading line (an ATX heading, ``#`` to ``######`` followed by a space,
outside fenced code blocks) and runs up to, not including, the next heading of the same or a higher level (as
many ``#`` or fewer), or the end of the file. A document's level-1 title is the exception: its section is the
opening, from the title line to the next heading of any level. The text is those lines with trailing whitespace
removed from each line and trailing blank lines dropped, joined with ``\\n`` plus one final ``\\n``; the hash is the
first 12 hex digits of its SHA-256 (UTF-8), computed with the release tag in Colab links to the exercises
(``/blob/<tag>/exercises/``) masked, since a release re-points them. Nothing else is normalised: a changed
word, link, number or code line changes the hash. A translated section is delimited in the parallel page by the
same rule, starting at the first heading after its marker; marker lines are not part of it.

``check`` reports, for every parallel page under the root, each section whose English text no longer matches its
marker's hash (stale: the English changed since the translation), whose source file or heading vanished, whose
heading is ambiguous or whose fenced code blocks differ from the English ones (commands are not translated: the
blocks, in order, must be equal byte for byte after trailing whitespace is removed); it exits 1 when it reports
anything. ``accept FILE SECTION`` rewrites that one marker's hash to the English section's current hash, after the
translator has updated the translated section.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

MARKER = re.compile(r'^<!-- source: (?P<file>\S+) "(?P<section>#{1,6} [^"]+)" sha256=(?P<hash>[0-9a-f]{12}) -->$')
HEADING = re.compile(r"^(#{1,6}) \S")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
PARALLEL_GLOB = "*.id.md"
# A release re-points the Colab links at its tag (scripts/set_course_version.py, in both languages):
# that is not a change a translator has to follow.
RELEASE_LINK = re.compile(r"/blob/[^/\s)\"']+/exercises/")


@dataclass(frozen=True)
class Marker:
    """One ``<!-- source: ... -->`` line of a parallel page."""

    line: int  # 0-based index in the parallel page
    file: str  # the English file, relative to the parallel page's folder
    section: str  # the English heading line, e.g. "## Quick start"
    digest: str  # 12 hex digits recorded when the section was translated


def heading_level(line: str) -> int:
    """Return the ATX heading level of ``line`` (1 to 6), or 0 when it is not a heading."""
    match = HEADING.match(line)
    return len(match.group(1)) if match else 0


def heading_indices(lines: list[str]) -> list[int]:
    """Return the indices of the heading lines of ``lines``, skipping those inside fenced code blocks."""
    indices: list[int] = []
    fence = ""
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            fence = match.group(1)
        elif heading_level(line):
            indices.append(index)
    return indices


def section_lines(lines: list[str], start: int) -> list[str]:
    """Return the lines of the section whose heading is ``lines[start]`` (module docstring: "Section text")."""
    level = heading_level(lines[start])
    end = len(lines)
    for index in heading_indices(lines):
        if index > start and (level == 1 or heading_level(lines[index]) <= level):
            end = index
            break
    return lines[start:end]


def normalise(lines: list[str]) -> str:
    """Strip trailing whitespace from each line, drop trailing blank lines, end with one newline."""
    return "\n".join(line.rstrip() for line in lines).rstrip("\n") + "\n"


def digest(text: str) -> str:
    """Return the first 12 hex digits of the SHA-256 of ``text`` (UTF-8), release tags in links ignored."""
    text = RELEASE_LINK.sub("/blob/<release>/exercises/", text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def find_section(lines: list[str], heading: str) -> list[int]:
    """Return the indices of the heading lines equal to ``heading`` (after trailing whitespace is removed)."""
    return [index for index in heading_indices(lines) if lines[index].rstrip() == heading]


def english_section(path: Path, heading: str) -> tuple[str | None, str]:
    """Return (the normalised section text, "") or (None, why it cannot be read)."""
    if not path.is_file():
        return None, f"source file {path.name} is missing"
    lines = path.read_text(encoding="utf-8").splitlines()
    found = find_section(lines, heading)
    if not found:
        return None, f"source heading {heading!r} vanished from {path.name}"
    if len(found) > 1:
        return None, f"source heading {heading!r} occurs {len(found)} times in {path.name}"
    return normalise(section_lines(lines, found[0])), ""


def code_blocks(text: str) -> list[str]:
    """Return the fenced code blocks of ``text`` (fence lines included), in order."""
    blocks: list[str] = []
    current: list[str] = []
    fence = ""
    for line in text.splitlines():
        match = FENCE.match(line)
        if fence:
            current.append(line.rstrip())
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                blocks.append("\n".join(current))
                current, fence = [], ""
        elif match:
            fence, current = match.group(1), [line.rstrip()]
    return blocks


def markers(lines: list[str]) -> list[Marker]:
    """Return the markers of a parallel page, in order."""
    found: list[Marker] = []
    for index, line in enumerate(lines):
        match = MARKER.match(line.rstrip())
        if match:
            found.append(Marker(index, match["file"], match["section"], match["hash"]))
    return found


def translated_section(lines: list[str], marker: Marker) -> str | None:
    """Return the translated section following ``marker`` (normalised, marker lines left out), or None."""
    following = [index for index in heading_indices(lines) if index > marker.line]
    if not following:
        return None
    kept = [line for line in section_lines(lines, following[0]) if not MARKER.match(line.rstrip())]
    return normalise(kept)


def check_page(page: Path) -> list[str]:
    """Return one problem line per stale, orphaned or code-changed section of one parallel page."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found = markers(lines)
    if not found:
        return [f"{page.name}: no '<!-- source: ... -->' marker; every translated section needs one"]
    problems: list[str] = []
    for marker in found:
        where = f'{page.name}:{marker.line + 1}: {marker.file} "{marker.section}"'
        english, why = english_section(page.parent / marker.file, marker.section)
        if english is None:
            problems.append(f"{where}: {why}")
            continue
        if digest(english) != marker.digest:
            problems.append(
                f"{where}: stale, the English section changed since it was translated "
                f"(marker {marker.digest}, now {digest(english)}); update the translation, then run "
                f'`python scripts/parallel_translations.py accept {page.name} "{marker.section}"`'
            )
        translated = translated_section(lines, marker)
        if translated is None:
            problems.append(f"{where}: no heading follows the marker")
            continue
        if heading_level(translated) != heading_level(english):
            problems.append(f"{where}: the translated heading's level differs from the English one")
        if code_blocks(translated) != code_blocks(english):
            problems.append(f"{where}: its fenced code blocks differ from the English section's (never translate them)")
    return problems


def parallel_pages(root: Path) -> list[Path]:
    """Return the parallel pages directly under ``root``."""
    return sorted(root.glob(PARALLEL_GLOB))


def check(root: Path) -> list[str]:
    """Return every problem of every parallel page under ``root`` (empty when all are in step)."""
    return [problem for page in parallel_pages(root) for problem in check_page(page)]


def accept(page: Path, section: str) -> str:
    """Rewrite the hash of ``page``'s marker for ``section`` to the English section's current one; return it.

    Raises ``ValueError`` when the page has no such marker (or several) or the English section cannot be read.
    """
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    chosen = [marker for marker in markers([line.rstrip("\n") for line in lines]) if marker.section == section]
    if len(chosen) != 1:
        raise ValueError(f"{page.name} has {len(chosen)} markers for {section!r}; expected exactly one")
    marker = chosen[0]
    english, why = english_section(page.parent / marker.file, section)
    if english is None:
        raise ValueError(why)
    new = digest(english)
    ending = "\n" if lines[marker.line].endswith("\n") else ""
    lines[marker.line] = f'<!-- source: {marker.file} "{section}" sha256={new} -->{ending}'
    page.write_text("".join(lines), encoding="utf-8")
    return new


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (0 in step, 1 problems found, 2 usage error)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="list stale or orphaned translated sections (exit 1 if any)")
    accepting = commands.add_parser("accept", help="record a translated section as up to date")
    accepting.add_argument("file", help="the parallel page, e.g. README.id.md")
    accepting.add_argument("section", help='the English heading, e.g. "## Quick start"')
    args = parser.parse_args(argv)
    if args.command == "check":
        problems = check(args.root)
        for problem in problems:
            print(problem)
        pages = len(parallel_pages(args.root))
        print(f"{len(problems)} problem(s) in {pages} parallel page(s)" if problems else f"{pages} page(s) in step")
        return 1 if problems else 0
    try:
        new = accept(args.root / args.file, args.section)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f'{args.file} "{args.section}" sha256={new}')
    return 0


if __name__ == "__main__":
    sys.exit(main())
