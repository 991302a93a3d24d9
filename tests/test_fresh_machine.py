"""A fresh machine: the README's prerequisites, the test run's first lines and CI say the same thing.

The behaviour itself (the header line, the sandbox test's message, the ``unshare -rn`` fallback) is
tested in ``tests/grading/test_grading_sandbox.py``; this file keeps the README and ``.ci/run`` in
step with it. Checked by hand on 2026-12-05 with a PATH without ``bwrap``: the header said
``MISSING bubblewrap …``, ``test_bubblewrap_sandbox`` failed naming ``apt-get install -y bubblewrap``,
and the other three sandbox tests passed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
INSTALL = "apt-get install -y bubblewrap"
SANDBOX_TEST = "tests/grading/test_grading_sandbox.py::test_bubblewrap_sandbox"


def quick_start() -> str:
    readme = (REPO / "README.md").read_text()
    start = readme.index("## Quick start")
    return " ".join(readme[start : readme.index("\n## ", start + 1)].split())


def header_without_bubblewrap(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    spec = importlib.util.spec_from_file_location("top_conftest", REPO / "tests" / "conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    monkeypatch.setattr(conftest.sys, "platform", "linux")
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    return conftest.pytest_report_header(None)


def test_readme_names_the_prerequisites_and_what_happens_without_bubblewrap():
    text = quick_start()
    for needed in ("Python 3.11", INSTALL, "MISSING bubblewrap", SANDBOX_TEST, "unshare -rn", ".ci/run"):
        assert needed in text, f"README's Quick start does not say {needed!r}"


def test_the_run_header_and_the_sandbox_test_give_the_readme_advice(monkeypatch):
    (line,) = header_without_bubblewrap(monkeypatch)
    assert line.startswith("MISSING bubblewrap") and INSTALL in line and SANDBOX_TEST in line
    sandbox_test = (REPO / "tests/grading/test_grading_sandbox.py").read_text()
    assert f'"install bubblewrap ({INSTALL})' in sandbox_test


def test_ci_installs_bubblewrap_before_the_readme_test_command():
    ci = (REPO / ".ci/run").read_text()
    install, tests = ci.index("apt-get install -y -qq bubblewrap"), ci.index("python -m pytest")
    assert install < tests
