"""The execution cache is emptied when what the chapters read changes (book/_ext/execution_cache_key.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _extension():
    spec = importlib.util.spec_from_file_location("execution_cache_key", REPO / "book/_ext/execution_cache_key.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def book(tmp_path: Path) -> Path:
    (tmp_path / "cae_ref").mkdir()
    (tmp_path / "cae_ref" / "metrics.py").write_text("def psnr(): ...\n")
    (tmp_path / "results" / "baseline").mkdir(parents=True)
    (tmp_path / "results" / "baseline" / "results.json").write_text('{"psnr": 28.9}\n')
    return tmp_path


def test_a_changed_input_empties_the_cache_and_the_same_inputs_keep_it(book: Path, monkeypatch):
    key = _extension()
    monkeypatch.delenv("CAE_BOOK_PROFILE", raising=False)
    cache = book / "_build" / ".jupyter_cache"
    key.refresh_cache(cache, key.inputs_digest(book))
    (cache / "global.db").write_text("outputs")

    assert not key.refresh_cache(cache, key.inputs_digest(book))  # second build, same inputs
    assert (cache / "global.db").exists()

    (book / "cae_ref" / "metrics.py").write_text("def psnr(): return 0\n")
    assert key.refresh_cache(cache, key.inputs_digest(book))
    assert not (cache / "global.db").exists()


@pytest.mark.parametrize("change", ["record", "profile"])
def test_a_new_record_or_profile_changes_the_key(book: Path, monkeypatch, change: str):
    key = _extension()
    monkeypatch.delenv("CAE_BOOK_PROFILE", raising=False)
    before = key.inputs_digest(book)
    if change == "record":
        (book / "results" / "baseline" / "results.json").write_text('{"psnr": 29.0}\n')
    else:
        monkeypatch.setenv("CAE_BOOK_PROFILE", "full")
    assert key.inputs_digest(book) != before
