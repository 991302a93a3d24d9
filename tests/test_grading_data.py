"""The grading subsets read from the grading command's file are the ones drawn from the data set.

``python -m grading autograde`` writes every grading budget's subsets once (cae_ref/grader/grading_data.py)
and the kernels read them instead of decompressing Fashion-MNIST for every check. The file must
give the same arrays, fall back to the data set whenever it cannot, and be named only by what the
setup cell saw: a submission that changes the variable or the module's name gains nothing.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import numpy as np
import pytest

from cae_ref.budget import TRAINING_BUDGET
from cae_ref.grader import grading_data
from grading.submissions import REPO


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return grading_data.write(tmp_path_factory.mktemp("grading-data") / "grading-data.npz")


def test_every_budget_reads_back_what_it_draws(written, monkeypatch):
    monkeypatch.setattr(grading_data, "CACHE", str(written))
    assert os.path.getsize(written) < 60 * 2**20  # a few thousand images, not the data set
    for budget in grading_data.GRADING_BUDGETS:
        drawn, read = grading_data.draw(budget), grading_data.subsets(budget)
        assert sorted(read) == sorted(drawn) == ["x_test", "x_train", "x_val", "y_test", "y_train", "y_val"]
        for name, array in drawn.items():
            assert read[name].dtype == array.dtype and np.array_equal(read[name], array), (budget, name)


def test_what_the_file_lacks_is_drawn(written, tmp_path, monkeypatch):
    other = dataclasses.replace(TRAINING_BUDGET, seed=TRAINING_BUDGET.seed + 1)  # not in the file
    monkeypatch.setattr(grading_data, "CACHE", str(written))
    assert np.array_equal(grading_data.subsets(other)["x_train"], grading_data.draw(other)["x_train"])
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip file")
    for path in (str(broken), str(tmp_path / "missing.npz")):
        monkeypatch.setattr(grading_data, "CACHE", path)
        assert np.array_equal(
            grading_data.subsets(TRAINING_BUDGET)["y_val"], grading_data.draw(TRAINING_BUDGET)["y_val"]
        )


def test_only_the_file_named_before_the_student_runs_counts(written, tmp_path):
    """A rebound ``CACHE`` is put back by the grader's record; a changed variable is never read again."""
    fake = tmp_path / "fake.npz"
    np.savez(
        fake,
        **{f"{grading_data._key(TRAINING_BUDGET)}/{n}": a * 0 for n, a in grading_data.draw(TRAINING_BUDGET).items()},
    )
    script = "\n".join(
        [
            "import os",
            "from cae_ref.grader import checks",  # the setup cell
            "import cae_ref.grader.grading_data as gd",
            f"os.environ['{grading_data.ENV}'] = {str(fake)!r}",  # the student's code
            "gd.CACHE = os.environ['CAE_GRADING_DATA']",
            "from cae_ref.grader import pristine",
            "print(any('CACHE' in name for name in pristine.restore()), gd.CACHE == os.environ['CAE_GRADING_DATA'])",
            "print(float(checks.grading_data(checks.TRAINING_BUDGET)['x_train'].max()))",
        ]
    )
    env = {**os.environ, grading_data.ENV: str(written), "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False", "1.0"], out.stdout
