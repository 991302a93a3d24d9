"""What the Indonesian edition translates, where Sphinx's defaults fall short for this book.

- Figure captions and alt text (``mystnb: figure: caption`` and ``image: alt`` in a code
  cell's metadata) are the author's words: translated like the prose. Sphinx's gettext
  builder would miss the alt text: myst-nb gives that builder the plain-text form of a
  figure, not the image. Here it picks each output as the HTML builder does, so the
  templates hold the messages that the HTML pages show.
- Text that code prints or displays (the exercise table of chapter 10, INSTRUCTORS.md on
  the instructor guide) is output, as in the English pages: it is neither extracted nor
  translated, like the numbers and plot labels the code makes.
- The captions of the table of contents ("Foundations", ...) are messages of the root page,
  but sphinx-external-toc inserts them after Sphinx has translated that page; they are
  translated here from the same catalogue.
- myst-nb's buttons for hidden cells ("Show code cell content") and the figure numbers'
  prefix ("Figure 1") are settings, not messages: ``INTERFACE`` holds them per language.
"""

from __future__ import annotations

from os import path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

# myst-nb settings that the reader sees as words, per language other than English.
INTERFACE: dict[str, dict[str, Any]] = {
    "id": {
        "nb_code_prompt_show": "Tampilkan sel kode",
        "nb_code_prompt_hide": "Sembunyikan sel kode",
        "numfig_format": {"figure": "Gambar %s", "table": "Tabel %s", "code-block": "Kode %s"},
    },
}


def interface_words(app, config) -> None:
    """Put the edition's words on myst-nb's buttons for hidden cells."""
    for name, value in INTERFACE.get(config.language, {}).items():
        config[name] = value


def gettext_sees_what_html_shows(app, config) -> None:
    """Give the gettext builder myst-nb's output priorities of the HTML builder (images before text)."""
    from myst_nb.core.render import base_render_priority

    html = base_render_priority()["html"]
    overrides = list(config.nb_mime_priority_overrides)
    config.nb_mime_priority_overrides = overrides + [("gettext", mime, rank) for mime, rank in html.items()]


def _is_cell_output(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "cell_output" in node.get("classes", [])


def _under_caption(node: nodes.Node, output: nodes.Node) -> bool:
    parent = node
    while parent is not None and parent is not output:
        if isinstance(parent, (nodes.caption, nodes.legend)):
            return True
        parent = parent.parent
    return False


class KeepPrintedOutputs(SphinxTransform):
    """Mark the text of code cell outputs as not translatable, captions excepted."""

    default_priority = 15  # before sphinx.transforms.i18n.Locale (20), which translates

    def apply(self, **kwargs: Any) -> None:
        for output in self.document.findall(_is_cell_output):
            for node in output.findall(nodes.TextElement):
                if not _under_caption(node, output):
                    node["translatable"] = False


class TranslateTocCaptions(SphinxTransform):
    """Translate the captions of the toctrees that sphinx-external-toc inserted (its priority: 100)."""

    default_priority = 101

    def apply(self, **kwargs: Any) -> None:
        toctrees = [node for node in self.document.findall(addnodes.toctree) if node.get("rawcaption")]
        if not toctrees:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        folders = [path.join(self.env.srcdir, folder) for folder in self.config.locale_dirs]
        catalogue, found = init_locale(folders, self.config.language, domain)
        if not found:
            return
        for toctree in toctrees:
            caption = toctree["rawcaption"]
            translated = catalogue.gettext(caption)
            if translated and translated != caption:
                toctree.apply_translated_message(caption, translated)


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", gettext_sees_what_html_shows)
    app.connect("config-inited", interface_words)
    app.add_transform(KeepPrintedOutputs)
    app.add_transform(TranslateTocCaptions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
