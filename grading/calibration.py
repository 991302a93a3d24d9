"""Calibration of the autograder's thresholds: the machinery every assignment shares (issue 28).

Each assignment that has a threshold calibrates it in ``grading/assignments/<assignment>/calibration.py``
(its spec: what it trains, over which designs and mistakes, at which budget). This module runs the
notebooks' code path outside nbgrader (``run_cells``, ``own_autoencoder``), places each threshold between
the worst valid run and the best mistake (``summarise``), keeps one record per assignment
(``grading/assignments/<assignment>/calibration.json``) and writes ``grading/calibration.md`` whole from
all of them. One command runs it (03 to 05: about 17 minutes on 2 busy cores; 06, 07, 08 a few more)::

    FASHION_MNIST_DIR=... .venv/bin/python -m grading calibrate [03_training ...] [--seeds 5]
    .venv/bin/python -m grading calibrate --page-only     # calibration.md from the records, no training
"""

from __future__ import annotations

import importlib
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from cae_ref.grader import checks
from cae_ref.grader.student_model import own_autoencoder
from cae_ref.provenance import machine
from cae_ref.tables import markdown_table
from grading.assignments import MODULES, calibrated
from grading.assignments.a02_architecture.designs import designs
from grading.submissions import REPO, code_cells, reference_answers

PAGE = REPO / "grading" / "calibration.md"


# ---------------------------------------------------------------- running the notebooks' cells
def run_cells(sources: dict[str, str]) -> dict[str, Any]:
    """Run the code solution cells in order in one namespace that starts as the notebooks' setup cell leaves it.

    Written answers (``q_*``) are skipped: ``reference_answers`` returns them with the code cells.
    """
    import importlib

    import keras
    import numpy as np

    import cae_ref
    from cae_ref.grader import checks

    namespace: dict[str, Any] = {
        "cae_ref": cae_ref,
        "checks": checks,
        "importlib": importlib,
        "keras": keras,
        "layers": keras.layers,
        "np": np,
    }
    for source in code_cells(sources).values():
        exec(source, namespace)
    return namespace


def calibration_runs(assignment: str, designs: dict[str, dict[str, str]]) -> list[tuple[str, str, str, dict[str, str]]]:
    """(design, variant, kind, sources) to calibrate ``assignment``: reference, each design, each calibrated mistake."""
    reference = reference_answers(REPO, assignment)
    found = [("reference", "reference answers", "valid", reference)]
    found += [(design, "reference answers", "valid", {**reference, **cells}) for design, cells in designs.items()]
    for label, mistake in calibrated(assignment).items():
        found.append(("reference", f"mistake: {label}", "mistake", {**reference, **mistake.sources}))
    return found


# ---------------------------------------------------------------- the notebooks' code path
def _own_model(cells: dict[str, Any], seed: int):
    """``own_autoencoder`` on the student's model cells, as the notebooks call it; a valid design never falls back."""
    own = own_autoencoder(cells["build_encoder"], cells["build_decoder"], cells["build_autoencoder"], seed=seed)
    if own.used_fallback:
        raise RuntimeError(f"a calibrated design fell back to the course's model: {own.message}")
    return own


def _runs(assignment: str, extra_valid: dict[str, dict[str, str]] | None = None) -> list[tuple[str, str, str, dict]]:
    """(design, variant, kind, cells): each design with the reference answers, then each mistake on each design."""
    reference = reference_answers(REPO, assignment)
    runs = [(design, "reference answers", "valid", {**reference, **cells}) for design, cells in designs().items()]
    for variant, sources in (extra_valid or {}).items():
        runs.append(("reference", variant, "valid", {**reference, **sources}))
    for label, mistake in calibrated(assignment).items():
        runs += [(design, f"mistake: {label}", "mistake", {**reference, **cells, **mistake.sources})
                 for design, cells in designs().items()]  # fmt: skip
    return runs


def _row(threshold: str, design: str, variant: str, kind: str, seed: int, value: float) -> dict:
    return {"threshold": threshold, "design": design, "variant": variant, "kind": kind, "seed": seed, "value": value}


# Rows "<threshold>_own_mode": the same run measured in the model's own inference mode (``checks.predict``),
# without settling its batch-norm statistics; the section "Batch normalisation" compares the two.
OWN_MODE = "_own_mode"


# ---------------------------------------------------------------- summary
# Mistakes that a threshold is not meant to separate, and the test that catches them instead:
# (threshold, variant) on every design, (threshold, variant, design) on that design only.
CAUGHT_ELSEWHERE = {
    ("latent_accuracy", "mistake: scores the training rows"): "test_separation_honest (shuffled labels)",
    ("latent_accuracy", "mistake: fits and scores the test rows"): "test_separation_honest (shuffled labels)",
    ("latent_shuffled_accuracy", "mistake: returns the error rate"): "test_separation_score (accuracy threshold)",
    ("denoising_gain_db", "mistake: trains on (clean, clean)"): "test_denoiser_validation (val_loss on the pairs)",
    # At this budget a weak valid design (subclassed, 3.47 dB) gains less than (noisy, noisy) on a strong one
    # (sequential, 3.84 dB): the threshold keeps every valid design and separates this mistake on the reference
    # and subclassed designs only; on the others the hidden validation check catches it.
    ("denoising_gain_db", "mistake: trains on (noisy, noisy)", "sequential"): "test_denoiser_validation",
    ("denoising_gain_db", "mistake: trains on (noisy, noisy)", "upsampling"): "test_denoiser_validation",
    ("denoising_gain_db", "mistake: trains on (noisy, noisy)", "strided"): "test_denoiser_validation",
    # Batch normalisation (issue 25) learns fast: training on the 300 validation images, or on (noisy, noisy) pairs,
    # passes the thresholds on those designs (below every valid run of the reference design, 03), but the same test
    # cells first check from the grader's record of model.fit that the training pairs were the task's.
    **{
        ("training_mse", "mistake: trains on x_val", design): "test_heldout_mse (training pairs, checks.fitted_on)"
        for design in ("batchnorm_decoder", "batchnorm")
    },
    **{
        ("denoising_gain_db", "mistake: trains on (noisy, noisy)", design): (
            "test_denoising_gain (training pairs, checks.fitted_on), test_denoiser_validation"
        )
        for design in ("batchnorm_decoder", "batchnorm")
    },
    ("bottleneck_gain_db", "mistake: softmax on the code"): "test_build_bottleneck_encoder_linear (no activation)",
    ("bottleneck_gain_db", "mistake: relu on the code"): "test_build_bottleneck_encoder_linear (no activation)",
    ("vae_elbo_gain", "mistake: exp(log_var) as the standard deviation"): "test_sampling_statistics (variance)",
}


def _caught_elsewhere(name: str, row: dict) -> str:
    """The test that catches this mistake instead of threshold ``name`` (on every design, or on this one)."""
    design = row.get("design", "reference")
    return CAUGHT_ELSEWHERE.get((name, row["variant"]), CAUGHT_ELSEWHERE.get((name, row["variant"], design), ""))


# Direction of each threshold: "max" means a passing value is at most the threshold.
DIRECTIONS = {
    "training_mse": "max",
    "latent_accuracy": "min",
    "latent_shuffled_accuracy": "max",
    "denoising_gain_db": "min",
    "bottleneck_gain_db": "min",
    "vae_elbo_gain": "min",
}


def summarise(rows: list[dict]) -> dict[str, dict]:
    """Per threshold: the worst valid run, the best mistake not caught elsewhere, the margins, and each variant."""
    summary = {}
    for name, direction in DIRECTIONS.items():
        selected = [row for row in rows if row["threshold"] == name]
        if not selected:
            continue
        threshold = checks.THRESHOLDS[name]
        variants: dict[tuple[str, str, str], list[float]] = {}
        for row in selected:
            variants.setdefault((row.get("design", "reference"), row["variant"], row["kind"]), []).append(row["value"])
        valid = [row["value"] for row in selected if row["kind"] == "valid"]
        mistakes = [row["value"] for row in selected if row["kind"] == "mistake" and not _caught_elsewhere(name, row)]
        if direction == "max":
            worst_valid, best_mistake = max(valid), min(mistakes) if mistakes else None
            valid_margin = threshold - worst_valid
            mistake_margin = None if best_mistake is None else best_mistake - threshold
        else:
            worst_valid, best_mistake = min(valid), max(mistakes) if mistakes else None
            valid_margin = worst_valid - threshold
            mistake_margin = None if best_mistake is None else threshold - best_mistake
        summary[name] = {
            "direction": "pass if value <= threshold" if direction == "max" else "pass if value >= threshold",
            "threshold": threshold,
            "worst_valid": worst_valid,
            "best_mistake": best_mistake,
            "valid_margin": valid_margin,
            "mistake_margin": mistake_margin,
            "all_valid_pass": valid_margin >= 0,
            "all_mistakes_fail": mistake_margin is None or mistake_margin > 0,
            "variants": [
                {
                    "design": design,
                    "variant": variant,
                    "kind": kind,
                    "n": len(values),
                    "min": min(values),
                    "median": statistics.median(values),
                    "max": max(values),
                    "passes": sum((v <= threshold) if direction == "max" else (v >= threshold) for v in values),
                    "caught_by": _caught_elsewhere(name, {"design": design, "variant": variant}),
                }
                for (design, variant, kind), values in variants.items()
            ],
        }
    return summary


def _fmt(value: float | None, name: str) -> str:
    if value is None:
        return "n/a"
    return (
        f"{value:.2f}" if name == "denoising_gain_db" else f"{value:.4f}" if name == "training_mse" else f"{value:.3f}"
    )


OWN_MODELS = (
    "## Students' own models\n\n"
    "Exercises 03, 04 and 05 train the model the student built in exercise 02 and pasted in (cells "
    "`build_encoder`, `build_decoder`, `build_autoencoder`; `cae_ref.grader.student_model.own_autoencoder` falls back "
    "to the course's model only when theirs is broken). So every threshold is calibrated over valid designs "
    "(`grading/assignments/a02_architecture/designs.py`), each run through the notebooks' own code path: "
    "`own_autoencoder`, then the "
    "reference answers' `compile_autoencoder`/`train_autoencoder` (03), the course's training and the "
    "measure (04), the course's compile and `train_denoiser` (05). Designs: `reference` (the report's "
    "network), `sequential` (keras.Sequential, stride-2 encoder, UpSampling2D decoder, 16/48 filters), "
    "`subclassed` (subclassed keras.Model parts, 24/40 filters), `upsampling` (functional, UpSampling2D + "
    "Conv2D decoder), `strided` (functional, stride-2 convolutions, no pooling), `batchnorm_decoder` (the "
    "reference with batch normalisation between each transposed convolution and its ReLU), `batchnorm` "
    "(keras.Sequential, convolution without bias, batch normalisation and ReLU in the encoder and the decoder). "
    "Every typical mistake is trained on every design. Worst valid run and best mistake (not caught elsewhere) "
    "per design:"
)

BATCH_NORM = (
    "## Batch normalisation\n\n"
    "At the grading budget (64 steps) a BatchNormalization layer's moving averages (momentum 0.99) have not "
    "settled, so the model's own inference mode scores far below what it learned. 03's `test_heldout_mse` and "
    "05's `test_denoising_gain` therefore measure with `cae_ref.grader.checks.settled_predict`: the grader runs the "
    "training inputs it handed over (`x_train`; `x_train_noisy` in 05) through the model in training mode, with "
    "the momentum that makes each moving statistic the mean of its batch values over those rows (what Keras' own "
    'averages settle to with the weights frozen, "precise BN"), measures in inference mode, and puts every '
    "variable of the model back. A model without batch normalisation is measured by `checks.predict`, as "
    "before. 04 measures the codes in the model's own inference mode, as the student's `encode` does. Each "
    "run of this page, measured both ways:"
)


def _batch_norm_section(rows: list[dict]) -> list[str]:
    """The runs whose own inference mode and settled statistics differ, and how many did not differ."""
    own = {
        (r["threshold"].removesuffix(OWN_MODE), r["design"], r["variant"], r["seed"]): r["value"]
        for r in rows
        if r["threshold"].endswith(OWN_MODE)
    }
    if not own:
        return []
    table, same = [], 0
    for row in rows:
        key = (row["threshold"], row.get("design", "reference"), row["variant"], row["seed"])
        if key not in own:
            continue
        if own[key] == row["value"]:
            same += 1
            continue
        name = row["threshold"]
        table.append((f"`{name}`", *key[1:], _fmt(own[key], name), _fmt(row["value"], name)))
    headers = ("check", "design", "variant", "seed", "own inference mode", "settled (graded)")
    return [
        BATCH_NORM,
        "",
        markdown_table(headers, table),
        "",
        f"Every other run ({same}, every design without batch normalisation) measures the same both ways.",
    ]


def _by_design(summary: dict) -> list[tuple[str, ...]]:
    """One row per design: for each threshold, its worst valid value / best mistake not caught elsewhere."""
    rows = []
    for design in dict.fromkeys(v["design"] for item in summary.values() for v in item["variants"]):
        cells = []
        for name, item in summary.items():
            worst, best = (max, min) if item["direction"].endswith("<= threshold") else (min, max)
            mine = [v for v in item["variants"] if v["design"] == design]
            valid = [v["max"] if worst is max else v["min"] for v in mine if v["kind"] == "valid"]
            mistakes = [
                v["min"] if best is min else v["max"] for v in mine if v["kind"] == "mistake" and not v["caught_by"]
            ]
            cells.append(
                f"{_fmt(worst(valid), name) if valid else 'n/a'} / {_fmt(best(mistakes), name) if mistakes else 'n/a'}"
            )
        rows.append((design, *cells))
    return rows


CHECK_HEADERS = (
    "check",
    "passes when",
    "threshold",
    "worst valid run",
    "best mistake",
    "margin to valid",
    "margin to mistake",
)


def markdown(summary: dict, meta: dict, runs: list[dict] | None = None) -> str:
    """The thresholds' part of the page from ``summary`` (and, given the ``runs``, the batch-normalisation section)."""
    took = f"{meta['seconds']:.0f} s " if meta["seconds"] else ""
    lines = [
        "# Calibration of the autograder's thresholds",
        "",
        "Written by `python -m grading calibrate` from the records `grading/assignments/*/calibration.json`; "
        "do not edit by hand. Every run trains at the grading budget "
        "of the notebooks (`cae_ref.grader.checks`), on the same fixed images; seeds change the initial weights "
        "and the batch order.",
        "",
        f"Run: {meta['date']}, {took}on {meta['machine']}, seeds {meta['seeds']} (valid), "
        f"{meta['mistake_seeds']} (mistakes).",
        "",
        markdown_table(
            CHECK_HEADERS,
            [
                (
                    f"`{name}`",
                    item["direction"].replace("pass if ", ""),
                    *(
                        _fmt(item[key], name)
                        for key in ("threshold", "worst_valid", "best_mistake", "valid_margin", "mistake_margin")
                    ),
                )
                for name, item in summary.items()
            ],
        ),
    ]
    lines += [
        "",
        OWN_MODELS,
        "",
        markdown_table(("design", *(f"`{name}`: valid / mistake" for name in summary)), _by_design(summary)),
    ]
    section = _batch_norm_section(runs or [])
    lines += ["", *section] if section else []
    for name, item in summary.items():
        rows = [
            (
                row.get("design", "reference"),
                row["variant"],
                row["kind"],
                row["n"],
                *(_fmt(row[key], name) for key in ("min", "median", "max")),
                f"{row['passes']}/{row['n']}",
                row["caught_by"],
            )
            for row in item["variants"]
        ]
        headers = ("design", "variant", "kind", "runs", "min", "median", "max", "pass", "if not failed here, caught by")
        lines += ["", f"## `{name}`", "", markdown_table(headers, rows)]
    lines += [
        "",
        "For `latent_shuffled_accuracy` (the hidden honesty check) the training labels are shuffled: an "
        "honest measure falls to chance (0.1); one that scores the rows it was fitted on stays high. "
        "Mistakes marked 'caught by' are left out of that threshold's margin: another test fails them.",
        "",
        "`denoising_gain_db` cannot separate every valid design from every mistake at this budget: the weakest "
        "valid design (`subclassed`, 24/40 filters) gains less than training on (noisy, noisy) does on the "
        "strongest (`sequential`). The threshold keeps every valid design at full marks; (noisy, noisy) then "
        "fails it on the `reference` and `subclassed` designs only, and on the others it loses the hidden "
        "`test_denoiser_validation` point instead (its `val_loss` is not the loss on the (noisy, clean) pairs).",
        "",
        "The batch-normalised designs learn fastest at this budget: training on the 300 validation images (03) or "
        "on (noisy, noisy) pairs (05) passes the threshold on them, and no threshold could separate that from "
        "every valid run of the other designs. Those mistakes still lose the same points: `test_heldout_mse` and "
        "`test_denoising_gain` first check, from the grader's record of the `model.fit` calls "
        "(`checks.fitted_on`), that the training pairs were the task's.",
        "",
    ]
    return "\n".join(lines)


def _meta(seeds: list[int], mistake_seeds: list[int], seconds: float) -> dict:
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seconds": seconds,
        "machine": f"{machine()['cpu']}, {machine()['cpu_count']} CPU cores (shared)",
        "seeds": seeds,
        "mistake_seeds": mistake_seeds,
        "budgets": {
            "training": checks.TRAINING_BUDGET.__dict__,
            "latent": checks.LATENT_BUDGET.__dict__,
            "denoising": checks.DENOISING_BUDGET.__dict__,
            "bottleneck": {**checks.BOTTLENECK_BUDGET.__dict__, "sizes": list(checks.BOTTLENECK_SIZES)},
            "vae": checks.VAE_BUDGET.__dict__,
            "noise_factor": checks.NOISE_FACTOR,
        },
    }


def threshold_record(
    runs: Callable[[list[int], list[int]], list[dict]], seeds: list[int], mistake_seeds: list[int]
) -> dict:
    """An assignment's record of its thresholds: ``runs(seeds, mistake_seeds)``, their summary and provenance."""
    start = time.time()
    rows = runs(seeds, mistake_seeds)
    return {"meta": _meta(seeds, mistake_seeds, time.time() - start), "summary": summarise(rows), "runs": rows}


# ---------------------------------------------------------------- one record per assignment, one page
def spec(assignment: str) -> Any:
    """The calibration module of ``assignment`` (``grading/assignments/<assignment>/calibration.py``)."""
    if assignment not in MODULES:
        raise ValueError(f"unknown assignment {assignment!r}: expected one of {', '.join(MODULES)}")
    if MODULES[assignment].RECORD is None:
        raise ValueError(f"{assignment} has no threshold to calibrate")
    return importlib.import_module(f"{MODULES[assignment].__name__}.calibration")


def calibrated_assignments() -> list[str]:
    """The assignments that have a calibration record, in course order."""
    return [assignment for assignment, module in MODULES.items() if module.RECORD is not None]


def read_records() -> dict[str, dict]:
    """assignment -> its calibration record, for every calibrated assignment."""
    return {a: json.loads(MODULES[a].RECORD.read_text()) for a in calibrated_assignments()}


def combined(records: dict[str, dict]) -> dict:
    """The thresholds of every record as one: the provenance, the summaries and the runs in course order."""
    with_thresholds = [record for record in records.values() if "summary" in record]
    meta = with_thresholds[0]["meta"]
    if any(record["meta"] != meta for record in with_thresholds):  # calibrated in separate runs: name each
        dates = "; ".join(f"{record['assignment']} {record['meta']['date']}" for record in with_thresholds)
        meta = {**meta, "date": dates, "seconds": sum(record["meta"]["seconds"] for record in with_thresholds)}
    return {
        "meta": meta,
        "summary": {name: item for record in with_thresholds for name, item in record["summary"].items()},
        "runs": [row for record in with_thresholds for row in record["runs"]],
    }


def page(records: dict[str, dict]) -> str:
    """The whole of ``grading/calibration.md``: the thresholds, then each assignment's own sections."""
    merged = combined(records)
    text = markdown(merged["summary"], merged["meta"], merged["runs"])
    for assignment, record in records.items():
        for section in getattr(spec(assignment), "sections", lambda record: [])(record):
            text += f"\n{section}\n"
    return text


def calibrate(assignments: list[str], seeds: int, mistake_seeds: int, page_only: bool = False) -> int:
    """Run the calibrations of ``assignments``, write their records, then ``calibration.md`` from all records."""
    for assignment in assignments:
        module = spec(assignment)
        if page_only:
            continue
        start = time.time()
        record = module.record(list(range(seeds)), list(range(mistake_seeds)))
        path = MODULES[assignment].RECORD
        path.write_text(json.dumps({"assignment": assignment, **record}, indent=1) + "\n")
        print(f"wrote {path.relative_to(REPO)} in {time.time() - start:.0f} s")
    records = read_records()
    PAGE.write_text(page(records))
    summary = combined(records)["summary"]
    for name, item in summary.items():
        print(
            f"{name:<26} threshold {item['threshold']:<7} worst valid {item['worst_valid']:.4f} "
            f"best mistake {item['best_mistake'] if item['best_mistake'] is None else round(item['best_mistake'], 4)} "
            f"margins {item['valid_margin']:.4f} / {item['mistake_margin']}"
        )
    print(f"wrote {PAGE.relative_to(REPO)}")
    return 0 if all(item["all_valid_pass"] for item in summary.values()) else 1
