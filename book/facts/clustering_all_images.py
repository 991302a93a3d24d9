"""Chapter 7: clustering fitted and scored on all 70,000 images (``results/clustering_all_images``)."""

from __future__ import annotations

from typing import Any

from recorded_results import NBSP, markdown_table, mean_std, number, numbers_right, provenance

EXPERIMENT = "clustering_all_images"
DASH = "–"
ROWS = (  # (codes, method, the table's name for the row)
    ("course_converged", "kmeans", "Course codes, 8 numbers, k-means"),
    ("course_converged", "umap_gmm", "Course codes, 8 numbers, UMAP + GMM"),
    ("course_all", "umap_gmm", "Course design trained on all images, UMAP + GMM"),
    ("n2d", "kmeans", "N2D's autoencoder, {epochs} epochs, k-means"),
    ("n2d", "umap_gmm", "N2D's autoencoder, {epochs} epochs, UMAP + GMM"),
)
PUBLISHED = (  # (anchor, the table's name for the row); DEC-keras and N2D, all 70,000 images
    ("autoencoder_kmeans", "Published: autoencoder + k-means"),
    ("dec", "Published: DEC"),
    ("n2d", "Published: N2D, 1,000 epochs"),
)


def _acc(summary: dict[str, Any] | None, codes: str, method: str) -> str:
    entry = (summary or {}).get(codes, {}).get(method)
    return DASH if entry is None else mean_std(entry["acc"], 3)


def _loss_fall(runs: list[dict[str, Any]], last: int) -> str:
    """The mean fall of the training loss over the last ``last`` epochs, in per cent of the loss where they start."""
    falls = [1 - run["training"]["loss"][-1] / run["training"]["loss"][-1 - last] for run in runs]
    return number(100 * sum(falls) / len(falls), 1) + NBSP + "%"


def facts(record: dict[str, Any]) -> dict[str, str]:
    """ACC of every code set and method on both protocols, the runs behind them, N2D's loss, the table."""
    config, summary = record["config"], record["summary"]
    held_out = (config.get("held_out") or {}).get("summary")
    epochs = config["n2d_epochs"]
    out = {**provenance(EXPERIMENT, record)}
    for codes, methods in summary.items():
        for method in methods:
            out[f"{EXPERIMENT}_{codes}_{method}"] = _acc(summary, codes, method)
            out[f"{EXPERIMENT}_{codes}_seeds"] = str(methods[method]["acc"]["n"])
    out[f"{EXPERIMENT}_held_out_umap_gmm"] = mean_std(held_out["umap_gmm"]["acc"], 3)
    for anchor, _ in PUBLISHED:
        out[f"{EXPERIMENT}_published_{anchor}"] = number(config["anchors"][anchor]["acc"], 3)
    out[f"{EXPERIMENT}_images"] = f"{config['images']:,}"
    out[f"{EXPERIMENT}_n2d_epochs"] = f"{epochs:,}"
    out[f"{EXPERIMENT}_course_epochs"] = f"{config['course_epochs']:,}"
    out[f"{EXPERIMENT}_runs_done"] = str(len(config["runs_done"]))
    out[f"{EXPERIMENT}_runs_planned"] = str(len(config["run_order"]))
    n2d_runs = [run for seed in record["per_seed"] for run in seed["runs"].values() if run["codes"] == "n2d"]
    if n2d_runs:
        out[f"{EXPERIMENT}_n2d_loss_fall_second_half"] = _loss_fall(n2d_runs, epochs - epochs // 2)
        out[f"{EXPERIMENT}_n2d_half_epochs"] = f"{epochs // 2:,}"
    rows = [
        (
            name.format(epochs=epochs),
            _acc(held_out and {"course_converged": held_out}, codes, method),
            _acc(summary, codes, method),
        )
        for codes, method, name in ROWS
    ]
    rows += [(name, DASH, number(config["anchors"][anchor]["acc"], 3)) for anchor, name in PUBLISHED]
    headers = ("Codes and clustering", "Held out: test images", f"All {config['images']:,} images")
    out[f"{EXPERIMENT}_table"] = markdown_table(headers, rows, align=numbers_right(3))
    return out
