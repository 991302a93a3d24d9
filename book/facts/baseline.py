"""Chapter 5: the baseline trained with the report's recipe (``results/baseline``)."""

from __future__ import annotations

from typing import Any

from recorded_results import markdown_table, mean_std, number, numbers_right, provenance, stat

EXPERIMENT = "baseline"


def facts(record: dict[str, Any]) -> dict[str, str]:
    """Test PSNR, SSIM and their spread over seeds, the per-epoch loss change at the end, the table."""
    psnr, ssim = stat(record, "test", "psnr"), stat(record, "test", "ssim")
    losses = [seed["loss_per_epoch"] for seed in record["per_seed"]]
    last_step = max(curve[-2] - curve[-1] for curve in losses)
    rows = [
        ("Test PSNR (dB)", mean_std(psnr, 2)),
        ("Test SSIM", mean_std(ssim, 3)),
        ("Test MSE", mean_std(stat(record, "test", "mse"), 5)),
        ("Test loss (BCE)", mean_std(stat(record, "test", "bce"), 4)),
        ("Training loss, last epoch", mean_std(stat(record, "final_train_loss"), 4)),
        ("Training time (min)", mean_std({**stat(record, "train_seconds")} | _minutes(record), 0)),
    ]
    header = ("Measure", f"Mean ± std over {len(record['seeds'])} seeds")
    return {
        **provenance("baseline", record),
        "baseline_epochs": str(record["config"]["epochs"]),
        "baseline_train_images": f"{record['config']['train_images']:,}",
        "baseline_runs": str(len(record["seeds"])),
        "baseline_psnr": f"{mean_std(psnr, 2)} dB",
        "baseline_psnr_mean": f"{number(psnr['mean'], 2)} dB",
        "baseline_psnr_min": f"{number(psnr['min'], 2)} dB",
        "baseline_psnr_max": f"{number(psnr['max'], 2)} dB",
        "baseline_ssim": mean_std(ssim, 3),
        "baseline_first_loss": number(min(curve[0] for curve in losses), 3),
        "baseline_last_loss": number(stat(record, "final_train_loss")["mean"], 3),
        "baseline_last_step": number(last_step, 4),
        "baseline_reference_psnr": f"{number(record['reference']['psnr'], 2)} dB",
        "baseline_table": markdown_table(header, rows, align=numbers_right(2)),
    }


def _minutes(record: dict[str, Any]) -> dict[str, float]:
    seconds = stat(record, "train_seconds")
    return {key: seconds[key] / 60 for key in ("mean", "std", "min", "max")}
