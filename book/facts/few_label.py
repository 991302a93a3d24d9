"""Chapter 9: classifiers trained on 10 or 100 labels per class, codes against pixels (``results/few_label``)."""

from __future__ import annotations

from typing import Any

from recorded_results import markdown_table, mean_std, number, numbers_right, provenance, stat

EXPERIMENT = "few_label"


def facts(record: dict[str, Any]) -> dict[str, str]:
    """Accuracy per label budget, features and classifier, the number of draws, the table."""
    config = record["config"]
    out = {**provenance("few_label", record), "few_label_draws": str(config["draws"])}
    rows = []
    for per_class in config["labels_per_class"]:
        cells = []
        for classifier in ("logistic_regression", "knn"):
            for feature in ("codes", "pixels"):
                entry = stat(record, f"labels_{per_class}_per_class", feature, classifier)
                short = "probe" if classifier == "logistic_regression" else "knn"
                out[f"few_label_{short}_{feature}_{per_class}"] = number(entry["mean"], 3)
                cells.append(mean_std(entry, 3))
        rows.append((str(per_class), *cells))
    headers = ("Labels per class", "Linear probe: codes", "pixels", "kNN-5: codes", "pixels")
    out["few_label_table"] = markdown_table(headers, rows, align=numbers_right(5))
    return out
