"""Show the recorded full-budget results of ``python -m cae_ref experiments`` inside a chapter.

The experiments write ``results/<experiment>/results.json`` (schema in ``results/README.md``):
a ``summary`` of mean/std entries over seeds, the ``figures`` they drew, provenance (profile,
command, seeds, date) and, for some, a ready ``table_markdown``. Chapters 5 to 9 call
:func:`profile_note` at the top and :func:`show_recorded` in their "Full-budget results"
section, so a reader always knows which numbers come from which budget.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from IPython.display import Image, Markdown, display

from cae_ref.budget import Budget
from cae_ref.data import CLASS_NAMES
from cae_ref.tables import markdown_table, numbers_right

RESULTS_DIR = Path(__file__).resolve().parent.parent / "results"
COMMAND = "python -m cae_ref experiments --profile full"


def load(experiment: str) -> dict[str, Any] | None:
    """Return the parsed ``results.json`` of one experiment, or None when it is absent."""
    path = RESULTS_DIR / experiment / "results.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def status(payload: dict[str, Any]) -> str:
    """A few words on how a recorded result was produced: profile, budget, completeness."""
    words = [f"{payload.get('profile', '?')} profile"]
    if payload.get("reduced_budget"):
        words.append("reduced budget")
    if not payload.get("complete", True):
        words.append("incomplete")
    return ", ".join(words)


def profile_note(profile: str, budget: Budget, experiments: list[str]) -> Markdown:
    """An admonition saying which profile produced this page's live numbers, and what is recorded."""
    if profile == "quick":
        per_class = (budget.train_images + budget.val_images) // len(CLASS_NAMES)
        live = (
            "The numbers and figures computed on this page come from the **quick profile**: "
            f"{per_class} training images per class, {budget.epochs} epochs, batch "
            f"{budget.batch_size}. They show the right shapes of curves, not converged values."
        )
    else:
        live = "The numbers and figures computed on this page come from the **full profile** (the report's budget)."
    found = {name: load(name) for name in experiments}
    found = {name: payload for name, payload in found.items() if payload}
    if found:
        listed = "; ".join(f"`{name}` ({status(payload)})" for name, payload in found.items())
        recorded = (
            f"Recorded results of `{COMMAND}` are shown in the section *Full-budget results* at the end "
            f"of the page: {listed}."
        )
    else:
        recorded = (
            f"No recorded full-budget results for this chapter were present when the page was built; `{COMMAND}` "
            "writes them to `results/`."
        )
    return Markdown(f":::{{note}}\n{live} {recorded}\n:::")


def _leaves(summary: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and "mean" in value and "std" in value:
            rows.append((name, value))
        elif isinstance(value, dict):
            rows.extend(_leaves(value, f"{name} / "))
    return rows


def summary_table(summary: dict[str, Any], keep: tuple[str, ...] = ()) -> str:
    """A Markdown table of every mean ± std entry in ``summary`` (optionally only names containing ``keep``)."""
    rows = [
        (name, f"{stat['mean']:.4g} ± {stat['std']:.2g}")
        for name, stat in _leaves(summary)
        if not keep or any(word in name for word in keep)
    ]
    return markdown_table(("measure", "mean ± std over seeds"), rows)


def show_recorded(experiment: str, keep: tuple[str, ...] = (), command: str = COMMAND) -> dict[str, Any] | None:
    """Display one experiment's recorded table and figures, or say they are absent and which command records them."""
    payload = load(experiment)
    relative = f"results/{experiment}/results.json"
    if payload is None:
        display(Markdown(f"*`{relative}` was not present when this page was built; run `{command}` to record it.*"))
        return None
    seeds = ", ".join(str(seed) for seed in payload.get("seeds", []))
    state = "complete" if payload.get("complete", True) else "**incomplete** (still running when recorded)"
    reduced = (
        " with a **reduced budget** (overrides: `" + json.dumps(payload.get("overrides")) + "`)"
        if payload.get("reduced_budget")
        else ""
    )
    header = (
        f"Recorded in `{relative}`: profile **{payload.get('profile')}**{reduced}, {state}, seeds {seeds}, "
        f"created {payload.get('created_utc', '?')}, {payload.get('wall_seconds', 0) / 60:.0f} min of computation. "
        "Each entry is the mean ± sample standard deviation over the seeds."
    )
    table = payload.get("table_markdown") or summary_table(payload.get("summary", {}), keep)
    display(Markdown(header + "\n\n" + table))
    for name in payload.get("figures", []):
        path = RESULTS_DIR / experiment / name
        if path.suffix == ".png" and path.is_file():
            display(Image(filename=str(path), width=640))
    return payload


FAST_RECIPE = RESULTS_DIR / "benchmarks" / "fast_recipe.json"


def _repeats(run: dict[str, Any]) -> list[dict[str, Any]]:
    """The run's repeats (one per seed); a record from before repeats holds only the first run."""
    return run.get("repeats") or [{"reached_target": run.get("reached_target"), "best_psnr": run["best_psnr"]}]


def _seconds_to_target(run: dict[str, Any], payload: dict[str, Any]) -> float | None:
    """Median training seconds to the target over the repeats; None unless every repeat reached it."""
    if run is payload["recipe"]:
        return payload.get("recipe_seconds_to_target")
    if run.get("repeats"):
        return run.get("median_seconds_to_target")
    reached = run.get("reached_target")
    return reached["train_seconds"] if reached else None


def _fast_recipe_table(payload: dict[str, Any]) -> str:
    headers = (
        "recipe",
        "trainable parameters",
        "train images/s",
        "epoch at the target",
        "time to the target (median)",
        "speed-up",
        "best test PSNR",
    )
    rows = []
    for run in [payload["recipe"], *payload.get("candidates", [])]:
        seconds = _seconds_to_target(run, payload)
        repeats = _repeats(run)
        speedup = (
            "1 (reference)" if run is payload["recipe"] else (f"{run['speedup']:.2f}×" if run.get("speedup") else "—")
        )
        rows.append(
            (
                run["name"],
                f"{run['trainable_parameters']:,}",
                f"{run['train_images_per_s']:,.0f}",
                " / ".join(str(r["reached_target"]["epoch"]) if r["reached_target"] else "—" for r in repeats),
                f"{seconds / 60:.1f} min" if seconds else "not reached",
                speedup,
                " / ".join(f"{r['best_psnr']:.2f}" for r in repeats) + " dB",
            )
        )
    return markdown_table(headers, rows, align=numbers_right(len(headers)))


def _fast_recipe_verdict(payload: dict[str, Any]) -> str:
    """One sentence per candidate: did every repeat reach the target, and how much faster (median) than the recipe?"""
    recipe_seconds = payload.get("recipe_seconds_to_target")
    if not recipe_seconds:
        return "The recipe did not reach its own target, so no speed-up can be computed."
    goal = payload.get("goal_speedup", 2.0)
    count = len(_repeats(payload["recipe"]))
    of_repeats = f" (median of {count} repeats)" if count > 1 else ""
    missed = sum(not r["reached_target"] for r in _repeats(payload["recipe"]))
    if missed == count:
        sentences = [
            f"The recipe did not reach {payload['target_psnr']:.2f} dB in any repeat; its whole training time, "
            f"{recipe_seconds / 60:.1f} min{of_repeats}, stands for its time to the target, less than it would "
            "need, so every speed-up below is a lower bound."
        ]
    else:
        whole = f"; {missed} of its repeats missed it and counts its whole training time" if missed else ""
        sentences = [
            f"The recipe needed {recipe_seconds / 60:.1f} min of training{of_repeats}{whole} "
            f"to reach {payload['target_psnr']:.2f} dB."
        ]
    for run in payload.get("candidates", []):
        repeats = _repeats(run)
        reached = sum(bool(r["reached_target"]) for r in repeats)
        if run.get("speedup"):
            verdict = "meets" if run["speedup"] >= goal else "misses"
            every = f" in each of its {len(repeats)} repeats" if len(repeats) > 1 else ""
            sentences.append(
                f"`{run['name']}` reached it{every} in {_seconds_to_target(run, payload) / 60:.1f} min{of_repeats}, "
                f"{run['speedup']:.2f}× faster, which {verdict} the goal of {goal:g}×."
            )
        elif reached:
            best = " / ".join(f"{r['best_psnr']:.2f}" for r in repeats)
            sentences.append(
                f"`{run['name']}` reached it in only {reached} of {len(repeats)} repeats, so no speed-up is counted "
                f"(best PSNR per repeat: {best} dB)."
            )
        else:
            why = (
                run["stopped_because"]
                if run["stopped_because"].startswith("its training time")
                else f"not within its {len(run['curve'])} epochs"
            )
            sentences.append(f"`{run['name']}` did not reach it: {why}; its best was {run['best_psnr']:.2f} dB.")
    return " ".join(sentences)


def _validation_cost(payload: dict[str, Any]) -> str:
    """What one PSNR check costs against one training epoch of the recipe (checks are not timed in the benchmark)."""
    recipe = payload["recipe"]
    checks = len(recipe["curve"])
    if not recipe.get("eval_seconds") or not checks:
        return ""
    per_check = recipe["eval_seconds"] / checks
    per_epoch = payload["train_images"] / recipe["train_images_per_s"]  # the median epoch after the first
    return (
        f"The benchmark does not time the PSNR checks. One check on the {payload['eval_images']:,} test images took "
        f"{per_check:.1f} s, against {per_epoch:.0f} s for one training epoch of the recipe: a run that validates "
        f"after every epoch spends {per_check / (per_epoch + per_check):.0%} of its time on it, and validating every "
        f"second epoch saves half of that."
    )


def _target_source(source: str) -> str:
    """Where the target PSNR came from, as the page says it."""
    return "the value given with `--target-psnr`" if source == "--target-psnr" else f"the {source}"


def show_fast_recipe(path: Path = FAST_RECIPE):
    """Display the fast-recipe benchmark: a table of times to the target PSNR and the PSNR-time curves."""
    import matplotlib.pyplot as plt

    if not path.is_file():
        display(Markdown("*`results/benchmarks/fast_recipe.json` was not present when this page was built.*"))
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    header = (
        f"Recorded by `{payload['command']}` on {payload['created_utc']}"
        + (" (**reduced** run)" if payload.get("reduced") else "")
        + f": {payload['train_images']:,} training images; the target is {payload['target_psnr']:.2f} dB, "
        f"{_target_source(payload['target_source'])}, measured on {payload['eval_images']:,} test images."
        + (f" *How this record was kept:* {payload['assembled']}" if payload.get("assembled") else "")
    )
    verdict = " ".join(part for part in (_fast_recipe_verdict(payload), _validation_cost(payload)) if part)
    display(Markdown(header + "\n\n" + _fast_recipe_table(payload) + "\n\n" + verdict))
    if payload.get("lever_screen"):
        table = markdown_table(
            ("lever on its own", "train images/s", "against the recipe"),
            [
                (row["lever"], f"{row['train_images_per_s']:,.0f}", f"{row['speedup_vs_recipe']:.2f}×")
                for row in payload["lever_screen"]
            ],
            align=numbers_right(3),
        )
        size = payload.get("lever_screen_images")
        note = (
            "Throughput of each lever alone: the median of short timed epochs"
            + (f" of {size:,} images" if size else "")
            + ". Keras' fixed cost per epoch weighs more in such short epochs, so the full-epoch rates in the "
            "first table are the better guide to absolute speed; the screen compares the levers with each other."
        )
        display(Markdown(note + "\n\n" + table))
    fig, axis = plt.subplots(figsize=(6.5, 3.6))
    for run in [payload["recipe"], *payload.get("candidates", [])]:
        minutes = [point["train_seconds"] / 60 for point in run["curve"]]
        axis.plot(minutes, [point["test_psnr"] for point in run["curve"]], marker="o", markersize=3, label=run["name"])
    axis.axhline(payload["target_psnr"], color="grey", linestyle="--", linewidth=1, label="target")
    axis.set_xlabel("training time (min)")
    axis.set_ylabel("test PSNR (dB)")
    axis.set_title("Test PSNR against training time (first repeat of each)")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8)
    fig.tight_layout()
    return fig


def vae_vs_ae_verdict(payload: dict[str, Any]) -> dict[str, Any]:
    """Chapter 9's answer from ``results/vae_vs_ae``: the PSNR gap (autoencoder minus VAE) seed by seed, in words.

    The sentence follows the measurement: worse in every seed, better in every seed, or no
    consistent difference, so the page cannot claim more than the record shows.
    """
    gaps = [run["psnr_gap_ae_minus_vae"] for run in payload["per_seed"]]
    summary = payload["summary"]
    if all(gap > 0 for gap in gaps):
        verdict = f"reconstructs worse than its plain twin in each of the {len(gaps)} seeds"
    elif all(gap < 0 for gap in gaps):
        verdict = f"reconstructs better than its plain twin in each of the {len(gaps)} seeds"
    else:
        verdict = f"shows no consistent difference from its plain twin over {len(gaps)} seeds"
    return {
        "verdict": verdict,
        "gap_mean": sum(gaps) / len(gaps),
        "gap_min": min(gaps),
        "gap_max": max(gaps),
        "vae_psnr": summary["vae"]["psnr"]["mean"],
        "ae_psnr": summary["autoencoder"]["psnr"]["mean"],
        "vae_nats": summary["vae"]["reconstruction_nats"]["mean"],
        "ae_nats": summary["autoencoder"]["reconstruction_nats"]["mean"],
        "epochs": payload["config"]["epochs"],
        "seeds": len(gaps),
    }


def clustering_answer(payload: dict[str, Any]) -> str:
    """Chapter 7's answer from ``results/clustering``, in words: the best clustering of codes against the anchors.

    The best (features, method) on codes is picked by mean test ACC; the sentence says which
    published figures its mean reaches, whether every seed does, and how the same method does on
    pixels, so the page cannot claim more than the record shows.
    """
    summary, anchors = payload["summary"], payload["anchors"]
    from cae_ref.clustering import best_on_codes  # scikit-learn loads only on the page that needs it

    feature, method = best_on_codes(summary)
    best = summary[feature][method]
    seeds = [run[feature][method]["acc"] for run in payload["per_seed"]]
    names = {"kmeans": "k-means", "umap_gmm": "UMAP + Gaussian mixture (N2D)"}
    reached = [name for name, anchor in anchors.items() if best["acc"]["mean"] >= anchor["acc"]]
    missed = [name for name, anchor in anchors.items() if best["acc"]["mean"] < anchor["acc"]]
    published = {"kmeans_pixels": "k-means on pixels", "autoencoder_kmeans": "autoencoder + k-means"}
    published |= {"dec": "DEC", "n2d": "N2D"}

    def listed(keys: list[str]) -> str:
        return ", ".join(f"{published.get(k, k)} ({anchors[k]['acc']:.3f})" for k in keys) or "none"

    pixels = summary.get("pixels", {}).get(method)
    versus = f" On raw pixels the same method reaches {pixels['acc']['mean']:.3f}." if pixels else ""
    reaching = sum(acc >= anchors["dec"]["acc"] for acc in seeds)
    every = "every seed" if reaching == len(seeds) else f"{reaching} of {len(seeds)} seeds" if reaching else "no seed"
    return (
        f"The best clustering of codes in the record is **{names.get(method, method)} on `{feature}`**: test ACC "
        f"{best['acc']['mean']:.3f} ± {best['acc']['std']:.3f} (seeds {min(seeds):.3f} to {max(seeds):.3f}), "
        f"NMI {best['nmi']['mean']:.3f}, ARI {best['ari']['mean']:.3f}, over {len(seeds)} seeds. Its mean reaches "
        f"these published figures: {listed(reached)}; it stays below: {listed(missed)}; {every} reached DEC's "
        f"{anchors['dec']['acc']:.2f}.{versus}"
    )


def show_clustering() -> dict[str, Any] | None:
    """Chapter 7: the recorded clustering table and figure, then the answer in words once the record is complete."""
    payload = show_recorded("clustering", command=f"{COMMAND} --only clustering")
    if payload is not None and payload.get("complete") and payload.get("anchors"):
        display(Markdown(clustering_answer(payload)))
    return payload


def clustering_screen_answer(payload: dict[str, Any]) -> str:
    """Chapter 7's screen in words: the recorded method, the best variant, DEC, and whether any is adopted.

    The screen scores on held-out *training* images; a variant is adopted only when the record's
    ``adoptable`` list names it (it beats the recorded method by more than the spread over seeds).
    """
    config = payload["config"]
    labels = config.get("variant_labels", {})

    def named(variant: str) -> str:
        return f"*{labels[variant]}*" if variant in labels else f"`{variant}`"

    parts = []
    for feature, variants in payload["summary"].items():
        recorded = variants["umap_gmm"]["acc"]
        best = max(variants, key=lambda name: variants[name]["acc"]["mean"])
        chosen = payload.get("adoptable", {}).get(feature, [])
        verdict = (
            f"{', '.join(named(name) for name in chosen)} beat it by more than the spread over seeds, so the "
            "test-set record should be rerun with it"
            if chosen
            else "no variant beats it by more than the spread over seeds, so the test-set record keeps N2D's defaults"
        )
        dec = variants.get("dec", {}).get("acc")
        dec_text = f" A DEC refinement of the encoder reaches {dec['mean']:.3f} ± {dec['std']:.3f}." if dec else ""
        parts.append(
            f"On `{feature}` codes, scored on {config['validation_size']:,} held-out training images, the recorded "
            f"method (UMAP + Gaussian mixture, N2D's defaults) reaches ACC {recorded['mean']:.3f} ± "
            f"{recorded['std']:.3f}; the best variant is {named(best)} at {variants[best]['acc']['mean']:.3f} ± "
            f"{variants[best]['acc']['std']:.3f}; {verdict}.{dec_text}"
        )
    top = max(v["acc"]["mean"] for variants in payload["summary"].values() for v in variants.values())
    goal = config.get("goal_acc", 0.62)
    reach = "reaches" if top >= goal else "stays below"
    return " ".join(parts) + f" The best mean in the screen {reach} the goal of {goal:.2f}."


def show_clustering_screen() -> dict[str, Any] | None:
    """Chapter 7: the clustering screen's table and figure, then its answer once the record is complete."""
    payload = show_recorded("clustering_screen", command=f"{COMMAND} --only clustering_screen")
    if payload is not None and payload.get("complete"):
        display(Markdown(clustering_screen_answer(payload)))
    return payload


def _span(sizes: dict[str, Any]) -> tuple[str, str, float]:
    """The smallest and largest code of one family (by code size) and its PSNR span between them."""
    ordered = sorted(sizes, key=lambda label: sizes[label]["code_size"]["mean"])
    low, high = ordered[0], ordered[-1]
    return low, high, sizes[high]["test"]["psnr"]["mean"] - sizes[low]["test"]["psnr"]["mean"]


def _run_outcomes(payload: dict[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """family -> size label -> that size's run records (``epochs_run``, ``hit_cap``, ...) from ``per_seed``."""
    outcomes: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for seed_record in payload.get("per_seed", []):
        for name, run in seed_record.get("runs", {}).items():
            family, label, _ = name.rsplit("_", 2)
            outcomes.setdefault(family, {}).setdefault(label, []).append(run)
    return outcomes


def _describe_family(
    sizes: dict[str, Any], cap: int | None = None, runs: dict[str, list[dict[str, Any]]] | None = None
) -> str:
    """How one family's PSNR moves with code size, when its best epochs came, and which sizes the cap cut short.

    ``runs`` (size label -> run records) tells which runs ended at the cap still improving (``hit_cap``)
    and which the early-stopping rule ended before it; without it, a best epoch at the cap counts as capped.
    """
    ordered = sorted(sizes, key=lambda label: sizes[label]["code_size"]["mean"])
    psnr = [sizes[label]["test"]["psnr"]["mean"] for label in ordered]
    epochs = [sizes[label]["epochs_to_converge"]["mean"] for label in ordered]
    falls = [f"`{ordered[i + 1]}`" for i in range(len(psnr) - 1) if psnr[i + 1] < psnr[i]]
    shape = (
        "rises with every larger code" if not falls else f"drops at {', '.join(falls)} against the next smaller code"
    )
    if runs:
        capped = [f"`{label}`" for label in ordered if runs.get(label) and all(r["hit_cap"] for r in runs[label])]
        stopped = []
        for label in ordered:
            early = [str(r["epochs_run"]) for r in runs.get(label, []) if cap is not None and r["epochs_run"] < cap]
            if early:
                share = f" ({len(early)} of {len(runs[label])} seeds)" if len(early) < len(runs[label]) else ""
                stopped.append(f"`{label}` after {', '.join(early)} epochs{share}")
    else:
        capped = [
            f"`{label}`" for label in ordered if cap is not None and sizes[label]["epochs_to_converge"]["min"] >= cap
        ]
        stopped = []
    still = f"; {', '.join(capped)} still improving at the {cap}-epoch cap in every seed" if capped else ""
    rule = f"; the rule stopped {', '.join(stopped)}" if stopped else ""
    return (
        f"from {psnr[0]:.2f} dB (`{ordered[0]}`) to {psnr[-1]:.2f} dB (`{ordered[-1]}`); the curve {shape}; "
        f"the best epoch came after {min(epochs):.1f} to {max(epochs):.1f} epochs (mean over seeds per size)"
        f"{still}{rule}"
    )


def bottleneck_converged_answer(payload: dict[str, Any], baseline_psnr: float | None = None) -> str:
    """Chapter 6's answer from ``results/bottleneck_converged``, in words: the converged curve, both families.

    Says how far the record goes (an incomplete sweep is named so, with its finished runs), how
    test PSNR moves with code size at the baseline widths and at matched parameters, and how much
    convergence adds over the 3-epoch sweep; every number comes from the record. ``baseline_psnr``
    (the baseline experiment's fixed 25 epochs) is set beside a ``conv`` code the rule stopped early.
    """
    summary, config = payload["summary"], payload["config"]
    outcomes = _run_outcomes(payload)
    parts = []
    if not payload.get("complete", True):
        done, planned = len(config.get("runs_done", [])), len(config.get("run_order", []))
        parts.append(
            f"**Incomplete record**: {done} of {planned} runs finished; the table's *seeds* column says how many "
            "seeds each row holds, and the sentences below read only the finished runs."
        )
    width, matched = summary.get("width", {}), summary.get("matched", {})
    cap = config.get("max_epochs")
    if width:
        parts.append(
            "At the baseline widths (32/64/128), test PSNR at the best epoch (the validation plateau, or the cap) "
            f"goes {_describe_family(width, cap, outcomes.get('width'))}."
        )
        conv_runs = outcomes.get("width", {}).get("conv", [])
        if baseline_psnr is not None and "conv" in width and cap and any(r["epochs_run"] < cap for r in conv_runs):
            conv = width["conv"]["test"]["psnr"]["mean"]
            still_fell = all(
                r.get("loss") and r["loss"][-1] < r["loss"][r["epochs_to_converge"] - 1] for r in conv_runs
            )
            parts.append(
                f"`conv`'s {conv:.2f} dB is {baseline_psnr - conv:.2f} dB below the {baseline_psnr:.2f} dB that the "
                f"baseline experiment's fixed {cap} epochs reach (on all 60,000 training images): its validation loss "
                f"did not beat its best for {config.get('patience', 'a few')} epochs"
                + (" while its training loss still fell" if still_fell else "")
                + ", so here 'converged' "
                "means 'stopped by the rule', and the sizes that ran to the cap had more training."
            )
        three = config.get("three_epoch_psnr", {})
        gains = {label: width[label]["test"]["psnr"]["mean"] - three[label] for label in width if label in three}
        if gains:
            most = max(gains, key=gains.__getitem__)
            parts.append(
                f"Against the 3-epoch sweep, training to the plateau adds {min(gains.values()):.2f} to "
                f"{max(gains.values()):.2f} dB, the most at `{most}`."
            )
    if len(matched) > 1:
        parts.append(
            "With every model held at the baseline's parameter count, it goes "
            f"{_describe_family(matched, cap, outcomes.get('matched'))}."
        )
        narrow = [
            (label, filters[2])
            for label, filters in config.get("matched_filters", {}).items()
            if label in matched and label.startswith("d") and 49 * filters[2] < int(label[1:])
        ]
        for label, channels in narrow:
            feature_map = 49 * channels
            parts.append(
                f"At matched parameters `{label}` reaches its code through a 7 x 7 x {channels} = {feature_map}-number "
                f"feature map, so its {label[1:]} numbers carry at most {feature_map} independent ones: the "
                "parameter budget cannot give so wide a dense code a wider path."
            )
        # the conv code is the same model in both families: only the dense sizes compare model size
        dense = sorted(
            (label for label in matched if label in width and label != "conv"),
            key=lambda label: matched[label]["code_size"]["mean"],
        )
        if dense:
            gaps = {
                label: width[label]["test"]["psnr"]["mean"] - matched[label]["test"]["psnr"]["mean"] for label in dense
            }
            leads = ", ".join(f"{round(gap, 2) + 0.0:+.2f} dB at `{label}`" for label, gap in gaps.items())
            parts.append(
                "At equal code size the baseline widths (more parameters as the code grows) lead the matched models "
                f"by {leads}: that part of the 3-epoch and converged curves comes with a larger model, not with the "
                "code."
            )
        wide_enough = [label for label in dense if label not in dict(narrow)]
        if len(wide_enough) > 1:
            low, high, span_matched = _span({label: matched[label] for label in wide_enough})
            span_width = width[high]["test"]["psnr"]["mean"] - width[low]["test"]["psnr"]["mean"]
            parts.append(
                f"From `{low}` to `{high}` the code alone (matched parameters) adds {span_matched:.2f} dB; the "
                f"baseline widths, whose model grows with the code, add {span_width:.2f} dB."
            )
    return " ".join(parts)


def show_bottleneck_converged() -> dict[str, Any] | None:
    """Chapter 6: the converged sweep's table and figure, then its answer in words."""
    payload = show_recorded("bottleneck_converged", command=f"{COMMAND} --only bottleneck_converged")
    if payload is not None and payload.get("summary"):
        psnr = payload["config"].get("baseline_psnr")  # the sweep records the baseline experiment's PSNR
        display(Markdown(bottleneck_converged_answer(payload, baseline_psnr=psnr)))
    return payload
