"""Build the Jupyter Book from a clean state in strict mode, then check the HTML as a reader would.

The build executes every chapter (quick profile unless CAE_BOOK_PROFILE says otherwise) into a
temporary folder, once per test session. Nothing here skips: a missing tool, a failing cell,
a broken reference or a missing figure fails the suite.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
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


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the whole book into a fresh folder with `-W -n --keep-going --all`; return its HTML folder."""
    jupyter_book = shutil.which("jupyter-book") or str(Path(sys.executable).with_name("jupyter-book"))
    assert Path(jupyter_book).exists(), "jupyter-book is not installed in this environment (see requirements.txt)"
    out = tmp_path_factory.mktemp("book")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("CAE_BOOK_PROFILE", "quick")
    env.pop("MPLBACKEND", None)  # a non-inline backend (e.g. Agg from CI) would drop every figure from the pages
    command = [jupyter_book, "build", str(ROOT), "--all", "-W", "-n", "--keep-going", "--path-output", str(out)]
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log = result.stdout + result.stderr
    (out / "build.log").write_text(log, encoding="utf-8")
    print(f"\njupyter-book build: {seconds:.0f} s wall, {cpu_seconds:.0f} s CPU (log: {out / 'build.log'})")
    problems = [line for line in log.splitlines() if re.search(r"(WARNING|ERROR|CRITICAL):", line)]
    problems = [line for line in problems if "absl" not in line]
    assert result.returncode == 0, (
        f"jupyter-book build failed with exit code {result.returncode}. Warnings and errors:\n"
        + "\n".join(problems[:40])
        + f"\n--- last lines of the log ---\n{log[-4000:]}"
    )
    html = out / "_build" / "html"
    assert html.is_dir(), f"no HTML folder at {html}"
    (html / ".build_cpu_seconds").write_text(f"{cpu_seconds:.1f}\n", encoding="utf-8")
    return html


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
    assert "execute_notebooks: force" in config and "linkcheck_ignore" in config
    (tmp_path / "_config.yml").write_text(config.replace("execute_notebooks: force", 'execute_notebooks: "off"'))
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
