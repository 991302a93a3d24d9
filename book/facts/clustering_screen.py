"""Chapter 7: variants of the clustering scored on held-out training images (``results/clustering_screen``)."""

from __future__ import annotations

from typing import Any

from recorded_results import markdown_table, mean_std, number, numbers_right, provenance

EXPERIMENT = "clustering_screen"
FEATURE = "converged_d8"


def facts(record: dict[str, Any]) -> dict[str, str]:
    """ACC of each variant, the recorded method, the best other variant, DEC, the goal, the table."""
    variants = record["summary"][FEATURE]
    labels = record["config"]["variant_labels"]
    others = {name: v for name, v in variants.items() if name != "umap_gmm"}
    best = max(others, key=lambda name: others[name]["acc"]["mean"])
    out = {
        **provenance("clustering_screen", record),
        "clustering_screen_recorded": mean_std(variants["umap_gmm"]["acc"], 3),
        "clustering_screen_best": mean_std(variants[best]["acc"], 3),
        "clustering_screen_best_label": labels[best],
        "clustering_screen_dec": mean_std(variants["dec"]["acc"], 3),
        "clustering_screen_goal": number(record["config"]["goal_acc"], 2),
        "clustering_screen_images": f"{record['config']['validation_size']:,}",
    }
    rows = [(labels[name], mean_std(v["acc"], 3), mean_std(v["nmi"], 3)) for name, v in variants.items()]
    headers = ("Variant (8-number code)", "ACC", "NMI")
    out["clustering_screen_table"] = markdown_table(headers, rows, align=numbers_right(3))
    return out
