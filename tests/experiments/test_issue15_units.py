"""Issue 15's building blocks without training: parameter-matched widths and the resumable run order."""

from __future__ import annotations

import pytest

from experiments.bottleneck_converged import run_order
from experiments.models import (
    BASELINE_PARAMETERS,
    PARAMETER_TOLERANCE,
    autoencoder,
    autoencoder_parameters,
    matched_filters,
    run_id,
)
from experiments.profiles import get_profile

FULL_DIMS = get_profile("full")["bottleneck_converged"]["latent_dims"]


@pytest.mark.parametrize("latent_dim", FULL_DIMS)
def test_every_size_lands_in_the_parameter_band(latent_dim) -> None:
    filters = matched_filters(latent_dim)
    count = autoencoder_parameters(filters, latent_dim)
    assert abs(count - BASELINE_PARAMETERS) <= PARAMETER_TOLERANCE * BASELINE_PARAMETERS, (filters, count)
    # the baseline widths miss the band for every dense size: matching is needed
    if latent_dim is not None:
        assert autoencoder_parameters((32, 64, 128), latent_dim) > 1.05 * BASELINE_PARAMETERS


def test_the_conv_code_keeps_the_baseline_and_the_formula_matches_keras() -> None:
    assert matched_filters(None) == (32, 64, 128)
    for latent_dim in (2, 512, None):
        filters = matched_filters(latent_dim)
        assert autoencoder(latent_dim, filters).count_params() == autoencoder_parameters(filters, latent_dim)


def test_an_impossible_band_is_refused() -> None:
    with pytest.raises(ValueError, match="no widths"):
        matched_filters(512, target=1_000)


def test_run_order_is_seed_major_and_skips_the_duplicate_conv_model() -> None:
    order = run_order(["width", "matched"], [2, None], [0, 1, 2])
    ids = [run_id(*item) for item in order]
    assert ids[:3] == ["width_d2_s0", "width_conv_s0", "matched_d2_s0"]
    assert ids[3] == "width_d2_s1" and len(ids) == 9 and "matched_conv_s0" not in ids
    assert run_order(["matched"], [None], [0]) == [("matched", None, 0)]


def _fake_run(family: str, latent_dim: int | None, seed: int, key: dict, psnr: float) -> dict:
    return {
        "family": family,
        "latent_dim": latent_dim,
        "seed": seed,
        "code_size": 8 if latent_dim else 6272,
        "parameters": 185_000,
        "epochs_to_converge": 7,
        "train_seconds": 100.0,
        "test": {"mse": 0.01, "psnr": psnr, "ssim": 0.8},
        "settings": key,
    }


def test_a_sweep_in_progress_writes_an_incomplete_record_of_its_finished_runs(tmp_path) -> None:
    """After each run the results show what is done (seeds per row), complete only when every run is in."""
    import json

    from experiments import bottleneck_converged as bc
    from experiments.common import Context

    cfg = {**get_profile("quick")["bottleneck_converged"], "latent_dims": [8, None]}
    key = {"max_epochs": 2, "images": [1, 1, 1]}
    order = run_order(["width", "matched"], cfg["latent_dims"], [0, 1, 2])
    config = {"run_order": [run_id(*item) for item in order]}
    ctx = Context("quick", get_profile("quick"), tmp_path, None, "test", log=lambda line: None)
    runs = ctx.experiment_dir(bc.NAME) / "runs"
    runs.mkdir()
    for family, dim, seed, psnr in (("width", 8, 0, 20.0), ("width", 8, 1, 22.0), ("width", None, 0, 25.0)):
        (runs / f"{run_id(family, dim, seed)}.json").write_text(json.dumps(_fake_run(family, dim, seed, key, psnr)))
    stale = _fake_run("matched", 8, 0, {"max_epochs": 99}, 30.0)  # other settings: still to train
    (runs / f"{run_id('matched', 8, 0)}.json").write_text(json.dumps(stale))

    summary = bc._write_results(ctx, cfg, config, order, key)
    written = json.loads((tmp_path / bc.NAME / "results.json").read_text())
    assert written["complete"] is False
    assert written["wall_seconds"] == pytest.approx(300.0, abs=5.0)  # three finished runs of 100 s each
    assert written["config"]["runs_done"] == ["width_d8_s0", "width_conv_s0", "width_d8_s1"]
    assert summary["width"]["d8"]["test"]["psnr"] == pytest.approx(
        {"mean": 21.0, "std": 2**0.5, "n": 2, "min": 20.0, "max": 22.0}
    )
    assert "d8" not in summary["matched"]  # the stale record is not counted
    assert summary["matched"]["conv"]["test"]["psnr"]["n"] == 1  # the conv code's matched model is the baseline
    assert "| width | 8 | 2 |" in written["table_markdown"].replace("  ", " ")
    assert [entry["seed"] for entry in written["per_seed"]] == [0, 1]


def test_a_missing_converged_model_names_what_was_looked_for_and_the_command(tmp_path) -> None:
    from experiments.common import Context
    from experiments.models import load_converged_model

    ctx = Context("quick", get_profile("quick"), tmp_path / "out", tmp_path / "cache", "test", log=lambda line: None)
    with pytest.raises(FileNotFoundError, match=r"no converged model width_d8_s0: looked for .*width_d8_s0\.keras"):
        load_converged_model(ctx, "width", 8, 0)
    no_cache = Context("quick", get_profile("quick"), tmp_path / "out", None, "test", log=lambda line: None)
    with pytest.raises(FileNotFoundError, match="--only bottleneck_converged` \\(with the model cache on\\)"):
        load_converged_model(no_cache, "width", 8, 0)


def test_the_screen_scores_on_training_images_disjoint_from_those_it_fits_on() -> None:
    from experiments.clustering_screen import split_training_images

    validation, large_fit, fit = split_training_images(60_000, 10_000, 40_000, 10_000)
    assert (len(validation), len(large_fit), len(fit)) == (10_000, 40_000, 10_000)
    assert not set(validation) & set(large_fit) and set(fit) <= set(large_fit)
    again = split_training_images(60_000, 10_000, 40_000, 10_000)
    assert all((a == b).all() for a, b in zip(again, (validation, large_fit, fit), strict=True))
    with pytest.raises(ValueError, match="exceeds the 1000 training images"):
        split_training_images(1_000, 500, 600, 100)
    with pytest.raises(ValueError, match="fit_size <= large_fit_size"):
        split_training_images(1_000, 100, 200, 300)


def _acc(mean: float, std: float) -> dict:
    return {"acc": {"mean": mean, "std": std}}


def test_a_variant_is_adoptable_only_when_it_beats_the_recorded_method_by_more_than_the_spread() -> None:
    from experiments.clustering_screen import adoptable

    summary = {
        "umap_gmm": _acc(0.60, 0.01),
        "clear_gain": _acc(0.63, 0.01),
        "within_noise": _acc(0.615, 0.02),
        "worse": _acc(0.55, 0.0),
    }
    assert adoptable(summary) == ["clear_gain"]
    summary["umap_gmm"] = _acc(0.60, 0.05)  # a noisy recorded method: nothing clears its spread
    assert adoptable(summary) == []
