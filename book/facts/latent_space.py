"""Chapter 7: probes, kNN and k-means on pixels, the baseline's codes and 2-D codes (``results/latent_space``)."""

from __future__ import annotations

from typing import Any

from recorded_results import markdown_table, mean_std, number, numbers_right, provenance, stat

EXPERIMENT = "latent_space"
FEATURES = ("pixels", "codes", "codes_2d")
MEASURES = {
    "linear_probe_all": "Probe, all labels",
    "linear_probe_100_per_class": "Probe, 100 per class",
    "linear_probe_10_per_class": "Probe, 10 per class",
    "knn5": "kNN-5, all labels",
}


def _path(measure: str) -> tuple[str, ...]:
    return ("kmeans", measure.split("_")[1]) if measure.startswith("kmeans_") else (measure,)


def facts(record: dict[str, Any]) -> dict[str, str]:
    """Every measure on every feature as ``latent_space_<feature>_<measure>``, and the table."""
    out = {**provenance("latent_space", record)}
    measures = {**MEASURES, "kmeans_acc": "k-means ACC", "kmeans_nmi": "k-means NMI"}
    for feature in FEATURES:
        for measure in measures:
            out[f"latent_space_{feature}_{measure}"] = number(stat(record, feature, *_path(measure))["mean"], 3)
    rows = [
        (name, *(mean_std(stat(record, feature, *_path(measure)), 3) for feature in FEATURES))
        for measure, name in measures.items()
    ]
    headers = ("Measure", "Pixels", "Baseline codes", "2-D codes")
    out["latent_space_table"] = markdown_table(headers, rows, align=numbers_right(4))
    out["latent_space_logistic_pixels_published"] = number(record["anchors"]["logistic_regression_pixels"], 3)
    return out
