"""The book's builds, shared by tests/book/test_book.py (English) and test_translation.py (Indonesian).

The English build executes every chapter into a fresh temporary folder; its execution cache
(``<folder>/_build/.jupyter_cache``) then serves the gettext and Indonesian builds of the same
folder, as ``scripts/build_book.py`` does. tests/conftest.py schedules both files on one
worker, so the chapters run once per test session.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Build:
    """One finished build: its exit code, log, wall and CPU seconds (the build and all it started)."""

    returncode: int
    log: str
    seconds: float
    cpu_seconds: float

    def problems(self) -> list[str]:
        lines = [line for line in self.log.splitlines() if re.search(r"(WARNING|ERROR|CRITICAL):", line)]
        return [line for line in lines if "absl" not in line]  # TensorFlow's C++ start-up line

    def failure(self, what: str) -> str:
        return (
            f"{what} failed with exit code {self.returncode}. Warnings and errors:\n"
            + "\n".join(self.problems()[:40])
            + f"\n--- last lines of the log ---\n{self.log[-4000:]}"
        )


def book_env() -> dict[str, str]:
    """The environment of a book build: this venv first on PATH, the checkout importable, quick profile."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("CAE_BOOK_PROFILE", "quick")
    env.pop("MPLBACKEND", None)  # a non-inline backend (e.g. Agg from CI) would drop every figure from the pages
    return env


def run_build(command: list[str], log_path: Path) -> Build:
    """Run one build command from the repository root, write its log to ``log_path`` and time it."""
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=ROOT, env=book_env(), capture_output=True, text=True, timeout=1800)
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log = result.stdout + result.stderr
    log_path.write_text(log, encoding="utf-8")
    print(f"\n{' '.join(command[:3])}: {seconds:.0f} s wall, {cpu_seconds:.0f} s CPU (log: {log_path})")
    return Build(result.returncode, log, seconds, cpu_seconds)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the whole book into a fresh folder with `-W -n --keep-going --all`; return its HTML folder."""
    jupyter_book = shutil.which("jupyter-book") or str(Path(sys.executable).with_name("jupyter-book"))
    assert Path(jupyter_book).exists(), "jupyter-book is not installed in this environment (see requirements.txt)"
    out = tmp_path_factory.mktemp("book")
    command = [jupyter_book, "build", str(ROOT), "--all", "-W", "-n", "--keep-going", "--path-output", str(out)]
    build = run_build(command, out / "build.log")
    assert build.returncode == 0, build.failure("jupyter-book build")
    html = out / "_build" / "html"
    assert html.is_dir(), f"no HTML folder at {html}"
    (html / ".build_cpu_seconds").write_text(f"{build.cpu_seconds:.1f}\n", encoding="utf-8")
    return html
