"""Number figures, tables and equations per page, not across the whole book.

The table of contents is not numbered (the chapters carry their numbers in their titles),
so Sphinx's ``numfig`` counts figures across the whole book: chapter 5 would open with
"Fig. 17". After Sphinx has assigned its numbers, this extension renumbers each page's
figures, tables, code blocks and equations from 1, in the order Sphinx gave them, so each
chapter reads "Fig. 1", "Fig. 2", ... and ``{numref}`` and ``{eq}`` links follow.
"""

from __future__ import annotations

from typing import Any


def renumber(fignumbers: dict[str, dict[str, dict[str, tuple[int, ...]]]]) -> list[str]:
    """Number each document's items of each kind 1, 2, ... in their current order (in place).

    Returns the documents whose numbers changed.
    """
    changed = []
    for docname, kinds in fignumbers.items():
        for numbers in kinds.values():
            for index, key in enumerate(sorted(numbers, key=numbers.get), start=1):
                if numbers[key] != (index,):
                    numbers[key] = (index,)
                    changed.append(docname)
    return sorted(set(changed))


def renumber_per_page(app, env) -> list[str]:
    return renumber(env.toc_fignumbers)


def setup(app) -> dict[str, Any]:
    # Sphinx assigns its numbers in the toctree collector's env-get-updated handler (priority 500).
    app.connect("env-get-updated", renumber_per_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
