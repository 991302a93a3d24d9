"""grading/calibration.md is written whole from the per-assignment records (``python -m grading calibrate``)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from grading.calibration import PAGE, calibrate, combined, page, read_records, spec


def test_the_committed_page_is_the_page_of_the_records():
    assert PAGE.read_text(encoding="utf-8") == page(read_records()), "run `python -m grading calibrate --page-only`"


def test_each_assignment_section_is_on_the_page():
    text = page(read_records())
    for heading in ("## `training_mse`", "## `vae_elbo_gain`", "## `few_label_agreement`", "## Trained on the task's"):
        assert text.count(heading) == 1, heading


def test_a_doctored_record_changes_the_page():
    records = read_records()
    doctored = copy.deepcopy(records)
    doctored["08_few_labels"]["runs"][0]["value"] = 0.299
    assert page(doctored) != page(records)


def test_records_from_separate_runs_name_each_date():
    records = copy.deepcopy(read_records())
    records["06_bottleneck"]["meta"]["date"] = "2027-01-01 00:00 UTC"
    assert "06_bottleneck 2027-01-01 00:00 UTC" in combined(records)["meta"]["date"]


@pytest.mark.parametrize("assignment", ["01_data", "09_missing"])
def test_an_assignment_without_a_threshold_is_a_clear_error(assignment):
    with pytest.raises(ValueError, match=r"no threshold|unknown assignment"):
        spec(assignment)
    with pytest.raises(ValueError):
        calibrate([assignment], seeds=1, mistake_seeds=1)


def test_every_record_path_lies_in_its_assignment_folder():
    from grading.assignments import MODULES

    for assignment, module in MODULES.items():
        if module.RECORD is not None:
            assert Path(module.__file__).with_name("calibration.json") == module.RECORD, assignment
