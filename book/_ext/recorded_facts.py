"""Sphinx extension: the recorded results' numbers as MyST substitutions (``{{ baseline_psnr }}``).

Every module in ``book/facts/`` names its record (``EXPERIMENT``, the folder under ``results/``,
or ``RECORD``, a path under ``results/``) and returns ``facts(record) -> {name: display string}``.
At ``config-inited`` this extension loads each record, calls its module and merges the facts into
``myst_substitutions``, so the chapters' hand-written sentences quote numbers that come from the
records. A missing record, a missing key, a name used twice or a name without its experiment's
prefix stops the build with a message that names it.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path
from typing import Any

BOOK_DIR = Path(__file__).resolve().parent.parent


def collect(results_dir: Path | None = None) -> dict[str, str]:
    """All facts of all modules in ``book/facts/``, read from ``results_dir`` (default: the repository's)."""
    if str(BOOK_DIR) not in sys.path:
        sys.path.insert(0, str(BOOK_DIR))
    import facts as package  # book/facts/
    import recorded_results

    merged: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"facts.{info.name}")
        record_name = getattr(module, "RECORD", None) or module.EXPERIMENT
        try:
            found = module.facts(recorded_results.load(record_name, results_dir))
        except (FileNotFoundError, KeyError) as error:
            raise RuntimeError(f"book/facts/{info.name}.py: {error}") from error
        for name, value in found.items():
            if not name.startswith((f"{info.name}_", f"{module.EXPERIMENT}_")):
                raise RuntimeError(f"book/facts/{info.name}.py: fact {name!r} lacks the prefix {info.name}_")
            if not isinstance(value, str):
                raise RuntimeError(f"book/facts/{info.name}.py: fact {name!r} is {type(value).__name__}, not str")
            if name in merged:
                raise RuntimeError(f"book/facts/{info.name}.py: fact {name!r} is defined twice")
            merged[name] = value
    return merged


def _add_facts(app: Any, config: Any) -> None:
    substitutions = dict(getattr(config, "myst_substitutions", None) or {})
    clash = sorted(set(substitutions) & set(facts := collect()))
    if clash:
        raise RuntimeError(f"recorded facts clash with myst_substitutions in _config.yml: {clash}")
    config.myst_substitutions = {**substitutions, **facts}


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _add_facts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
