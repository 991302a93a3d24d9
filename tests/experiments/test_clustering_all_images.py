"""The published-protocol clustering (issue 29): N2D's autoencoder, the run order, resuming, retraining, scoring."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cae_ref._tf import keras
from cae_ref.clustering import umap_gmm_fit_all
from experiments import bottleneck_converged
from experiments import clustering_all_images as published
from experiments.common import Context
from experiments.models import converged_model_path
from experiments.profiles import get_profile


def test_the_first_seed_compares_both_then_the_course_codes_get_every_seed() -> None:
    order = published.run_order([0, 1, 2])
    assert order[:4] == [("course_converged", 0), ("n2d", 0), ("course_converged", 1), ("course_converged", 2)]
    assert sorted(order) == sorted((codes, seed) for codes in published.CODES for seed in (0, 1, 2))


def test_n2d_autoencoder_has_the_published_shape() -> None:
    model = published.n2d_autoencoder([500, 500, 2000, 10])
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [500, 500, 2000, 10, 2000, 500, 500, 784]
    activations = [layer.activation.__name__ for layer in dense]
    assert activations == ["relu"] * 3 + ["linear"] + ["relu"] * 3 + ["linear"]  # linear code and output
    assert model.encoder.output.shape == (None, 10)
    # 784-500-500-2000-10 and its mirror: 3,317,314 weights and biases
    assert model.count_params() == 2 * (784 * 500 + 500 * 500 + 500 * 2000 + 2000 * 10) + (
        500 + 500 + 2000 + 10 + 2000 + 500 + 500 + 784
    )


def test_umap_gmm_on_all_rows_finds_separated_groups() -> None:
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=20.0, size=(4, 6))
    labels = np.repeat(np.arange(4), 60)
    features = centres[labels] + rng.normal(size=(240, 6))
    found = umap_gmm_fit_all(features, n_clusters=4, seed=0, n_components=4, n_neighbors=10)
    assert found.shape == (240,)
    assert published.cluster_scores(labels, found)["acc"] == 1.0


def _tiny_context(tmp_path: Path, seeds: list[int]) -> Context:
    settings = get_profile("quick")
    settings["seeds"] = seeds
    return Context("quick", settings, tmp_path / "out", tmp_path / "cache", "test", log=lambda _: None)


class _StopAfter(keras.callbacks.Callback):
    """Raise after ``epochs`` epochs, like a session that ends mid-training."""

    def __init__(self, epochs: int) -> None:
        super().__init__()
        self.epochs = epochs

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == self.epochs:
            raise KeyboardInterrupt


def test_an_interrupted_training_resumes_and_keeps_every_epochs_loss(tmp_path, monkeypatch) -> None:
    ctx = _tiny_context(tmp_path, [0])
    cfg = {**ctx.settings[published.NAME], "n2d_epochs": 4, "n2d_dims": [16, 8, 3]}
    images = np.random.default_rng(0).random((64, 28, 28, 1)).astype("float32")
    original = published._resumable_callbacks

    def interrupted(ctx_, name):
        callbacks, log = original(ctx_, name)
        return [*callbacks, _StopAfter(2)], log

    monkeypatch.setattr(published, "_resumable_callbacks", interrupted)
    with pytest.raises(KeyboardInterrupt):
        published.train_n2d(ctx, images, cfg, seed=0)
    monkeypatch.setattr(published, "_resumable_callbacks", original)
    codes, record = published.train_n2d(ctx, images, cfg, seed=0)
    assert codes.shape == (64, 3)
    assert record["resumed_after_epochs"] == 2
    assert len(record["loss"]) == 4
    # a later run of the same name starts afresh: the finished run's log is not appended to
    _, again = published.train_n2d(ctx, images, cfg, seed=0)
    assert again["resumed_after_epochs"] == 0 and len(again["loss"]) == 4


def test_a_lost_converged_model_is_retrained_to_its_recorded_run(tmp_path, fashion_dir) -> None:
    ctx = _tiny_context(tmp_path, [0])
    bottleneck_converged.run(ctx)
    recorded = json.loads((ctx.out_dir / "bottleneck_converged" / "runs" / "width_d8_s0.json").read_text())["test"]
    converged_model_path(ctx.cache_dir, "width", 8, 0).unlink()
    cfg = ctx.settings[published.NAME]
    _, record = published.converged_encoder(ctx, cfg, 0)
    assert record["source"].startswith("retrained")
    assert record["recorded_run_test"] == recorded
    assert record["test"]["bce"] == pytest.approx(recorded["bce"], rel=1e-4)
    _, again = published.converged_encoder(ctx, cfg, 0)
    assert again == {"source": "model cache"}


def _record(codes: str, seed: int, acc: float) -> dict:
    scores = {"acc": acc, "nmi": acc / 2, "ari": acc / 3}
    return {"codes": codes, "seed": seed, "scores": {"kmeans": scores, "umap_gmm": scores}, "seconds": 1.0}


def test_records_of_other_settings_are_not_reused_and_the_summary_counts_seeds(tmp_path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    key = {"n2d_epochs": 100, "images": 70_000}
    order = published.run_order([0, 1, 2])
    for codes, seed, acc, settings in (
        ("course_converged", 0, 0.6, key),
        ("course_converged", 1, 0.7, key),
        ("n2d", 0, 0.5, {**key, "n2d_epochs": 10}),
    ):
        (runs / f"{codes}_s{seed}.json").write_text(json.dumps({**_record(codes, seed, acc), "settings": settings}))
    records = published.load_records(runs, order, key)
    assert sorted(records) == ["course_converged_s0", "course_converged_s1"]
    summary = published.summarise_runs(records)
    assert list(summary) == ["course_converged"]
    assert summary["course_converged"]["umap_gmm"]["acc"]["n"] == 2
    assert summary["course_converged"]["umap_gmm"]["acc"]["mean"] == pytest.approx(0.65)
