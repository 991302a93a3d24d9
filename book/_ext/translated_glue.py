"""Let ``{glue}`` roles work inside translated paragraphs.

Sphinx translates a paragraph by parsing its msgstr as a small document of its own
(``sphinx.transforms.i18n.Locale``). myst-nb looks a glue key up in the notebook of the
document it parses, and that small document has no notebook, so every number glued into a
translated sentence was lost with a warning. Here a transform that runs just before
``Locale`` remembers the page being translated, and a lookup that fails in the small
document is retried in that page's notebook. English pages never take the retry.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import Locale

_PAGE: dict[str, nodes.document] = {}


class RememberTranslatedPage(SphinxTransform):
    """Record the page whose paragraphs ``Locale`` is about to translate."""

    default_priority = Locale.default_priority - 1

    def apply(self, **kwargs: Any) -> None:
        _PAGE["current"] = self.document


def _with_page_fallback(retrieve):
    def retrieve_glue_data(document: nodes.document, key: str):
        from myst_nb.ext.glue.utils import RetrievalError

        try:
            return retrieve(document, key)
        except RetrievalError:
            page = _PAGE.get("current")
            if page is None or page is document:
                raise
            return retrieve(page, key)

    return retrieve_glue_data


def setup(app) -> dict[str, Any]:
    from myst_nb.ext.glue import directives, roles, utils

    fallback = _with_page_fallback(utils.retrieve_glue_data)
    roles.retrieve_glue_data = fallback
    directives.retrieve_glue_data = fallback
    app.add_transform(RememberTranslatedPage)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
