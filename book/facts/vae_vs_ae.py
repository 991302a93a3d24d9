"""Chapter 9: the VAE against a plain autoencoder with the same layers and budget (``results/vae_vs_ae``)."""

from __future__ import annotations

from typing import Any

from recorded_results import markdown_table, mean_std, number, numbers_right, provenance, stat

EXPERIMENT = "vae_vs_ae"


def facts(record: dict[str, Any]) -> dict[str, str]:
    """PSNR and nats of both models, the gap seed by seed, the table."""
    gaps = [run["psnr_gap_ae_minus_vae"] for run in record["per_seed"]]
    out = {
        **provenance("vae_vs_ae", record),
        "vae_vs_ae_epochs": str(record["config"]["epochs"]),
        "vae_vs_ae_runs": str(len(gaps)),
        "vae_vs_ae_gap_min": f"{number(min(gaps), 2)} dB",
        "vae_vs_ae_gap_max": f"{number(max(gaps), 2)} dB",
    }
    rows = []
    for model, name in (("vae", "VAE"), ("autoencoder", "Plain autoencoder")):
        psnr, nats = stat(record, model, "psnr"), stat(record, model, "reconstruction_nats")
        out[f"vae_vs_ae_{model}_psnr"] = f"{mean_std(psnr, 2)} dB"
        out[f"vae_vs_ae_{model}_nats"] = f"{mean_std(nats, 1)} nats"
        rows.append(
            (
                name,
                f"{stat(record, model, 'parameters')['mean']:,.0f}",
                mean_std(psnr, 2),
                mean_std(stat(record, model, "ssim"), 3),
                mean_std(nats, 1),
            )
        )
    headers = ("Model", "Parameters", "Test PSNR (dB)", "Test SSIM", "Reconstruction (nats)")
    out["vae_vs_ae_table"] = markdown_table(headers, rows, align=numbers_right(5))
    return out
