"""The fast-recipe benchmark runs end to end and writes what the book's chapter 5 reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "book"))

from facts import fast_recipe  # noqa: E402  (the appendix's numbers and table from the record)

pytestmark = pytest.mark.slow  # each test runs the benchmark script in a subprocess


def run_benchmark(script: str, *args: str, timeout: int) -> subprocess.CompletedProcess:
    """Run ``benchmarks/<script>`` with ``args`` from the repository root, capturing its output."""
    command = [sys.executable, str(REPO_ROOT / "benchmarks" / script), *args]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)


def test_fast_recipe_benchmark_writes_the_schema_the_book_reads(tmp_path, fashion_dir):
    out = tmp_path / "fast_recipe.json"
    args = ["--train-size", "256", "--eval-size", "64", "--recipe-epochs", "2", "--candidates", "batchnorm"]
    args += ["--screen-size", "128", "--screen-repeats", "1", "--out", str(out)]
    result = run_benchmark("bench_fast_recipe.py", *args, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(out.read_text())
    assert payload["reduced"] is True
    recipe, (candidate,) = payload["recipe"], payload["candidates"]
    assert recipe["trainable_parameters"] == candidate["trainable_parameters"] == 185_217
    assert candidate["batch_norm"] is True and candidate["parameters"] == 185_217 + 640
    assert len(recipe["curve"]) == 2 and payload["target_psnr"] == recipe["final_psnr"]
    assert recipe["reached_target"] == {"epoch": 2, "train_seconds": recipe["curve"][-1]["train_seconds"]}
    # The candidate stops at the target or once it has used the recipe's training time.
    assert (candidate["reached_target"] is not None) == (candidate["curve"][-1]["test_psnr"] >= payload["target_psnr"])
    levers = payload["lever_screen"]
    assert len(levers) >= 5 and levers[0]["speedup_vs_recipe"] == 1.0
    assert any("fit call per epoch" in row["lever"] for row in levers) and all(
        len(r["epoch_seconds"]) == 1 for r in levers
    )
    # two repeats of the recipe and the candidate in one run, the speed-up is the median's ratio
    assert payload["repeats"] == 2 and payload["goal_speedup"] == 2.5
    assert [r["seed"] for r in recipe["repeats"]] == [0, 1] and len(candidate["repeats"]) == 2
    assert payload["recipe_seconds_to_target"] <= max(r["train_seconds"] for r in recipe["repeats"])
    table = fast_recipe.facts(payload)["fast_recipe_table"]
    assert table.count("\n") == 3 and "| batchnorm | 185,217 |" in table
    # the progress record of finished stages is gone once the full record is written
    assert not (tmp_path / "fast_recipe.partial.json").exists()


def test_progress_record_keeps_finished_stages_and_says_it_is_incomplete(tmp_path):
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    import bench_fast_recipe

    out = tmp_path / "fast_recipe.json"
    bench_fast_recipe.write_progress(out, "recipe", recipe={"name": "recipe"}, candidates=[])
    record = json.loads(bench_fast_recipe.progress_path(out).read_text())
    assert record["complete"] is False and record["stage"] == "recipe"
    assert record["recipe"] == {"name": "recipe"} and not out.exists()


def test_autograde_summary_reads_the_record_bench_autograde_writes():
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    import bench_fast_recipe

    record = json.loads((REPO_ROOT / "grading" / "benchmarks" / "bench_autograde.json").read_text())
    summary = bench_fast_recipe.autograde_summary(record)
    assert summary["all"]["seconds"] == record["all"]["seconds"] and len(summary["all"]["assignments"]) == 8
    assert set(summary["per_notebook_seconds"]) == set(record["per_notebook"])


def test_one_cycle_rises_to_its_peak_then_falls_to_its_floor():
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    import bench_fast_recipe

    schedule = bench_fast_recipe.OneCycle(peak=1e-2, total_steps=100, rise=0.3, floor=1e-5)
    rates = [float(schedule(step)) for step in (0, 15, 30, 65, 100)]
    assert rates[0] == pytest.approx(4e-4) and rates[2] == pytest.approx(1e-2, rel=1e-4)
    assert rates[0] < rates[1] < rates[2] > rates[3] > rates[4] and rates[4] == pytest.approx(1e-5, rel=1e-3)
    assert {"bn_bf16_b512", "bn_bf16_onecycle", "bn_bf16_short"} <= set(bench_fast_recipe.CANDIDATES)


def test_unknown_candidate_is_refused_with_the_known_names(tmp_path):
    result = run_benchmark("bench_fast_recipe.py", "--candidates", "turbo", timeout=120)
    assert result.returncode == 2
    assert "unknown candidate(s) ['turbo']" in result.stderr and "batchnorm" in result.stderr


def test_epoch_modes_summary_counts_slow_epochs_and_their_core_use():
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    import bench_epoch_modes

    wall = [30.0, 12.0, 21.0, 12.5, 21.3]  # the first epoch traces the model and is left out
    cpu = [40.0, 22.0, 21.0, 22.5, 22.0]
    summary = bench_epoch_modes.summarize(wall, cpu)
    assert summary["slow_epochs"] == [3, 5] and summary["fastest_epoch_seconds"] == 12.0
    assert summary["cores_busy_fast_epochs"] == pytest.approx(1.82, abs=0.01)
    assert summary["cores_busy_slow_epochs"] == pytest.approx(1.02, abs=0.01)
    assert bench_epoch_modes.summarize([30.0, 12.0, 12.4], [40.0, 22.0, 22.0])["cores_busy_slow_epochs"] is None


def test_epoch_modes_benchmark_runs_each_setting_in_its_own_process(tmp_path, fashion_dir):
    out = tmp_path / "epoch_modes.json"
    args = ["--train-size", "256", "--epochs", "2", "--settings", "default,threads_1_2", "--out", str(out)]
    result = run_benchmark("bench_epoch_modes.py", *args, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    record = json.loads(out.read_text())
    assert [row["setting"] for row in record["settings"]] == ["default", "threads_1_2"]
    for row in record["settings"]:
        assert row["candidate"] == "batchnorm_bf16" and len(row["epoch_seconds"]) == len(row["epoch_cpu_seconds"]) == 2
        assert row["cores_busy_fast_epochs"] > 0
    assert record["train_images"] == 256 and "bench_epoch_modes.py" in record["command"]


def test_epoch_modes_refuses_an_unknown_setting():
    result = run_benchmark("bench_epoch_modes.py", "--settings", "default,turbo", timeout=120)
    assert result.returncode == 2 and "unknown settings ['turbo']" in result.stderr


def test_instructors_quote_the_grading_cost_as_recorded():
    """INSTRUCTORS.md's table of the project's command is the record's (warm and --cold), not a drifting copy."""
    record = json.loads((REPO_ROOT / "grading" / "benchmarks" / "bench_autograde.json").read_text())
    command, guide = record["project_command"], (REPO_ROOT / "INSTRUCTORS.md").read_text()

    def n(value: float) -> str:
        return f"{value:.1f}"

    for key, label in (("reference", "reference, warm start"), ("untouched", "untouched release, warm start")):
        run = command[key]
        cells = [n(run["seconds"]), n(run["cpu_seconds"]), n(run["kernels"]), n(run["nbgrader"]), n(run["server"])]
        row = next(line for line in guide.splitlines() if line.startswith(f"| {label} |"))
        assert [c.strip("* s") for c in row.split("|")[2:7]] == cells, row
    for key, label in (("reference_cold", "reference, `--cold`"), ("untouched_cold", "untouched release, `--cold`")):
        row = next(line for line in guide.splitlines() if line.startswith(f"| {label} |"))
        assert f"| {n(command[key]['cpu_seconds'])} s |" in row, row


def test_instructors_quote_the_class_scale_run_as_recorded():
    """The class-scale paragraph's totals, speed-up and projection are those of the last recorded run."""
    run = json.loads((REPO_ROOT / "grading" / "benchmarks" / "class_scale.json").read_text())["runs"][-1]
    guide = (REPO_ROOT / "INSTRUCTORS.md").read_text()
    serial_cpu = sum(item["cpu_seconds"] for item in run["serial"]["per_assignment"].values())
    per_student = run["parallel"]["cpu_seconds"] / run["students"]
    busy = run["parallel"]["cpu_seconds"] / (run["parallel"]["seconds"] * run["cores"])
    minutes = 300 * round(per_student) / (32 * round(busy, 2)) / 60
    assert f"Speed-up **{run['speedup']:.2f}x**" in guide
    assert f"**{run['serial']['seconds']:.0f} s** (15 min) | {serial_cpu:.0f} CPU-s" in guide
    assert f"**{run['parallel']['seconds']:.0f} s** (5 min) | {run['parallel']['cpu_seconds']:.0f} CPU-s" in guide
    assert f"costs {per_student:.0f} CPU-seconds of parallel grading" in guide
    assert f"({run['graded_cells']} graded cells)" in guide and f"{busy * 100:.0f} % busy" in guide
    assert f"**about {minutes:.0f} minutes**" in guide
