"""Mean ± standard deviation over seeds: how every experiment summarises its per-seed records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def mean_std(values: Sequence[float]) -> dict[str, Any]:
    """Mean, sample standard deviation (ddof=1; 0 for one value), n, min and max."""
    array = np.asarray([float(v) for v in values], dtype=np.float64)
    std = float(array.std(ddof=1)) if len(array) > 1 else 0.0
    return {
        "mean": float(array.mean()),
        "std": std,
        "n": len(array),
        "min": float(array.min()),
        "max": float(array.max()),
    }


def summarise(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Mean/std over seeds of every numeric leaf shared by ``records`` (nested dicts allowed)."""
    first = records[0]
    summary: dict[str, Any] = {}
    for key, value in first.items():
        if key == "seed":
            continue
        if isinstance(value, dict):
            if all(isinstance(r.get(key), dict) for r in records):
                summary[key] = summarise([r[key] for r in records])
        elif (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and all(isinstance(r.get(key), int | float) for r in records)
        ):
            summary[key] = mean_std([r[key] for r in records])
    return summary


def fmt(stat: dict[str, Any], digits: int = 3) -> str:
    """Format a ``mean_std`` entry as ``mean ± std``."""
    return f"{stat['mean']:.{digits}f} ± {stat['std']:.{digits}f}"
