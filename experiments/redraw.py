"""Redraw recorded charts from their records, without training: ``python -m experiments.redraw [name ...]``.

Each experiment draws its charts from its summary with its own plotting function; this reads
``<results>/<name>/results.json`` and calls the same function, so a changed figure style reaches
the committed PNGs without a rerun (the numbers come from the record, nothing is recomputed).
Image strips need the trained models and are redrawn only by rerunning the experiment.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Record = dict[str, Any]


def _bottleneck(record: Record, folder: Path) -> list[str]:
    from experiments.bottleneck import _plot_curve

    _plot_curve(record["summary"], record["config"]["labels"], folder / "curve.png")
    return ["curve.png"]


def _bottleneck_converged(record: Record, folder: Path) -> list[str]:
    from experiments.bottleneck_converged import _figures

    config = record["config"]
    return _figures(
        record["summary"], folder, config["three_epoch_psnr"], config["max_epochs"], config["baseline_psnr"]
    )


def _latent_space(record: Record, folder: Path) -> list[str]:
    from experiments.latent_space import _plot_bars

    _plot_bars(record["summary"], folder / "measures.png")
    return ["measures.png"]


def _clustering(record: Record, folder: Path) -> list[str]:
    from experiments.clustering import _plot

    return _plot(record["summary"], folder / "clustering.png")


def _clustering_screen(record: Record, folder: Path) -> list[str]:
    from experiments.clustering_screen import _plot

    return _plot(record["summary"], record["config"]["variant_labels"], folder / "screen.png")


def _denoising(record: Record, folder: Path) -> list[str]:
    from experiments.denoising import _plot_curves, _plot_mismatch

    _plot_curves(record["summary"], record["classical"], record["config"], folder / "curves.png")
    _plot_mismatch(record["summary"], record["config"], folder / "mismatch.png")
    return ["curves.png", "mismatch.png"]


def _few_label(record: Record, folder: Path) -> list[str]:
    from experiments.few_label import _plot

    _plot(record["summary"], record["config"], folder / "accuracy.png")
    return ["accuracy.png"]


REDRAWERS: dict[str, Callable[[Record, Path], list[str]]] = {
    "bottleneck": _bottleneck,
    "bottleneck_converged": _bottleneck_converged,
    "latent_space": _latent_space,
    "clustering": _clustering,
    "clustering_screen": _clustering_screen,
    "denoising": _denoising,
    "few_label": _few_label,
}


def redraw(name: str, results: Path) -> list[Path]:
    """Redraw experiment ``name``'s charts from ``results/<name>/results.json``; return the files written."""
    if name not in REDRAWERS:
        raise ValueError(f"no charts of {name!r} can be redrawn from its record; choose from {sorted(REDRAWERS)}")
    folder = Path(results) / name
    path = folder / "results.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no record to redraw from (run the experiment first)")
    record = json.loads(path.read_text(encoding="utf-8"))
    return [folder / figure for figure in REDRAWERS[name](record, folder)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.redraw", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"experiments to redraw (default: {' '.join(REDRAWERS)})")
    parser.add_argument("--results", type=Path, default=Path("results"), help="results folder (default: results)")
    args = parser.parse_args(argv)
    for name in args.names or list(REDRAWERS):
        for path in redraw(name, args.results):
            print(f"redrew {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
