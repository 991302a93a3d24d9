"""Issue 29, clustering on the published protocol: fitted and scored on all 70,000 images.

The ``clustering`` experiment keeps the course's held-out protocol (fit on training images,
score the test images). The published Fashion-MNIST figures (DEC-keras, N2D) train the
autoencoder and cluster on all 70,000 images together, labels used only to score. This
experiment runs that protocol here, for three sets of codes, each clustered by k-means and by
N2D's UMAP + Gaussian mixture (fitted on every image, as N2D does):

- ``course_converged``: the course's best codes, the converged 8-number width-family models of
  ``bottleneck_converged`` (trained on training images only); from the model cache, or retrained
  with that experiment's own recipe when the cache no longer holds them (the record says so);
- ``course_all``: the same design trained on all the images for ``course_epochs`` epochs
  (the converged runs' cap), no validation split;
- ``n2d``: N2D's own recipe, the dense 784-500-500-2000-10 autoencoder (MSE, Adam, batch 256)
  for ``n2d_epochs`` epochs (N2D trains 1,000); its loss curve is recorded.

Resumable: each finished (codes, seed) run writes ``<out>/clustering_all_images/runs/<run>.json``
and a rerun skips it; a run interrupted mid-training resumes from its last finished epoch
(``keras.callbacks.BackupAndRestore`` in the model cache). Priority order (``run_order``): the
course's codes and N2D on the first seed, the course's codes on the other seeds, then the rest,
so a short session answers the question about the course's codes first.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from cae_ref._tf import keras
from cae_ref.clustering import cluster_scores, kmeans_fit_predict, umap_gmm_fit_all
from cae_ref.latent import encode_flat, flatten_pixels
from cae_ref.models import BASELINE_FILTERS
from cae_ref.subsets import train_val_split
from cae_ref.tables import markdown_table, numbers_right
from cae_ref.training import compile_autoencoder, set_global_seed, train_autoencoder
from experiments.common import Context
from experiments.figure_style import SMALL_FONT, TITLE_FONT, column_figure, save_column_figure
from experiments.models import (
    CONVERGED,
    CONVERGED_VAL_SEED,
    autoencoder,
    converged_model_path,
    load_converged_model,
    train_converged,
)
from experiments.results_file import json_safe
from experiments.stats import fmt, mean_std

NAME = "clustering_all_images"
CODES = ("course_converged", "n2d", "course_all")
METHODS = ("kmeans", "umap_gmm")
CODE_LABELS = {
    "course_converged": "course codes (8 numbers, trained to a plateau on training images)",
    "course_all": "course design trained on all images",
    "n2d": "N2D's dense autoencoder (784 pixels to n2d_dims)",
}
METHOD_LABELS = {"kmeans": "k-means", "umap_gmm": "UMAP + GMM"}


def run_order(seeds: list[int]) -> list[tuple[str, int]]:
    """The priority order: the course's codes and N2D on the first seed, the course's codes on every other
    seed (the issue's question), the course design on all images, then the other seeds of the trained ones."""
    first, *rest = seeds
    order = [("course_converged", first), ("n2d", first), *[("course_converged", seed) for seed in rest]]
    order.append(("course_all", first))
    return order + [(codes, seed) for seed in rest for codes in ("n2d", "course_all")]


def run_name(codes: str, seed: int) -> str:
    """``<codes>_s<seed>``, the name of one run's record."""
    return f"{codes}_s{seed}"


def n2d_autoencoder(hidden: list[int], input_dim: int = 784) -> keras.Model:
    """N2D's dense autoencoder: ReLU layers ``hidden[:-1]``, a linear ``hidden[-1]`` code, a mirrored linear output.

    The encoder is the sub-model named ``encoder`` (image vector -> code).
    """
    inputs = keras.Input(shape=(input_dim,), name="pixels")
    x = inputs
    for index, units in enumerate(hidden[:-1]):
        x = keras.layers.Dense(units, activation="relu", name=f"encoder_{index}")(x)
    code = keras.layers.Dense(hidden[-1], name="code")(x)
    encoder = keras.Model(inputs, code, name="encoder")
    x = code
    for index, units in reversed(list(enumerate(hidden[:-1]))):
        x = keras.layers.Dense(units, activation="relu", name=f"decoder_{index + 1}")(x)
    outputs = keras.layers.Dense(input_dim, name="decoder_0")(x)
    model = keras.Model(inputs, outputs, name="n2d_autoencoder")
    model.encoder = encoder
    return model


def _resumable_callbacks(ctx: Context, name: str) -> tuple[list[keras.callbacks.Callback], Path | None]:
    """BackupAndRestore plus an appending CSV log in the model cache; none without a cache."""
    if ctx.cache_dir is None:
        return [], None
    folder = ctx.cache_dir / NAME / name
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "epochs.csv"
    if log.is_file() and not (folder / "backup").exists():
        log.unlink()  # the log of a run that finished before: this one starts afresh
    return [
        keras.callbacks.BackupAndRestore(str(folder / "backup")),
        keras.callbacks.CSVLogger(str(log), append=True),
    ], log


def _loss_curve(log: Path | None, history: keras.callbacks.History) -> tuple[list[float], int]:
    """Every epoch's loss (from the CSV log when there is one: it survives a resume) and the epochs resumed."""
    fresh = [float(v) for v in history.history.get("loss", [])]
    if log is None or not log.is_file():
        return fresh, 0
    with log.open() as handle:
        rows = {int(row["epoch"]): float(row["loss"]) for row in csv.DictReader(handle)}
    curve = [rows[e] for e in sorted(rows)]
    return curve, len(curve) - len(fresh)


def train_n2d(ctx: Context, images: np.ndarray, cfg: dict[str, Any], seed: int) -> tuple[np.ndarray, dict]:
    """N2D's autoencoder trained on ``images`` by its recipe; the codes of every image and the training record."""
    pixels = flatten_pixels(images)
    callbacks, log = _resumable_callbacks(ctx, run_name("n2d", seed))
    set_global_seed(seed)
    model = n2d_autoencoder(list(cfg["n2d_dims"]), pixels.shape[1])
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    tic = time.perf_counter()
    history = model.fit(
        pixels,
        pixels,
        batch_size=cfg["n2d_batch_size"],
        epochs=cfg["n2d_epochs"],
        shuffle=True,
        verbose=0,
        callbacks=callbacks,
    )
    loss, resumed = _loss_curve(log, history)
    record = {
        "epochs": cfg["n2d_epochs"],
        "resumed_after_epochs": resumed,
        "batch_size": cfg["n2d_batch_size"],
        "parameters": int(model.count_params()),
        "loss": loss,
        "train_seconds_this_process": round(time.perf_counter() - tic, 1),
    }
    codes = np.asarray(model.encoder.predict(pixels, batch_size=1024, verbose=0), dtype=np.float32)
    return codes, record


def train_course_all(ctx: Context, images: np.ndarray, cfg: dict[str, Any], seed: int) -> tuple[np.ndarray, dict]:
    """The course design trained on all ``images`` for ``course_epochs``; every image's codes and the record."""
    callbacks, log = _resumable_callbacks(ctx, run_name("course_all", seed))
    set_global_seed(seed)
    model = compile_autoencoder(autoencoder(cfg["course_dim"], BASELINE_FILTERS))
    tic = time.perf_counter()
    history = train_autoencoder(
        model,
        images,
        epochs=cfg["course_epochs"],
        batch_size=cfg["course_batch_size"],
        seed=seed,
        quiet=True,
        callbacks=callbacks,
    )
    loss, resumed = _loss_curve(log, history)
    record = {
        "epochs": cfg["course_epochs"],
        "resumed_after_epochs": resumed,
        "batch_size": cfg["course_batch_size"],
        "parameters": int(model.count_params()),
        "loss": loss,
        "train_seconds_this_process": round(time.perf_counter() - tic, 1),
    }
    return encode_flat(model.get_layer("encoder"), images), record


def converged_encoder(ctx: Context, cfg: dict[str, Any], seed: int) -> tuple[keras.Model, dict[str, Any]]:
    """The converged ``width`` model's encoder from the model cache, or retrained by ``bottleneck_converged``'s recipe.

    A retrained model is saved where the cache keeps it; the record compares its test metrics
    with those of the recorded run it replaces.
    """
    dim = cfg["course_dim"]
    try:
        return load_converged_model(ctx, "width", dim, seed).get_layer("encoder"), {"source": "model cache"}
    except FileNotFoundError as missing:
        ctx.log(f"    {missing}; retraining it")
    settings = dict(ctx.settings[CONVERGED])
    _, _, x_test, _ = ctx.data()
    x_train, _ = ctx.train_data(CONVERGED)
    x_fit, x_val, _, _ = train_val_split(x_train, val_fraction=settings["val_fraction"], seed=CONVERGED_VAL_SEED)
    model, record = train_converged("width", dim, seed, settings, (x_fit, x_val, x_test))
    if ctx.cache_dir is not None:
        saved = converged_model_path(ctx.cache_dir, "width", dim, seed)
        saved.parent.mkdir(parents=True, exist_ok=True)
        model.save(saved)
    recorded_path = ctx.experiment_dir(CONVERGED) / "runs" / f"width_{'d' + str(dim)}_s{seed}.json"
    recorded = json.loads(recorded_path.read_text())["test"] if recorded_path.is_file() else None
    kept = ("epochs_run", "epochs_to_converge", "loss", "val_loss", "train_seconds", "test")
    return model.get_layer("encoder"), {
        "source": "retrained (the model cache no longer held it)",
        **{key: record[key] for key in kept},
        "recorded_run_test": recorded,
    }


def cluster_all(codes: np.ndarray, labels: np.ndarray, cfg: dict[str, Any], seed: int) -> dict[str, Any]:
    """k-means and N2D's UMAP + GMM fitted on every row of ``codes`` and scored on all of ``labels``."""
    scores: dict[str, Any] = {}
    tic = time.time()
    scores["kmeans"] = cluster_scores(labels, kmeans_fit_predict(codes, codes, seed=seed))
    found = umap_gmm_fit_all(codes, seed=seed, n_components=cfg["umap_dims"], n_neighbors=cfg["umap_neighbors"])
    scores["umap_gmm"] = cluster_scores(labels, found)
    scores["seconds"] = round(time.time() - tic, 1)
    return scores


def run_one(ctx: Context, codes_name: str, seed: int, cfg: dict[str, Any], images, labels) -> dict[str, Any]:
    """Train (or load) one set of codes, cluster every image, and return the run's record."""
    tic = time.time()
    if codes_name == "course_converged":
        encoder, training = converged_encoder(ctx, cfg, seed)
        codes = encode_flat(encoder, images)
    elif codes_name == "n2d":
        codes, training = train_n2d(ctx, images, cfg, seed)
    else:
        codes, training = train_course_all(ctx, images, cfg, seed)
    scores = cluster_all(codes, labels, cfg, seed)
    return {
        "codes": codes_name,
        "seed": seed,
        "images": len(images),
        "code_size": int(codes.shape[1]),
        "training": training,
        "scores": scores,
        "seconds": round(time.time() - tic, 1),
    }


def settings_key(cfg: dict[str, Any], images: int) -> dict[str, Any]:
    """What a finished run must match to be reused: the settings and the number of images."""
    return {**cfg, "images": images}


def load_records(runs_dir: Path, order: list[tuple[str, int]], key: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The finished runs of ``order`` made with settings ``key``."""
    records = {}
    for codes, seed in order:
        path = runs_dir / f"{run_name(codes, seed)}.json"
        if path.is_file():
            record = json.loads(path.read_text())
            if record.get("settings") == key:
                records[run_name(codes, seed)] = record
    return records


def summarise_runs(records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """codes -> method -> metric -> mean ± std over the seeds finished so far (``n`` says how many)."""
    summary: dict[str, Any] = {}
    for codes in CODES:
        runs = [r for r in records.values() if r["codes"] == codes]
        if runs:
            summary[codes] = {
                method: {m: mean_std([r["scores"][method][m] for r in runs]) for m in ("acc", "nmi", "ari")}
                for method in METHODS
            }
    return summary


def results_table(summary: dict[str, Any]) -> str:
    """One row per (codes, method): ACC / NMI / ARI mean ± std and the seeds behind it."""
    rows = [
        (
            f"{CODE_LABELS[codes]}: {METHOD_LABELS[method]}",
            fmt(s["acc"]),
            fmt(s["nmi"]),
            fmt(s["ari"]),
            str(s["acc"]["n"]),
        )
        for codes, methods in summary.items()
        for method, s in methods.items()
    ]
    return markdown_table(("codes: method", "ACC", "NMI", "ARI", "seeds"), rows, align=numbers_right(5))


def held_out_scores(path: Path) -> dict[str, Any] | None:
    """The ``clustering`` experiment's scores of the same codes on the held-out protocol and its published figures."""
    if not path.is_file():
        return None
    record = json.loads(path.read_text())
    return {
        "anchors": record["anchors"],
        "codes": "converged_d8",
        "protocol": f"fitted on {record['config']['fit_images']:,} training images, "
        f"scored on {record['config']['score_images']:,} test images",
        "summary": record["summary"].get("converged_d8"),
    }


LOSS_LABELS = {"n2d": "N2D's autoencoder: MSE", "course_all": "course design: BCE"}


def plot_losses(records: dict[str, dict[str, Any]], path: Path) -> list[str]:
    """The training loss per epoch of every trained run on all images, one panel per design, one line per seed."""
    designs = [codes for codes in LOSS_LABELS if any(r["codes"] == codes for r in records.values())]
    if not designs:
        return []
    fig, axes = column_figure(2.9, 1, len(designs), squeeze=False)
    for axis, codes in zip(axes[0], designs, strict=True):
        for record in sorted((r for r in records.values() if r["codes"] == codes), key=lambda r: r["seed"]):
            loss = record["training"]["loss"]
            axis.plot(range(1, len(loss) + 1), loss, label=f"seed {record['seed']}")
        axis.set_title(LOSS_LABELS[codes], fontsize=TITLE_FONT)
        axis.set_xlabel("epoch")
        axis.tick_params(labelsize=SMALL_FONT)
        axis.grid(alpha=0.3)
        axis.legend(fontsize=SMALL_FONT)
    axes[0][0].set_ylabel("training loss")
    fig.suptitle("Training loss on all the images, per epoch", fontsize=TITLE_FONT)
    save_column_figure(fig, path)
    return [path.name]


def write_results(ctx: Context, config: dict[str, Any], order, key) -> dict[str, Any]:
    """Summarise the finished runs into results.json and the loss figure; ``complete`` once every run is in."""
    folder = ctx.experiment_dir(NAME)
    records = load_records(folder / "runs", order, key)
    done = [run_name(*item) for item in order if run_name(*item) in records]
    summary = summarise_runs(records)
    table = results_table(summary) if summary else ""
    seconds = sum(r["seconds"] for r in records.values())
    figures = plot_losses(records, folder / "losses.png")
    config = {
        **config,
        "held_out": held_out_scores(ctx.out_dir / "clustering" / "results.json"),
    }
    config["anchors"] = config["held_out"].pop("anchors") if config["held_out"] else None
    config = {
        **config,
        "runs_done": done,
        "runs_to_do": [run_name(*item) for item in order if run_name(*item) not in records],
        "seconds_all_runs": round(seconds, 1),
        "wall_seconds_counts": "the seconds of the finished runs (the experiment resumes across processes)",
    }
    per_seed = [
        {"seed": s, "runs": {name: r for name, r in records.items() if r["seed"] == s}}
        for s in ctx.seeds
        if any(r["seed"] == s for r in records.values())
    ]
    ctx.write_results(
        NAME,
        config,
        per_seed,
        summary,
        figures,
        time.time() - seconds,
        complete=len(done) == len(order),
        extra={"table_markdown": table},
    )
    ctx.log(f"  {NAME} ({len(done)} of {len(order)} runs):\n{table}")
    return summary


def _plan(ctx: Context) -> tuple[dict[str, Any], np.ndarray, np.ndarray, dict[str, Any], list, dict[str, Any]]:
    """The settings, all images and labels, the settings key, the run order and the record's config."""
    cfg = dict(ctx.settings[NAME])
    x_train, y_train, x_test, y_test = ctx.data()
    images, labels = np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])
    key = settings_key(cfg, len(images))
    runs_dir = ctx.experiment_dir(NAME) / "runs"
    runs_dir.mkdir(exist_ok=True)
    order = run_order(ctx.seeds)
    config = {
        **cfg,
        "images": len(images),
        "protocol": "every method fitted on all the images (training and test together) and scored on all of them; "
        "labels only score",
        "codes": CODE_LABELS,
        "methods": {
            "kmeans": "k-means (10 starts) on the codes",
            "umap_gmm": f"N2D: UMAP to {cfg['umap_dims']} dims ({cfg['umap_neighbors']} neighbours, min_dist 0) "
            "+ full-covariance Gaussian mixture, fitted on every image (UMAP's fit_transform, as N2D)",
        },
        "run_order": [run_name(*item) for item in order],
    }
    return cfg, images, labels, key, order, config


def run(ctx: Context) -> dict[str, Any]:
    cfg, images, labels, key, order, config = _plan(ctx)
    runs_dir = ctx.experiment_dir(NAME) / "runs"
    finished = load_records(runs_dir, order, key)
    summary = write_results(ctx, config, order, key) if finished else {}
    for index, (codes_name, seed) in enumerate(order, start=1):
        name = run_name(codes_name, seed)
        if name in finished:
            continue
        ctx.log(f"  [{index}/{len(order)}] {name} on {len(images):,} images")
        record = run_one(ctx, codes_name, seed, cfg, images, labels)
        ctx.log(
            f"    ACC k-means {record['scores']['kmeans']['acc']:.3f}, UMAP + GMM "
            f"{record['scores']['umap_gmm']['acc']:.3f} ({record['seconds']:.0f} s)"
        )
        path = runs_dir / f"{name}.json"
        path.write_text(json.dumps(json_safe({**record, "settings": key}), indent=1) + "\n")
        summary = write_results(ctx, config, order, key)
    return {"summary": summary}


def summarise_only(out_dir: Path, profile: str = "full") -> dict[str, Any]:
    """Rewrite ``<out_dir>/clustering_all_images/results.json`` and its figure from the finished runs, training nothing.

    For a run stopped part-way: the record then says which runs are done and which are still to do.
    """
    from experiments.log import stdout_log
    from experiments.profiles import get_profile

    command = f"python -m cae_ref experiments --profile {profile} --only {NAME}"
    ctx = Context(profile, get_profile(profile), out_dir, None, command, log=stdout_log)
    _, _, _, key, order, config = _plan(ctx)
    return write_results(ctx, config, order, key)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=summarise_only.__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the results folder, e.g. results")
    parser.add_argument("--profile", choices=("quick", "full"), default="full")
    args = parser.parse_args()
    summarise_only(args.out, args.profile)
