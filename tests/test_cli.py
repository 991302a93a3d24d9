"""Every subcommand end to end on a small subset, and one clear line for every bad input.

A subprocess that loads TensorFlow costs seconds: those runs are ``slow``. The fast loop keeps
the argument errors (answered before TensorFlow loads) and runs ``trace`` and a job error in-process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cae_ref import cli

REPO_ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "cae_ref", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory, fashion_dir) -> Path:
    out = tmp_path_factory.mktemp("train")
    result = run_cli("train", "--train-size", "600", "--test-size", "100", "--epochs", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "test: BCE" in result.stdout and "loss:" in result.stdout  # progress is visible
    return out


@pytest.mark.slow
def test_train_writes_model_metrics_and_figures(trained):
    metrics = json.loads((trained / "metrics.json").read_text())
    assert metrics["parameters"] == 185_217
    assert set(metrics["test"]) == {"bce", "mse", "psnr", "ssim"}
    assert metrics["config"]["epochs"] == 1 and metrics["config"]["train_size"] == 600
    assert (trained / "model.keras").stat().st_size > 100_000
    assert len(json.loads((trained / "history.json").read_text())["loss"]) == 1
    for name in ("reconstructions.png", "loss_curves.png"):
        assert (trained / "figures" / name).stat().st_size > 5000


@pytest.mark.slow
def test_evaluate_reproduces_the_training_metrics(trained, tmp_path):
    result = run_cli("evaluate", "--model", str(trained / "model.keras"), "--test-size", "100", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    evaluated = json.loads((tmp_path / "metrics.json").read_text())["test"]
    recorded = json.loads((trained / "metrics.json").read_text())["test"]
    assert evaluated == pytest.approx(recorded, rel=1e-5)
    assert (tmp_path / "figures" / "reconstructions.png").is_file()


@pytest.mark.slow
def test_denoise_reports_noisy_input_and_output(tmp_path):
    result = run_cli(
        "denoise", "--train-size", "600", "--test-size", "100", "--epochs", "1", "--noise-factor", "0.3",
        "--filters", "8,16,32", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["config"]["noise_factor"] == 0.3
    assert metrics["noisy_input"]["psnr"] < 15  # noise 0.3 leaves about 11-12 dB
    assert (tmp_path / "figures" / "denoising.png").is_file()


@pytest.mark.slow
def test_trace_prints_the_baseline_table():
    result = run_cli("trace")
    assert result.returncode == 0
    assert "(None, 7, 7, 128)" in result.stdout and result.stdout.rstrip().endswith("185,217")


def test_help_explains_every_option():
    result = run_cli("train", "--help")
    for option in ("--epochs", "--batch-size", "--loss", "--latent-dim", "--filters", "--out", "--train-size"):
        assert option in result.stdout
    assert "default 25" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("train", "--epochs", "zero"), "expected a positive integer, got 'zero'"),
        (("train", "--loss", "l1"), "invalid choice: 'l1'"),
        (("denoise", "--noise-factor", "2"), "expected a number in [0, 1], got 2.0"),
        pytest.param(("trace", "--filters", "8,8,8,8"), "does not divide evenly", marks=pytest.mark.slow),
        pytest.param(
            ("evaluate", "--model", "missing.keras"), "model file not found: missing.keras", marks=pytest.mark.slow
        ),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_gives_one_clear_line(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_trace_in_process(capsys):
    assert cli.main(["trace"]) == 0
    out = capsys.readouterr().out
    assert "(None, 7, 7, 128)" in out and out.rstrip().endswith("185,217")


def test_job_error_in_process_is_one_line(capsys):
    assert cli.main(["trace", "--filters", "8,8,8,8"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not divide evenly" in err


@pytest.mark.slow
def test_unusable_model_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.keras"
    bad.write_text("not a model")
    result = run_cli("evaluate", "--model", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "cannot load" in result.stderr


@pytest.mark.slow
def test_missing_data_is_one_line_listing_the_places(tmp_path):
    result = run_cli(
        "train",
        "--out",
        str(tmp_path / "out"),
        env_extra={"FASHION_MNIST_DIR": str(tmp_path / "nowhere"), "KERAS_HOME": str(tmp_path / "kh")},
    )
    if Path("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz").exists():
        pytest.fail("the Debian data package is installed here, so this test cannot see the failure path")
    assert result.returncode == 2
    assert "Fashion-MNIST not found" in result.stderr and str(tmp_path / "nowhere") in result.stderr
    assert "Traceback" not in result.stderr
