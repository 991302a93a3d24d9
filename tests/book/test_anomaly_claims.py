"""What the page "Anomaly detection" says about the recorded run holds in results/anomaly/results.json.

The page's sentences are written by hand; each claim about direction or size is a function
here that reads the record. A rerun that changes the answer fails this test instead of leaving
the page wrong, and each claim is shown to fail on a copy of the record doctored against it.
The substitutions the page uses (``{{ anomaly_... }}``) must all come from book/facts/anomaly.py.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "results" / "anomaly" / "results.json"
PAGE = ROOT / "book" / "anomaly_detection.md"
SLUGS = ("tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot")
BEST = {"sandal", "bag", "pullover", "trouser"}  # "flags sandals, bags, pullovers and trousers best"
BELOW_CHANCE = {"sneaker", "tshirt", "dress", "boot"}  # "rebuilt better than the normal images"
AT_CHANCE = {"coat", "shirt"}


def _record() -> dict[str, Any]:
    return json.loads(RECORD.read_text(encoding="utf-8"))


def _key(slug: str) -> str:
    return f"class_{SLUGS.index(slug)}"


def _auc(record: dict[str, Any], slug: str) -> float:
    return record["summary"]["classes"][_key(slug)]["auc"]["mean"]


# ---------------------------------------------------------------- the page's claims
def mean_is_barely_above_chance(record: dict[str, Any]) -> bool:
    """'Averaged over the ten classes, the score is barely better than a coin toss.'"""
    return 0.5 < record["summary"]["mean_auc"]["mean"] < 0.6


def four_classes_are_flagged_best(record: dict[str, Any]) -> bool:
    """'Held-out sandals, bags, pullovers and trousers are flagged best, with AUCs of about 0.7.'"""
    ranked = sorted(SLUGS, key=lambda slug: _auc(record, slug), reverse=True)
    return set(ranked[:4]) == BEST and all(0.65 <= _auc(record, slug) <= 0.75 for slug in BEST)


def coats_and_shirts_sit_at_chance(record: dict[str, Any]) -> bool:
    """'Coats and shirts sit at chance' (every seed's AUC within 0.05 of 0.5)."""
    return all(abs(run["classes"][_key(slug)]["auc"] - 0.5) <= 0.05 for slug in AT_CHANCE for run in record["per_seed"])


def four_classes_are_rebuilt_better(record: dict[str, Any]) -> bool:
    """'Sneakers, T-shirts, dresses and ankle boots score below 0.5 in every seed: the autoencoder
    rebuilds them better than the normal images' (a smaller mean error than the normal classes')."""
    for slug in BELOW_CHANCE:
        if any(run["classes"][_key(slug)]["auc"] >= 0.5 for run in record["per_seed"]):
            return False
        entry = record["summary"]["classes"][_key(slug)]
        if entry["error_anomaly"]["mean"] >= entry["error_normal"]["mean"]:
            return False
    return True


def held_out_sandals_cost_a_larger_error(record: dict[str, Any]) -> bool:
    """'Trained without sandals, the model ... pays with a large error' (above the normal images')."""
    entry = record["summary"]["classes"][_key("sandal")]
    return entry["error_anomaly"]["mean"] > 1.2 * entry["error_normal"]["mean"]


def run_is_complete(record: dict[str, Any]) -> bool:
    """The page describes the full profile: ten classes, three seeds, no overrides."""
    return (
        record["complete"]
        and record["profile"] == "full"
        and not record["overrides"]
        and record["seeds"] == [0, 1, 2]
        and sorted(record["config"]["held_out_classes"]) == list(range(10))
    )


CLAIMS: list[Callable[[dict[str, Any]], bool]] = [
    mean_is_barely_above_chance,
    four_classes_are_flagged_best,
    coats_and_shirts_sit_at_chance,
    four_classes_are_rebuilt_better,
    held_out_sandals_cost_a_larger_error,
    run_is_complete,
]


# ---------------------------------------------------------------- doctored records
def _set_auc(record: dict[str, Any], slug: str, value: float, seed_index: int | None = None) -> dict[str, Any]:
    """A copy of ``record`` with one class's AUC changed (summary mean, or one seed's value)."""
    doctored = copy.deepcopy(record)
    if seed_index is None:
        doctored["summary"]["classes"][_key(slug)]["auc"]["mean"] = value
    else:
        doctored["per_seed"][seed_index]["classes"][_key(slug)]["auc"] = value
    return doctored


def _set(record: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    doctored = copy.deepcopy(record)
    target = doctored
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doctored


DOCTORED: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "mean_is_barely_above_chance": lambda r: _set(r, ("summary", "mean_auc", "mean"), 0.48),
    "four_classes_are_flagged_best": lambda r: _set_auc(r, "coat", 0.95),
    "coats_and_shirts_sit_at_chance": lambda r: _set_auc(r, "shirt", 0.58, seed_index=1),
    "four_classes_are_rebuilt_better": lambda r: _set_auc(r, "dress", 0.52, seed_index=2),
    "held_out_sandals_cost_a_larger_error": lambda r: _set(
        r, ("summary", "classes", _key("sandal"), "error_anomaly", "mean"), 0.015
    ),
    "run_is_complete": lambda r: _set(r, ("overrides",), {"epochs": 1}),
}


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda claim: claim.__name__)
def test_the_record_supports_the_claim(claim: Callable[[dict[str, Any]], bool]) -> None:
    assert claim(_record()), f"results/anomaly no longer supports: {claim.__doc__}"


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda claim: claim.__name__)
def test_the_claim_fails_on_a_doctored_record(claim: Callable[[dict[str, Any]], bool]) -> None:
    doctored = DOCTORED[claim.__name__](_record())
    assert not claim(doctored), f"{claim.__name__} still holds on a record doctored against it"


def test_every_substitution_on_the_page_comes_from_the_facts_module() -> None:
    spec = importlib.util.spec_from_file_location("anomaly_facts", ROOT / "book" / "facts" / "anomaly.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    facts = module.facts(_record())
    used = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", PAGE.read_text(encoding="utf-8")))
    assert used, "the page uses no substitutions"
    assert used <= set(facts), f"the page uses substitutions the facts module lacks: {sorted(used - set(facts))}"
    assert all(isinstance(text, str) and text for text in facts.values())
