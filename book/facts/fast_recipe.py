"""Appendix: the fast-recipe benchmark, time to a target test PSNR (``results/benchmarks/fast_recipe.json``)."""

from __future__ import annotations

from typing import Any

from recorded_results import markdown_table, number, numbers_right

EXPERIMENT = "fast_recipe"
RECORD = "benchmarks/fast_recipe.json"


def _minutes(seconds: float) -> str:
    return f"{number(seconds / 60, 1)} min"


def facts(record: dict[str, Any]) -> dict[str, str]:
    """The target, the recipe's and each candidate's time to it, the speed-ups, the lever screen, the tables."""
    recipe = record["recipe"]
    out = {
        "fast_recipe_command": f"`{record['command']}`",
        "fast_recipe_date": record["created_utc"][:10],
        "fast_recipe_target": f"{number(record['target_psnr'], 2)} dB",
        "fast_recipe_goal": f"{record['goal_speedup']:g}×",
        "fast_recipe_repeats": str(record["repeats"]),
        "fast_recipe_recipe_time": _minutes(record["recipe_seconds_to_target"]),
        "fast_recipe_recipe_best": " and ".join(f"{r['best_psnr']:.2f}" for r in recipe["repeats"]) + " dB",
        "fast_recipe_fastest": str(record.get("fastest")),
        "fast_recipe_speedup": f"{record['speedup']:.2f}×" if record.get("speedup") else "—",
        "fast_recipe_eval_images": f"{record['eval_images']:,}",
    }
    reached = all(r["reached_target"] for r in recipe["repeats"])
    recipe_time = _minutes(record["recipe_seconds_to_target"]) if reached else "not reached"
    rows = [
        ("report's recipe", f"{recipe['trainable_parameters']:,}", recipe_time, "1\u00a0(reference)", _best(recipe))
    ]
    for run in record["candidates"]:
        time, speedup = "not reached", "—"
        if run.get("speedup"):
            time, speedup = _minutes(run["median_seconds_to_target"]), f"{run['speedup']:.2f}×"
            out[f"fast_recipe_{run['name']}_time"] = time
            out[f"fast_recipe_{run['name']}_speedup"] = speedup
        rows.append((run["name"], f"{run['trainable_parameters']:,}", time, speedup, _best(run)))
    headers = ("Recipe", "Parameters", "Time to the target", "Speed-up", "Best PSNR (dB)")
    out["fast_recipe_table"] = markdown_table(headers, rows, align=numbers_right(5))
    screen = [
        (row["lever"], f"{row['train_images_per_s']:,.0f}", f"{row['speedup_vs_recipe']:.2f}×")
        for row in record["lever_screen"]
    ]
    out["fast_recipe_screen_table"] = markdown_table(
        ("Lever on its own", "Images/s", "Against the recipe"), screen, align=numbers_right(3)
    )
    for row in record["lever_screen"]:
        if row["lever"] == "mixed_bfloat16, batch 128":
            out["fast_recipe_bf16_alone"] = f"{row['speedup_vs_recipe']:.2f}×"
        if row["lever"] == "batch norm, float32, batch 128":
            out["fast_recipe_batchnorm_alone"] = f"{row['speedup_vs_recipe']:.2f}×"
    return out


def _best(run: dict[str, Any]) -> str:
    return " / ".join(f"{r['best_psnr']:.2f}" for r in run["repeats"])
