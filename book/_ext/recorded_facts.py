"""Put the recorded experiments' numbers into the book as MyST substitutions (``{{ name }}``).

Every module in ``book/facts/`` names its experiment (``EXPERIMENT``, a folder under
``results/``) and turns that experiment's ``results.json`` into display strings
(``facts(record) -> {name: text}``). At ``config-inited`` this extension reads each record and
merges the strings into ``myst_substitutions``, so a page writes ``{{ anomaly_auc_mean }}`` in a
plain sentence. A missing record, a name used twice or a facts function that fails stops the
build with a message naming it.

(Minimal version written with the anomaly page; the shared contract is in the issue 24 notes.)
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from sphinx.errors import ConfigError

BOOK = Path(__file__).resolve().parents[1]
ROOT = BOOK.parent


def load_facts(facts_dir: Path = BOOK / "facts", results_dir: Path = ROOT / "results") -> dict[str, str]:
    """Every facts module's strings, read from its experiment's results.json."""
    merged: dict[str, str] = {}
    for path in sorted(facts_dir.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"book_facts_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        record_path = results_dir / module.EXPERIMENT / "results.json"
        if not record_path.is_file():
            raise ConfigError(f"{path.name}: no record {record_path}")
        try:
            facts = module.facts(json.loads(record_path.read_text(encoding="utf-8")))
        except KeyError as error:
            raise ConfigError(f"{path.name}: {record_path} lacks the key {error}") from error
        for name, text in facts.items():
            if name in merged:
                raise ConfigError(f"{path.name}: the substitution {name!r} is defined twice")
            if not isinstance(text, str):
                raise ConfigError(f"{path.name}: {name!r} is {type(text).__name__}, not a display string")
            merged[name] = text
    return merged


def add_facts(app, config) -> None:
    """``config-inited``: merge the facts into ``myst_substitutions``."""
    config.myst_substitutions = {**(config.myst_substitutions or {}), **load_facts()}


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", add_facts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
