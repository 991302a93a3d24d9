"""The committed calibration record backs the thresholds: every valid design passes, every mistake fails.

It reads the records ``grading/assignments/*/calibration.json`` (written by ``python -m grading calibrate``,
never by hand), as one: the thresholds it
was summarised with are ``cae_ref.grader.checks.THRESHOLDS``, the batch-normalised designs of issue 25 are among
the valid designs of 03 to 05, and the batch-normalisation section compares the two measurements.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cae_ref.grader import checks
from grading.assignments.a02_architecture.designs import ALTERNATIVES
from grading.calibration import OWN_MODE, combined, read_records

GRADING = Path(__file__).resolve().parents[2] / "grading"
RECORD = combined(read_records())
TRAINED_DESIGNS = ("training_mse", "latent_accuracy", "latent_shuffled_accuracy", "denoising_gain_db")


@pytest.mark.parametrize("name", sorted(RECORD["summary"]))
def test_each_threshold_keeps_every_valid_run_and_fails_every_mistake(name):
    item = RECORD["summary"][name]
    assert item["threshold"] == checks.THRESHOLDS[name]
    assert item["all_valid_pass"] and item["valid_margin"] >= 0
    assert item["all_mistakes_fail"]


@pytest.mark.parametrize("name", TRAINED_DESIGNS)
def test_every_design_is_calibrated(name):
    valid = {row["design"] for row in RECORD["runs"] if row["threshold"] == name and row["kind"] == "valid"}
    assert {"reference", *ALTERNATIVES} <= valid
    assert {"batchnorm", "batchnorm_decoder"} <= valid


@pytest.mark.parametrize("name", ["training_mse", "denoising_gain_db"])
def test_batch_norm_is_measured_settled_and_only_batch_norm_differs(name):
    own = {
        (r["design"], r["variant"], r["seed"]): r["value"] for r in RECORD["runs"] if r["threshold"] == name + OWN_MODE
    }
    graded = {(r["design"], r["variant"], r["seed"]): r["value"] for r in RECORD["runs"] if r["threshold"] == name}
    assert own.keys() == graded.keys()
    differ = {key[0] for key, value in graded.items() if own[key] != value}
    assert differ == {"batchnorm", "batchnorm_decoder"}
    page = (GRADING / "calibration.md").read_text(encoding="utf-8")
    assert "## Batch normalisation" in page and "settled (graded)" in page
