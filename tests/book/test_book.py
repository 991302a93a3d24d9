"""Build the Jupyter Book from a clean state in strict mode, then check the HTML as a reader would.

The build executes every chapter (quick profile unless CAE_BOOK_PROFILE says otherwise) into a
temporary folder, once per test session (the ``built_book`` fixture, in tests/book/conftest.py).
Nothing here skips: a missing tool, a failing cell, a broken reference or a missing figure fails
the suite.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test reads the book, built once per session (minutes)

ROOT = Path(__file__).resolve().parents[2]
# The issue asks for a build "well under 10 minutes" on an idle 2-core machine. Wall time on a
# shared machine says little (three other jobs made it 10 minutes here), so the limit is on the
# CPU time of the build and everything it started: an idle machine needs at most that long.
BUILD_CPU_LIMIT_S = 480

# Every page of the book, with the least number of figures it must show.
PAGES = {
    "01_introduction": 1,
    "02_theory": 4,
    "03_data": 3,
    "04_architecture": 1,
    "05_training": 4,
    "06_bottleneck": 2,
    "07_latent_space": 4,
    "08_denoising": 4,
    "anomaly_detection": 3,
    "09_beyond": 5,
    "10_exercises": 0,
    "instructor_guide": 0,
    "glossary": 0,
    "appendix_fast_recipe": 1,
    "11_references": 0,
}
NOTEBOOK_PAGES = [page for page in PAGES if page not in {"11_references", "glossary"}]
# Where MathJax would come from if the book were not built with sphinx-mathjax-offline.
MATHJAX_CDN = re.compile(r"https?://[^\s\"']*mathjax[^\s\"']*", re.IGNORECASE)
FILE_NAME = re.compile(r"^[\w./-]+\.(png|jpe?g|svg|gif|webp)$", re.IGNORECASE)

# Outputs that name an exception on purpose: the chapters demonstrate these errors.
EXPECTED_ERROR_TEXT = {
    "03_data": [r"TypeError: expected uint8"],
    "04_architecture": [r"(ValueError|InvalidArgumentError)\b", r"ValueError: 4 conv blocks"],
}
ERROR_WORD = re.compile(r"\b\w*(Error|Exception)\b")
# Pages whose outputs include other documents (INSTRUCTORS.md ...), which may discuss errors in prose.
# Their code blocks are the instructors' shell commands, not code a student reads, and are not
# held to the 79-column text column either.
INCLUDING_PAGES = {"instructor_guide"}


class _Page(HTMLParser):
    """Collect image sources, link targets and the text of each cell output of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.alts: list[tuple[str, str | None]] = []  # (src, alt) of every <img>
        self.scripts: list[str] = []
        self.links: list[str] = []
        self.classes: list[str] = []
        self.outputs: list[str] = []
        self._output_depth = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        self.classes.extend(classes)
        if tag == "img" and attributes.get("src"):
            self.images.append(attributes["src"])
            self.alts.append((attributes["src"], attributes.get("alt")))
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag in {"br", "img", "hr", "meta", "link", "input"}:
            return
        self._depth += 1
        if "cell_output" in classes and not self._output_depth:
            self._output_depth = self._depth
            self.outputs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"br", "img", "hr", "meta", "link", "input"}:
            return
        if self._output_depth and self._depth == self._output_depth:
            self._output_depth = 0
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._output_depth:
            self.outputs[-1] += data


class _ShownCode(HTMLParser):
    """The text of every ``highlight-python`` block (what ``literalinclude`` renders), tags stripped."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "hr", "meta", "link", "input"}:
            return
        shown = "highlight-python" in (dict(attrs).get("class") or "").split()
        if shown and not any(self._stack):
            self.blocks.append("")
        self._stack.append(shown)

    def handle_endtag(self, tag: str) -> None:
        if tag not in {"br", "img", "hr", "meta", "link", "input"} and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if any(self._stack):
            self.blocks[-1] += data


# The source each chapter shows (tests/test_book_code.py checks the pages; this checks what a reader sees).
SHOWN_CODE = {
    "03_data": ["def preprocess_images("],
    "04_architecture": [
        "def build_plain_encoder(",
        "def build_plain_decoder(",
        "def build_plain_autoencoder(",
        "layers.Conv2D(",
        "layers.MaxPooling2D(",
        "layers.Conv2DTranspose(",
        "def build_plain_strided_encoder(",
    ],
    "05_training": ["def fit_plain(", "model.fit("],
    "06_bottleneck": ["def build_plain_bottleneck(", "layers.Dense(latent_dim)"],
    "07_latent_space": ["def encode_flat(", "def linear_probe_accuracy("],
    "08_denoising": ["def add_gaussian_noise(", "def fit_plain_denoiser("],
    "anomaly_detection": ["def anomaly_mask(", "def reconstruction_errors(", "def anomaly_auc("],
    "09_beyond": ["class Sampling(", "def kl_divergence(", "def reconstruction_loss(", "\ndef train_step("],
}


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_build_time_is_within_budget(built_book: Path) -> None:
    cpu_seconds = float((built_book / ".build_cpu_seconds").read_text())
    assert cpu_seconds < BUILD_CPU_LIMIT_S, (
        f"the book build used {cpu_seconds:.0f} s of CPU, over the {BUILD_CPU_LIMIT_S} s budget: "
        "shrink the quick profile"
    )


@pytest.mark.parametrize("page", list(PAGES))
def test_page_exists_with_figures_and_no_errors(built_book: Path, page: str) -> None:
    path = built_book / "book" / f"{page}.html"
    assert path.is_file(), f"page {page} was not built (expected {path})"
    parsed = _parse(path)

    figures = [src for src in parsed.images if "_images/" in src or src.startswith("data:image")]
    assert len(figures) >= PAGES[page], f"{page}: expected at least {PAGES[page]} figures, found {len(figures)}"
    for src in figures:
        if not src.startswith("data:"):
            assert (path.parent / src).resolve().is_file(), f"{page}: image {src} is missing from the build"

    assert "traceback" not in parsed.classes, f"{page}: a cell output shows a traceback"
    assert "stderr" not in parsed.classes, f"{page}: stderr output reached the page"
    for output in [] if page in INCLUDING_PAGES else parsed.outputs:
        assert "Traceback (most recent call last)" not in output, f"{page}: traceback in output:\n{output[:500]}"
        assert "WARNING" not in output, f"{page}: a library warning reached the page:\n{output[:500]}"
        for line in output.splitlines():
            if ERROR_WORD.search(line):
                allowed = EXPECTED_ERROR_TEXT.get(page, [])
                assert any(re.search(pattern, line) for pattern in allowed), f"{page}: unexpected error output: {line}"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_notebook_pages_have_colab_and_download(built_book: Path, page: str) -> None:
    parsed = _parse(built_book / "book" / f"{page}.html")
    colab = [link for link in parsed.links if link.startswith("https://colab.research.google.com/")]
    colab = [link for link in colab if f"/book/{page}." in link]  # the page's own launch button
    expected = f"https://colab.research.google.com/github/cae-course/cae-fashion-mnist/blob/gh-pages/_sources/book/{page}.ipynb"
    assert colab == [expected], f"{page}: Colab links {colab}, expected [{expected}]"
    assert (built_book / "_sources" / "book" / f"{page}.ipynb").is_file(), f"{page}: executed notebook not published"
    assert any(link.endswith(f"_sources/book/{page}.ipynb") for link in parsed.links), f"{page}: no .ipynb download"


def test_quick_profile_is_announced(built_book: Path) -> None:
    """Pages whose numbers come from training say which budget produced them."""
    if os.environ.get("CAE_BOOK_PROFILE", "quick") != "quick":
        pytest.fail("this check is written for the quick profile; build with CAE_BOOK_PROFILE=quick")
    for page in ("05_training", "06_bottleneck", "07_latent_space", "08_denoising", "09_beyond"):
        text = (built_book / "book" / f"{page}.html").read_text(encoding="utf-8")
        assert "quick profile" in text, f"{page}: does not say that its numbers come from the quick profile"


def test_search_and_bibliography(built_book: Path) -> None:
    assert (built_book / "search.html").is_file(), "no search page"
    text = (built_book / "book" / "11_references.html").read_text(encoding="utf-8")
    for author in ("Goodfellow", "Chollet", "Xiao", "Abadi", "Kingma", "Vincent"):
        assert author in text, f"the bibliography lacks {author}"
    intro = (built_book / "book" / "01_introduction.html").read_text(encoding="utf-8")
    assert "11_references.html" in intro, "citations do not link to the bibliography"


@pytest.mark.parametrize("page", list(SHOWN_CODE))
def test_pages_show_the_code_they_run(built_book: Path, page: str) -> None:
    """The included source is on the page as highlighted Python, and in the notebook Colab opens."""
    parser = _ShownCode()
    parser.feed((built_book / "book" / f"{page}.html").read_text(encoding="utf-8"))
    shown = "\n".join(parser.blocks)
    for text in SHOWN_CODE[page]:
        assert text in shown, f"{page}: no highlighted code block shows {text!r}"
    notebook = (built_book / "_sources" / "book" / f"{page}.ipynb").read_text(encoding="utf-8")
    assert "{literalinclude}" not in notebook, f"{page}: the Colab notebook still has a literalinclude directive"
    assert SHOWN_CODE[page][0] in notebook, f"{page}: the Colab notebook lacks the included source"


@pytest.mark.parametrize("page", list(PAGES))
def test_every_image_has_alt_text_that_is_not_a_file_name(built_book: Path, page: str) -> None:
    parsed = _parse(built_book / "book" / f"{page}.html")
    for src, alt in parsed.alts:
        name = src.split("/")[-1] if not src.startswith("data:") else "(inline image)"
        assert alt and alt.strip(), f"{page}: image {name} has no alt text"
        assert not FILE_NAME.match(alt.strip()) and name not in alt, (
            f"{page}: image {name} has alt {alt!r}, a file name"
        )
        if "_images/" in src or src.startswith("data:image"):  # a figure, not the theme's button icons
            assert len(alt.split()) >= 6, f"{page}: alt text {alt!r} of {name} does not say what the figure shows"


@pytest.mark.parametrize("page", list(PAGES))
def test_math_renders_offline(built_book: Path, page: str) -> None:
    """MathJax comes from the book's own _static folder (sphinx-mathjax-offline), never from a CDN."""
    text = (built_book / "book" / f"{page}.html").read_text(encoding="utf-8")
    cdn = MATHJAX_CDN.findall(text)
    assert not cdn, f"{page}: the page names MathJax on a CDN: {cdn[:2]}"
    mathjax = [src for src in _parse(built_book / "book" / f"{page}.html").scripts if "mathjax" in src.lower()]
    for src in mathjax:
        assert not src.startswith(("http:", "https:", "//")), f"{page}: MathJax from {src}"
        assert (built_book / "book" / src.split("?")[0]).resolve().is_file(), f"{page}: {src} is not in the build"
    if page == "02_theory":
        assert mathjax, "02_theory has math but loads no MathJax"


@pytest.mark.parametrize("page", list(PAGES))
def test_no_visible_code_calls_glue(built_book: Path, page: str) -> None:
    """glue(...) is book machinery: its cells are remove-input, so it never shows on a page."""
    text = (built_book / "book" / f"{page}.html").read_text(encoding="utf-8")
    assert "glue(" not in text, f"{page}: a visible code cell calls glue("


def test_linkcheck_finds_no_broken_internal_link(tmp_path: Path) -> None:
    """Sphinx linkcheck on a copy of the book with execution off (seconds): external http(s) links are
    ignored (linkcheck_ignore in _config.yml: no internet here), every other link must not be broken.
    Internal cross-references are also checked by the strict build (-n -W) in ``built_book``."""
    for name in ("book", "cae_ref", "results"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "execute_notebooks: cache" in config and "linkcheck_ignore" in config
    (tmp_path / "_config.yml").write_text(config.replace("execute_notebooks: cache", 'execute_notebooks: "off"'))
    jupyter_book = shutil.which("jupyter-book") or str(Path(sys.executable).with_name("jupyter-book"))
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    command = [jupyter_book, "build", str(tmp_path), "--builder", "linkcheck"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = tmp_path / "_build" / "html" / "output.json"
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines() if line.strip()]
    broken = [
        f"{row['filename']}:{row['lineno']} {row['uri']} ({row['status']}: {row['info']})"
        for row in rows
        if row["status"] in {"broken", "timeout"}
    ]
    assert not broken, "broken links:\n" + "\n".join(broken)
    assert any(row["status"] == "ignored" for row in rows), "no external link was seen: is linkcheck_ignore read?"


# ---------------------------------------------------------------------------------------------
# Code that fits the page: the text column holds about 80 characters, so every line of code a
# reader sees (included cae_ref source, visible cells, printed outputs) is at most 79 columns.
MAX_COLUMNS = 79
BOOK = ROOT / "book"
sys.path.insert(0, str(BOOK / "_ext"))
import colab_notebooks  # noqa: E402

INCLUDE = re.compile(r"```\{literalinclude\}[ \t]+(\S+)\n((?::[\w-]+:.*\n)*)```")
CELL = re.compile(r"```\{code-cell\} ipython3\n(.*?)\n```", flags=re.S)
REMOVED = {"remove-input", "remove-cell"}


def long_lines(text: str, limit: int = MAX_COLUMNS) -> list[str]:
    """The lines of ``text`` longer than ``limit`` characters, with their length."""
    return [f"{len(line)}: {line}" for line in text.splitlines() if len(line) > limit]


def included_sources(page: Path) -> dict[str, str]:
    """``:pyobject:`` -> the source a page shows for each ``literalinclude`` (as Sphinx cuts it)."""
    shown = {}
    for target, options in INCLUDE.findall(page.read_text(encoding="utf-8")):
        parsed = dict(re.findall(r"^:([\w-]+):[ \t]*(.*?)[ \t]*$", options, flags=re.M))
        name = parsed["pyobject"]
        shown[name] = colab_notebooks.pyobject_source((page.parent / target).resolve(), name, "dedent" in parsed)
    return shown


def visible_cells(text: str) -> list[str]:
    """The code of every cell whose input a reader can see (hide-input cells open on a click)."""
    cells = []
    for cell in CELL.findall(text):
        header = re.match(r"---\n.*?\n---\n|(?::[\w-]+:.*\n)+\n?", cell, flags=re.S)
        tags = re.search(r"^:?tags: \[(.*)\]", header.group(0) if header else "", flags=re.M)
        names = {tag.strip() for tag in tags.group(1).split(",")} if tags else set()
        if not names & REMOVED:
            cells.append(cell[header.end() :] if header else cell)
    return cells


def test_included_code_fits_the_column() -> None:
    pages = sorted(BOOK.glob("*.md"))
    shown = {f"{page.name}: {name}": source for page in pages for name, source in included_sources(page).items()}
    assert len(shown) >= 17, f"only {len(shown)} included objects found: is the literalinclude pattern stale?"
    too_long = {name: long_lines(source) for name, source in shown.items() if long_lines(source)}
    assert not too_long, f"included code wider than {MAX_COLUMNS} columns: {too_long}"


def test_visible_cells_fit_the_column() -> None:
    too_long = {}
    for page in sorted(BOOK.glob("*.md")):
        lines = [line for cell in visible_cells(page.read_text(encoding="utf-8")) for line in long_lines(cell)]
        if lines:
            too_long[page.name] = lines
    assert not too_long, f"visible code wider than {MAX_COLUMNS} columns: {too_long}"


def test_the_column_checks_can_fail(tmp_path: Path) -> None:
    module = tmp_path / "wide.py"
    module.write_text("def wide():\n    return '" + "x" * 80 + "'\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        f"```{{literalinclude}} {module.name}\n:pyobject: wide\n:language: python\n```\n\n"
        '```{code-cell} ipython3\n---\nmystnb:\n  image:\n    alt: "' + "a" * 90 + '"\n---\n'
        "short = 1\nprint('" + "y" * 80 + "')\n```\n\n"
        "```{code-cell} ipython3\n:tags: [remove-input]\n\nhidden = '" + "z" * 90 + "'\n```\n",
        encoding="utf-8",
    )
    assert len(long_lines(included_sources(page)["wide"])) == 1
    cells = visible_cells(page.read_text(encoding="utf-8"))
    assert len(cells) == 1 and [len(line) for line in cells[0].splitlines()] == [9, 89]


class _Preformatted(HTMLParser):
    """The text of every ``<pre>`` block of a page: highlighted code, included source, outputs."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            if not self._depth:
                self.blocks.append("")
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.blocks[-1] += data


@pytest.mark.parametrize("page", list(PAGES))
def test_shown_code_and_outputs_fit_the_column(built_book: Path, page: str) -> None:
    if page in INCLUDING_PAGES:
        return
    parser = _Preformatted()
    parser.feed((built_book / "book" / f"{page}.html").read_text(encoding="utf-8"))
    too_long = [line for block in parser.blocks for line in long_lines(block)]
    assert not too_long, f"{page}: code or output lines wider than {MAX_COLUMNS} columns:\n" + "\n".join(too_long)


# ---------------------------------------------------------------------------------------------
# Figures like d2l: every image sits in a numbered, captioned figure, drawn in a cell or recorded.
# The recorded PNGs (results/, shown with {figure} in the "Full-budget results" sections and the
# appendix) are committed files: tests/book/test_recorded_figures.py checks their width without a
# built book (and names the image strips that wait for a rerun).
RECORDED_SECTIONS = {"full-budget-results"}
RECORDED_PAGES = {"appendix_fast_recipe"}


class _Figures(HTMLParser):
    """For each content image: whether it sits in a <figure> with a numbered caption, and its section."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, object]] = []
        self._stack: list[tuple[str, str, dict[str, object] | None]] = []  # (tag, section id, figure)
        self._in_number: dict[str, object] | None = None

    def _sections(self) -> set[str]:
        return {section for _, section, _ in self._stack if section}

    def _figure(self) -> dict[str, object] | None:
        return next((figure for _, _, figure in reversed(self._stack) if figure is not None), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "img":
            src = attributes.get("src") or ""
            if "_images/" in src or src.startswith("data:image"):
                figure = self._figure()
                self.images.append({"src": src[:60], "full_src": src, "sections": self._sections(), "figure": figure})
                if figure is not None:
                    figure["images"] = int(figure.get("images", 0)) + 1
            return
        if tag in {"br", "hr", "meta", "link", "input"}:
            return
        section = attributes.get("id", "") if tag == "section" else ""
        figure = {"number": ""} if tag == "figure" else None
        self._stack.append((tag, section or "", figure))
        if "caption-number" in classes:
            self._in_number = self._figure()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"br", "hr", "meta", "link", "input", "img"}:
            return
        while self._stack:
            if self._stack.pop()[0] == tag:
                break
        if tag == "span":
            self._in_number = None

    def handle_data(self, data: str) -> None:
        if self._in_number is not None:
            self._in_number["number"] = str(self._in_number["number"]) + data


def _figures(html: str) -> list[dict[str, object]]:
    parser = _Figures()
    parser.feed(html)
    return parser.images


@pytest.mark.parametrize("page", list(PAGES))
def test_every_figure_has_a_numbered_caption(built_book: Path, page: str) -> None:
    images = _figures((built_book / "book" / f"{page}.html").read_text(encoding="utf-8"))
    numbers = []
    for image in images:
        figure = image["figure"]
        assert figure is not None, f"{page}: image {image['src']} is not in a captioned figure"
        assert re.fullmatch(r"Figure \d+\s*", str(figure["number"])), f"{page}: {image['src']} has no figure number"
        assert figure["images"] == 1, f"{page}: a figure holds {figure['images']} images (one image per cell)"
        numbers.append(int(str(figure["number"]).split()[1]))
    assert numbers == list(range(1, len(numbers) + 1)), f"{page}: figures numbered {numbers}, not 1, 2, ... per page"


def test_the_caption_check_can_fail() -> None:
    bare = '<section id="a"><div class="cell_output"><img src="../_images/x.png" alt="a b c d e f"></div></section>'
    captioned = (
        '<section id="a"><figure><img src="../_images/x.png" alt="a b c d e f"><figcaption><p>'
        '<span class="caption-number">Figure 1 </span><span class="caption-text">X.</span></p></figcaption>'
        "</figure></section>"
    )
    assert _figures(bare)[0]["figure"] is None
    assert _figures(captioned)[0]["figure"]["number"] == "Figure 1 "
    assert _figures(captioned)[0]["sections"] == {"a"}


# ---------------------------------------------------------------------------------------------
# A glossary of every term a chapter uses before defining it, linked at its first use per chapter.
# Each term: how a chapter may write it (a regular expression).
GLOSSARY_TERMS = {
    "Latent space": r"(?i:\blatent spaces?\b)",
    "BCE": r"\bBCE\b|(?i:\bbinary cross-entropy\b)",
    "MSE": r"\bMSE\b|(?i:\bmean squared error\b)",
    "Bottleneck": r"(?i:\bbottlenecks?\b)",
    "Feature map": r"(?i:\bfeature maps?\b)",
    "Transposed convolution": r"(?i:\btransposed convolutions?\b)",
    "VAE": r"\bVAEs?\b|(?i:\bvariational autoencoders?\b)",
    "Stride": r"(?i:\bstrides?\b)",
    "Padding": r"(?<!output )(?i:\bpadding\b)",
    "ReLU": r"\bReLU\b",
    "Sigmoid": r"(?i:\bsigmoids?\b)",
    "Epoch": r"(?i:\bepochs?\b)",
    "Mini-batch": r"(?i:\bmini-batch(?:es)?\b)",
    "Adam": r"\bAdam\b",
    "PCA": r"\bPCA\b",
    "Linear probe": r"(?i:\blinear probes?\b)",
    "k-means": r"\bk-means\b",
    "Hungarian matching": r"(?i:\bHungarian (?:matching|algorithm)\b)",
    "NMI": r"\bNMI\b",
    "DEC": r"\bDEC\b",
    "PSNR": r"\bPSNR\b",
    "SSIM": r"\bSSIM\b",
    "t-SNE": r"\bt-SNE\b",
    "kNN": r"\bkNN\b|(?i:\bk-nearest[- ]neighbours?\b)",
    "UMAP": r"\bUMAP\b",
    "ARI": r"\bARI\b",
    "KL divergence": r"\bKL\b(?: divergence)?",
    "ELBO": r"\bELBO\b",
    "Reparameterisation": r"(?i:\breparameteri[sz]ation\b)",
    "Nats": r"\bnats\b",
}
ISSUE_TERMS = {"ELBO", "KL divergence", "Reparameterisation", "Nats", "kNN", "ARI", "BCE", "MSE"}
ISSUE_TERMS |= {"Latent space", "Stride", "Padding", "t-SNE", "UMAP"}
CHAPTERS = [path for path in sorted(BOOK.glob("*.md")) if path.stem not in {"glossary", "11_references"}]
TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")
# Directives whose body is prose; every other fenced block (code cells, included source, math,
# the glossary itself) is not prose.
PROSE_DIRECTIVES = {"admonition", "note", "tip", "warning", "important", "dropdown", "seealso"}
# Inline text that is not prose: code, roles, math, links and substitutions.
NOT_PROSE_INLINE = [
    r"(?:\{[\w:-]+\})?`[^`\n]*`",
    r"\$[^$\n]+\$",
    r"\[[^\]\n]*\]\([^)\n]*\)",
    r"\{\{[^}\n]*\}\}",
    r"<!--.*?-->",
]


def _prose(text: str) -> str:
    """``text`` with everything that is not prose blanked out, positions kept.

    Not prose: the front matter, headings, fenced blocks (except the bodies of admonitions),
    directive and option lines, ``$$`` math, inline code, roles, math, links, substitutions.
    """
    lines = text.splitlines(keepends=True)
    blank = [False] * len(lines)
    fences: list[tuple[str, bool]] = []  # (backticks, is the body prose)
    in_math = in_front = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if index == 0 and stripped == "---":
            in_front = True
        if in_front:
            blank[index] = True
            in_front = not (index > 0 and stripped == "---")
            continue
        opening = re.match(r"^(`{3,})(\{([\w-]+)\})?", stripped)
        if fences and re.fullmatch(r"`{3,}", stripped) and len(stripped) >= len(fences[-1][0]):
            fences.pop()
            blank[index] = True
        elif opening and (not fences or fences[-1][1]):
            fences.append((opening[1], opening[3] in PROSE_DIRECTIVES))
            blank[index] = True
        elif stripped.startswith("$$"):
            blank[index] = True
            one_line = len(stripped) > 2 and stripped.endswith("$$")  # $$ x $$; "$$ (label)" closes a block
            in_math = in_math if one_line else not in_math
        else:
            blank[index] = (
                in_math
                or (bool(fences) and not fences[-1][1])
                or stripped.startswith("#")
                or bool(re.match(r"^:[\w-]+:", stripped))
            )
    text = "".join(re.sub(r"[^\n]", " ", line) if hide else line for line, hide in zip(lines, blank, strict=True))
    for pattern in NOT_PROSE_INLINE:
        text = re.sub(pattern, lambda match: re.sub(r"[^\n]", " ", match[0]), text, flags=re.S)
    return text


def _role_target(content: str) -> str:
    match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content, flags=re.S)
    return (match[2] if match else content).strip().lower()


def first_uses(text: str) -> dict[str, tuple[int, bool]]:
    """Term -> (position of its first use in the page's prose or term roles, whether that use is a {term} link)."""
    prose = _prose(text)
    found = {}
    for term, pattern in GLOSSARY_TERMS.items():
        plain = re.search(pattern, prose)
        roles = [match.start() for match in TERM_ROLE.finditer(text) if _role_target(match[1]) == term.lower()]
        candidates = ([(plain.start(), False)] if plain else []) + ([(roles[0], True)] if roles else [])
        if candidates:
            found[term] = min(candidates)
    return found


def link_first_uses(text: str) -> str:
    """``text`` with the first plain use of each glossary term turned into a {term} link (for authors)."""
    for term in GLOSSARY_TERMS:
        position, linked = first_uses(text).get(term, (0, True))
        if not linked:
            match = re.compile(GLOSSARY_TERMS[term]).match(_prose(text), position)
            word = match[0]
            role = f"{{term}}`{word}`" if word == term else f"{{term}}`{word} <{term}>`"
            text = text[:position] + role + text[match.end() :]
    return text


def _glossary_terms() -> set[str]:
    glossary = re.search(r"```\{glossary\}\n(.*?)\n```", (BOOK / "glossary.md").read_text(encoding="utf-8"), re.S)
    return {line.strip() for line in glossary.group(1).splitlines() if line and not line.startswith(" ")}


def test_the_glossary_has_every_term() -> None:
    terms = _glossary_terms()
    assert terms >= ISSUE_TERMS, f"the glossary lacks {sorted(ISSUE_TERMS - terms)}"
    assert set(GLOSSARY_TERMS) == terms, f"terms without a pattern here: {sorted(terms ^ set(GLOSSARY_TERMS))}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_each_chapter_links_the_first_use_of_each_term(chapter: Path) -> None:
    text = chapter.read_text(encoding="utf-8")
    unlinked = {}
    for term, (position, linked) in first_uses(text).items():
        if not linked:
            line = text.count("\n", 0, position) + 1
            unlinked[term] = f"line {line}: {text.splitlines()[line - 1].strip()[:90]}"
    assert not unlinked, f"{chapter.name}: first uses not linked with {{term}}: {unlinked}"


def test_the_term_check_can_fail() -> None:
    text = "# PSNR\n\nThe `PSNR` in code and $PSNR$ do not count. PSNR is a ratio; {term}`PSNR` again.\n"
    assert first_uses(text)["PSNR"] == (text.index("PSNR is"), False)
    linked = link_first_uses(text)
    assert first_uses(linked)["PSNR"] == (linked.index("{term}`PSNR` is"), True)
    assert "{term}`stride <Stride>`" in link_first_uses("A stride of 2.\n")


# ---------------------------------------------------------------------------------------------
# Colab copies render: no MyST role, directive or substitution left in the notebooks Colab opens.
RAW_MYST = ["{glue", "{cite", "{term", "{{", "```{", "{doc}", "{ref}", "{numref}", "{eq}", "{math}"]


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_colab_copies_have_no_raw_myst(built_book: Path, page: str) -> None:
    notebook = json.loads((built_book / "_sources" / "book" / f"{page}.ipynb").read_text(encoding="utf-8"))
    left = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            left += [
                f"{marker!r} in: {source[source.index(marker) :][:80]!r}" for marker in RAW_MYST if marker in source
            ]
    assert not left, f"{page}: the Colab copy shows MyST markup:\n" + "\n".join(left)


# The theme's text column at a 1280-pixel window is about 686 pixels wide: a figure drawn wider
# is scaled down by the browser, and its text with it.
COLUMN_PX = 686


def _png_width(data: bytes) -> int:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big")


@pytest.mark.parametrize("page", list(PAGES))
def test_figures_fit_the_column_unscaled(built_book: Path, page: str) -> None:
    import base64

    if page in RECORDED_PAGES:
        return
    path = built_book / "book" / f"{page}.html"
    too_wide = []
    for image in _figures(path.read_text(encoding="utf-8")):
        if image["sections"] & RECORDED_SECTIONS:
            continue
        src = str(image["full_src"])
        if src.startswith("data:image/png;base64,"):
            data = base64.b64decode(src.split(",", 1)[1])
        elif src.endswith(".png"):
            data = (path.parent / src).resolve().read_bytes()
        else:
            continue
        if _png_width(data) > COLUMN_PX:
            too_wide.append(f"{src[:60]}: {_png_width(data)} px")
    assert not too_wide, f"{page}: figures wider than the {COLUMN_PX}-pixel column: {too_wide}"
