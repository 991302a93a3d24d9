"""The recorded figures the book shows with ``{figure}`` fit its text column unscaled.

The theme's text column at a 1280-pixel window is about 686 pixels wide; a wider PNG is scaled
down by the browser, and its text with it. The built-book test (tests/book/test_book.py,
``test_figures_fit_the_column_unscaled``) checks the figures drawn in cells; this one reads the
committed PNGs under results/ directly, so it needs no built book. Charts are redrawn from their
records (``python -m experiments.redraw``); image strips need the trained models, so they wait,
named below with the reason, for the next run of their experiment.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from experiments.redraw import REDRAWERS, redraw

ROOT = Path(__file__).resolve().parents[2]
COLUMN_PX = 686
BOOK_FIGURE = re.compile(r"^```\{figure\} \.\./(results/\S+\.png)\s*$", re.MULTILINE)

_RERUN = "redraw when the experiment reruns (its plotting function now draws it one column wide)"
# Recorded PNGs still wider than the column, each with why it cannot be redrawn from its record.
EXEMPT: dict[str, str] = {
    "results/baseline/reconstructions.png": f"test images rebuilt by the trained baseline: needs the models; {_RERUN}",
    "results/bottleneck/reconstruction_grid.png": f"reconstructions per code size: needs the models; {_RERUN}",
    "results/denoising/examples.png": f"noisy, filtered and denoised test images: needs the models; {_RERUN}",
    "results/vae/prior_samples.png": f"images decoded by the trained VAE: needs the model; {_RERUN}",
    "results/vae_vs_ae/latents.png": (
        f"2-D codes of test images: the record holds no codes, so it needs the models; {_RERUN}"
    ),
}


def _png_width(path: Path) -> int:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big")


def book_figures(book: Path = ROOT / "book") -> list[str]:
    """The ``results/...png`` paths that the book's pages show with ``{figure}``, in page order."""
    found = []
    for page in sorted(book.glob("*.md")):
        found += BOOK_FIGURE.findall(page.read_text(encoding="utf-8"))
    return found


def too_wide(figures: list[str], root: Path = ROOT, exempt: dict[str, str] = EXEMPT) -> list[str]:
    """Figures wider than the column and not exempt, as ``path: width px``."""
    widths = {figure: _png_width(root / figure) for figure in figures if figure not in exempt}
    return [f"{figure}: {width} px" for figure, width in widths.items() if width > COLUMN_PX]


def test_the_book_shows_recorded_figures() -> None:
    figures = book_figures()
    assert len(figures) >= 10, f"expected the results sections' figures, found {figures}"
    missing = [figure for figure in figures if not (ROOT / figure).is_file()]
    assert not missing, f"the book shows figures that are not committed: {missing}"


def test_recorded_figures_fit_the_column_unscaled() -> None:
    wide = too_wide(book_figures())
    assert not wide, (
        f"recorded figures wider than the {COLUMN_PX}-pixel column (the browser shrinks them and their text): "
        f"{wide}; draw them with experiments/figure_style.py and redraw from the record "
        "(python -m experiments.redraw <experiment>), or rerun the experiment"
    )


def test_exemptions_are_current() -> None:
    """Each exempt figure is still shown and still too wide: once redrawn, its exemption goes."""
    shown = set(book_figures())
    stale = [figure for figure in EXEMPT if figure not in shown]
    assert not stale, f"exempt figures the book no longer shows: {stale}"
    fitting = [figure for figure in EXEMPT if _png_width(ROOT / figure) <= COLUMN_PX]
    assert not fitting, f"these figures fit the column now: remove them from EXEMPT: {fitting}"
    assert all(reason.strip() for reason in EXEMPT.values())


def test_the_check_fails_on_a_wide_figure(tmp_path: Path) -> None:
    """A page that shows a 1,546-pixel PNG is caught, and only its exemption lets it pass."""
    book = tmp_path / "book"
    book.mkdir()
    wide = "results/baseline/reconstructions.png"
    (book / "page.md").write_text(f"```{{figure}} ../{wide}\n:name: fig\n\nA caption.\n```\n", encoding="utf-8")
    figures = book_figures(book)
    assert figures == [wide]
    assert too_wide(figures, exempt={}) == [f"{wide}: {_png_width(ROOT / wide)} px"]
    assert too_wide(figures) == []


def test_experiments_draw_no_text_under_9_points() -> None:
    """The experiments' plotting code names no font size under 9 points (Matplotlib's "small" is 8.3)."""
    small = re.compile(r"fontsize\s*=\s*(?:(\d+(?:\.\d+)?)\b|[\"'](?:xx-small|x-small|small)[\"'])")
    found = []
    for path in sorted((ROOT / "experiments").glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in small.finditer(line):
                if match.group(1) is None or float(match.group(1)) < 9:
                    found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "text under 9 points in recorded figures:\n" + "\n".join(found)
    assert small.search("axis.legend(fontsize=8)") and small.search('legend(fontsize="small")')


@pytest.mark.parametrize("name", sorted(REDRAWERS))
def test_redrawing_from_the_record_fits_the_column(tmp_path: Path, name: str) -> None:
    """``python -m experiments.redraw`` draws each chart from a copy of its record one column wide."""
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(ROOT / "results" / name / "results.json", folder / "results.json")
    written = redraw(name, tmp_path)
    assert written, f"{name}: nothing redrawn"
    record = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    for path in written:
        assert path.name in record["figures"], f"{name}: {path.name} is not one of the record's figures"
        assert _png_width(path) <= COLUMN_PX, f"{path.name}: {_png_width(path)} px"


def test_redraw_refuses_what_it_cannot_draw(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="vae_vs_ae"):
        redraw("vae_vs_ae", tmp_path)
    with pytest.raises(FileNotFoundError, match="no record"):
        redraw("bottleneck", tmp_path)
