"""Calibrate the autograder's thresholds: train at the grading budget over several seeds.

For each threshold in ``cae_ref.checks.THRESHOLDS`` this trains the reference solution and valid
variants (other losses, optimisers, measures) over ``--seeds`` seeds, and the typical student
mistakes of ``grading/mistakes.py`` (the students' own cells) over ``--mistake-seeds`` seeds,
exactly at the budget the notebooks use (``cae_ref.checks.*_BUDGET``). It prints the distributions and writes
``grading/calibration.json`` and ``grading/calibration.md`` (the table in INSTRUCTORS.md).

A threshold is sound when it sits between the worst valid run and the best mistake; the margins
on both sides are reported. Run from the repository root (about 10 minutes on 2 busy cores)::

    FASHION_MNIST_DIR=... .venv/bin/python grading/calibrate.py     (or: python -m grading.calibrate)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import cae_ref
from cae_ref import checks
from cae_ref.provenance import machine
from cae_ref.tables import markdown_table

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):  # run as a script: make the grading package importable
    sys.path.insert(0, str(HERE.parent))
from grading.mistakes import calibrated  # noqa: E402

keras = checks.keras


# ---------------------------------------------------------------- 03 training: held-out MSE
def _fit(model, x_train, x_val, budget, seed, y_train=None, y_val=None):
    return cae_ref.train_autoencoder(
        model,
        x_train,
        x_val,
        y_train=y_train,
        y_val=y_val,
        epochs=budget.epochs,
        batch_size=budget.batch_size,
        seed=seed,
        quiet=True,
    )


def _compiled(seed: int, optimizer, loss: str):
    cae_ref.set_global_seed(seed)
    model = cae_ref.build_autoencoder()
    model.compile(optimizer=optimizer, loss=loss)
    return model


# Valid variants; the mistakes come from grading/mistakes.py.
TRAINING_VARIANTS: dict[str, Callable] = {
    "reference: Adam 1e-3, BCE": lambda s: _compiled(s, keras.optimizers.Adam(1e-3), "binary_crossentropy"),
    "Adam 1e-3, MSE": lambda s: _compiled(s, keras.optimizers.Adam(1e-3), "mse"),
}


def calibrate_training(seeds: list[int], mistake_seeds: list[int]) -> list[dict]:
    budget = checks.TRAINING_BUDGET
    data = checks.grading_data(budget)
    rows = []
    runs: dict[str, tuple[str, Callable]] = {name: ("valid", make) for name, make in TRAINING_VARIANTS.items()}
    for label, mistake in calibrated("03_training").items():
        runs[f"mistake: {label}"] = ("mistake", lambda seed, m=mistake: _student_model(m, seed, data, budget))
    for name, (kind, make) in runs.items():
        for seed in seeds if kind == "valid" else mistake_seeds:
            model = make(seed)
            if kind == "valid":
                _fit(model, data["x_train"], data["x_val"], budget, seed)
            mse = cae_ref.evaluate_reconstruction(model, data["x_test"])["mse"]
            rows.append({"threshold": "training_mse", "variant": name, "kind": kind, "seed": seed, "value": mse})
            print(f"training_mse  {name:<40} seed {seed}: {mse:.5f}", flush=True)
    return rows


def _student_model(mistake, seed: int, data: dict, budget):
    """The model as the student's compile_autoencoder and train_autoencoder leave it (reference where not written)."""
    compile_autoencoder = mistake.function("compile_autoencoder")
    if compile_autoencoder is None:
        model = _compiled(seed, keras.optimizers.Adam(1e-3), "binary_crossentropy")
    else:
        cae_ref.set_global_seed(seed)
        model = compile_autoencoder(cae_ref.build_autoencoder())
    train_autoencoder = mistake.function("train_autoencoder")
    if train_autoencoder is None:
        _fit(model, data["x_train"], data["x_val"], budget, seed)
    else:
        with checks.quiet():
            train_autoencoder(model, data["x_train"], data["x_val"], budget.epochs, budget.batch_size)
    return model


# ---------------------------------------------------------------- 04 latent space: separation score
def _knn(k: int, weights: str = "uniform"):
    from sklearn.neighbors import KNeighborsClassifier

    def score(train, y_train, test, y_test):
        return KNeighborsClassifier(n_neighbors=k, weights=weights).fit(train, y_train).score(test, y_test)

    return score


def _probe(train, y_train, test, y_test):
    # On all 6,272 numbers of a code a logistic regression takes minutes; on 50 principal components, seconds.
    from sklearn.decomposition import PCA

    pca = PCA(n_components=50, random_state=0).fit(train)
    return cae_ref.linear_probe_accuracy(pca.transform(train), y_train, pca.transform(test), y_test, max_iter=300)


def _centroid(train, y_train, test, y_test):
    from sklearn.neighbors import NearestCentroid

    return NearestCentroid().fit(train, y_train).score(test, y_test)


LATENT_MEASURES: dict[str, tuple[str, Callable]] = {
    "reference: kNN k=5": ("valid", _knn(5)),
    "kNN k=1": ("valid", _knn(1)),
    "logistic regression on PCA-50": ("valid", _probe),
    "nearest centroid": ("valid", _centroid),
}


def calibrate_latent(seeds: list[int], mistake_seeds: list[int]) -> list[dict]:
    budget = checks.LATENT_BUDGET
    data = checks.grading_data(budget)
    shuffled = np.random.default_rng(0).permutation(data["y_train"])
    measures = dict(LATENT_MEASURES)
    for label, mistake in calibrated("04_latent_space").items():  # the student's separation_score
        measures[f"mistake: {label}"] = ("mistake", mistake.function("separation_score"))
    rows = []
    for seed in sorted(set(seeds) | set(mistake_seeds)):
        cae_ref.set_global_seed(seed)
        encoder = cae_ref.build_encoder()
        model = cae_ref.compile_autoencoder(cae_ref.build_autoencoder(encoder, cae_ref.build_decoder()))
        _fit(model, data["x_train"], data["x_val"], budget, seed)
        train, test = cae_ref.encode_flat(encoder, data["x_train"]), cae_ref.encode_flat(encoder, data["x_test"])
        for name, (kind, measure) in measures.items():
            if seed not in (seeds if kind == "valid" else mistake_seeds):
                continue
            value = float(measure(train, data["y_train"], test, data["y_test"]))
            chance = float(measure(train, shuffled, test, data["y_test"]))
            rows.append({"threshold": "latent_accuracy", "variant": name, "kind": kind, "seed": seed, "value": value})
            rows.append(
                {"threshold": "latent_shuffled_accuracy", "variant": name, "kind": kind, "seed": seed, "value": chance}
            )
            print(f"latent        {name:<40} seed {seed}: {value:.3f} (shuffled labels {chance:.3f})", flush=True)
    return rows


# ---------------------------------------------------------------- 05 denoising: PSNR gain
def calibrate_denoising(seeds: list[int], mistake_seeds: list[int]) -> list[dict]:
    budget = checks.DENOISING_BUDGET
    data = checks.grading_data(budget)
    noisy = {
        key: cae_ref.add_gaussian_noise(data[key], checks.NOISE_FACTOR, seed=index)
        for index, key in enumerate(("x_train", "x_val", "x_test"), start=1)
    }
    runs: dict[str, tuple[str, Callable]] = {
        "reference: (noisy, clean) pairs": ("valid", _reference_denoiser),
        "(noisy, clean) with plain model.fit": ("valid", lambda seed: _fit_denoiser),
    }
    for label, mistake in calibrated("05_denoising").items():  # the student's train_denoiser
        runs[f"mistake: {label}"] = ("mistake", lambda seed, m=mistake: m.function("train_denoiser"))
    before = cae_ref.psnr(data["x_test"], noisy["x_test"])
    rows = []
    for name, (kind, make) in runs.items():
        for seed in seeds if kind == "valid" else mistake_seeds:
            cae_ref.set_global_seed(seed)
            model = cae_ref.compile_autoencoder(cae_ref.build_autoencoder())
            train_denoiser = make(seed)
            with checks.quiet():
                train_denoiser(
                    model, noisy["x_train"], data["x_train"], noisy["x_val"], data["x_val"], budget.epochs,
                    budget.batch_size,
                )  # fmt: skip
            gain = cae_ref.psnr(data["x_test"], cae_ref.reconstruct(model, noisy["x_test"])) - before
            rows.append({"threshold": "denoising_gain_db", "variant": name, "kind": kind, "seed": seed, "value": gain})
            print(f"denoising     {name:<40} seed {seed}: {gain:.2f} dB", flush=True)
    return rows


def _reference_denoiser(seed: int) -> Callable:
    def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
        return cae_ref.train_autoencoder(
            model,
            x_train_noisy,
            x_val_noisy,
            y_train=x_train,
            y_val=x_val,
            epochs=epochs,
            batch_size=batch_size,
            seed=seed,
            quiet=True,
        )

    return train_denoiser


def _fit_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    return model.fit(
        x_train_noisy, x_train, validation_data=(x_val_noisy, x_val), epochs=epochs, batch_size=batch_size, verbose=0
    )


# ---------------------------------------------------------------- summary
# Mistakes that a threshold is not meant to separate, and the test that catches them instead.
CAUGHT_ELSEWHERE = {
    ("latent_accuracy", "mistake: scores the training rows"): "test_separation_honest (shuffled labels)",
    ("latent_accuracy", "mistake: fits and scores the test rows"): "test_separation_honest (shuffled labels)",
    ("latent_shuffled_accuracy", "mistake: returns the error rate"): "test_separation_score (accuracy threshold)",
    ("denoising_gain_db", "mistake: trains on (clean, clean)"): "test_denoiser_validation (val_loss on the pairs)",
}
# Direction of each threshold: "max" means a passing value is at most the threshold.
DIRECTIONS = {
    "training_mse": "max",
    "latent_accuracy": "min",
    "latent_shuffled_accuracy": "max",
    "denoising_gain_db": "min",
}


def summarise(rows: list[dict]) -> dict[str, dict]:
    summary = {}
    for name, direction in DIRECTIONS.items():
        selected = [row for row in rows if row["threshold"] == name]
        if not selected:
            continue
        threshold = checks.THRESHOLDS[name]
        variants = {}
        for row in selected:
            variants.setdefault((row["variant"], row["kind"]), []).append(row["value"])
        valid = [row["value"] for row in selected if row["kind"] == "valid"]
        mistakes = [
            row["value"]
            for row in selected
            if row["kind"] == "mistake" and (name, row["variant"]) not in CAUGHT_ELSEWHERE
        ]
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
            "variants": [
                {
                    "variant": variant,
                    "kind": kind,
                    "n": len(values),
                    "min": min(values),
                    "median": statistics.median(values),
                    "max": max(values),
                    "passes": sum((v <= threshold) if direction == "max" else (v >= threshold) for v in values),
                    "caught_by": CAUGHT_ELSEWHERE.get((name, variant), ""),
                }
                for (variant, kind), values in variants.items()
            ],
        }
    return summary


def _fmt(value: float | None, name: str) -> str:
    if value is None:
        return "n/a"
    return (
        f"{value:.2f}" if name == "denoising_gain_db" else f"{value:.4f}" if name == "training_mse" else f"{value:.3f}"
    )


CHECK_HEADERS = (
    "check",
    "passes when",
    "threshold",
    "worst valid run",
    "best mistake",
    "margin to valid",
    "margin to mistake",
)


def write_markdown(summary: dict, meta: dict, path: Path) -> None:
    took = f"{meta['seconds']:.0f} s " if meta["seconds"] else ""
    lines = [
        "# Calibration of the autograder's thresholds",
        "",
        "Written by `grading/calibrate.py`; do not edit by hand. Every run trains at the grading budget "
        "of the notebooks (`cae_ref.checks`), on the same fixed images; seeds change the initial weights "
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
    for name, item in summary.items():
        rows = [
            (
                row["variant"],
                row["kind"],
                row["n"],
                *(_fmt(row[key], name) for key in ("min", "median", "max")),
                f"{row['passes']}/{row['n']}",
                row["caught_by"],
            )
            for row in item["variants"]
        ]
        headers = ("variant", "kind", "runs", "min", "median", "max", "pass", "if not failed here, caught by")
        lines += ["", f"## `{name}`", "", markdown_table(headers, rows)]
    lines += [
        "",
        "For `latent_shuffled_accuracy` (the hidden honesty check) the training labels are shuffled: an "
        "honest measure falls to chance (0.1); one that scores the rows it was fitted on stays high. "
        "Mistakes marked 'caught by' are left out of that threshold's margin: another test fails them.",
        "",
    ]
    path.write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds for the reference and valid variants")
    parser.add_argument("--mistake-seeds", type=int, default=1, help="seeds for each typical mistake")
    parser.add_argument("--only", default="training,denoising,latent", help="comma-separated parts to run")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for calibration.json and .md")
    parser.add_argument(
        "--resummarise", action="store_true", help="recompute margins from calibration.json without training"
    )
    parser.add_argument(
        "--merge", nargs="+", type=Path, help="combine the calibration.partial.json files of separate runs, no training"
    )
    args = parser.parse_args(argv)
    if args.merge:
        rows = [row for path in args.merge for row in json.loads(path.read_text())]
        meta = _meta(list(range(args.seeds)), list(range(args.mistake_seeds)), 0.0)
        meta["date"] += f" (merged from {len(args.merge)} runs)"
        return _report(rows, meta, args.out, time.time())
    if args.resummarise:
        recorded = json.loads((args.out / "calibration.json").read_text())
        rows, meta = recorded["runs"], recorded["meta"]
        return _report(rows, meta, args.out, time.time())
    seeds, mistake_seeds = list(range(args.seeds)), list(range(args.mistake_seeds))
    parts = {"training": calibrate_training, "latent": calibrate_latent, "denoising": calibrate_denoising}
    start = time.time()
    rows = []
    args.out.mkdir(parents=True, exist_ok=True)
    for part in args.only.split(","):
        rows += parts[part](seeds, mistake_seeds)
        (args.out / "calibration.partial.json").write_text(json.dumps(rows, indent=1))
    meta = _meta(seeds, mistake_seeds, time.time() - start)
    return _report(rows, meta, args.out, start)


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
            "noise_factor": checks.NOISE_FACTOR,
        },
    }


def _report(rows: list[dict], meta: dict, out: Path, start: float) -> int:
    summary = summarise(rows)
    out.mkdir(parents=True, exist_ok=True)
    (out / "calibration.json").write_text(json.dumps({"meta": meta, "summary": summary, "runs": rows}, indent=1))
    write_markdown(summary, meta, out / "calibration.md")
    print()
    for name, item in summary.items():
        print(
            f"{name:<26} threshold {item['threshold']:<7} worst valid {item['worst_valid']:.4f} "
            f"best mistake {item['best_mistake'] if item['best_mistake'] is None else round(item['best_mistake'], 4)} "
            f"margins {item['valid_margin']:.4f} / {item['mistake_margin']}"
        )
    print(f"wrote {out / 'calibration.md'} in {time.time() - start:.0f} s")
    return 0 if all(item["all_valid_pass"] for item in summary.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
