"""Let ``{glue}`` roles work inside translated paragraphs.

Sphinx translates a paragraph by parsing its msgstr as a small document of its own
(``sphinx.transforms.i18n.Locale``). myst-nb looks a glue key up in the notebook of the
document it parses, and that small document has no notebook, so every number glued into a
translated sentence was lost with a warning. myst-nb keeps a page's notebook renderer only
while it parses the page; here the renderer it drops is remembered, a transform that runs
just before ``Locale`` takes it as the renderer of the page being translated, and a lookup
that fails in a small document is retried in that page's glue data. English pages never
take the retry.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import Locale

_RENDERER: dict[str, Any] = {}  # "parsed": the last page's, "page": the page Locale translates


class _Attributes(dict):
    """A document's attributes that remember the notebook renderer myst-nb pops after parsing."""

    def pop(self, key, *default):
        if key == "nb_renderer" and key in self:
            _RENDERER["parsed"] = self[key]
        return super().pop(key, *default)


class RememberTranslatedPage(SphinxTransform):
    """Take the renderer of the page whose paragraphs ``Locale`` is about to translate."""

    default_priority = Locale.default_priority - 1

    def apply(self, **kwargs: Any) -> None:
        _RENDERER["page"] = _RENDERER.pop("parsed", None)


def _with_page_fallback(retrieve):
    def retrieve_glue_data(document: nodes.document, key: str):
        from myst_nb.ext.glue.utils import RetrievalError, VariableOutput

        try:
            return retrieve(document, key)
        except RetrievalError:
            page = _RENDERER.get("page")
            if page is None or document.get("nb_renderer") is page:
                raise
            glue = page.renderer.nb_client.glue_data
            if key not in glue:
                raise
            data = glue[key]
            return VariableOutput(data=data["data"], metadata=data.get("metadata", {}), nb_renderer=page, vtype="glue")

    return retrieve_glue_data


def _remembering(parse):
    def parse_page(self, inputstring: str, document: nodes.document) -> None:
        document.attributes = _Attributes(document.attributes)
        return parse(self, inputstring, document)

    return parse_page


def setup(app) -> dict[str, Any]:
    from myst_nb import sphinx_
    from myst_nb.ext.glue import directives, roles, utils

    fallback = _with_page_fallback(utils.retrieve_glue_data)
    roles.retrieve_glue_data = fallback
    directives.retrieve_glue_data = fallback
    sphinx_.Parser.parse = _remembering(sphinx_.Parser.parse)
    app.add_transform(RememberTranslatedPage)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
