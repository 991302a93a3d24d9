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

Colab renders plain Markdown only, so the rest of the MyST markup is rewritten too
(``render_myst``): glued values and ``{{ substitutions }}`` are filled in, citations become
"(Author, year)" with a reference list at the end, admonitions become quotes and dropdowns
``<details>``, glossary terms plain text, ``{doc}`` links to the published book, and figure
and equation references their numbers on the page.
"""

from __future__ import annotations

import ast
import importlib.util
import json
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


# ---------------------------------------------------------------------------------------------
# The rest of MyST, as plain Markdown for Colab.

GLUE = re.compile(r"\{glue(?::(?P<kind>[a-z]+))?\}`(?P<content>[^`]*)`")
SUBSTITUTION = re.compile(r"\{\{\s*(?P<name>[\w.-]+)\s*\}\}")
ROLE = re.compile(r"\{(?P<role>term|doc|ref|numref|eq|cite(?::[a-z]+)?)\}`(?P<content>[^`]*)`")
DIRECTIVE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<argument>.*)$")
LABELLED_MATH = re.compile(r"\$\$(?P<math>.*?)\$\$[ \t]*\((?P<label>[\w:-]+)\)", flags=re.S)
QUOTED = {"note": "Note", "tip": "Tip", "warning": "Warning", "important": "Important", "seealso": "See also"}


def glued_values(notebook) -> dict[str, dict[str, Any]]:
    """name -> the output data that ``glue(name, value)`` stored in an executed notebook."""
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                values[name] = dict(output.get("data", {}))
    return values


def _glue_text(data: dict[str, Any], kind: str | None, spec: str) -> str:
    if "text/markdown" in data and kind in {"md", None, "any"}:
        return str(data["text/markdown"]).strip()
    text = str(data.get("text/plain", "")).strip()
    if spec:
        try:
            return format(ast.literal_eval(text), spec)
        except (ValueError, SyntaxError, TypeError):
            return text
    return text.strip("'\"")


def render_glue(markdown: str, values: dict[str, dict[str, Any]]) -> str:
    """``markdown`` with each ``{glue:...}`` role replaced by its value (formatted as the role says)."""

    def replace(match: re.Match) -> str:
        name, _, spec = match["content"].partition(":")
        if name not in values:
            raise ValueError(f"no glued value {name!r} in the notebook for {match[0]}")
        return _glue_text(values[name], match["kind"], spec)

    return GLUE.sub(replace, markdown)


def fill_substitutions(markdown: str, substitutions: dict[str, Any]) -> str:
    """``markdown`` with each ``{{ name }}`` replaced by ``substitutions[name]``; an unknown name raises."""

    def replace(match: re.Match) -> str:
        if match["name"] not in substitutions:
            raise ValueError(f"no MyST substitution named {match['name']!r}")
        return str(substitutions[match["name"]])

    return SUBSTITUTION.sub(replace, markdown)


def _authors(entry) -> str:
    names = [" ".join(person.last_names) for person in entry.persons.get("author", entry.persons.get("editor", []))]
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names) or entry.fields.get("title", "?")


def citation(keys: list[str], bibliography, textual: bool) -> str:
    """ "(Kingma and Welling, 2014)" or, textual, "Kingma and Welling (2014)"."""
    missing = [key for key in keys if key not in bibliography.entries]
    if missing:
        raise ValueError(f"no bibliography entry for {missing}")
    entries = [bibliography.entries[key] for key in keys]
    if textual:
        return "; ".join(f"{_authors(entry)} ({entry.fields.get('year', 'n.d.')})" for entry in entries)
    return "(" + "; ".join(f"{_authors(entry)}, {entry.fields.get('year', 'n.d.')}" for entry in entries) + ")"


def reference_list(keys: list[str], bibliography) -> str:
    """A Markdown list of the cited entries, formatted by pybtex's plain style, in citation order."""
    from pybtex.plugin import find_plugin

    style = find_plugin("pybtex.style.formatting", "plain")()
    formatted = {
        entry.key: entry.text.render_as("text")
        for entry in style.format_entries([bibliography.entries[key] for key in keys])
    }
    return "## References\n\n" + "\n".join(f"- {formatted[key]}" for key in keys)


def page_labels(notebook) -> dict[str, str]:
    """label -> its number on this page: figures ("Figure 2") and equations ("(1)"), in page order."""
    labels, figures, equations = {}, 0, 0
    for cell in notebook.cells:
        if cell.cell_type == "code":
            name = cell.metadata.get("mystnb", {}).get("figure", {}).get("name")
            if name:
                figures += 1
                labels[name] = f"Figure {figures}"
            continue
        for match in re.finditer(r"^:name:[ \t]*(\S+)|\$\$[ \t]*\(([\w:-]+)\)|^:label:[ \t]*(\S+)", cell.source, re.M):
            if match[1]:
                figures += 1
                labels[match[1]] = f"Figure {figures}"
            else:
                equations += 1
                labels[match[2] or match[3]] = f"({equations})"
    return labels


def _doc_title(target: str, folder: Path) -> str:
    path = folder / f"{Path(target).name}.md"
    heading = re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), flags=re.M) if path.is_file() else None
    return heading[1].strip() if heading else Path(target).name


def render_roles(
    markdown: str, labels: dict[str, str], bibliography, cited: list[str], folder: Path, book_url: str
) -> str:
    """``markdown`` with term, doc, ref, numref, eq and cite roles as plain Markdown; cited keys go to ``cited``."""

    def replace(match: re.Match) -> str:
        role, content = match["role"], match["content"]
        explicit = re.fullmatch(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>", content, flags=re.S)
        text, target = (explicit["text"], explicit["target"]) if explicit else (None, content.strip())
        if role == "term":
            return text or target
        if role == "doc":
            name = Path(target).name
            return f"[{text or _doc_title(name, folder)}]({book_url}book/{name}.html)"
        if role == "ref":
            return text or target
        if role in {"numref", "eq"}:
            if target not in labels:
                raise ValueError(f"{{{role}}}`{content}`: no label {target!r} on this page")
            number = labels[target]
            if text:
                bare = number.split()[-1].strip("()")
                return text.replace("%s", bare).replace("{number}", bare)
            return number
        keys = [key.strip() for key in target.split(",")]
        cited.extend(key for key in keys if key not in cited)
        return citation(keys, bibliography, textual=role == "cite:t")

    return ROLE.sub(replace, markdown)


def number_equations(markdown: str, labels: dict[str, str]) -> str:
    """``$$ ... $$ (label)`` as ``$$ ... \\tag{n} $$``, which Colab's MathJax numbers."""

    def replace(match: re.Match) -> str:
        number = labels.get(match["label"], "").strip("()")
        return f"$${match['math'].rstrip()}\n\\tag{{{number}}}\n$$" if number else f"$${match['math']}$$"

    return LABELLED_MATH.sub(replace, markdown)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip("\n").splitlines())


def render_directives(markdown: str, labels: dict[str, str], raw_root: str) -> str:
    """Admonitions as quotes, dropdowns as ``<details>``, figures as images, ``{math}`` as ``$$``."""
    lines, out, index = markdown.split("\n"), [], 0
    while index < len(lines):
        match = DIRECTIVE.match(lines[index])
        if not match:
            out.append(lines[index])
            index += 1
            continue
        fence, name, argument = match["fence"], match["name"], match["argument"].strip()
        options, body, index = {}, [], index + 1
        while index < len(lines) and (option := re.match(r"^[ \t]*:([\w-]+):[ \t]*(.*)$", lines[index])):
            options[option[1]] = option[2].strip()
            index += 1
        closing = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        while index < len(lines) and not closing.match(lines[index]):
            body.append(lines[index])
            index += 1
        index += 1
        content = render_directives("\n".join(body), labels, raw_root).strip("\n")
        classes = options.get("class", "").split()
        if name == "math":
            number = labels.get(options.get("label", ""), "").strip("()")
            out.append(f"$$\n{content}\n" + (f"\\tag{{{number}}}\n" if number else "") + "$$")
        elif name == "figure":
            source = argument.lstrip("./")
            while source.startswith("../"):
                source = source[3:]
            number = labels.get(options.get("name", ""), "Figure")
            out.append(f"![{options.get('alt', '')}]({raw_root}/{source})\n\n*{number}: {content}*")
        elif "dropdown" in classes or name == "dropdown":
            out.append(f"<details>\n<summary><b>{argument or 'Details'}</b></summary>\n\n{content}\n\n</details>")
        else:
            title = argument or QUOTED.get(name, name.capitalize())
            out.append(_quote(f"**{title}**\n\n{content}"))
    return "\n".join(out)


def render_myst(
    notebook,
    substitutions: dict[str, Any],
    bibliography,
    folder: Path,
    book_url: str,
    raw_root: str,
    glued: dict[str, dict[str, Any]] | None = None,
):
    """Rewrite every Markdown cell of ``notebook`` (in place) as plain Markdown; append the references.

    ``glued`` holds the values myst-nb kept out of the notebook (``<page>.glue.json``).
    """
    values, labels, cited = {**glued_values(notebook), **(glued or {})}, page_labels(notebook), []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        source = inline_literalincludes(cell.source, folder) if "{literalinclude}" in cell.source else cell.source
        source = render_glue(source, values)
        source = fill_substitutions(source, substitutions)
        source = render_roles(source, labels, bibliography, cited, folder, book_url)
        source = number_equations(source, labels)
        cell.source = render_directives(source, labels, raw_root)
    if cited:
        notebook.cells.append(nbformat.v4.new_markdown_cell(reference_list(cited, bibliography)))
    return notebook


def render_myst_in_published_notebooks(
    notebooks: Path,
    source_root: Path,
    substitutions: dict[str, Any],
    bibfiles: list[Path],
    book_url: str,
    raw_root: str,
    glue_folder: Path | None = None,
) -> list[Path]:
    """``render_myst`` on every notebook under ``notebooks`` (``_sources``); returns the notebooks changed.

    ``glue_folder`` is myst-nb's ``jupyter_execute`` folder, where it keeps each page's glued values.
    """
    from pybtex.database import BibliographyData, parse_file

    bibliography = BibliographyData()
    for path in bibfiles:
        for key, entry in parse_file(str(path)).entries.items():
            bibliography.add_entry(key, entry)
    changed = []
    for path in sorted(notebooks.rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        before = [cell.source for cell in notebook.cells]
        relative = path.parent.relative_to(notebooks)
        folder = source_root / relative
        cache = glue_folder / relative / f"{path.stem}.glue.json" if glue_folder else None
        glued = json.loads(cache.read_text(encoding="utf-8")) if cache and cache.is_file() else {}
        glued = {name: output.get("data", {}) for name, output in glued.items()}
        render_myst(notebook, substitutions, bibliography, folder, book_url, raw_root, glued)
        if [cell.source for cell in notebook.cells] != before:
            nbformat.write(notebook, path)
            changed.append(path)
    return changed


def colab_install_in_published_notebooks(app, exception) -> None:
    """After an HTML build, prepare ``_sources/**/*.ipynb`` (the notebooks Colab opens) for Colab.

    Each gets the install in front of its bootstrap line, the included source in place of
    its ``literalinclude`` blocks, and plain Markdown in place of the other MyST markup.
    """
    options = app.config.html_theme_options
    repository = options.get("repository_url", "")
    if exception is not None or app.builder.format != "html":
        return
    published = Path(app.outdir) / "_sources"
    tag = release_tag()
    if repository:
        add_colab_install(published, repository, tag)
    inline_sources_in_published_notebooks(published, Path(app.srcdir))
    raw_root = repository.rstrip("/").replace("https://github.com/", "https://raw.githubusercontent.com/") + f"/{tag}"
    render_myst_in_published_notebooks(
        published,
        Path(app.srcdir),
        dict(getattr(app.config, "myst_substitutions", {}) or {}),
        [Path(app.srcdir) / name for name in getattr(app.config, "bibtex_bibfiles", [])],
        _load("_cae_course", Path(__file__).resolve().parents[2] / "cae_ref" / "course.py").BOOK_URL,
        raw_root,
        Path(app.outdir).parent / "jupyter_execute",  # myst-nb's OUTPUT_FOLDER, with <page>.glue.json
    )


def setup(app) -> dict[str, Any]:
    # sphinx-book-theme adds its launch buttons at priority 501; run after it.
    app.connect("html-page-context", colab_to_published_notebook, priority=600)
    app.connect("build-finished", colab_install_in_published_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
