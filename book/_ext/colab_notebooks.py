"""Point the book's Colab buttons at notebooks that Colab can open.

The chapters are MyST Markdown files (``book/05_training.md``). sphinx-book-theme links
Colab to that ``.md`` file on GitHub, which Colab cannot open. The HTML build, however,
writes each chapter as an executed notebook to ``_build/html/_sources/book/<page>.ipynb``,
and publishing the book with ``ghp-import -n -p -f _build/html`` puts that folder on the
``gh-pages`` branch. This extension rewrites every Colab link to that notebook.
"""

from __future__ import annotations

from typing import Any

PUBLISHED_BRANCH = "gh-pages"


def _rewrite(buttons: list[dict[str, Any]], colab_url: str, old: str, new: str) -> None:
    for button in buttons:
        if button.get("type") == "group":
            _rewrite(button.get("buttons", []), colab_url, old, new)
        elif str(button.get("url", "")).startswith(colab_url) and button["url"].endswith(old):
            button["url"] = button["url"][: -len(old)] + new


def colab_to_published_notebook(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Replace ``blob/<branch>/<page>.md`` with ``blob/gh-pages/_sources/<page>.ipynb`` in Colab links."""
    options = app.config.html_theme_options
    colab_url = options.get("launch_buttons", {}).get("colab_url", "").rstrip("/")
    branch = options.get("repository_branch", "main")
    if not colab_url or "header_buttons" not in context:
        return
    old = f"/blob/{branch}/{pagename}.md"
    new = f"/blob/{PUBLISHED_BRANCH}/_sources/{pagename}.ipynb"
    _rewrite(context["header_buttons"], colab_url, old, new)


def setup(app) -> dict[str, Any]:
    # sphinx-book-theme adds its launch buttons at priority 501; run after it.
    app.connect("html-page-context", colab_to_published_notebook, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
