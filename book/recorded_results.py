"""Read the recorded full-budget results and format their numbers: data in, numbers and tables out.

The experiments write ``results/<experiment>/results.json`` (schema in ``results/README.md``).
The facts modules in ``book/facts/`` use these helpers to turn a record into MyST substitutions
(``{{ baseline_psnr }}``), which the chapters' hand-written sentences quote. Nothing here writes
a sentence: every function returns a number, a formatted number or a table.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

from cae_ref.tables import markdown_table, numbers_right

RESULTS_DIR = Path(__file__).resolve().parent.parent / "results"
NBSP = "\u00a0"  # a space a browser does not break a line at

__all__ = [
    "RESULTS_DIR",
    "fast_recipe_figure",
    "load",
    "markdown_table",
    "mean",
    "mean_std",
    "number",
    "numbers_right",
    "provenance",
    "stat",
]


def load(record: str, results_dir: Path | None = None) -> dict[str, Any]:
    """The parsed record ``results/<record>`` (a folder name means its ``results.json``); a clear error if absent."""
    path = (results_dir or RESULTS_DIR) / record
    if path.suffix != ".json":
        path = path / "results.json"
    if not path.is_file():
        raise FileNotFoundError(f"recorded result {path} is missing: run the experiment that writes it")
    return json.loads(path.read_text(encoding="utf-8"))


def stat(record: dict[str, Any], *keys: str) -> dict[str, float]:
    """The ``{mean, std, n, min, max}`` entry at ``summary[keys[0]][keys[1]]...``; a KeyError names the path."""
    node: Any = record["summary"]
    for depth, key in enumerate(keys):
        if not isinstance(node, dict) or key not in node:
            raise KeyError(f"{record.get('experiment', '?')}: summary / {' / '.join(keys[: depth + 1])} is missing")
        node = node[key]
    if not isinstance(node, dict) or "mean" not in node:
        raise KeyError(f"{record.get('experiment', '?')}: summary / {' / '.join(keys)} is not a mean/std entry")
    return node


def mean(record: dict[str, Any], *keys: str) -> float:
    """The mean over seeds at ``summary / keys``."""
    return float(stat(record, *keys)["mean"])


def number(value: float, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals and thousands separators (``-0.00`` shows as ``0.00``)."""
    return f"{round(value, digits) + 0.0:,.{digits}f}"


def mean_std(entry: dict[str, float], digits: int = 2) -> str:
    """``"28.86 ± 0.21"`` over seeds, ``"25.24 (n = 1)"`` for one run, never ``± 0.00`` (a tiny spread: one digit).

    The spaces are non-breaking, so a table cell never wraps inside a number.
    """
    mean_ = number(entry["mean"], digits)
    if entry.get("n", 2) == 1:
        text = f"{mean_} (n = 1)"
    elif entry["std"] < 1e-9:
        text = f"{mean_} (all seeds)"
    elif round(entry["std"], digits) == 0:  # one significant digit of a tiny spread, in plain decimals
        places = -math.floor(math.log10(entry["std"]))
        text = f"{mean_} ± {entry['std']:.{places}f}"
    else:
        text = f"{mean_} ± {number(entry['std'], digits)}"
    return text.replace(" ", NBSP)


def _date(stamp: str) -> str:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").strftime("%-d %B %Y")


def _machine(environment: dict[str, Any]) -> str:
    machine = environment.get("machine", {})
    gpus = machine.get("gpus") or []
    accelerator = ", ".join(gpus) if gpus else "no GPU"
    return f"{machine.get('cpu_count', '?')} CPU cores ({machine.get('cpu', '?')}), {accelerator}"


def provenance(prefix: str, record: dict[str, Any]) -> dict[str, str]:
    """The facts every record carries: ``<prefix>_command``, ``_date``, ``_machine``, ``_hours``, ``_seeds``."""
    facts = {
        f"{prefix}_command": f"`{record['command']}`",
        f"{prefix}_date": _date(record["created_utc"]),
        f"{prefix}_machine": _machine(record.get("environment", {})),
        f"{prefix}_hours": number(record["wall_seconds"] / 3600, 1),
    }
    if "seeds" in record:
        facts[f"{prefix}_seeds"] = ", ".join(str(seed) for seed in record["seeds"])
    return facts


def fast_recipe_figure(record: dict[str, Any]):
    """The fast-recipe benchmark's test PSNR against training minutes (first repeat of each recipe), target dashed."""
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(6.5, 3.6))
    for run in [record["recipe"], *record.get("candidates", [])]:
        minutes = [point["train_seconds"] / 60 for point in run["curve"]]
        psnr = [point["test_psnr"] for point in run["curve"]]
        axis.plot(minutes, psnr, marker="o", markersize=3, label=run["name"])
    axis.axhline(record["target_psnr"], color="grey", linestyle="--", linewidth=1, label="target")
    axis.set(xlabel="training time (min)", ylabel="test PSNR (dB)")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=9)
    fig.tight_layout()
    return fig
