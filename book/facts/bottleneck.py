"""Chapter 6: test quality against code size after 3 epochs (``results/bottleneck``)."""

from __future__ import annotations

import itertools
from typing import Any

from recorded_results import markdown_table, mean, mean_std, number, provenance, stat

EXPERIMENT = "bottleneck"
SIZES = ("d2", "d8", "d32", "d128", "d512", "conv")


def label(size: str) -> str:
    """``"d32"`` -> ``"32"``; the convolutional code -> ``"6,272 (no dense)"``."""
    return "6,272 (no dense)" if size == "conv" else f"{int(size[1:]):,}"


def facts(record: dict[str, Any]) -> dict[str, str]:
    """PSNR per code size, the gain of each fourfold larger code, and the table."""
    out = {**provenance("bottleneck", record), "bottleneck_epochs": str(record["config"]["epochs"])}
    for size in SIZES:
        out[f"bottleneck_psnr_{size}"] = f"{number(mean(record, 'sizes', size, 'psnr'), 2)} dB"
        out[f"bottleneck_parameters_{size}"] = f"{mean(record, 'sizes', size, 'parameters'):,.0f}"
    dense = SIZES[:-1]
    for low, high in itertools.pairwise(dense):
        gain = mean(record, "sizes", high, "psnr") - mean(record, "sizes", low, "psnr")
        out[f"bottleneck_gain_{low}_{high}"] = f"{number(gain, 2)} dB"
    rows = [
        (
            label(size),
            f"{mean(record, 'sizes', size, 'parameters'):,.0f}",
            mean_std(stat(record, "sizes", size, "psnr"), 2),
            mean_std(stat(record, "sizes", size, "ssim"), 3),
        )
        for size in SIZES
    ]
    headers = ("Code size (numbers)", "Parameters", "Test PSNR (dB)", "Test SSIM")
    out["bottleneck_table"] = markdown_table(headers, rows, align=["left", "right", "right", "right"])
    out["bottleneck_seeds_count"] = str(len(record["seeds"]))
    return out
