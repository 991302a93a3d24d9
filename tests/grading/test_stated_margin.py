"""08 states the margin it grades with (issue 26): the notebook's number is the grader's, backed by the record.

Part B of ``solutions/08_few_labels`` (and its release in ``exercises/``) tells the student how far their
classifier's held-out accuracy may lie from the course's kNN. That number must be the threshold the grader
uses (``cae_ref.grader.checks.THRESHOLDS["few_label_agreement"]``), and the calibration record
(``grading/assignments/a08_few_labels/calibration.json``) must back the sentence around it: every valid classifier stays
inside the margin, and the classifier that learns from the wrong labels falls outside.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cae_ref.grader import checks

REPO = Path(__file__).resolve().parents[2]
RECORD = json.loads((REPO / "grading" / "assignments" / "a08_few_labels" / "calibration.json").read_text())["runs"]
NAME = "few_label_agreement"
STATED = re.compile(r"must lie within \*\*(\d+\.\d+)\*\* of the course's accuracy")


def stated_margin(text: str) -> float:
    """The margin a notebook's text states (exactly one statement)."""
    found = STATED.findall(text)
    assert len(found) == 1, f"expected one stated margin, found {found}"
    return float(found[0])


def part_b(folder: str) -> str:
    """The markdown of 08's Part B in ``folder`` (solutions or exercises)."""
    notebook = json.loads((REPO / folder / "08_few_labels" / "08_few_labels.ipynb").read_text())
    (cell,) = [c for c in notebook["cells"] if c["cell_type"] == "markdown" and "## Part B" in "".join(c["source"])]
    return "".join(cell["source"])


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_the_notebook_states_the_graders_margin(folder):
    assert stated_margin(part_b(folder)) == checks.THRESHOLDS[NAME]


def test_the_record_backs_the_stated_margin():
    """Every valid run lies inside the margin; the wrong-labels mistake outside (as Part B says)."""
    margin = stated_margin(part_b("solutions"))
    rows = [row for row in RECORD if row["threshold"] == NAME]
    valid = [row["value"] for row in rows if row["kind"] == "valid"]
    wrong_labels = [row["value"] for row in rows if row["variant"] == "mistake: labels of other rows"]
    assert valid and max(valid) <= margin
    assert wrong_labels and min(wrong_labels) > margin


def test_a_doctored_text_fails():
    """The check can fail: another number, or none, is caught."""
    text = part_b("solutions")
    with pytest.raises(AssertionError):
        assert stated_margin(text.replace("**0.30**", "**0.25**")) == checks.THRESHOLDS[NAME]
    with pytest.raises(AssertionError):
        stated_margin(text.replace("**0.30**", "0.30"))
