"""The one Markdown table helper."""

from __future__ import annotations

import pytest

from cae_ref.tables import markdown_table, numbers_right


def test_header_rule_and_rows() -> None:
    table = markdown_table(("name", "value"), [("a", 1), ("b", "2.5")], align=numbers_right(2))
    assert table.splitlines() == ["| name | value |", "|---|---:|", "| a | 1 |", "| b | 2.5 |"]


def test_alignments_and_empty_cells() -> None:
    table = markdown_table(("x", "y", "z"), [("1", "", "")], align=("center", "left", "right"))
    assert table.splitlines()[1:] == ["|:---:|---|---:|", "| 1 | | |"]
    assert markdown_table(("x",), []) == "| x |\n|---|"


def test_mismatched_rows_and_alignments_are_refused() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        markdown_table(("a", "b", "c"), [(1, 2)])
    with pytest.raises(ValueError, match="alignments"):
        markdown_table(("a", "b"), [], align=("left",))
    with pytest.raises(ValueError, match="unknown alignment"):
        markdown_table(("a",), [], align="middle")
