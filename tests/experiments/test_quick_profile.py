"""The experiments' quick profile end to end: every results.json, its schema, its numbers and figures.

One quick run (about 2-4 minutes on 2 CPU cores) is shared by all tests in this module. Set
``CAE_EXPERIMENTS_QUICK_OUT`` to the folder of a finished quick run to check it without rerunning.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pytest

from experiments import EXPERIMENTS, build_parser, main
from experiments.profiles import get_profile
from experiments.stats import mean_std, summarise

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
COLUMN_PX = 686  # the book's text column (tests/book/test_recorded_figures.py)
BOOK = Path(__file__).resolve().parents[2] / "book"
BOOK_FIGURES = {
    shown
    for page in BOOK.glob("*.md")
    for shown in re.findall(r"\{figure\} \.\./(results/\S+\.png)", page.read_text(encoding="utf-8"))
}
TOP_LEVEL_KEYS = {
    "schema_version",
    "experiment",
    "profile",
    "complete",
    "command",
    "created_utc",
    "wall_seconds",
    "seeds",
    "config",
    "environment",
    "summary",
    "per_seed",
    "figures",
    "overrides",
    "reduced_budget",
}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory, fashion_dir: Path) -> Path:
    """The quick profile's output folder; without a local Fashion-MNIST the ``fashion_dir`` fixture fails."""
    existing = os.environ.get("CAE_EXPERIMENTS_QUICK_OUT")
    if existing:
        return Path(existing)
    root = tmp_path_factory.mktemp("experiments")
    status = main(["--profile", "quick", "--out", str(root / "out"), "--cache", str(root / "cache")])
    assert status == 0, f"the quick profile exited with status {status}"
    return root / "out"


def _load(out: Path, name: str) -> dict:
    path = out / name / "results.json"
    assert path.is_file(), f"expected {path}: did experiment {name} run?"
    return json.loads(path.read_text())


def _stat(entry: dict, low: float, high: float, what: str) -> None:
    assert set(entry) >= {"mean", "std", "n"}, f"{what}: expected mean/std/n, got {sorted(entry)}"
    assert entry["n"] >= 3, f"{what}: {entry['n']} seeds, need at least 3"
    assert entry["std"] >= 0.0
    assert low <= entry["mean"] <= high, f"{what}: mean {entry['mean']} outside [{low}, {high}]"


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPERIMENTS)
def test_results_schema_and_figures(quick_run: Path, name: str) -> None:
    """Every experiment writes a complete results.json with provenance and readable PNG figures."""
    results = _load(quick_run, name)
    missing = TOP_LEVEL_KEYS - set(results)
    assert not missing, f"{name}: results.json lacks {sorted(missing)}"
    assert results["experiment"] == name
    assert results["profile"] == "quick"
    assert results["complete"] is True
    assert results["seeds"] == [0, 1, 2]
    assert [record["seed"] for record in results["per_seed"]] == [0, 1, 2]
    assert "experiments --profile quick" in results["command"]
    for package in ("tensorflow", "keras", "numpy", "scikit_learn"):
        assert results["environment"][package], f"{name}: no {package} version recorded"
    assert results["environment"]["machine"]["cpu_count"] >= 1
    pngs = [f for f in results["figures"] if f.endswith(".png")]
    assert pngs, f"{name}: no figures listed"
    for figure in results["figures"]:
        path = quick_run / name / figure
        assert path.is_file(), f"{name}: figure {figure} listed but not written"
        if figure.endswith(".png"):
            assert path.read_bytes()[:8] == PNG_MAGIC, f"{path} is not a PNG file"
            assert path.stat().st_size > 5_000, f"{path} is suspiciously small"
            if f"results/{name}/{figure}" in BOOK_FIGURES:  # a rerun draws what the book shows one column wide
                width = int.from_bytes(path.read_bytes()[16:20], "big")
                assert width <= COLUMN_PX, f"{path}: {width} px, wider than the book's {COLUMN_PX}-pixel column"


@pytest.mark.slow
def test_baseline_numbers(quick_run: Path) -> None:
    """Mean ± std over seeds equals the per-seed values; the metrics lie in sane ranges."""
    results = _load(quick_run, "baseline")
    test = results["summary"]["test"]
    _stat(test["bce"], 0.0, 0.7, "BCE")
    _stat(test["mse"], 0.0, 0.2, "MSE")
    _stat(test["psnr"], 7.0, 40.0, "PSNR")
    _stat(test["ssim"], -0.1, 1.0, "SSIM")
    values = [record["test"]["mse"] for record in results["per_seed"]]
    assert math.isclose(test["mse"]["mean"], float(np.mean(values)), rel_tol=1e-9)
    assert math.isclose(test["mse"]["std"], float(np.std(values, ddof=1)), rel_tol=1e-9, abs_tol=1e-15)
    assert results["per_seed"][0]["parameters"] == 185_217, "the baseline must have the report's 185,217 parameters"
    assert results["reference"]["mse"] == pytest.approx(0.00167)
    assert isinstance(results["mse_within_10_percent"], bool)


@pytest.mark.slow
def test_bottleneck_covers_sizes(quick_run: Path) -> None:
    """At least six code sizes from 2 to 6,272, each scored, with a table and one grid per size."""
    results = _load(quick_run, "bottleneck")
    sizes = results["summary"]["sizes"]
    assert len(sizes) >= 6
    code_sizes = sorted(int(entry["code_size"]["mean"]) for entry in sizes.values())
    assert code_sizes[0] == 2 and code_sizes[-1] == 6_272
    for label, entry in sizes.items():
        _stat(entry["psnr"], 5.0, 40.0, f"PSNR at {label}")
        _stat(entry["mse"], 0.0, 0.3, f"MSE at {label}")
        assert f"reconstructions_{label}.png" in results["figures"]
    assert {"curve.png", "reconstruction_grid.png", "table.md"} <= set(results["figures"])
    assert results["table_markdown"].count("\n") >= 1 + len(sizes)


@pytest.mark.slow
def test_latent_space_scores(quick_run: Path) -> None:
    """Codes and pixels get the same measures; accuracies are probabilities; the 2-D code is plotted."""
    results = _load(quick_run, "latent_space")
    summary = results["summary"]
    for feature in ("pixels", "codes", "codes_2d"):
        for measure in ("linear_probe_all", "linear_probe_10_per_class", "linear_probe_100_per_class", "knn5"):
            _stat(summary[feature][measure], 0.0, 1.0, f"{feature} {measure}")
        _stat(summary[feature]["kmeans"]["acc"], 0.1, 1.0, f"{feature} k-means ACC")
        _stat(summary[feature]["kmeans"]["nmi"], 0.0, 1.0, f"{feature} k-means NMI")
    # A logistic regression on pixels is far above chance (0.1) even with 1,000 training images.
    assert summary["pixels"]["linear_probe_all"]["mean"] > 0.6
    assert {"latent_2d.png", "pca_codes.png", "tsne_codes.png", "measures.png"} <= set(results["figures"])
    assert results["anchors"]["logistic_regression_pixels"] == pytest.approx(0.842)


@pytest.mark.slow
def test_denoising_curves(quick_run: Path) -> None:
    """Noise lowers the noisy input's PSNR; filters help at high noise; the mismatch grid is complete."""
    results = _load(quick_run, "denoising")
    classical = results["classical"]
    levels = results["config"]["test_noise"]
    noisy = [classical[f"noise_{lvl:.1f}"]["noisy_input"]["psnr"] for lvl in levels]
    assert noisy == sorted(noisy, reverse=True), f"noisy-input PSNR should fall with noise, got {noisy}"
    assert classical["noise_0.5"]["gaussian"]["psnr"] > classical["noise_0.5"]["noisy_input"]["psnr"]
    mismatch = results["summary"]["mismatch"]
    assert len(mismatch) == len(results["config"]["train_noise"])
    for row in mismatch.values():
        assert len(row) == len(levels)
    for key, entry in results["summary"]["matched"].items():
        _stat(entry["psnr"], 5.0, 40.0, f"denoiser PSNR at {key}")


@pytest.mark.slow
def test_vae_elbo(quick_run: Path) -> None:
    """The test ELBO is finite and negative, and equals -(reconstruction + KL)."""
    results = _load(quick_run, "vae")
    for record in results["per_seed"]:
        assert record["test_elbo"] < 0 and math.isfinite(record["test_elbo"])
        assert record["test_kl"] >= 0
        assert record["test_elbo"] == pytest.approx(-(record["test_reconstruction"] + record["test_kl"]), rel=1e-3)
    _stat(results["summary"]["test_elbo"], -800.0, 0.0, "test ELBO")
    assert {"prior_samples.png", "interpolation.png"} <= set(results["figures"])


@pytest.mark.slow
def test_few_label_accuracy(quick_run: Path) -> None:
    """Codes and pixels both classify; more labels help the logistic regression on pixels."""
    summary = _load(quick_run, "few_label")["summary"]
    for count in (10, 100):
        for feature in ("codes", "pixels"):
            for classifier in ("logistic_regression", "knn"):
                _stat(summary[f"labels_{count}_per_class"][feature][classifier], 0.2, 1.0, f"{count} {feature}")
    pixels = [summary[f"labels_{c}_per_class"]["pixels"]["logistic_regression"]["mean"] for c in (10, 100)]
    assert pixels[1] > pixels[0], f"100 labels per class should beat 10 on pixels, got {pixels}"


def test_summarise_nested_mean_std() -> None:
    """summarise() averages every numeric leaf over seeds with the sample standard deviation."""
    records = [{"seed": s, "a": {"b": float(s)}, "c": 2.0, "name": "x"} for s in (0, 1, 2)]
    summary = summarise(records)
    assert summary["a"]["b"]["mean"] == pytest.approx(1.0)
    assert summary["a"]["b"]["std"] == pytest.approx(1.0)
    assert summary["c"]["std"] == 0.0
    assert "seed" not in summary and "name" not in summary
    assert mean_std([3.0])["std"] == 0.0


def test_profiles_and_cli_contract() -> None:
    """Both profiles configure every experiment with at least 3 seeds; unknown names are refused."""
    for profile in ("quick", "full"):
        settings = get_profile(profile)
        assert len(settings["seeds"]) >= 3
        assert set(EXPERIMENTS) <= set(settings)
        assert len(settings["bottleneck"]["latent_dims"]) >= 6
    assert get_profile("full")["baseline"]["epochs"] == 25
    args = build_parser().parse_args(["--profile", "full", "--only", "baseline", "--epochs", "5"])
    assert args.profile == "full" and args.epochs == 5
    assert main(["--only", "no_such_experiment"]) == 2


@pytest.mark.slow
def test_bottleneck_converged_records_every_run_and_resumes(quick_run: Path) -> None:
    """One record per (family, size, seed) with epochs to converge; matched models keep the baseline's size."""
    results = _load(quick_run, "bottleneck_converged")
    runs = sorted(p.stem for p in (quick_run / "bottleneck_converged" / "runs").glob("*.json"))
    assert runs == sorted(results["config"]["run_order"]) and len(runs) >= 3
    baseline = _load(quick_run, "baseline")["summary"]["test"]["psnr"]["mean"]
    assert results["config"]["baseline_psnr"] == baseline  # drawn beside the conv code in curve.png
    for family, sizes in results["summary"].items():
        for label, entry in sizes.items():
            assert 1 <= entry["epochs_to_converge"]["mean"] <= results["config"]["max_epochs"], (family, label)
            _stat(entry["test"]["psnr"], 5.0, 40.0, f"{family} {label} PSNR")
            if family == "matched":
                assert abs(entry["parameters"]["mean"] - 185_217) <= 0.05 * 185_217
    # a rerun finds every record and trains nothing
    logged: list[str] = []
    from experiments import bottleneck_converged
    from experiments.common import Context

    command = "python -m cae_ref experiments --profile quick --only bottleneck_converged"
    ctx = Context("quick", get_profile("quick"), quick_run, None, command, log=logged.append)
    bottleneck_converged.run(ctx)
    assert not [line for line in logged if line.strip().startswith("[")], logged


@pytest.mark.slow
def test_clustering_scores_pixels_and_codes(quick_run: Path) -> None:
    """k-means and UMAP + GMM score ACC / NMI / ARI on pixels and codes, beside the published figures."""
    results = _load(quick_run, "clustering")
    for feature in ("pixels", "codes", "converged_d8"):
        for method in ("kmeans", "umap_gmm"):
            scores = results["summary"][feature][method]
            _stat(scores["acc"], 0.1, 1.0, f"{feature} {method} ACC")
            _stat(scores["ari"], -0.5, 1.0, f"{feature} {method} ARI")
    assert results["anchors"]["n2d"]["acc"] == pytest.approx(0.672)


@pytest.mark.slow
def test_clustering_screen_scores_every_variant_on_training_images(quick_run: Path) -> None:
    """The screen scores each variant (DEC included) on held-out training images, never the test set."""
    results = _load(quick_run, "clustering_screen")
    variants = results["summary"]["converged_d8"]
    assert set(variants) == set(results["config"]["variants"])
    assert {"kmeans", "umap_gmm", "umap_gmm_large_fit", "dec"} <= set(variants)
    for name, scores in variants.items():
        _stat(scores["acc"], 0.1, 1.0, f"screen {name} ACC")
    assert 1 <= variants["dec"]["passes"]["mean"] <= results["config"]["dec_max_passes"]
    assert "never the test set" in results["config"]["scored_on"]
    assert isinstance(results["adoptable"]["converged_d8"], list)


@pytest.mark.slow
def test_clustering_all_images_scores_three_codes_on_every_image(quick_run: Path) -> None:
    """Every code set is clustered on all the images (training and test), beside the held-out protocol's scores."""
    results = _load(quick_run, "clustering_all_images")
    config, summary = results["config"], results["summary"]
    assert list(summary) == ["course_converged", "n2d", "course_all"]
    for codes, methods in summary.items():
        for method in ("kmeans", "umap_gmm"):
            _stat(methods[method]["acc"], 0.1, 1.0, f"{codes} {method} ACC")
    train, test = (get_profile("quick")["data"][key] for key in ("train_size", "test_size"))
    assert config["images"] == train + test
    assert config["runs_to_do"] == [] and len(config["runs_done"]) == 9
    held_out = json.loads((quick_run / "clustering" / "results.json").read_text())["summary"]["converged_d8"]
    assert config["held_out"]["summary"] == held_out
    assert config["anchors"]["dec"]["acc"] == pytest.approx(0.62)
    runs = [run for seed in results["per_seed"] for run in seed["runs"].values()]
    for run in runs:
        assert run["images"] == config["images"]
        if run["codes"] != "course_converged":
            assert len(run["training"]["loss"]) == run["training"]["epochs"]


@pytest.mark.slow
def test_vae_vs_ae_equal_budget(quick_run: Path) -> None:
    """Both models train with the same code, epochs and seeds; both are scored; the twin lacks only a head."""
    results = _load(quick_run, "vae_vs_ae")
    summary = results["summary"]
    for model in ("vae", "autoencoder"):
        _stat(summary[model]["psnr"], 5.0, 40.0, f"{model} PSNR")
        _stat(summary[model]["reconstruction_nats"], 0.0, 800.0, f"{model} reconstruction")
    _stat(summary["vae"]["test_elbo"], -800.0, 0.0, "VAE ELBO")
    # the VAE's log-variance head: Dense(128 -> 2) = 258 parameters
    assert summary["vae"]["parameters"]["mean"] - summary["autoencoder"]["parameters"]["mean"] == 258
    assert "latents.png" in results["figures"]


@pytest.mark.slow
def test_anomaly_scores_each_held_out_class(quick_run: Path) -> None:
    """One AUC per held-out class and seed; each model trained without its held-out class."""
    results = _load(quick_run, "anomaly")
    summary, config = results["summary"], results["config"]
    for class_id in config["held_out_classes"]:
        entry = summary["classes"][f"class_{class_id}"]
        _stat(entry["auc"], 0.0, 1.0, f"class {class_id} AUC")
        _stat(entry["error_normal"], 0.0, 1.0, f"class {class_id} normal error")
        # about a tenth of the training pool is the held-out class, and it is left out
        assert 0.8 * config["train_pool_images"] < entry["train_images"]["mean"] < config["train_pool_images"]
    _stat(summary["mean_auc"], 0.0, 1.0, "mean AUC")
    assert results["figures"] == ["auc_by_class.png", "errors.png", "examples.png"]
