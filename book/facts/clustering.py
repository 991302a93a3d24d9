"""Chapter 7: k-means and UMAP + Gaussian mixture fitted on training codes (``results/clustering``)."""

from __future__ import annotations

from typing import Any

from recorded_results import markdown_table, mean_std, number, numbers_right, provenance, stat

EXPERIMENT = "clustering"
FEATURES = {
    "pixels": "Pixels",
    "codes": "Baseline codes",
    "codes_d8": "8 numbers, 3 epochs",
    "codes_d32": "32 numbers, 3 epochs",
    "converged_d8": "8 numbers, plateau",
    "converged_d32": "32 numbers, plateau",
}
METHODS = ("kmeans", "umap_gmm")


def facts(record: dict[str, Any]) -> dict[str, str]:
    """ACC of both methods on every feature, the best one's seeds, the published anchors, the table."""
    out = {**provenance("clustering", record)}
    for feature in FEATURES:
        for method in METHODS:
            out[f"clustering_{feature}_{method}"] = number(stat(record, feature, method, "acc")["mean"], 3)
    best = stat(record, "converged_d8", "umap_gmm", "acc")
    out["clustering_best_min"] = number(best["min"], 3)
    out["clustering_best_max"] = number(best["max"], 3)
    for name, anchor in record["anchors"].items():
        out[f"clustering_published_{name}"] = number(anchor["acc"], 3)
    rows = [
        (
            name,
            mean_std(stat(record, feature, "kmeans", "acc"), 3),
            mean_std(stat(record, feature, "umap_gmm", "acc"), 3),
            mean_std(stat(record, feature, "umap_gmm", "nmi"), 3),
        )
        for feature, name in FEATURES.items()
    ]
    headers = ("Features", "k-means ACC", "UMAP + GMM ACC", "UMAP + GMM NMI")
    out["clustering_table"] = markdown_table(headers, rows, align=numbers_right(4))
    out["clustering_fit_images"] = f"{record['config']['fit_images']:,}"
    return out
