"""Chapter 6: the bottleneck sweep trained to its validation plateau (``results/bottleneck_converged``)."""

from __future__ import annotations

from typing import Any

from recorded_results import markdown_table, mean, mean_std, number, provenance, stat

from facts.bottleneck import SIZES, label

EXPERIMENT = "bottleneck_converged"


def _cell(record: dict[str, Any], family: str, size: str) -> str:
    if size not in record["summary"].get(family, {}):
        return "not run"
    return mean_std(stat(record, family, size, "test", "psnr"), 2)


def facts(record: dict[str, Any]) -> dict[str, str]:
    """PSNR per family and code size, how many runs stand behind them, the conv code's stop, the table."""
    config = record["config"]
    prefix = "bottleneck_converged"
    out = {
        **provenance(prefix, record),
        f"{prefix}_runs_done": str(len(config["runs_done"])),
        f"{prefix}_runs_planned": str(len(config["run_order"])),
        f"{prefix}_cap": str(config["max_epochs"]),
        f"{prefix}_patience": str(config["patience"]),
        f"{prefix}_baseline_psnr": f"{number(config['baseline_psnr'], 2)} dB",
        f"{prefix}_matched_parameters": f"{mean(record, 'matched', 'd32', 'parameters'):,.0f}",
    }
    for family in ("width", "matched"):
        for size, entry in record["summary"].get(family, {}).items():
            out[f"{prefix}_{family}_{size}"] = f"{number(entry['test']['psnr']['mean'], 2)} dB"
            out[f"{prefix}_{family}_{size}_n"] = str(entry["test"]["psnr"]["n"])
    conv = [r for s in record["per_seed"] for n, r in s["runs"].items() if n.startswith("width_conv")]
    out[f"{prefix}_conv_epochs_run"] = ", ".join(str(r["epochs_run"]) for r in conv)
    out[f"{prefix}_conv_best_epoch"] = ", ".join(str(r["epochs_to_converge"]) for r in conv)
    three = config["three_epoch_psnr"]
    rows = [
        (
            label(size),
            f"{number(three[size], 2)}",
            _cell(record, "width", size),
            _cell(record, "matched", size),
        )
        for size in SIZES
    ]
    headers = ("Code size", "3 epochs (dB)", "Converged, baseline widths (dB)", "Converged, equal parameters (dB)")
    out[f"{prefix}_table"] = markdown_table(headers, rows, align=["left", "right", "right", "right"])
    return out
