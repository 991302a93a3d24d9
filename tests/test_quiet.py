"""Nothing cae_ref does on purpose reaches stderr: nbgrader scores a test cell 0 when it does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


SNIPPETS = {
    "package": "import cae_ref; cae_ref.build_autoencoder()",
    "direct submodule": "from cae_ref.models import build_encoder; build_encoder()",
    "experiments module": "from experiments import common, models, vae; models.autoencoder(latent_dim=2)",
    "training": (
        "import numpy as np, cae_ref\n"
        "cae_ref.set_global_seed(0)\n"
        "m = cae_ref.compile_autoencoder(cae_ref.build_autoencoder(cae_ref.build_encoder((4, 4, 4)),"
        " cae_ref.build_decoder((4, 4, 4))))\n"
        "x = np.random.default_rng(0).random((64, 28, 28, 1)).astype('float32')\n"
        "cae_ref.train_autoencoder(m, x, x[:16], epochs=1, batch_size=32, quiet=True)\n"
        "cae_ref.evaluate_reconstruction(m, x[:16])\n"
    ),
}


def _run(code: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_")}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.mark.slow  # a fresh interpreter that loads TensorFlow
def test_import_build_and_quiet_training_write_nothing_to_stderr():
    for name, code in SNIPPETS.items():
        result = _run(code)
        assert result.returncode == 0, (name, result.stderr)
        assert result.stderr == "", (name, result.stderr)
        if name == "training":
            assert result.stdout == ""


def test_importing_the_package_does_not_import_tensorflow():
    """`python -m cae_ref --help` must answer at once; TensorFlow loads on first use."""
    result = _run("import sys, cae_ref; print('tensorflow' in sys.modules)")
    assert result.stdout.strip() == "False"


@pytest.mark.slow  # a fresh interpreter that loads TensorFlow
def test_a_real_error_still_reaches_the_user():
    result = _run("import cae_ref; cae_ref.build_encoder(latent_dim=0)")
    assert result.returncode == 1
    assert "latent_dim must be a positive integer" in result.stderr


def test_help_answers_without_tensorflow_and_stderr():
    """`--help` of every command prints to stdout only, and the CLI module loads no TensorFlow."""
    for args in (["--help"], ["train", "--help"], ["denoise", "--help"], ["experiments", "--help"]):
        result = subprocess.run(
            [sys.executable, "-m", "cae_ref", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0 and result.stderr == "", (args, result.stderr)
        assert "usage:" in result.stdout
    result = _run("import sys, cae_ref.cli; print('tensorflow' in sys.modules)")
    assert result.stdout.strip() == "False", "cae_ref.cli must read its defaults without importing TensorFlow"
