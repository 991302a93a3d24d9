"""Keep the execution cache honest: empty it when what the chapters read has changed.

jupyter-cache keys a chapter's outputs by its code cells only. The cells call ``cae_ref``,
read ``results/`` through ``book/recorded_results.py`` and ``book/facts/``, and train as the
profile says (``CAE_BOOK_PROFILE``): a change there leaves the cells as they were, so the
cache would show outputs of the old code. Before a build, this hashes those inputs and, when
the hash differs from the one stored beside the cache, empties the cache. The English and
Indonesian builds of one checkout share the hash, so the second build still reuses the first
one's outputs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

# What a chapter's cells read, besides their own code (relative to the book's root).
INPUTS = ("cae_ref", "book/chapter_setup.py", "book/recorded_results.py", "book/facts", "results")
ENVIRONMENT = ("CAE_BOOK_PROFILE",)
KEY_FILE = "inputs.sha256"


def inputs_digest(root: Path) -> str:
    """SHA-256 over the chapters' inputs under ``root`` (paths and bytes) and the profile variables."""
    digest = hashlib.sha256()
    for name in ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name, '')}\n".encode())
    for entry in INPUTS:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or not file.exists():
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()


def refresh_cache(cache: Path, digest: str) -> bool:
    """Empty ``cache`` unless it was filled from inputs with ``digest``; True when it was emptied."""
    key = cache / KEY_FILE
    if key.is_file() and key.read_text().strip() == digest:
        return False
    emptied = cache.exists()
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    key.write_text(digest + "\n")
    return emptied


def check_cache(app, config) -> None:
    """Empty the build's execution cache when the chapters' inputs changed since it was filled."""
    if config.nb_execution_mode != "cache":
        return
    root = Path(app.confdir)
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if refresh_cache(cache, inputs_digest(root)):
        print(f"execution cache {cache} emptied: cae_ref, results/ or the profile changed")


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", check_cache)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
