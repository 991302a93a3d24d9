"""Link every page of the book to the same page in the other language.

The English book is published at the root (``_build/html``) and the Indonesian one beside
it in ``id/`` (``_build/html/id``), both built from the same sources by
``scripts/build_book.py`` (the Indonesian text comes from ``locale/id/LC_MESSAGES``). Every
page gets, at the top of its text, a link to its counterpart in the other edition, and a
``<link rel="alternate" hreflang=...>`` in its head. The links are relative, so they work
on any host and from a local ``_build/html``.
"""

from __future__ import annotations

import html
from typing import Any

from sphinx.errors import ExtensionError

# language -> (folder under the published root, the language's own name, the link's title)
EDITIONS: dict[str, tuple[str, str, str]] = {
    "en": ("", "English", "Read this page in English"),
    "id": ("id/", "Bahasa Indonesia", "Baca halaman ini dalam Bahasa Indonesia"),
}


def check_language(app, config) -> None:
    """Stop the build with a clear error when the book is built in a language without an edition."""
    if config.language not in EDITIONS:
        raise ExtensionError(
            f"the book has no edition in language {config.language!r}; "
            f"edition_links.EDITIONS knows {', '.join(EDITIONS)}"
        )


def counterpart_url(pagename: str, language: str, other: str, suffix: str = ".html") -> str:
    """The relative URL from ``pagename`` in the ``language`` edition to the same page in ``other``.

    >>> counterpart_url("book/05_training", "en", "id")
    '../id/book/05_training.html'
    >>> counterpart_url("book/05_training", "id", "en")
    '../../book/05_training.html'
    """
    for name in (language, other):
        if name not in EDITIONS:
            raise ValueError(f"no edition in language {name!r}; known: {', '.join(EDITIONS)}")
    up = pagename.count("/") + EDITIONS[language][0].count("/")
    return "../" * up + EDITIONS[other][0] + pagename + suffix


def edition_switch(pagename: str, language: str, suffix: str = ".html") -> tuple[str, str]:
    """The HTML of the link(s) shown at the top of the page, and of the ``<link>`` tags for its head."""
    shown, head = [], []
    for other, (_, name, title) in EDITIONS.items():
        if other == language:
            continue
        url = html.escape(counterpart_url(pagename, language, other, suffix))
        shown.append(
            f'<a class="edition-link" href="{url}" hreflang="{other}" lang="{other}" '
            f'title="{html.escape(title)}">{html.escape(name)}</a>'
        )
        head.append(f'<link rel="alternate" hreflang="{other}" href="{url}" />')
    paragraph = f'<p class="edition-switch" style="text-align: right">{" · ".join(shown)}</p>\n'
    return paragraph, "\n".join(head) + "\n"


def add_edition_links(app, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Put the link to the other edition above the page's text (documents only, not search or index)."""
    if doctree is None or "body" not in context:
        return
    paragraph, head = edition_switch(pagename, app.config.language, app.builder.link_suffix)
    context["body"] = paragraph + context["body"]
    context["metatags"] = context.get("metatags", "") + head


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", check_language)
    app.connect("html-page-context", add_edition_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
