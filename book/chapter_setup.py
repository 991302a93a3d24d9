"""What every chapter of the book needs before its first visible cell, imported in one line.

Each chapter's first cell (hidden on the page) is exactly ``BOOTSTRAP_LINE``::

    from chapter_setup import glue

Importing this module

- makes ``cae_ref`` importable in a clone without ``pip install -e .``: the chapters run with
  the current directory ``book/`` (``run_in_temp: false`` in ``_config.yml``), so the repository
  root is one level above this file;
- provides ``glue``: myst-nb's, which puts numbers into the book's text, or outside the book
  build (Jupyter, Colab) a stand-in that prints them.

The chapters' budgets come from ``cae_ref.budget`` (``book_profile()`` and ``BOOK_BUDGETS``).

On Colab a chapter's notebook arrives alone, without this file and without ``cae_ref``. The
book's extension ``book/_ext/colab_notebooks.py`` therefore writes ``COLAB_INSTALL`` in front of
the one line in the notebooks the Colab buttons open: on Colab only, it installs the
repository with pip and downloads this file next to the notebook.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

BOOTSTRAP_LINE = "from chapter_setup import glue"

COLAB_INSTALL = """\
import subprocess, sys, urllib.request
if "google.colab" in sys.modules:  # Colab opens this notebook alone: fetch the course's code
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+{repository}@{ref}"], check=True)
    urllib.request.urlretrieve("{raw_root}/book/chapter_setup.py", "chapter_setup.py")
"""

if importlib.util.find_spec("cae_ref") is None:  # a clone without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

try:
    from myst_nb import glue
except ImportError:  # outside the book build glue just prints

    def glue(name: str, value: Any, display: bool = True) -> None:
        """Print ``name = value`` (the book build puts the value into the text instead)."""
        if display:
            print(f"{name} = {value}")


def colab_cell(source: str, repository: str, branch: str) -> str:
    """``source`` of a chapter's first cell with ``COLAB_INSTALL`` in front of ``BOOTSTRAP_LINE``.

    ``repository`` is the GitHub address (``https://github.com/owner/name``) and ``branch`` the git ref
    (a branch or the course's release tag) that both the install and this file come from. A cell
    without the line, or one that has the install already, comes back unchanged.
    """
    if BOOTSTRAP_LINE not in source or "google.colab" in source:
        return source
    raw_root = repository.rstrip("/").replace("https://github.com/", "https://raw.githubusercontent.com/")
    install = COLAB_INSTALL.format(repository=repository.rstrip("/"), ref=branch, raw_root=f"{raw_root}/{branch}")
    return source.replace(BOOTSTRAP_LINE, install + BOOTSTRAP_LINE, 1)
