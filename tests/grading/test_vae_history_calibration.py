"""``vae_history_gap``: the threshold separates honest VAE histories from made-up ones, as recorded."""

from __future__ import annotations

import json

from cae_ref.grader import checks
from grading.assignments.a07_vae import RECORD
from grading.assignments.a07_vae.history import THRESHOLD, summary


def test_the_threshold_sits_between_every_honest_history_and_the_made_up_one():
    record = json.loads(RECORD.read_text())["history"]
    kinds = {row["kind"] for row in record["runs"]}
    assert kinds == {"valid", "mistake", "fake"}, f"the calibration lacks a kind of student: {sorted(kinds)}"
    measured = summary(record["runs"])
    assert measured == record["summary"], "the recorded summary is not the summary of the recorded runs"
    limit = checks.THRESHOLDS[THRESHOLD]
    assert measured["largest_honest_gap"] < limit < measured["smallest_fake_gap"], (measured, limit)
    valid = [row for row in record["runs"] if row["kind"] == "valid"]
    assert all(row["value"] is not None for row in valid), "a valid design failed or diverged"
    assert len({row["seed"] for row in valid}) >= 3, "valid designs need at least three seeds"


def test_summary_keeps_fakes_apart_and_skips_runs_without_a_value():
    rows = [
        {"kind": "valid", "value": 0.05},
        {"kind": "mistake", "value": 0.12},
        {"kind": "mistake", "value": None},  # diverged: the history test fails it on its own
        {"kind": "fake", "value": 0.7},
        {"kind": "fake", "value": 0.9},
    ]
    assert summary(rows) == {"largest_honest_gap": 0.12, "smallest_fake_gap": 0.7}
