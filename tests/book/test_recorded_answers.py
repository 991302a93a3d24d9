"""The chapters' answers from recorded runs follow the numbers, whichever way they fall (chapters 7 and 9)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "book"))

import recorded_results  # noqa: E402

ANCHORS = {
    "kmeans_pixels": {"acc": 0.47, "nmi": 0.51},
    "autoencoder_kmeans": {"acc": 0.61, "nmi": 0.64},
    "dec": {"acc": 0.62, "nmi": 0.65},
    "n2d": {"acc": 0.672, "nmi": 0.684},
}


def _stat(values: list[float]) -> dict[str, float]:
    mean = sum(values) / len(values)
    return {"mean": mean, "std": 0.01, "n": len(values), "min": min(values), "max": max(values)}


def _clustering(codes_gmm: list[float], codes_kmeans: list[float], pixels_gmm: list[float]) -> dict:
    runs = {"codes": {"umap_gmm": codes_gmm, "kmeans": codes_kmeans}, "pixels": {"umap_gmm": pixels_gmm}}
    per_seed = [
        {f: {m: {"acc": accs[i], "nmi": 0.6, "ari": 0.4} for m, accs in ms.items()} for f, ms in runs.items()}
        for i in range(3)
    ]
    summary = {
        f: {m: {"acc": _stat(accs), "nmi": _stat([0.6] * 3), "ari": _stat([0.4] * 3)} for m, accs in ms.items()}
        for f, ms in runs.items()
    }
    return {"summary": summary, "per_seed": per_seed, "anchors": ANCHORS}


def test_clustering_answer_names_the_best_method_on_codes_and_what_it_reaches():
    text = recorded_results.clustering_answer(_clustering([0.64, 0.66, 0.65], [0.50, 0.51, 0.52], [0.58] * 3))
    assert "UMAP + Gaussian mixture (N2D) on `codes`" in text and "0.650" in text
    assert "reaches these published figures: k-means on pixels (0.470), autoencoder + k-means (0.610), DEC" in text
    assert "stays below: N2D (0.672)" in text and "; every seed reached DEC's 0.62" in text
    assert "On raw pixels the same method reaches 0.580" in text


def test_clustering_answer_says_when_the_goal_is_missed():
    """Pixels never count as the best on codes; a mean below DEC and one seed below it are said so."""
    text = recorded_results.clustering_answer(_clustering([0.55, 0.63, 0.64], [0.50, 0.51, 0.52], [0.99] * 3))
    assert "on `codes`" in text and "0.607" in text
    assert "stays below: autoencoder + k-means (0.610), DEC (0.620), N2D (0.672)" in text
    assert "2 of 3 seeds reached DEC's 0.62" in text
    low = recorded_results.clustering_answer(_clustering([0.48, 0.55, 0.50], [0.40] * 3, [0.49] * 3))
    assert "no seed reached DEC's 0.62" in low and "reaches these published figures: k-means on pixels" in low


def _screen(accs: dict[str, list[float]], adoptable: list[str]) -> dict:
    variants = {name: {"acc": _stat(values)} for name, values in accs.items()}
    config = {"validation_size": 10_000, "goal_acc": 0.62}
    return {"summary": {"converged_d8": variants}, "adoptable": {"converged_d8": adoptable}, "config": config}


def test_clustering_screen_answer_keeps_the_defaults_when_nothing_clears_the_spread():
    text = recorded_results.clustering_screen_answer(
        _screen({"umap_gmm": [0.60, 0.61, 0.62], "umap_gmm_large_fit": [0.61, 0.61, 0.62], "dec": [0.55] * 3}, [])
    )
    assert "recorded method (UMAP + Gaussian mixture, N2D's defaults) reaches ACC 0.610" in text
    assert "the best variant is `umap_gmm_large_fit` at 0.613" in text
    assert "the test-set record keeps N2D's defaults" in text and "DEC refinement of the encoder reaches 0.550" in text
    assert text.endswith("The best mean in the screen stays below the goal of 0.62.")


def test_clustering_screen_answer_names_an_adoptable_variant_and_a_reached_goal():
    text = recorded_results.clustering_screen_answer(
        _screen({"umap_gmm": [0.60] * 3, "umap_gmm_neighbors_10": [0.65] * 3}, ["umap_gmm_neighbors_10"])
    )
    assert "`umap_gmm_neighbors_10` beat it by more than the spread" in text and "rerun with it" in text
    assert "DEC" not in text
    assert text.endswith("The best mean in the screen reaches the goal of 0.62.")
    labelled = _screen({"umap_gmm": [0.60] * 3, "umap_gmm_neighbors_10": [0.61] * 3}, [])
    labelled["config"]["variant_labels"] = {"umap_gmm_neighbors_10": "UMAP + GMM, 10 neighbours"}
    assert "the best variant is *UMAP + GMM, 10 neighbours* at 0.610" in recorded_results.clustering_screen_answer(
        labelled
    )


def test_show_clustering_says_when_nothing_is_recorded(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(recorded_results, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(recorded_results, "display", shown.append)
    assert recorded_results.show_clustering() is None
    assert len(shown) == 1 and "results/clustering/results.json` was not present" in shown[0].data
    assert "--profile full --only clustering` to record it" in shown[0].data


def test_vae_verdict_follows_the_sign_of_every_seed():
    def payload(gaps: list[float]) -> dict:
        stats = {"psnr": {"mean": 16.0}, "reconstruction_nats": {"mean": 255.0}}
        return {
            "per_seed": [{"psnr_gap_ae_minus_vae": gap} for gap in gaps],
            "summary": {"vae": stats, "autoencoder": stats},
            "config": {"epochs": 10},
        }

    assert "worse" in recorded_results.vae_vs_ae_verdict(payload([0.1, 0.3, 0.2]))["verdict"]
    assert "better" in recorded_results.vae_vs_ae_verdict(payload([-0.1, -0.3, -0.2]))["verdict"]
    mixed = recorded_results.vae_vs_ae_verdict(payload([0.1, -0.3, 0.2]))
    assert "no consistent difference" in mixed["verdict"] and mixed["gap_min"] == -0.3


def _sizes(psnr: dict[str, float], epochs: float = 8.0) -> dict:
    codes = {"d2": 2, "d32": 32, "d512": 512, "conv": 6272}
    return {
        label: {
            "code_size": _stat([codes[label]] * 3),
            "epochs_to_converge": _stat([epochs] * 3),
            "test": {"psnr": _stat([value] * 3)},
        }
        for label, value in psnr.items()
    }


def test_bottleneck_converged_answer_reads_both_families_and_the_three_epoch_sweep():
    payload = {
        "complete": True,
        "summary": {
            "width": _sizes({"conv": 29.0, "d2": 18.0, "d32": 23.5}),
            "matched": _sizes({"d2": 17.0, "d32": 22.0, "conv": 29.0}, epochs=12.0),
        },
        "config": {"three_epoch_psnr": {"d2": 17.5, "d32": 22.0, "conv": 24.5}, "max_epochs": 25},
    }
    text = recorded_results.bottleneck_converged_answer(payload)
    assert "Incomplete" not in text
    assert "from 18.00 dB (`d2`) to 29.00 dB (`conv`); the curve rises with every larger code" in text
    assert "adds 0.50 to 4.50 dB, the most at `conv`" in text
    assert "lead the matched models by +1.00 dB at `d2`, +1.50 dB at `d32`:" in text  # conv is one model: left out
    assert "From `d2` to `d32` the code alone (matched parameters) adds 5.00 dB; the baseline widths" in text
    assert "add 5.50 dB." in text
    assert "after 12.0 to 12.0 epochs (mean over seeds per size)." in text  # below the cap: no remark


def test_bottleneck_converged_answer_names_an_incomplete_record_and_a_falling_curve():
    payload = {
        "complete": False,
        "summary": {"width": _sizes({"d2": 18.0, "d32": 17.0}), "matched": {}},
        "config": {"runs_done": ["a", "b"], "run_order": ["a", "b", "c", "d"], "three_epoch_psnr": {}, "max_epochs": 8},
    }
    text = recorded_results.bottleneck_converged_answer(payload)
    assert text.startswith("**Incomplete record**: 2 of 4 runs finished")
    assert "drops at `d32` against the next smaller code" in text
    assert "; `d2`, `d32` still improving at the 8-epoch cap in every seed." in text
    assert "parameter-matched" not in text and "3-epoch" not in text


def _run(epochs_run: int, best: int, hit_cap: bool, loss_falls: bool = True) -> dict:
    loss = [0.3 - 0.001 * i * (1 if loss_falls else 0) for i in range(epochs_run)]
    return {"epochs_run": epochs_run, "epochs_to_converge": best, "hit_cap": hit_cap, "loss": loss}


def _converged_payload(conv_runs: list[dict]) -> dict:
    runs = [
        {"width_d2_s0": _run(25, 25, True), "width_d32_s0": _run(25, 24, True), "width_conv_s0": conv_runs[0]},
        {"width_d2_s1": _run(25, 25, True), "width_d32_s1": _run(20, 17, False), "width_conv_s1": conv_runs[1]},
    ]
    return {
        "complete": True,
        "summary": {"width": _sizes({"d2": 18.0, "d32": 23.5, "conv": 27.8}, epochs=20.0), "matched": {}},
        "per_seed": [{"seed": seed, "runs": r} for seed, r in enumerate(runs)],
        "config": {"three_epoch_psnr": {}, "max_epochs": 25, "patience": 3},
    }


def test_converged_answer_tells_the_cap_from_the_rule_and_sets_an_early_stopped_conv_beside_the_baseline():
    """Capped sizes come from the runs' hit_cap; sizes the rule stopped are named with their epochs."""
    payload = _converged_payload([_run(16, 13, False), _run(18, 15, False)])
    text = recorded_results.bottleneck_converged_answer(payload, baseline_psnr=28.99)
    assert "; `d2` still improving at the 25-epoch cap in every seed;" in text  # d32 stopped once: not capped
    assert "the rule stopped `d32` after 20 epochs (1 of 2 seeds), `conv` after 16, 18 epochs." in text
    assert "`conv`'s 27.80 dB is 1.19 dB below the 28.99 dB that the baseline experiment's fixed 25 epochs" in text
    assert "did not beat its best for 3 epochs while its training loss still fell" in text
    flat = _converged_payload([_run(16, 13, False, loss_falls=False), _run(18, 15, False)])
    assert "training loss still fell" not in recorded_results.bottleneck_converged_answer(flat, baseline_psnr=28.99)
    assert "baseline experiment" not in recorded_results.bottleneck_converged_answer(payload)


def test_converged_answer_leaves_the_baseline_out_when_conv_ran_to_the_cap():
    payload = _converged_payload([_run(25, 25, True), _run(25, 24, True)])
    text = recorded_results.bottleneck_converged_answer(payload, baseline_psnr=28.99)
    assert "baseline experiment" not in text and "`conv` after" not in text
    assert "; `d2`, `conv` still improving at the 25-epoch cap in every seed;" in text


def test_converged_answer_names_a_matched_code_wider_than_its_feature_map():
    payload = {
        "complete": True,
        "summary": {"width": {}, "matched": _sizes({"d2": 17.0, "d512": 24.0})},
        "config": {
            "three_epoch_psnr": {},
            "max_epochs": 25,
            "matched_filters": {"d2": [32, 57, 126], "d512": [32, 64, 3]},
        },
    }
    text = recorded_results.bottleneck_converged_answer(payload)
    assert (
        "`d512` reaches its code through a 7 x 7 x 3 = 147-number feature map, so its 512 numbers carry at most 147"
        in text
    )
    assert "`d2` reaches" not in text
    payload["config"]["matched_filters"]["d512"] = [32, 64, 11]  # 539 numbers: wide enough
    assert "reaches its code through" not in recorded_results.bottleneck_converged_answer(payload)
