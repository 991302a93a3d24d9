"""The simulated 07 students build on the released VAE class: read from the release, equal to the reference's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grading.assignments.a07_vae import VAE_HEAD
from grading.simulated import STUDENT_PART, released_vae_head

SOLUTION = Path(__file__).resolve().parents[2] / "solutions" / "07_vae" / "07_vae.ipynb"


@pytest.mark.needs_solutions
def test_head_is_how_the_reference_starts():
    """The given part of the class is the same in the release and the reference solution."""
    cells = ["".join(c["source"]) for c in json.loads(SOLUTION.read_text())["cells"] if c["cell_type"] == "code"]
    (reference,) = [source for source in cells if source.lstrip().startswith("class VAE(")]
    assert reference.startswith(VAE_HEAD.lstrip("\n")) and STUDENT_PART in reference
    assert "def call(self, images" in VAE_HEAD and "def train_step" not in VAE_HEAD


def test_a_release_without_the_class_is_a_clear_error(tmp_path):
    release = tmp_path / "07_vae.ipynb"
    release.write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["x = 1\n"]}]}))
    with pytest.raises(ValueError, match="expected one cell with `class VAE\\(`"):
        released_vae_head(release)
