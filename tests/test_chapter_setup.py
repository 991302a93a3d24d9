"""The book's one-line chapter bootstrap (book/chapter_setup.py) and its Colab preparation (book/_ext)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
BOOK = REPO_ROOT / "book"
sys.path.insert(0, str(BOOK))
sys.path.insert(0, str(BOOK / "_ext"))

import chapter_setup  # noqa: E402
import colab_notebooks  # noqa: E402

CHAPTERS = sorted(BOOK.glob("0*.md"))
REPOSITORY = "https://github.com/cae-course/cae-fashion-mnist"


def _code_cells(path: Path) -> list[str]:
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)\n```", path.read_text(), flags=re.S)
    return [re.sub(r"^:tags:.*\n\n?", "", cell) for cell in cells]


def test_every_chapter_starts_with_the_one_line_bootstrap():
    assert len(CHAPTERS) == 9
    for path in CHAPTERS:
        first = _code_cells(path)[0].strip()
        assert first.startswith(chapter_setup.BOOTSTRAP_LINE) and "\n" not in first, f"{path.name}: {first[:80]!r}"
        text = path.read_text()
        for pasted in ("def readable", "def glue", "BUDGETS =", "google.colab", "sys.path.insert"):
            assert pasted not in text, f"{path.name} still pastes {pasted!r}"
        for plumbing in ("threadpool_limits", "setLevel(", "book_profile(", "BUDGET = cae_ref"):
            assert plumbing not in text, f"{path.name} sets up {plumbing!r} on the page: chapter_setup does that"


def test_the_bootstrap_sets_up_threads_logging_fonts_and_the_budget():
    code = (
        "import logging, matplotlib, matplotlib.font_manager\n"
        "from threadpoolctl import threadpool_info\n"
        "from chapter_setup import BUDGET, PROFILE, glue\n"
        "import cae_ref\n"
        "assert logging.getLogger('tensorflow').level == logging.ERROR\n"
        "assert all(pool['num_threads'] == 1 for pool in threadpool_info()), threadpool_info()\n"
        "small = matplotlib.font_manager.font_scalings['small']\n"
        "assert matplotlib.rcParams['font.size'] * small >= 9\n"
        "for key in ('xtick.labelsize', 'ytick.labelsize', 'legend.fontsize'):\n"
        "    assert matplotlib.rcParams[key] >= 9, key\n"
        "assert PROFILE == 'quick' and BUDGET == cae_ref.BOOK_BUDGETS['quick']\n"
        "print('ok')"
    )
    env = {**os.environ, "CAE_BOOK_PROFILE": "quick"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BOOK, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr[-2000:]


def test_colab_cell_finds_an_older_bootstrap_line():
    cell = chapter_setup.colab_cell("from chapter_setup import glue", REPOSITORY, "v1")
    assert cell.count("google.colab") == 1 and cell.endswith("from chapter_setup import glue")


def test_colab_cell_installs_in_front_of_the_bootstrap_once():
    source = chapter_setup.BOOTSTRAP_LINE + "  # book/chapter_setup.py"
    cell = chapter_setup.colab_cell(source, REPOSITORY, "main")
    assert cell.endswith(source) and cell.count("google.colab") == 1
    assert f"git+{REPOSITORY}" in cell
    assert "https://raw.githubusercontent.com/cae-course/cae-fashion-mnist/main/book/chapter_setup.py" in cell
    assert chapter_setup.colab_cell(cell, REPOSITORY, "main") == cell
    assert chapter_setup.colab_cell("import numpy", REPOSITORY, "main") == "import numpy"


def test_the_colab_install_does_nothing_outside_colab():
    cell = chapter_setup.colab_cell(chapter_setup.BOOTSTRAP_LINE, REPOSITORY, "main")
    install = cell.replace(chapter_setup.BOOTSTRAP_LINE, "")
    code = f"import subprocess\nsubprocess.run = None\n{install}print('ran')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "ran\n", result.stderr


def test_published_notebooks_get_the_colab_install(tmp_path):
    chapter = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# 5."), nbformat.v4.new_code_cell(chapter_setup.BOOTSTRAP_LINE)]
    )
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    (tmp_path / "book").mkdir()
    nbformat.write(chapter, tmp_path / "book" / "05_training.ipynb")
    nbformat.write(other, tmp_path / "other.ipynb")
    changed = colab_notebooks.add_colab_install(tmp_path, REPOSITORY, "main")
    assert changed == [tmp_path / "book" / "05_training.ipynb"]
    source = nbformat.read(changed[0], as_version=4).cells[1].source
    assert "google.colab" in source and source.endswith(chapter_setup.BOOTSTRAP_LINE)
    assert nbformat.read(tmp_path / "other.ipynb", as_version=4).cells[0].source == "print(1)"


def test_glue_prints_outside_the_book_build():
    code = (
        "import sys; sys.modules['myst_nb'] = None\n"
        "from chapter_setup import glue\n"
        "glue('ch_answer', 42)\nglue('ch_hidden', 1, display=False)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=BOOK, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ch_answer = 42\n"


def _included_text(path: Path, name: str) -> str:
    """What the page shows for ``:pyobject: name``, read with the analyzer Sphinx uses."""
    from sphinx.pycode import ModuleAnalyzer

    _, start, end = ModuleAnalyzer.for_file(str(path), "").find_tags()[name]
    return "".join(path.read_text().splitlines(True)[start - 1 : end]).rstrip("\n")


def test_colab_copies_show_the_included_source_instead_of_the_directive(tmp_path):
    markdown = (
        "The encoder, one line per layer:\n\n"
        "```{literalinclude} ../cae_ref/plain.py\n:pyobject: build_plain_encoder\n:language: python\n```\n\n"
        "and one method, dedented:\n\n"
        "```{literalinclude} ../cae_ref/vae.py\n:pyobject: VariationalAutoencoder.train_step\n:dedent:\n```\n"
        "```{literalinclude} ../cae_ref/plain.py\n:lines: 1-3\n```\n"
    )
    chapter = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(chapter_setup.BOOTSTRAP_LINE), nbformat.v4.new_markdown_cell(markdown)]
    )
    (tmp_path / "book").mkdir()
    nbformat.write(chapter, tmp_path / "book" / "04_architecture.ipynb")
    changed = colab_notebooks.inline_sources_in_published_notebooks(tmp_path, REPO_ROOT)
    assert changed == [tmp_path / "book" / "04_architecture.ipynb"]
    cell = nbformat.read(changed[0], as_version=4).cells[1].source

    encoder = _included_text(REPO_ROOT / "cae_ref" / "plain.py", "build_plain_encoder")
    assert f"```python\n{encoder}\n```" in cell
    assert encoder.startswith("def build_plain_encoder()") and "layers.MaxPooling2D(2" in encoder
    train_step = _included_text(REPO_ROOT / "cae_ref" / "vae.py", "VariationalAutoencoder.train_step")
    assert f"```python\n{textwrap.dedent(train_step)}\n```" in cell
    assert "\ndef train_step(self, data):" in cell  # dedented to valid top-level code
    assert cell.count("{literalinclude}") == 1 and ":lines: 1-3" in cell  # no :pyobject:, left as it is
    assert colab_notebooks.inline_sources_in_published_notebooks(tmp_path, REPO_ROOT) == []


def test_colab_rewrite_fails_on_an_object_that_does_not_exist(tmp_path):
    markdown = "```{literalinclude} ../cae_ref/plain.py\n:pyobject: build_no_such_thing\n```\n"
    with pytest.raises(ValueError, match="build_no_such_thing"):
        colab_notebooks.inline_literalincludes(markdown, REPO_ROOT / "book")


HIDDEN_INPUT = {"remove-input", "remove-cell", "hide-input", "hide-cell"}


def _cells_with_tags(text: str) -> list[tuple[set[str], str]]:
    """(tags, code) of every code cell of a MyST page, tags from ':tags:' or a YAML header."""
    cells = []
    for cell in re.findall(r"```\{code-cell\} ipython3\n(.*?)\n```", text, flags=re.S):
        tags = re.search(r"^:?tags: \[(.*)\]", cell, flags=re.M)
        names = {tag.strip() for tag in tags.group(1).split(",")} if tags else set()
        cells.append((names, cell))
    return cells


def test_visible_cells_show_no_book_machinery():
    """glue(...) and the figure-resizing helper live only in cells whose input the page hides."""
    pages = sorted(BOOK.glob("*.md"))
    assert len(pages) >= 12
    for path in pages:
        for tags, code in _cells_with_tags(path.read_text()):
            if tags & HIDDEN_INPUT:
                continue
            assert "glue(" not in code, f"{path.name}: a visible cell calls glue(: move it to a remove-input cell"
            assert "readable(" not in code, f"{path.name}: a visible cell calls readable(: pass width= to the plot"


def test_machinery_check_can_fail():
    visible = "```{code-cell} ipython3\nx = 1\nglue('x', x)\n```\n"
    hidden = (
        "```{code-cell} ipython3\n---\nmystnb:\n  image:\n    alt: a\ntags: [remove-input]\n---\nglue('x', 1)\n```\n"
    )
    assert _cells_with_tags(visible) == [(set(), "x = 1\nglue('x', x)")]
    assert _cells_with_tags(hidden)[0][0] == {"remove-input"}


# --- The rest of MyST in the Colab copies (book/_ext/colab_notebooks.py) and per-page numbers ---
import page_numbers  # noqa: E402


def _bibliography():
    from pybtex.database import parse_file

    return parse_file(str(BOOK / "references.bib"))


def test_glue_and_substitutions_are_filled_in():
    values = {"ch_x": {"text/plain": "0.61086"}, "ch_name": {"text/markdown": "Shirt", "text/plain": "<Markdown>"}}
    text = "BCE {glue:text}`ch_x:.3f`, raw {glue:text}`ch_x`, hardest {glue:md}`ch_name`, PSNR {{ baseline_psnr }}."
    text = colab_notebooks.fill_substitutions(colab_notebooks.render_glue(text, values), {"baseline_psnr": "28.86 dB"})
    assert text == "BCE 0.611, raw 0.61086, hardest Shirt, PSNR 28.86 dB."
    with pytest.raises(ValueError, match="ch_missing"):
        colab_notebooks.render_glue("{glue:text}`ch_missing`", values)
    with pytest.raises(ValueError, match="nope"):
        colab_notebooks.fill_substitutions("{{ nope }}", {})


def test_roles_become_text_links_and_numbers():
    cited = []
    text = (
        "A {term}`stride <Stride>` and {term}`PSNR`; see {doc}`05_training` and {doc}`the data <03_data>`; "
        "{numref}`fig-a`, {numref}`Figure %s <fig-a>` and {eq}`eq-kl`; {cite:p}`kingma2014autoencoding` "
        "and {cite:t}`kingma2014autoencoding`."
    )
    labels = {"fig-a": "Figure 2", "eq-kl": "(1)"}
    out = colab_notebooks.render_roles(text, labels, _bibliography(), cited, BOOK, "https://book/")
    assert out == (
        "A stride and PSNR; see [5. Training the baseline](https://book/book/05_training.html) and "
        "[the data](https://book/book/03_data.html); Figure 2, Figure 2 and (1); (Kingma and Welling, 2014) "
        "and Kingma and Welling (2014)."
    )
    assert cited == ["kingma2014autoencoding"]
    assert "Auto-encoding variational Bayes" in colab_notebooks.reference_list(cited, _bibliography())
    with pytest.raises(ValueError, match="fig-elsewhere"):
        colab_notebooks.render_roles("{numref}`fig-elsewhere`", labels, _bibliography(), [], BOOK, "")


def test_directives_become_markdown():
    text = (
        "```{admonition} Before you start\n:class: tip\n\n- one\n```\n\n"
        "```{admonition} Question: why?\n:class: dropdown\n\nBecause.\n```\n\n"
        "```{figure} ../results/baseline/curve.png\n:name: fig-curve\n:alt: A curve.\n\nThe curve.\n```\n\n"
        "```{math}\n:label: eq-a\nx = 1\n```\n\n$$\ny = 2\n$$ (eq-b)\n"
    )
    labels = {"fig-curve": "Figure 3", "eq-a": "(1)", "eq-b": "(2)"}
    out = colab_notebooks.render_directives(colab_notebooks.number_equations(text, labels), labels, "https://raw/t")
    assert "> **Before you start**\n>\n> - one" in out
    assert "<details>\n<summary><b>Question: why?</b></summary>\n\nBecause.\n\n</details>" in out
    assert "![A curve.](https://raw/t/results/baseline/curve.png)\n\n*Figure 3: The curve.*" in out
    assert "$$\nx = 1\n\\tag{1}\n$$" in out and "$$\ny = 2\n\\tag{2}\n$$" in out
    assert "```{" not in out and ":class:" not in out


def test_page_labels_number_figures_and_equations_in_page_order():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("plt.show()", metadata={"mystnb": {"figure": {"name": "fig-a", "caption": "A"}}}),
            nbformat.v4.new_markdown_cell("$$\nx\n$$ (eq-x)\n\n```{figure} a.png\n:name: fig-b\n\nB\n```"),
        ]
    )
    assert colab_notebooks.page_labels(notebook) == {"fig-a": "Figure 1", "eq-x": "(1)", "fig-b": "Figure 2"}


def test_figures_and_equations_are_numbered_per_page():
    numbers = {
        "book/02": {"figure": {"a": (1,), "b": (2,)}},
        "book/05": {"figure": {"d": (4,), "c": (3,)}, "displaymath": {"e": (1,)}},
    }
    assert page_numbers.renumber(numbers) == ["book/05"]
    assert numbers["book/05"] == {"figure": {"c": (1,), "d": (2,)}, "displaymath": {"e": (1,)}}
    assert numbers["book/02"] == {"figure": {"a": (1,), "b": (2,)}}
