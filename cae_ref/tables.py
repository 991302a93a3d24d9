"""Markdown tables built in code: the one helper the experiments, benchmarks, grading and book use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_RULES = {"left": "---", "right": "---:", "center": ":---:"}


def markdown_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    align: str | Sequence[str] = "left",
) -> str:
    """A GitHub/MyST Markdown table: one header row, one rule row, then ``rows`` (cells via ``str``).

    ``align`` is ``"left"``, ``"right"`` or ``"center"`` for every column, or one of those per column
    (a common choice: the first column left, numbers right). Returns the lines joined by newlines,
    without a trailing newline.
    """
    aligns = [align] * len(headers) if isinstance(align, str) else list(align)
    if len(aligns) != len(headers):
        raise ValueError(
            f"{len(headers)} columns but {len(aligns)} alignments"
        )
    unknown = sorted(set(aligns) - set(_RULES))
    if unknown:
        raise ValueError(
            f"unknown alignment(s) {unknown}; use {sorted(_RULES)}"
        )
    lines = [_row(headers), "|" + "|".join(_RULES[a] for a in aligns) + "|"]
    for row in rows:
        cells = [str(cell) for cell in row]
        if len(cells) != len(headers):
            raise ValueError(
                f"a row has {len(cells)} cells, the table {len(headers)} columns: {cells}"
            )
        lines.append(_row(cells))
    return "\n".join(lines)


def _row(cells: Iterable[object]) -> str:
    return (
        "|"
        + "|".join(f" {cell} " if str(cell) else " " for cell in cells)
        + "|"
    )


def numbers_right(columns: int) -> list[str]:
    """Alignment for a table whose first column names a row and whose other columns hold numbers."""
    return ["left", *["right"] * (columns - 1)]
