"""The claims the chapters make about the recorded results hold for the records (chapters 5 to 9, appendix).

The pages' sentences are written by hand and quote numbers through MyST substitutions
(``book/facts/``). Every claim about a direction or a size in those sentences ("the denoiser beats
both filters at every level", "at equal parameters the gain past 32 numbers mostly disappears")
has one ``claim_*`` function here that reads the record and raises AssertionError when the record
no longer supports it. Each claim is checked on the real record and, through a doctored copy of
it (``doctored``), seen failing: a rerun that changes the answer fails this file instead of
silently rewording a page.
"""

from __future__ import annotations

import copy
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "book"))
sys.path.insert(0, str(REPO_ROOT / "book" / "_ext"))

import recorded_facts  # noqa: E402
import recorded_results  # noqa: E402

Record = dict[str, Any]


def record(name: str) -> Record:
    return recorded_results.load(name)


def doctored(original: Record, change: Callable[[Record], None]) -> Record:
    """A deep copy of ``original`` with ``change`` applied: the record a rerun with another answer would write."""
    copy_ = copy.deepcopy(original)
    change(copy_)
    return copy_


def avg(rec: Record, *keys: str) -> float:
    """The mean over seeds at ``summary / keys``."""
    return recorded_results.mean(rec, *keys)


# Chapter 5: the baseline -------------------------------------------------------------------------


def claim_seed_spread_is_a_few_tenths(rec: Record) -> None:
    """'single seeds range from ... to ..., so a difference of a few tenths of a decibel ... is noise'."""
    entry = recorded_results.stat(rec, "test", "psnr")
    assert 0.1 <= entry["max"] - entry["min"] < 1.0, entry


def claim_loss_falls_steeply_then_creeps(rec: Record) -> None:
    """'falls steeply in the first epochs and then creeps'; the figure's curves 'nearly coincide'."""
    for seed in rec["per_seed"]:
        loss = seed["loss_per_epoch"]
        assert loss[0] - loss[2] > 20 * (loss[-2] - loss[-1]) > 0, seed["seed"]
    finals = [seed["loss_per_epoch"][-1] for seed in rec["per_seed"]]
    assert max(finals) - min(finals) < 0.001, finals


# Chapter 6: the bottleneck ------------------------------------------------------------------------

DENSE = ("d2", "d8", "d32", "d128", "d512")


def claim_three_epoch_gains_shrink(rec: Record) -> None:
    """'Test PSNR climbs ...; each fourfold larger code adds less than the one before', conv highest."""
    values = [avg(rec, "sizes", size, "psnr") for size in DENSE]
    gains = [high - low for low, high in itertools.pairwise(values)]
    assert all(gain > 0 for gain in gains), gains
    assert all(later < earlier for earlier, later in itertools.pairwise(gains)), gains
    assert avg(rec, "sizes", "conv", "psnr") > values[-1]


def claim_dense_models_grow_with_their_code(rec: Record) -> None:
    """'The dense models grow with their code' (512 numbers: many times the baseline's parameters)."""
    params = [avg(rec, "sizes", size, "parameters") for size in DENSE]
    assert params == sorted(params) and params[-1] > 10 * avg(rec, "sizes", "conv", "parameters")


def claim_equal_parameters_gain_stops_past_32(rec: Record) -> None:
    """'At equal parameters, PSNR rises from 2 to 8 and 32 numbers, then stops: ... at 128 and ... at 512'."""
    matched = [avg(rec, "matched", size, "test", "psnr") for size in DENSE]
    assert matched[0] < matched[1] < matched[2], matched
    assert abs(matched[3] - matched[2]) < 0.5 and matched[4] < matched[2], matched
    params = [avg(rec, "matched", size, "parameters") for size in DENSE]
    assert max(params) < 1.05 * 185_217, params


def claim_baseline_widths_keep_rising(rec: Record) -> None:
    """'with the baseline's widths, whose model grows, PSNR keeps rising to ... at 512 numbers'."""
    width = [avg(rec, "width", size, "test", "psnr") for size in DENSE]
    assert width == sorted(width), width
    assert width[-1] - avg(rec, "matched", "d512", "test", "psnr") > 3, width


def claim_conv_stopped_early_below_the_baseline(rec: Record) -> None:
    """'early stopping ended it after N epochs, below the ... of chapter 5's fixed 25 epochs'."""
    cap = rec["config"]["max_epochs"]
    runs = [r for seed in rec["per_seed"] for name, r in seed["runs"].items() if name.startswith("width_conv")]
    assert runs and all(r["epochs_run"] < cap for r in runs)
    assert avg(rec, "width", "conv", "test", "psnr") < rec["config"]["baseline_psnr"]


def claim_runs_behind_each_number(rec: Record) -> None:
    """'Each equal-parameter number is one run (seed 0); ... 2-number code two runs, 8 and 32 three, larger one'."""
    counts = {size: entry["test"]["psnr"]["n"] for size, entry in rec["summary"]["width"].items()}
    assert counts == {"d2": 2, "d8": 3, "d32": 3, "d128": 1, "d512": 1, "conv": 1}, counts
    assert all(entry["test"]["psnr"]["n"] == 1 for entry in rec["summary"]["matched"].values())
    assert not rec["complete"] and len(rec["config"]["runs_done"]) < len(rec["config"]["run_order"])


def claim_dense_runs_best_epoch_near_the_cap(rec: Record) -> None:
    """Figure: 'the best epoch ... near the 25-epoch cap for most dense codes and 13 for the 6,272-number code'."""
    cap = rec["config"]["max_epochs"]
    bests = [
        entry["epochs_to_converge"]["mean"]
        for family in ("width", "matched")
        for entry in [rec["summary"][family][size] for size in DENSE]
    ]
    assert sum(best >= cap - 1 for best in bests) > len(bests) / 2, bests
    assert rec["summary"]["width"]["conv"]["epochs_to_converge"]["mean"] < cap - 5


# Chapter 7: the latent space ----------------------------------------------------------------------

LATENT_MEASURES = (
    ("linear_probe_all",),
    ("linear_probe_10_per_class",),
    ("linear_probe_100_per_class",),
    ("knn5",),
    ("kmeans", "acc"),
    ("kmeans", "nmi"),
)


def claim_codes_beat_pixels_and_2d_codes_fall_below(rec: Record) -> None:
    """'its codes beat the raw pixels on every measure, but by modest margins'; 'The 2-D codes fall below'."""
    for measure in LATENT_MEASURES:
        codes, pixels = avg(rec, "codes", *measure), avg(rec, "pixels", *measure)
        assert 0 < codes - pixels < 0.1, measure
        assert avg(rec, "codes_2d", *measure) < pixels, measure


def claim_without_labels_codes_barely_help(rec: Record) -> None:
    """'Without labels the codes barely help': k-means gains less than 0.03 ACC from the codes."""
    assert avg(rec, "codes", "kmeans", "acc") - avg(rec, "pixels", "kmeans", "acc") < 0.03


def claim_umap_gmm_beats_kmeans_and_the_best_stays_below_dec(rec: Record) -> None:
    """'UMAP + Gaussian mixture beats k-means on every kind of features'; the best is converged_d8,
    above published k-means on pixels, just below autoencoder + k-means and DEC, well below N2D."""
    features = list(rec["summary"])
    assert all(avg(rec, f, "umap_gmm", "acc") > avg(rec, f, "kmeans", "acc") for f in features)
    best = max(((f, m) for f in features for m in ("kmeans", "umap_gmm")), key=lambda fm: avg(rec, *fm, "acc"))
    assert best == ("converged_d8", "umap_gmm"), best
    acc, anchors = avg(rec, *best, "acc"), {k: v["acc"] for k, v in rec["anchors"].items()}
    assert anchors["kmeans_pixels"] < acc < anchors["autoencoder_kmeans"] < anchors["dec"], acc
    assert anchors["dec"] - acc < 0.03 and anchors["n2d"] - acc > 0.05
    values = [avg(rec, f, m, "acc") for f in features for m in ("kmeans", "umap_gmm")]
    assert min(values) >= 0.5 and max(values) <= 0.61, values  # the figure's alt text


def claim_no_screen_variant_wins_and_dec_refinement_lowers(rec: Record) -> None:
    """'No variant wins by more than the spread over seeds'; 'DEC refinement lowers the accuracy';
    the goal 'stays out of reach' (every mean below it)."""
    variants = rec["summary"]["converged_d8"]
    recorded = variants["umap_gmm"]["acc"]
    for name, entry in variants.items():
        margin = max(recorded["std"], entry["acc"]["std"])
        assert entry["acc"]["mean"] - recorded["mean"] <= margin, name
        assert entry["acc"]["mean"] < rec["config"]["goal_acc"], name
    assert variants["dec"]["acc"]["mean"] < recorded["mean"]
    assert rec["adoptable"]["converged_d8"] == []


# Chapter 8: denoising -----------------------------------------------------------------------------


def claim_denoiser_beats_input_and_filters_at_every_level(rec: Record) -> None:
    """'beats the noisy input and both tuned filters at every level, by ... at 0.1 and by ... from 0.2 up';
    the tutorial's denoiser (stars) lies 'just below the red line'."""
    for level in rec["config"]["test_noise"]:
        classical = rec["classical"][f"noise_{level:g}"]
        model = avg(rec, "matched", f"noise_{level:g}", "psnr")
        others = [classical[name]["psnr"] for name in ("noisy_input", "gaussian", "median")]
        assert model > max(others), level
        assert model - max(others) > (3 if level >= 0.2 else 0.5), level
    for name, anchor in rec["anchors"].items():
        model = avg(rec, "matched", f"noise_{name.rsplit('_', 1)[1]}", "psnr")
        assert 0 < model - anchor["psnr"] < 1, name


def claim_weak_noise_training_breaks_down_and_strong_noise_training_holds(rec: Record) -> None:
    """'trained at 0.1 and tested at 0.5, it falls to ..., below the median filter's ...';
    'train on the strong side': trained at 0.4 its worst level beats trained at 0.1 or 0.2's worst."""
    mismatch = rec["summary"]["mismatch"]
    assert mismatch["train_0.1"]["noise_0.5"]["psnr"]["mean"] < rec["classical"]["noise_0.5"]["median"]["psnr"]

    def worst(train: str) -> float:
        return min(v["psnr"]["mean"] for v in mismatch[train].values())

    assert worst("train_0.4") > max(worst("train_0.1"), worst("train_0.2"))


# Chapter 9: the VAE and few labels ----------------------------------------------------------------


def claim_vae_reconstructs_worse_in_every_seed_by_tenths(rec: Record) -> None:
    """'The VAE reconstructs worse in each of the seeds', 'a few tenths of a decibel', more nats."""
    gaps = [run["psnr_gap_ae_minus_vae"] for run in rec["per_seed"]]
    assert all(0 < gap < 1 for gap in gaps), gaps
    assert avg(rec, "vae", "reconstruction_nats") > avg(rec, "autoencoder", "reconstruction_nats")


def claim_kl_is_a_small_part_of_the_elbo(rec: Record) -> None:
    """'... of reconstruction error ... and only ... of KL divergence'."""
    assert avg(rec, "test_kl") < 0.05 * avg(rec, "test_negative_elbo")


def claim_codes_beat_pixels_with_few_labels_most_for_the_probe(rec: Record) -> None:
    """'more accurate on the codes than on the raw pixels, for both classifiers and both label budgets';
    'the linear probe's advantage on codes is larger than kNN-5's at both budgets'."""
    for per_class in rec["config"]["labels_per_class"]:
        budget = f"labels_{per_class}_per_class"
        gain = {c: avg(rec, budget, "codes", c) - avg(rec, budget, "pixels", c) for c in ("logistic_regression", "knn")}
        assert gain["logistic_regression"] > gain["knn"] > 0, (per_class, gain)
    # the figure's alt text: the probe on codes is highest, 0.73 and 0.84
    assert [round(avg(rec, f"labels_{n}_per_class", "codes", "logistic_regression"), 2) for n in (10, 100)] == [
        0.73,
        0.84,
    ]


# Appendix: the fast recipe ------------------------------------------------------------------------


def claim_candidates_reach_the_target_and_the_recipe_does_not(rec: Record) -> None:
    """'reached the target at epoch 6 in both repeats', '8 epochs'; 'The recipe itself did not reach the target
    in either repeat', 'both speed-ups are lower bounds'; the fastest meets the goal."""
    assert all(r["reached_target"] is None for r in rec["recipe"]["repeats"])
    assert all(r["best_psnr"] < rec["target_psnr"] for r in rec["recipe"]["repeats"])
    epochs = {run["name"]: {r["reached_target"]["epoch"] for r in run["repeats"]} for run in rec["candidates"]}
    assert epochs == {"bn_bf16_short": {6}, "batchnorm_bf16": {8}}, epochs
    assert rec["fastest"] == "bn_bf16_short" and rec["speedup"] >= rec["goal_speedup"]


def claim_cheaper_epochs_explain_little_of_the_gain(rec: Record) -> None:
    """'bfloat16 makes an epoch only ... faster and batch normalisation makes it slower', so most of the gain
    comes from what each step achieves."""
    alone = {row["lever"]: row["speedup_vs_recipe"] for row in rec["lever_screen"]}
    assert alone["mixed_bfloat16, batch 128"] < rec["speedup"] / 2
    assert alone["batch norm, float32, batch 128"] < 1


def claim_the_target_lies_in_the_upper_half_of_the_seeds(rec: Record) -> None:
    """'the target sits in the upper half of that range' (chapter 5's seeds, read from results/baseline)."""
    entry = recorded_results.stat(record("baseline"), "test", "psnr")
    assert (entry["min"] + entry["max"]) / 2 < rec["target_psnr"] <= entry["max"], entry


# Numbers the recorded figures' alt texts state (the PNGs come with the records) ------------------


def claim_mismatch_figure_alt_numbers(rec: Record) -> None:
    """Chapter 8's mismatch grid: top-left 23.3 dB the highest, top-right 13.9 the lowest, bottom row 17.7-18.6."""
    grid = {(t, n): v["psnr"]["mean"] for t, row in rec["summary"]["mismatch"].items() for n, v in row.items()}
    assert round(grid["train_0.1", "noise_0.1"], 1) == 23.3 == round(max(grid.values()), 1)
    assert round(grid["train_0.1", "noise_0.5"], 1) == 13.9 == round(min(grid.values()), 1)
    bottom = [v for (t, _), v in grid.items() if t == "train_0.5"]
    assert (round(min(bottom), 1), round(max(bottom), 1)) == (17.7, 18.6), bottom


def claim_screen_figure_alt_numbers(rec: Record) -> None:
    """Chapter 7's screen: 'all between 0.56 and 0.62', 'no bar's mean passes' the goal."""
    accs = [v["acc"]["mean"] for v in rec["summary"]["converged_d8"].values()]
    assert min(accs) >= 0.56 and max(accs) < 0.62 == rec["config"]["goal_acc"], accs


def claim_loss_figure_alt_numbers(rec: Record) -> None:
    """Chapter 5's loss curves: 'from about 0.29 after the first epoch to about 0.26 after the second, then
    flatten towards 0.246'."""
    for seed in rec["per_seed"]:
        loss = seed["loss_per_epoch"]
        assert (round(loss[0], 2), round(loss[1], 2), round(loss[-1], 3)) in {(0.29, 0.26, 0.246), (0.30, 0.26, 0.246)}


def _all_images_runs(rec: Record, codes: str) -> list[Record]:
    return [run for seed in rec["per_seed"] for run in seed["runs"].values() if run["codes"] == codes]


def claim_all_images_close_the_gap_to_dec_and_n2d_stays_below(rec: Record) -> None:
    """'fitted and scored on all the images, the course's codes reach ... instead of ..., level with DEC's published
    0.62 within the spread over seeds, while N2D's own recipe after 100 epochs reaches ..., level with the
    course's codes and well below its published 0.672. Training the course design on all the images does not help'."""
    course = recorded_results.stat(rec, "course_converged", "umap_gmm", "acc")
    held_out = rec["config"]["held_out"]["summary"]["umap_gmm"]["acc"]["mean"]
    anchors = {name: anchor["acc"] for name, anchor in rec["config"]["anchors"].items()}
    assert course["mean"] > held_out, (course, held_out)
    assert abs(course["mean"] - anchors["dec"]) <= course["std"], course
    n2d = recorded_results.stat(rec, "n2d", "umap_gmm", "acc")
    assert abs(n2d["mean"] - course["mean"]) <= max(n2d["std"], course["std"]), (n2d, course)
    assert anchors["n2d"] - n2d["mean"] > 0.05, n2d
    assert avg(rec, "course_all", "umap_gmm", "acc") < course["mean"]


def claim_n2d_loss_still_falls_slowly(rec: Record) -> None:
    """'Its loss fell steeply in the first ten epochs and was still falling slowly at epoch 100'."""
    for run in _all_images_runs(rec, "n2d"):
        loss = run["training"]["loss"]
        half = len(loss) // 2
        assert loss[-1] < loss[half - 1], run["seed"]
        assert loss[0] - loss[9] > 5 * (loss[half - 1] - loss[-1]), run["seed"]


def claim_retrained_converged_models_equal_their_records(rec: Record) -> None:
    """'The course's converged models ... were retrained with their recorded recipe' and gave the same model."""
    runs = _all_images_runs(rec, "course_converged")
    assert runs
    for run in runs:
        training = run["training"]
        assert training["source"].startswith("retrained"), training["source"]
        assert training["test"] == training["recorded_run_test"], run["seed"]


def claim_all_images_loss_figure_alt_numbers(rec: Record) -> None:
    """Chapter 7's loss figure: N2D 'from about 0.04 after the first epoch to about 0.013 after the tenth, then
    creeps down to about 0.010 at epoch 100'; the course design 'from 0.33 to 0.34 ... to 0.29 after the second, then
    slowly to about 0.275 at epoch 25'."""
    for run in _all_images_runs(rec, "n2d"):
        loss = run["training"]["loss"]
        assert (len(loss), round(loss[0], 2), round(loss[9], 3), round(loss[-1], 3)) == (100, 0.04, 0.013, 0.010)
    for run in _all_images_runs(rec, "course_all"):
        loss = run["training"]["loss"]
        assert round(loss[0], 2) in {0.33, 0.34}, run["seed"]
        assert (len(loss), round(loss[1], 2), round(loss[-1], 3)) == (25, 0.29, 0.275), run["seed"]


CLAIMS: list[tuple[str, Callable[[Record], None], Callable[[Record], None]]] = [
    # (record, claim, a change to the record that must break the claim)
    ("baseline", claim_seed_spread_is_a_few_tenths, lambda r: r["summary"]["test"]["psnr"].update(max=30.5)),
    (
        "baseline",
        claim_loss_falls_steeply_then_creeps,
        lambda r: r["per_seed"][1]["loss_per_epoch"].__setitem__(-1, 0.2400),
    ),
    ("bottleneck", claim_three_epoch_gains_shrink, lambda r: r["summary"]["sizes"]["d512"]["psnr"].update(mean=24.0)),
    (
        "bottleneck",
        claim_dense_models_grow_with_their_code,
        lambda r: r["summary"]["sizes"]["d512"]["parameters"].update(mean=190_000.0),
    ),
    (
        "bottleneck_converged",
        claim_equal_parameters_gain_stops_past_32,
        lambda r: r["summary"]["matched"]["d128"]["test"]["psnr"].update(mean=24.5),
    ),
    (
        "bottleneck_converged",
        claim_baseline_widths_keep_rising,
        lambda r: r["summary"]["width"]["d512"]["test"]["psnr"].update(mean=25.0),
    ),
    (
        "bottleneck_converged",
        claim_conv_stopped_early_below_the_baseline,
        lambda r: r["config"].update(baseline_psnr=27.0),
    ),
    (
        "bottleneck_converged",
        claim_runs_behind_each_number,
        lambda r: r["summary"]["width"]["d128"]["test"]["psnr"].update(n=3),
    ),
    (
        "bottleneck_converged",
        claim_dense_runs_best_epoch_near_the_cap,
        lambda r: [e["epochs_to_converge"].update(mean=12.0) for e in r["summary"]["width"].values()],
    ),
    (
        "latent_space",
        claim_codes_beat_pixels_and_2d_codes_fall_below,
        lambda r: r["summary"]["codes"]["knn5"].update(mean=0.80),
    ),
    (
        "latent_space",
        claim_without_labels_codes_barely_help,
        lambda r: r["summary"]["codes"]["kmeans"]["acc"].update(mean=0.60),
    ),
    (
        "clustering",
        claim_umap_gmm_beats_kmeans_and_the_best_stays_below_dec,
        lambda r: r["summary"]["converged_d8"]["umap_gmm"]["acc"].update(mean=0.64),
    ),
    (
        "clustering_screen",
        claim_no_screen_variant_wins_and_dec_refinement_lowers,
        lambda r: r["summary"]["converged_d8"]["umap_gmm_neighbors_10"]["acc"].update(mean=0.65),
    ),
    (
        "denoising",
        claim_denoiser_beats_input_and_filters_at_every_level,
        lambda r: r["summary"]["matched"]["noise_0.1"]["psnr"].update(mean=22.0),
    ),
    (
        "denoising",
        claim_weak_noise_training_breaks_down_and_strong_noise_training_holds,
        lambda r: r["summary"]["mismatch"]["train_0.1"]["noise_0.5"]["psnr"].update(mean=15.0),
    ),
    (
        "vae_vs_ae",
        claim_vae_reconstructs_worse_in_every_seed_by_tenths,
        lambda r: r["per_seed"][2].update(psnr_gap_ae_minus_vae=-0.05),
    ),
    ("vae", claim_kl_is_a_small_part_of_the_elbo, lambda r: r["summary"]["test_kl"].update(mean=40.0)),
    (
        "few_label",
        claim_codes_beat_pixels_with_few_labels_most_for_the_probe,
        lambda r: r["summary"]["labels_100_per_class"]["pixels"]["knn"].update(mean=0.78),
    ),
    (
        "benchmarks/fast_recipe.json",
        claim_candidates_reach_the_target_and_the_recipe_does_not,
        lambda r: r["recipe"]["repeats"][0].update(best_psnr=29.1, reached_target={"epoch": 25}),
    ),
    (
        "benchmarks/fast_recipe.json",
        claim_cheaper_epochs_explain_little_of_the_gain,
        lambda r: r["lever_screen"][4].update(speedup_vs_recipe=1.2),
    ),
    (
        "benchmarks/fast_recipe.json",
        claim_the_target_lies_in_the_upper_half_of_the_seeds,
        lambda r: r.update(target_psnr=28.7),
    ),
    (
        "denoising",
        claim_mismatch_figure_alt_numbers,
        lambda r: r["summary"]["mismatch"]["train_0.5"]["noise_0.3"]["psnr"].update(mean=19.0),
    ),
    (
        "clustering_screen",
        claim_screen_figure_alt_numbers,
        lambda r: r["summary"]["converged_d8"]["dec"]["acc"].update(mean=0.52),
    ),
    ("baseline", claim_loss_figure_alt_numbers, lambda r: r["per_seed"][0]["loss_per_epoch"].__setitem__(1, 0.28)),
    (
        "clustering_all_images",
        claim_all_images_close_the_gap_to_dec_and_n2d_stays_below,
        lambda r: r["summary"]["course_converged"]["umap_gmm"]["acc"].update(mean=0.66),
    ),
    (
        "clustering_all_images",
        claim_n2d_loss_still_falls_slowly,
        lambda r: _all_images_runs(r, "n2d")[0]["training"]["loss"].__setitem__(-1, 0.02),
    ),
    (
        "clustering_all_images",
        claim_retrained_converged_models_equal_their_records,
        lambda r: _all_images_runs(r, "course_converged")[0]["training"]["test"].update(bce=0.3),
    ),
    (
        "clustering_all_images",
        claim_all_images_loss_figure_alt_numbers,
        lambda r: _all_images_runs(r, "course_all")[0]["training"]["loss"].__setitem__(-1, 0.27),
    ),
]
IDS = [claim.__name__.removeprefix("claim_") for _, claim, _ in CLAIMS]


@pytest.mark.parametrize(("name", "claim", "change"), CLAIMS, ids=IDS)
def test_the_record_supports_the_claim(name, claim, change):
    claim(record(name))


@pytest.mark.parametrize(("name", "claim", "change"), CLAIMS, ids=IDS)
def test_the_claim_fails_on_a_doctored_record(name, claim, change):
    with pytest.raises(AssertionError):
        claim(doctored(record(name), change))


def plain(text: str) -> str:
    return text.replace(recorded_results.NBSP, " ")


def test_every_fact_is_a_string_with_its_experiments_prefix():
    facts = recorded_facts.collect()
    assert plain(facts["baseline_psnr"]) == "28.86 ± 0.21 dB"
    assert facts["bottleneck_converged_matched_d32"] == "22.68 dB"
    assert all(isinstance(value, str) for value in facts.values())
    assert "± 0.00 " not in plain(" ".join(facts.values())) + " "


def test_single_runs_and_identical_seeds_never_show_plus_minus_zero():
    def shown(entry: dict, digits: int = 2) -> str:
        return plain(recorded_results.mean_std(entry, digits))

    assert shown({"mean": 25.244, "std": 0.0, "n": 1}) == "25.24 (n = 1)"
    assert shown({"mean": 0.8, "std": 1e-16, "n": 3}, 3) == "0.800 (all seeds)"
    assert shown({"mean": 0.479, "std": 0.00048, "n": 3}, 3) == "0.479 ± 0.0005"
    assert shown({"mean": 0.2463, "std": 2.9e-05, "n": 3}, 4) == "0.2463 ± 0.00003"
    assert shown({"mean": 28.855, "std": 0.2118, "n": 3}) == "28.86 ± 0.21"
    assert " " not in recorded_results.mean_std({"mean": 28.855, "std": 0.2118, "n": 3})  # a cell never wraps


def test_a_missing_record_or_key_stops_the_build_with_its_name(tmp_path):
    with pytest.raises(RuntimeError, match=r"book/facts/\w+.py: .*results.json is missing"):
        recorded_facts.collect(tmp_path)
    with pytest.raises(KeyError, match="summary / test / psnr is missing"):
        recorded_results.stat({"experiment": "x", "summary": {"test": {}}}, "test", "psnr")


def test_every_substitution_a_page_uses_is_a_recorded_fact():
    """A page quoting ``{{ name }}`` that no facts module defines would fail the strict build; say which here."""
    import re

    facts = recorded_facts.collect()
    used = {
        (page.name, name)
        for page in (REPO_ROOT / "book").glob("*.md")
        for name in re.findall(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}", page.read_text(encoding="utf-8"))
    }
    assert used, "no page quotes a recorded fact"
    assert not [(page, name) for page, name in used if name not in facts]
