"""Recorded experiments that answer the report's questions with numbers (issue 5).

Run ``python -m cae_ref experiments --profile quick`` (minutes) or ``--profile full`` (the
report's budget, about 2 hours on 2 CPU cores). Each experiment writes
``<out>/<name>/results.json`` and its PNG figures; ``results/README.md`` documents the schema.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from experiments.common import Context
from experiments.log import command_line, stdout_log
from experiments.profiles import get_profile

EXPERIMENTS: tuple[str, ...] = (
    "baseline",
    "bottleneck",
    "latent_space",
    "denoising",
    "vae",
    "few_label",
    # issue 15: the long runs (results/README.md, "Issue 15: converged answers - how to run")
    "bottleneck_converged",
    "clustering",
    "clustering_screen",
    "vae_vs_ae",
    # issue 24: anomaly detection by reconstruction error (book/anomaly_detection.md)
    "anomaly",
    # issue 29: clustering on the published protocol (all 70,000 images), resumable
    "clustering_all_images",
)
DEFAULT_OUT = {"quick": "runs/experiments-quick", "full": "results"}


def _runner(name: str):
    from importlib import import_module

    return import_module(f"experiments.{name}").run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cae_ref experiments",
        description="Run the recorded experiments and write results.json plus figures per experiment.",
    )
    parser.add_argument("--profile", choices=("quick", "full"), default="quick", help="quick (CI) or full (report)")
    parser.add_argument(
        "--out", type=Path, default=None, help="results folder (default: runs/experiments-quick or results/)"
    )
    parser.add_argument(
        "--only", default=None, help=f"comma-separated subset, run in this order (default: {','.join(EXPERIMENTS)})"
    )
    parser.add_argument("--seeds", type=int, default=None, help="number of seeds, 0..N-1 (default 3; at least 3)")
    parser.add_argument(
        "--epochs", type=int, default=None, help="override the epochs of the selected experiments (recorded)"
    )
    parser.add_argument(
        "--baseline-epochs",
        type=int,
        default=None,
        help="epochs of the baseline models (also the ones latent_space and few_label reuse) (recorded)",
    )
    parser.add_argument(
        "--train-size",
        type=int,
        default=None,
        help="train on this many images (a fixed random subset) instead of the profile's (recorded)",
    )
    parser.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="EXPERIMENT.KEY=VALUE",
        help="override one setting, e.g. latent_space.probe_train_size=5000 (JSON value; recorded; repeatable)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="trained-model cache shared by experiments (default: runs/experiments-cache/<profile>)",
    )
    parser.add_argument("--no-cache", action="store_true", help="train every model afresh and keep none")
    return parser


def _assign(settings: dict, assignment: str) -> tuple[str, object]:
    target, sep, raw = assignment.partition("=")
    section, dot, key = target.partition(".")
    if not sep or not dot or section not in settings or not isinstance(settings[section], dict):
        raise SystemExit(f"--set expects EXPERIMENT.KEY=VALUE with a known experiment, got {assignment!r}")
    if key not in settings[section]:
        raise SystemExit(f"--set: {section} has no setting {key!r}; known: {', '.join(sorted(settings[section]))}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    settings[section][key] = value
    return target, value


def _apply_overrides(settings: dict, names: Sequence[str], args: argparse.Namespace) -> dict:
    """Apply the command-line overrides to ``settings`` and return them for the record."""
    seeds, epochs, train_size = args.seeds, args.epochs, args.train_size
    assigned = dict(_assign(settings, assignment) for assignment in args.assignments)
    if train_size is not None:
        if train_size < 100:
            raise SystemExit("--train-size must be at least 100")
        for name in names:
            settings[name]["train_size"] = train_size
    if seeds is not None:
        if seeds < 1:
            raise SystemExit("--seeds must be at least 1")
        settings["seeds"] = list(range(seeds))
    if epochs is not None:
        if epochs < 1:
            raise SystemExit("--epochs must be at least 1")
        for name in names:
            for key in ("epochs", "latent2_epochs"):
                if key in settings[name]:
                    settings[name][key] = epochs
    if args.baseline_epochs is not None:
        if args.baseline_epochs < 1:
            raise SystemExit("--baseline-epochs must be at least 1")
        settings["baseline"]["epochs"] = args.baseline_epochs
    overrides = {
        key: value
        for key, value in (
            ("seeds", seeds),
            ("epochs", epochs),
            ("train_size", train_size),
            ("baseline_epochs", args.baseline_epochs),
        )
        if value is not None
    }
    return {**overrides, **assigned}


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m cae_ref experiments``; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    names = EXPERIMENTS if args.only is None else tuple(n.strip() for n in args.only.split(",") if n.strip())
    unknown = sorted(set(names) - set(EXPERIMENTS))
    if unknown:
        stdout_log(f"unknown experiment(s) {', '.join(unknown)}; choose from {', '.join(EXPERIMENTS)}")
        return 2
    settings = get_profile(args.profile)
    overrides = _apply_overrides(settings, names, args)
    out_dir = args.out if args.out is not None else Path(DEFAULT_OUT[args.profile])
    cache = None if args.no_cache else (args.cache or Path("runs/experiments-cache") / args.profile)
    ctx = Context(args.profile, settings, out_dir, cache, command_line(argv), log=stdout_log)
    ctx.overrides = overrides
    stdout_log(f"profile {args.profile}: {', '.join(names)} -> {out_dir} (seeds {ctx.seeds})")
    failed = []
    for name in names:
        start = time.time()
        stdout_log(f"[{name}] started {time.strftime('%H:%M:%S')}")
        try:
            _runner(name)(ctx)
        except Exception:  # keep going: one broken experiment must not lose the others' results
            stdout_log(f"[{name}] FAILED after {time.time() - start:.0f} s:\n{traceback.format_exc()}")
            failed.append(name)
            continue
        stdout_log(f"[{name}] done in {time.time() - start:.0f} s -> {out_dir / name / 'results.json'}")
    if failed:
        stdout_log(f"failed: {', '.join(failed)}")
        return 1
    return 0


__all__ = ["EXPERIMENTS", "build_parser", "main"]
