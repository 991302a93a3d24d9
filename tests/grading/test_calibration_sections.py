"""Rewriting grading/calibration.md from calibrate.py keeps the sections other calibration tools own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from grading.calibrate import write_markdown

GRADING = Path(__file__).resolve().parents[2] / "grading"


def test_rewriting_the_calibration_page_keeps_the_other_tools_sections(tmp_path):
    page = tmp_path / "calibration.md"
    shutil.copy(GRADING / "calibration.md", page)
    before = page.read_text(encoding="utf-8")
    record = json.loads((GRADING / "calibration.json").read_text())

    write_markdown(record["summary"], record["meta"], page)

    after = page.read_text(encoding="utf-8")
    for mark in ("<!-- few_labels: written by", "<!-- fit_pairs: written by"):
        start, end = before.index(mark), before.rindex(mark)
        assert before[start:end] in after, f"{mark} section dropped"
        assert after.count(mark) == 2
    assert "## `training_mse`" in after


def test_a_page_without_sections_gets_none(tmp_path):
    page = tmp_path / "calibration.md"
    page.write_text("# old\n", encoding="utf-8")
    record = json.loads((GRADING / "calibration.json").read_text())
    write_markdown(record["summary"], record["meta"], page)
    assert "<!--" not in page.read_text(encoding="utf-8")
