"""Summarise a results folder as Markdown: ``python -m experiments.report results``.

With ``--readme PATH`` the table replaces the text between the markers
``<!-- results:start -->`` and ``<!-- results:end -->`` in that file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cae_ref.clustering import best_on_codes
from cae_ref.tables import markdown_table
from experiments import EXPERIMENTS
from experiments.stats import fmt

START, END = "<!-- results:start -->", "<!-- results:end -->"


def _epochs(results: dict[str, Any]) -> str:
    config = results["config"]
    for key in ("epochs", "latent2_epochs", "baseline_epochs", "max_epochs"):
        if key in config:
            return str(config[key])
    return "-"


def _headline(name: str, results: dict[str, Any]) -> str:
    summary = results["summary"]
    if not summary:
        return "-"
    if name == "baseline":
        test = summary["test"]
        return (
            f"MSE {fmt(test['mse'], 5)}, PSNR {fmt(test['psnr'], 2)} dB, SSIM {fmt(test['ssim'], 3)}, "
            f"BCE {fmt(test['bce'], 4)}"
        )
    if name == "bottleneck":
        sizes = summary["sizes"]
        return "; ".join(f"{int(v['code_size']['mean'])}-d {v['psnr']['mean']:.2f} dB" for v in sizes.values())
    if name == "latent_space":
        return (
            f"linear probe codes {fmt(summary['codes']['linear_probe_all'])} vs pixels "
            f"{fmt(summary['pixels']['linear_probe_all'])}; k-means ACC codes {fmt(summary['codes']['kmeans']['acc'])}"
            f" vs pixels {fmt(summary['pixels']['kmeans']['acc'])}"
        )
    if name == "denoising":
        parts = [f"{k.split('_')[1]}: {v['psnr']['mean']:.2f} dB" for k, v in summary.get("matched", {}).items()]
        return "denoiser PSNR " + ", ".join(parts)
    if name == "vae":
        return f"test ELBO {fmt(summary['test_elbo'], 1)} nats"
    if name == "anomaly":
        names = results["class_names"]
        aucs = {names[int(key.split("_")[1])]: entry["auc"]["mean"] for key, entry in summary["classes"].items()}
        low, high = min(aucs, key=aucs.get), max(aucs, key=aucs.get)
        return (
            f"ROC AUC, mean over held-out classes {fmt(summary['mean_auc'])}; "
            f"highest {high} {aucs[high]:.3f}, lowest {low} {aucs[low]:.3f}"
        )
    if name == "few_label":
        parts = []
        for key, entry in summary.items():
            if key.startswith("labels_"):
                count = key.split("_")[1]
                parts.append(
                    f"{count}/class logistic codes {entry['codes']['logistic_regression']['mean']:.3f} vs pixels "
                    f"{entry['pixels']['logistic_regression']['mean']:.3f}"
                )
        return "; ".join(parts)
    return _issue15_headline(name, summary)


def _issue15_headline(name: str, summary: dict[str, Any]) -> str:
    if name == "bottleneck_converged":
        return "; ".join(
            f"{family} {label} {entry['test']['psnr']['mean']:.2f} dB "
            f"({entry['epochs_to_converge']['mean']:.0f} ep, n={entry['test']['psnr']['n']})"
            for family, sizes in summary.items()
            for label, entry in sizes.items()
        )
    if name == "clustering":
        features, method = best_on_codes(summary)
        return f"best on codes: {features} {method} ACC {fmt(summary[features][method]['acc'])}"
    if name == "clustering_screen":
        parts = []
        for feature, variants in summary.items():
            best = max(variants, key=lambda variant: variants[variant]["acc"]["mean"])
            shown = dict.fromkeys(("umap_gmm", best, "dec"))  # ordered, without repeats
            parts += [
                f"{feature} {variant} {fmt(variants[variant]['acc'])}" for variant in shown if variant in variants
            ]
        return "; ".join(parts) + " (validation ACC on training images)"
    if name == "clustering_all_images":
        return (
            "; ".join(
                f"{codes} {method} ACC {fmt(scores['acc'])} (n={scores['acc']['n']})"
                for codes, methods in summary.items()
                for method, scores in methods.items()
                if method == "umap_gmm"
            )
            + " (fitted and scored on all images)"
        )
    if name == "vae_vs_ae":
        return f"PSNR VAE {fmt(summary['vae']['psnr'], 2)} vs autoencoder {fmt(summary['autoencoder']['psnr'], 2)} dB"
    return "-"


def results_table(folder: Path) -> str:
    """One row per experiment found in ``folder``: status, budget actually run and headline numbers."""
    headers = (
        "experiment",
        "status",
        "profile",
        "epochs run",
        "seeds",
        "overrides of the profile",
        "headline (mean ± std)",
    )
    rows: list[tuple[str, ...]] = []
    for name in EXPERIMENTS:
        path = folder / name / "results.json"
        if not path.is_file():
            rows.append((name, "not run", "-", "-", "-", "-", "-"))
            continue
        results = json.loads(path.read_text())
        status = "complete" if results["complete"] else "partial"
        relevant = {
            key: value
            for key, value in results.get("overrides", {}).items()
            if "." not in key or key.startswith(f"{name}.")
        }
        overrides = ", ".join(f"{k}={v}" for k, v in relevant.items()) or "none"
        seeds = ",".join(str(s) for s in results["seeds"])
        link = f"[{name}]({name}/results.json)"
        rows.append((link, status, results["profile"], _epochs(results), seeds, overrides, _headline(name, results)))
    align = ("left", "left", "left", "right", "left", "left", "left")
    return markdown_table(headers, rows, align=align)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=Path("results"))
    parser.add_argument("--readme", type=Path, default=None, help="update the table inside this file")
    args = parser.parse_args(argv)
    table = results_table(args.folder)
    if args.readme is None:
        print(table)
        return 0
    text = args.readme.read_text()
    if START not in text or END not in text:
        print(f"{args.readme} lacks the markers {START} / {END}", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    args.readme.write_text(f"{head}{START}\n{table}\n{END}{tail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
