"""Bring the Indonesian catalogues in step with the English book after an English edit.

Usage::

    PYTHONPATH=. FASHION_MNIST_DIR=/path/to/fashion-mnist python scripts/update_translations.py

1. Extracts every message of the book into templates (``_build/gettext/book/<page>.pot``)
   with Sphinx's gettext builder. The chapters' executed outputs come from the execution
   cache (``_build/.jupyter_cache``, the chapters run if it is empty), since the captions and
   alt texts of figures drawn by code cells exist only in an executed page.
2. Runs ``sphinx-intl update -p _build/gettext -l id -d locale``: each
   ``locale/id/LC_MESSAGES/book/<page>.po`` gains the new messages (empty), keeps its
   translations, and marks a message whose English changed a little as *fuzzy*, with the old
   translation as a suggestion.
3. Prints ``sphinx-intl stat``: what is left to translate.

Then translate the empty and fuzzy messages (remove the ``#, fuzzy`` line once a message is
checked) and run ``pytest tests/book/test_translation.py``, which fails until every message
is translated and none is fuzzy.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from build_book import ROOT, build, output_paths

LOCALE = ROOT / "locale"


def sphinx_intl(*args: str, check: bool = True) -> int:
    """Run ``sphinx-intl`` from this Python's environment; stop on failure when ``check``."""
    executable = shutil.which("sphinx-intl") or str(Path(sys.executable).with_name("sphinx-intl"))
    return subprocess.run([executable, *args], cwd=ROOT, check=check).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", default="id", help="the catalogues' language (default: id)")
    parser.add_argument("--path-output", type=Path, default=ROOT, help="the folder that gets _build/ (default: .)")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE, help="the catalogues' folder (default: locale/)")
    args = parser.parse_args(argv)
    build_dir = args.path_output.resolve() / "_build"
    templates, _ = output_paths(build_dir, "en", "gettext")
    shutil.rmtree(templates, ignore_errors=True)  # no template of a removed page survives
    status = build("en", build_dir, "gettext", quiet=True)
    if status:
        print(f"the gettext build failed (exit {status}); the catalogues were not touched", file=sys.stderr)
        return status
    sphinx_intl("update", "-p", str(templates), "-l", args.language, "-d", str(args.locale_dir))
    if sphinx_intl("stat", "-l", args.language, "-d", str(args.locale_dir), check=False):
        print("Some messages are new (untranslated) or changed (fuzzy): translate them, see above.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
