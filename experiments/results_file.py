"""The one results file every experiment writes: ``<out>/<name>/results.json`` (schema in results/README.md)."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from cae_ref.provenance import utc_timestamp

SCHEMA_VERSION = 1


def results_payload(
    *,
    name: str,
    profile: str,
    command: str,
    overrides: dict[str, Any],
    environment: dict[str, Any],
    config: dict[str, Any],
    per_seed: list[dict[str, Any]],
    summary: dict[str, Any],
    figures: list[str],
    started: float,
    complete: bool = True,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The results record: provenance, configuration, per-seed records, their summary and figures."""
    return {
        "schema_version": SCHEMA_VERSION,
        "experiment": name,
        "profile": profile,
        "complete": complete,
        "command": command,
        "created_utc": utc_timestamp(),
        "wall_seconds": round(time.time() - started, 1),
        "seeds": [record["seed"] for record in per_seed],
        "std": "sample standard deviation over seeds (ddof=1)",
        "overrides": overrides,
        "reduced_budget": bool(overrides),
        "config": config,
        "environment": environment,
        "summary": summary,
        "per_seed": per_seed,
        "figures": figures,
        **(extra or {}),
    }


def write_json_atomic(path: Path, payload: dict[str, Any]) -> Path:
    """Write ``payload`` as JSON-safe, indented JSON; readers never see a half-written file."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(json_safe(payload), indent=1, allow_nan=False) + "\n")
    tmp.replace(path)
    return path


def json_safe(value: Any) -> Any:
    """Make a payload JSON-safe: NumPy scalars to Python, NaN/inf to None."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
