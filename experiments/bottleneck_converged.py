"""Issue 15, question 2 at convergence: reconstruction quality against code size, each model trained to a plateau.

A validation split is held out from the training images (``cae_ref.subsets.train_val_split``;
never the test set). Every (family, size, seed) trains until its validation loss has not
improved for ``patience`` epochs, at most ``max_epochs``, and keeps its best epoch's weights.
Two families: ``width`` (the baseline's 32/64/128 widths, as in the 3-epoch ``bottleneck``
experiment) and ``matched`` (widths from ``experiments.models.matched_filters``, so every size
has the baseline's 185,217 parameters ± 5 %): code size and model size separate.

Resumable: each finished run writes ``<out>/bottleneck_converged/runs/<family>_<size>_s<seed>.json``
and a rerun skips it. Priority order: seed by seed, and within a seed every size of the width
family, then of the matched family, so the first hours give one complete curve of each.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from cae_ref.subsets import train_val_split
from cae_ref.tables import markdown_table
from experiments.common import Context
from experiments.figure_style import SMALL_FONT, TITLE_FONT, column_figure, save_column_figure
from experiments.models import (
    CONVERGED_VAL_SEED as VAL_SEED,
)
from experiments.models import (
    converged_model_path,
    latent_label,
    matched_filters,
    run_id,
    train_converged,
)
from experiments.results_file import json_safe
from experiments.stats import fmt, summarise

NAME = "bottleneck_converged"


def run_order(families: list[str], dims: list[int | None], seeds: list[int]) -> list[tuple[str, int | None, int]]:
    """The priority order: seed-major, then family, then size (the conv code's matched model is the baseline)."""
    return [
        (family, dim, seed)
        for seed in seeds
        for family in families
        for dim in dims
        if not (family == "matched" and dim is None and "width" in families)
    ]


def _settings_key(cfg: dict[str, Any], sizes: tuple[int, int, int]) -> dict[str, Any]:
    keys = ("max_epochs", "patience", "batch_size", "val_fraction", "train_size")
    return {**{k: cfg[k] for k in keys}, "images": list(sizes)}


def run(ctx: Context) -> dict[str, Any]:
    cfg = dict(ctx.settings[NAME])
    _, _, x_test, _ = ctx.data()
    x_train, _ = ctx.train_data(NAME)
    x_fit, x_val, _, _ = train_val_split(x_train, val_fraction=cfg["val_fraction"], seed=VAL_SEED)
    key = _settings_key(cfg, (len(x_fit), len(x_val), len(x_test)))
    runs_dir = ctx.experiment_dir(NAME) / "runs"
    runs_dir.mkdir(exist_ok=True)
    order = run_order(cfg["families"], cfg["latent_dims"], ctx.seeds)
    config = {
        **cfg,
        "fit_images": len(x_fit),
        "val_images": len(x_val),
        "test_images": len(x_test),
        "val_split": f"train_val_split(seed={VAL_SEED}) of the training images; the test set is never used to stop",
        "matched_filters": {latent_label(d): list(matched_filters(d)) for d in cfg["latent_dims"]},
        "run_order": [run_id(*item) for item in order],
    }
    finished = _load_records(runs_dir, order, key)
    summary: dict[str, Any] = {}
    if finished:  # a resumed sweep shows what it already holds at once
        summary = _write_results(ctx, cfg, config, order, key)
    for index, (family, dim, seed) in enumerate(order, start=1):
        path = runs_dir / f"{run_id(family, dim, seed)}.json"
        if run_id(family, dim, seed) in finished:
            continue
        ctx.log(f"  [{index}/{len(order)}] {run_id(family, dim, seed)}")
        model, record = train_converged(family, dim, seed, cfg, (x_fit, x_val, x_test))
        if ctx.cache_dir is not None:  # the converged models serve the clustering experiment
            saved = converged_model_path(ctx.cache_dir, family, dim, seed)
            saved.parent.mkdir(parents=True, exist_ok=True)
            model.save(saved)
        ctx.log(
            f"    {record['epochs_run']} epochs (best {record['epochs_to_converge']}), "
            f"PSNR {record['test']['psnr']:.2f}"
        )
        path.write_text(json.dumps(json_safe({**record, "settings": key}), indent=1) + "\n")
        summary = _write_results(ctx, cfg, config, order, key)  # a long sweep shows its progress
    return {"summary": summary}


def _write_results(
    ctx: Context, cfg: dict[str, Any], config: dict[str, Any], order: list, key: dict[str, Any]
) -> dict[str, Any]:
    """Summarise the finished runs into results.json, its table and figure; ``complete`` once every run is in."""
    folder = ctx.experiment_dir(NAME)
    records = _load_records(folder / "runs", order, key)
    done = {run_id(*item) for item in order} & set(records)
    summary = _summary(records, cfg)
    three = _three_epoch_psnr(ctx.out_dir / "bottleneck" / "results.json")
    baseline = _baseline_psnr(ctx.out_dir / "baseline" / "results.json")
    config = {
        **config,
        "three_epoch_psnr": three,
        "baseline_psnr": baseline,
        "runs_done": sorted(done, key=config["run_order"].index),
        "train_seconds_all_runs": round(sum(r["train_seconds"] for n, r in records.items() if n in done), 1),
    }
    figures = _figures(summary, folder, three, cfg["max_epochs"], baseline)
    table = _table(summary)
    (folder / "table.md").write_text(table + "\n")
    per_seed = [
        {"seed": s, "runs": {k: v for k, v in records.items() if v["seed"] == s}}
        for s in ctx.seeds
        if any(v["seed"] == s for v in records.values())
    ]
    complete = len(done) == len(order)
    # A sweep resumes across processes: its computation is the finished runs' training time.
    config["wall_seconds_counts"] = "the training seconds of the finished runs (the sweep resumes across processes)"
    ctx.write_results(
        NAME,
        config,
        per_seed,
        summary,
        [*figures, "table.md"],
        time.time() - config["train_seconds_all_runs"],
        complete=complete,
        extra={"table_markdown": table},
    )
    ctx.log(f"  bottleneck_converged ({len(done)} of {len(order)} runs):\n" + table)
    return summary


def _load_records(runs_dir: Path, order, key) -> dict[str, dict[str, Any]]:
    """The finished runs of ``order`` trained with settings ``key`` (a run still to train is left out)."""
    records = {}
    for family, dim, seed in order:
        path = runs_dir / f"{run_id(family, dim, seed)}.json"
        record = json.loads(path.read_text()) if path.is_file() else None
        if record is None or record.get("settings") != key:
            continue
        records[run_id(family, dim, seed)] = record
        if family == "width" and dim is None and "matched" in [f for f, _, _ in order]:
            records[run_id("matched", dim, seed)] = {**record, "family": "matched"}
    return records


def _summary(records: dict[str, dict[str, Any]], cfg: dict[str, Any]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for family in cfg["families"]:
        summary[family] = {}
        for dim in cfg["latent_dims"]:
            runs = [r for r in records.values() if r["family"] == family and r["latent_dim"] == dim]
            if not runs:
                continue
            summary[family][latent_label(dim)] = summarise(
                [{k: r[k] for k in ("seed", "code_size", "parameters", "epochs_to_converge", "test")} for r in runs]
            )
    return summary


def _table(summary: dict[str, Any]) -> str:
    rows = [
        (
            family,
            f"{int(entry['code_size']['mean']):,}",
            str(entry["test"]["psnr"]["n"]),
            f"{int(entry['parameters']['mean']):,}",
            fmt(entry["epochs_to_converge"], 1),
            fmt(entry["test"]["mse"], 5),
            fmt(entry["test"]["psnr"], 2),
            fmt(entry["test"]["ssim"], 3),
        )
        for family, sizes in summary.items()
        for entry in sizes.values()
    ]
    headers = ("widths", "code size", "seeds", "parameters", "epochs to converge", "MSE", "PSNR (dB)", "SSIM")
    return markdown_table(headers, rows, align=("left", *["right"] * 7))


def _three_epoch_psnr(path: Path) -> dict[str, float]:
    """Mean test PSNR per size of the 3-epoch sweep (the ``bottleneck`` experiment's results file), if present."""
    if not path.is_file():
        return {}
    sizes = json.loads(path.read_text())["summary"].get("sizes", {})
    return {label: entry["psnr"]["mean"] for label, entry in sizes.items()}


def _baseline_psnr(path: Path) -> float | None:
    """Mean test PSNR of the baseline experiment (the conv code, fixed epochs, all training images), if recorded."""
    if not path.is_file():
        return None
    summary = json.loads(path.read_text())["summary"]
    return summary["test"]["psnr"]["mean"] if summary else None


def _figures(
    summary: dict[str, Any], folder: Path, three: dict[str, float], max_epochs: int, baseline: float | None = None
) -> list[str]:
    fig, axes = column_figure(3.9, ncols=2)
    width = summary.get("width", {})
    if baseline is not None and "conv" in width:
        code = width["conv"]["code_size"]["mean"]
        axes[0].plot(
            [code], [baseline], "k*", markersize=10, label="baseline experiment (fixed epochs, all training images)"
        )
    shared = [label for label in width if label in three]
    if shared:
        x = [width[label]["code_size"]["mean"] for label in shared]
        axes[0].plot(x, [three[label] for label in shared], "k--", marker=".", label="width, 3 epochs (bottleneck)")
    for family, sizes in summary.items():
        if not sizes:  # a family with no finished run yet
            continue
        x = [entry["code_size"]["mean"] for entry in sizes.values()]
        for axis, metric in zip(axes, ("psnr", "epochs_to_converge"), strict=True):
            stats = [entry["test"][metric] if metric == "psnr" else entry[metric] for entry in sizes.values()]
            axis.errorbar(x, [s["mean"] for s in stats], yerr=[s["std"] for s in stats], marker="o", label=family)
    ticks = sorted({int(entry["code_size"]["mean"]) for sizes in summary.values() for entry in sizes.values()})
    axes[1].axhline(max_epochs, color="grey", linestyle=":", linewidth=1, label=f"cap ({max_epochs} epochs)")
    axes[1].set_ylim(0, max_epochs + 2)
    for axis, title in zip(axes, ("test PSNR (dB)", "epochs to converge (best epoch)"), strict=True):
        axis.set_xscale("log")
        axis.minorticks_off()
        axis.set_xticks(ticks, [f"{tick:,}" for tick in ticks], fontsize=SMALL_FONT)
        axis.set_xlabel("code size (numbers, log scale)")
        axis.set_ylabel(title)
        axis.grid(alpha=0.3, which="both")
    # One legend under both panels: each entry once (the families appear in both).
    handles: dict[str, Any] = {}
    for axis in axes:
        for handle, label in zip(*axis.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, handle)
    fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncol=2, fontsize=SMALL_FONT)
    fig.suptitle(
        "Trained to the validation plateau: baseline widths\nagainst parameter-matched widths", fontsize=TITLE_FONT
    )
    save_column_figure(fig, folder / "curve.png")
    return ["curve.png"]
