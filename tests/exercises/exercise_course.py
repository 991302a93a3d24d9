"""Helpers for the exercise tests: run nbgrader on a temporary copy of the course.

Everything runs through nbgrader's own command line, from a temporary copy of the course
(``nbgrader_config.py`` + ``solutions/``), so the repository is never written to.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ("01_data", "02_architecture", "03_training", "04_latent_space", "05_denoising")
BIN = Path(sys.executable).parent


def course_env() -> dict[str, str]:
    """Environment for nbgrader and its kernels: the venv's bin on PATH (alembic), the repo's cae_ref."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return env


def nbgrader(course: Path, *args: str, check: bool = True, timeout: float = 1800) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course`` and return the finished process (output captured)."""
    command = [str(BIN / "nbgrader"), *args]
    result = subprocess.run(command, cwd=course, env=course_env(), capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def notebook_path(root: Path, assignment: str) -> Path:
    return root / assignment / f"{assignment}.ipynb"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)
