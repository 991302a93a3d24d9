"""Chapter 8: denoisers trained and tested at each noise level, against tuned filters (``results/denoising``)."""

from __future__ import annotations

from typing import Any

from recorded_results import markdown_table, mean_std, number, numbers_right, provenance, stat

EXPERIMENT = "denoising"


def best_filter(record: dict[str, Any], level: str) -> float:
    """The better tuned filter's test PSNR (Gaussian or median) at noise ``level``."""
    classical = record["classical"][f"noise_{level}"]
    return max(classical["gaussian"]["psnr"], classical["median"]["psnr"])


def facts(record: dict[str, Any]) -> dict[str, str]:
    """PSNR of input, filters and denoiser per level, the margins, the mismatch extremes, the table."""
    config = record["config"]
    levels = [f"{level:g}" for level in config["test_noise"]]
    out = {**provenance("denoising", record), "denoising_epochs": str(config["epochs"])}
    rows = []
    for level in levels:
        classical = record["classical"][f"noise_{level}"]
        model = stat(record, "matched", f"noise_{level}", "psnr")
        key = level.replace(".", "")
        out[f"denoising_psnr_{key}"] = f"{number(model['mean'], 2)} dB"
        out[f"denoising_ssim_{key}"] = number(stat(record, "matched", f"noise_{level}", "ssim")["mean"], 3)
        out[f"denoising_noisy_{key}"] = f"{number(classical['noisy_input']['psnr'], 2)} dB"
        out[f"denoising_filter_{key}"] = f"{number(best_filter(record, level), 2)} dB"
        out[f"denoising_margin_{key}"] = f"{number(model['mean'] - best_filter(record, level), 1)} dB"
        rows.append(
            (
                level,
                number(classical["noisy_input"]["psnr"], 2),
                number(classical["gaussian"]["psnr"], 2),
                number(classical["median"]["psnr"], 2),
                mean_std(model, 2),
            )
        )
    mismatch = record["summary"]["mismatch"]
    out["denoising_trained_01_at_05"] = f"{number(mismatch['train_0.1']['noise_0.5']['psnr']['mean'], 2)} dB"
    out["denoising_trained_05_at_01"] = f"{number(mismatch['train_0.5']['noise_0.1']['psnr']['mean'], 2)} dB"
    out["denoising_worst_04"] = f"{number(min(v['psnr']['mean'] for v in mismatch['train_0.4'].values()), 2)} dB"
    out["denoising_median_05"] = f"{number(record['classical']['noise_0.5']['median']['psnr'], 2)} dB"
    for name, anchor in record["anchors"].items():
        level = name.rsplit("_", 1)[1].replace(".", "")
        out[f"denoising_tutorial_psnr_{level}"] = f"{number(anchor['psnr'], 1)} dB"
        if "ssim" in anchor:
            out[f"denoising_tutorial_ssim_{level}"] = number(anchor["ssim"], 2)
    headers = ("Noise", "Noisy input (dB)", "Gaussian filter (dB)", "Median filter (dB)", "Denoiser (dB)")
    out["denoising_table"] = markdown_table(headers, rows, align=numbers_right(5))
    return out
