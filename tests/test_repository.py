"""Repository hygiene that reviewers would otherwise have to check by eye."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _tracked(pattern: str) -> list[str]:
    result = subprocess.run(["git", "ls-files", pattern], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_no_notebook_is_committed_with_outputs():
    offenders = []
    for name in _tracked("*.ipynb"):
        notebook = json.loads((REPO_ROOT / name).read_text())
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
                offenders.append(name)
                break
    assert offenders == []


def test_every_public_function_of_cae_ref_has_a_docstring():
    import inspect

    import cae_ref

    missing = [
        name
        for name in cae_ref.__all__
        if inspect.isfunction(getattr(cae_ref, name)) and not inspect.getdoc(getattr(cae_ref, name))
    ]
    assert missing == []
