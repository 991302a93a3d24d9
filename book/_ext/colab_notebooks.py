"""Point the book's Colab buttons at notebooks that Colab can open.

The chapters are MyST Markdown files (``book/05_training.md``). sphinx-book-theme links
Colab to that ``.md`` file on GitHub, which Colab cannot open. The HTML build, however,
writes each chapter as an executed notebook to ``_build/html/_sources/book/<page>.ipynb``,
and publishing the book with ``ghp-import -n -p -f _build/html`` puts that folder on the
``gh-pages`` branch. This extension rewrites every Colab link to that notebook.

Colab opens that notebook alone, without ``cae_ref`` and without ``book/chapter_setup.py``,
which every chapter imports in its first cell. After the build the extension therefore puts
``chapter_setup.COLAB_INSTALL`` (install and download, on Colab only) in front of that import
in each published notebook; the pages themselves are unchanged. Both come from the course's
release tag (``RELEASE_TAG`` in ``cae_ref/course.py``), like the exercises' setup cells: build
and publish the book from that tag once it is pushed (INSTRUCTORS.md, Releasing a version).

The chapters also show ``cae_ref``'s real source with Sphinx's ``literalinclude`` directive
(``:pyobject:`` names the function). Colab would show that directive as raw text, so the
published notebooks get the included source itself as a fenced ``python`` block, cut from the
file by the same ``sphinx.pycode.ModuleAnalyzer`` that ``literalinclude`` uses.
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat

PUBLISHED_BRANCH = "gh-pages"

# A MyST ``literalinclude`` block: the fence, the file, then one ``:option: value`` per line.
LITERALINCLUDE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{literalinclude\}[ \t]+(?P<path>\S+)[ \t]*\n"
    r"(?P<options>(?:[ \t]*:[\w-]+:.*\n)*)[ \t]*(?P=fence)[ \t]*$",
    flags=re.M,
)


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


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _chapter_setup() -> ModuleType:
    return _load("chapter_setup", Path(__file__).resolve().parents[1] / "chapter_setup.py")


def release_tag() -> str:
    """The course's release tag, read from ``cae_ref/course.py`` by path (the build need not install cae_ref)."""
    return _load("_cae_course", Path(__file__).resolve().parents[2] / "cae_ref" / "course.py").RELEASE_TAG


def pyobject_source(path: Path, name: str, dedent: bool = False) -> str:
    """The lines of ``name`` (``func`` or ``Class.method``) in ``path``, as ``literalinclude :pyobject:`` shows them."""
    from sphinx.pycode import ModuleAnalyzer

    tags = ModuleAnalyzer.for_file(str(path), "").find_tags()
    if name not in tags:
        raise ValueError(f"{path} has no object named {name!r}")
    _, start, end = tags[name]
    text = "".join(path.read_text(encoding="utf-8").splitlines(True)[start - 1 : end])
    return (textwrap.dedent(text) if dedent else text).rstrip("\n")


def inline_literalincludes(markdown: str, folder: Path) -> str:
    """``markdown`` with each ``literalinclude`` of a ``:pyobject:`` replaced by a fenced python block of its source.

    Relative paths are read from ``folder`` (the chapter's folder), as Sphinx reads them.
    """

    def replace(match: re.Match) -> str:
        options = dict(re.findall(r"^[ \t]*:([\w-]+):[ \t]*(.*?)[ \t]*$", match["options"], flags=re.M))
        if "pyobject" not in options:
            return match[0]
        source = pyobject_source(folder / match["path"], options["pyobject"], dedent="dedent" in options)
        return f"```{options.get('language', 'python')}\n{source}\n```"

    return LITERALINCLUDE.sub(replace, markdown)


def inline_sources_in_published_notebooks(notebooks: Path, source_root: Path) -> list[Path]:
    """Inline the ``literalinclude`` blocks of every notebook under ``notebooks`` (``_sources``).

    ``_sources/book/05_training.ipynb`` is the chapter ``source_root/book/05_training.md``, so
    included paths resolve from ``source_root/book``. Returns the notebooks changed.
    """
    changed = []
    for path in sorted(notebooks.rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        folder = source_root / path.parent.relative_to(notebooks)
        edited = False
        for cell in notebook.cells:
            if cell.cell_type == "markdown" and "{literalinclude}" in cell.source:
                source = inline_literalincludes(cell.source, folder)
                edited |= source != cell.source
                cell.source = source
        if edited:
            nbformat.write(notebook, path)
            changed.append(path)
    return changed


def add_colab_install(notebooks: Path, repository: str, branch: str) -> list[Path]:
    """Put the Colab install in front of the chapter bootstrap of every notebook under ``notebooks``.

    Returns the notebooks changed; a notebook without the bootstrap line is left as it is.
    """
    colab_cell = _chapter_setup().colab_cell
    changed = []
    for path in sorted(notebooks.rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        cell = next((cell for cell in notebook.cells if cell.cell_type == "code"), None)
        if cell is None:
            continue
        source = colab_cell(cell.source, repository, branch)
        if source != cell.source:
            cell.source = source
            nbformat.write(notebook, path)
            changed.append(path)
    return changed


def colab_install_in_published_notebooks(app, exception) -> None:
    """After an HTML build, prepare ``_sources/**/*.ipynb`` (the notebooks Colab opens) for Colab.

    Each gets the install in front of its bootstrap line and the included source in place of
    its ``literalinclude`` blocks.
    """
    options = app.config.html_theme_options
    repository = options.get("repository_url", "")
    if exception is not None or app.builder.format != "html":
        return
    published = Path(app.outdir) / "_sources"
    if repository:
        add_colab_install(published, repository, release_tag())
    inline_sources_in_published_notebooks(published, Path(app.srcdir))


def setup(app) -> dict[str, Any]:
    # sphinx-book-theme adds its launch buttons at priority 501; run after it.
    app.connect("html-page-context", colab_to_published_notebook, priority=600)
    app.connect("build-finished", colab_install_in_published_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
