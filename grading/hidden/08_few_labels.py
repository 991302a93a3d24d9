"""Hidden checks of exercise 08: run at grading only, never installed or returned to students."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks
from cae_ref.subsets import subset_per_class


def _visible() -> Any:
    """The visible checks' module (its data and record readers), loaded fresh from disk."""
    path = Path(cae_ref.__file__).with_name("grader") / "graded" / "08_few_labels.py"
    spec = importlib.util.spec_from_file_location("cae_ref_checks_08", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hidden_pick_labelled_seeded(pick_labelled: Any) -> None:
    labels = np.random.default_rng(2).permutation(np.repeat(np.array([2, 5, 9]), [30, 50, 20]))
    chosen = np.asarray(checks.graded_call(pick_labelled, labels, 4, 3))
    again = np.asarray(checks.graded_call(pick_labelled, labels, 4, 3))
    assert len(chosen) == 12 and np.array_equal(np.unique(labels[chosen]), [2, 5, 9]), checks.message("f_h_labels")
    assert np.array_equal(np.sort(chosen), np.sort(again)), checks.message("f_h_same_seed")


def hidden_fit_on_labelled_honest(fit_on_labelled: Any) -> None:
    visible = _visible()
    data = visible.pool()
    y_pool = data["y_pool"]
    labelled = subset_per_class(y_pool, 10, seed=8)
    scrambled = visible.scrambled_labels(y_pool, labelled)
    codes_pool, codes_test = visible.features(data)["codes"]
    honest = visible.predictions(checks.graded_call(fit_on_labelled, codes_pool, y_pool, labelled), codes_test)
    other = visible.predictions(checks.graded_call(fit_on_labelled, codes_pool, scrambled, labelled), codes_test)
    assert np.array_equal(honest, other), checks.message("f_h_scrambled")
