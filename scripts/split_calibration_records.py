"""One-off (issue 28): split the grading wing's six calibration records into one record per assignment.

Reads ``grading/calibration.json`` (02 to 07's thresholds, merged runs), ``calibration.bottleneck.json``
and ``calibration.vae.json`` (the partial runs merged into it), ``calibration.vae_history.json``,
``calibration.fit_pairs.json`` and ``calibration.few_labels.json``, and writes
``grading/assignments/a<assignment>/calibration.json``: nothing re-trained, every number kept.
``tests/grading/test_simulated_students.py`` rebuilds the old records from the new ones and compares.
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OLD = REPO / "grading"
NEW = REPO / "grading" / "assignments"
# threshold (as the runs name it) -> assignment
OWNER = {
    "training_mse": "03_training",
    "training_mse_own_mode": "03_training",
    "latent_accuracy": "04_latent_space",
    "latent_shuffled_accuracy": "04_latent_space",
    "denoising_gain_db": "05_denoising",
    "denoising_gain_db_own_mode": "05_denoising",
    "bottleneck_gain_db": "06_bottleneck",
    "vae_elbo_gain": "07_vae",
}


def main() -> None:
    old = {path.name: json.loads(path.read_text()) for path in OLD.glob("calibration*.json")}
    merged = old["calibration.json"]
    records: dict[str, dict] = {}
    for threshold, summary in merged["summary"].items():
        record = records.setdefault(OWNER[threshold], {"meta": merged["meta"], "summary": {}, "runs": []})
        record["summary"][threshold] = summary
    for row in merged["runs"]:
        records[OWNER[row["threshold"]]]["runs"].append(row)
    assert records["06_bottleneck"]["runs"] == old["calibration.bottleneck.json"]
    assert records["07_vae"]["runs"] == old["calibration.vae.json"]
    records["05_denoising"]["fit_pairs"] = old["calibration.fit_pairs.json"]
    records["07_vae"]["history"] = old["calibration.vae_history.json"]
    records["08_few_labels"] = {"runs": old["calibration.few_labels.json"]}
    NEW.mkdir(parents=True, exist_ok=True)
    for assignment, record in records.items():
        path = NEW / f"a{assignment}" / "calibration.json"
        path.write_text(json.dumps({"assignment": assignment, **record}, indent=1) + "\n")
        print(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
