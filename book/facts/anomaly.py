"""Display strings for the page "Anomaly detection" from ``results/anomaly/results.json``.

Names are MyST substitutions (``{{ anomaly_auc_trouser }}``); the sentences around them are
written on the page, and ``tests/book/test_anomaly_claims.py`` checks what they claim.
"""

from __future__ import annotations

from typing import Any

EXPERIMENT = "anomaly"
# One short name per Fashion-MNIST class, in label order (cae_ref.data.CLASS_NAMES).
SLUGS = ("tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot")


def _mean_std(stat: dict[str, Any], digits: int = 3) -> str:
    if stat["n"] == 1:
        return f"{stat['mean']:.{digits}f} (n = 1)"
    return f"{stat['mean']:.{digits}f} ± {stat['std']:.{digits}f}"


def facts(record: dict[str, Any]) -> dict[str, str]:
    """Substitution name -> display string (numbers with their spread or unit; no sentences)."""
    summary, config = record["summary"], record["config"]
    machine = record["environment"]["machine"]
    out = {
        "anomaly_auc_mean": _mean_std(summary["mean_auc"]),
        "anomaly_seeds": str(len(record["seeds"])),
        "anomaly_epochs": str(config["epochs"]),
        "anomaly_train_pool": f"{config['train_pool_images']:,}",
        "anomaly_test_images": f"{config['test_images']:,}",
        "anomaly_models": str(len(record["seeds"]) * len(config["held_out_classes"])),
        "anomaly_wall_minutes": f"{record['wall_seconds'] / 60:.0f} min",
        "anomaly_date": record["created_utc"][:10],
        "anomaly_command": record["command"],
        "anomaly_machine": f"{machine['cpu_count']} CPU cores, {machine['memory_gib']:.0f} GiB, no GPU"
        if not machine.get("gpus")
        else f"{machine['cpu_count']} CPU cores and a GPU",
        "anomaly_tensorflow": record["environment"]["tensorflow"],
    }
    for key, entry in summary["classes"].items():
        slug = SLUGS[int(key.removeprefix("class_"))]
        out[f"anomaly_auc_{slug}"] = _mean_std(entry["auc"])
        out[f"anomaly_error_normal_{slug}"] = f"{entry['error_normal']['mean']:.4f}"
        out[f"anomaly_error_heldout_{slug}"] = f"{entry['error_anomaly']['mean']:.4f}"
    return out
