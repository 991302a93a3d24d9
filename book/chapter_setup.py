"""What every chapter of the book needs before its first visible cell, imported in one line.

Each chapter's first cell (hidden on the page) is exactly ``BOOTSTRAP_LINE``::

    from chapter_setup import BUDGET, PROFILE, glue

Importing this module

- makes ``cae_ref`` importable in a clone without ``pip install -e .``: the chapters run with
  the current directory ``book/`` (``run_in_temp: false`` in ``_config.yml``), so the repository
  root is one level above this file;
- keeps the plumbing off the pages: TensorFlow's Python logger shows errors only (no retracing
  warnings), NumPy's and scikit-learn's thread pools run one thread each (they stall when the
  CPU is shared, as in CI), and Matplotlib draws text of at least 9 points;
- picks the chapter's budget: ``PROFILE`` is ``quick`` (the default: minutes on a CPU) or
  ``full`` (the report's budget), chosen with the environment variable ``CAE_BOOK_PROFILE``,
  and ``BUDGET`` is ``cae_ref.BOOK_BUDGETS[PROFILE]``;
- provides ``glue``: myst-nb's, which puts numbers into the book's text, or outside the book
  build (Jupyter, Colab) a stand-in that prints them.

On Colab a chapter's notebook arrives alone, without this file and without ``cae_ref``. The
book's extension ``book/_ext/colab_notebooks.py`` therefore writes ``COLAB_INSTALL`` in front of
the one line in the notebooks the Colab buttons open: on Colab only, it installs the
repository with pip and downloads this file next to the notebook.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
from pathlib import Path
from typing import Any

BOOTSTRAP_LINE = "from chapter_setup import BUDGET, PROFILE, glue"
# Any import from this module is a bootstrap line (older pages imported only glue).
_BOOTSTRAP = re.compile(r"^from chapter_setup import .*$", flags=re.M)

# Matplotlib sizes in points; "small" text (ticks, legends) is 0.83 of font.size.
FONT_SIZES = {
    "font.size": 11.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 11.0,
    "xtick.labelsize": 10.0,
    "ytick.labelsize": 10.0,
    "legend.fontsize": 10.0,
    "legend.title_fontsize": 10.0,
    "figure.titlesize": 12.0,
}

COLAB_INSTALL = """\
import subprocess, sys, urllib.request
if "google.colab" in sys.modules:  # Colab opens this notebook alone: fetch the course's code
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+{repository}@{ref}"], check=True)
    urllib.request.urlretrieve("{raw_root}/book/chapter_setup.py", "chapter_setup.py")
"""

if importlib.util.find_spec("cae_ref") is None:  # a clone without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matplotlib  # noqa: E402
import numpy  # noqa: E402, F401 (loaded before the thread limit, so that it applies to it)
from threadpoolctl import threadpool_limits  # noqa: E402

import cae_ref  # noqa: E402

logging.getLogger("tensorflow").setLevel(logging.ERROR)  # what tf.get_logger() returns
threadpool_limits(1)
matplotlib.rcParams.update(FONT_SIZES)

PROFILE = cae_ref.book_profile()
BUDGET = cae_ref.BOOK_BUDGETS[PROFILE]

try:
    from myst_nb import glue
except ImportError:  # outside the book build glue just prints

    def glue(name: str, value: Any, display: bool = True) -> None:
        """Print ``name = value`` (the book build puts the value into the text instead)."""
        if display:
            print(f"{name} = {value}")


def colab_cell(source: str, repository: str, branch: str) -> str:
    """``source`` of a chapter's first cell with ``COLAB_INSTALL`` in front of its bootstrap line.

    ``repository`` is the GitHub address (``https://github.com/owner/name``) and ``branch`` the git ref
    (a branch or the course's release tag) that both the install and this file come from. A cell
    without the line, or one that has the install already, comes back unchanged.
    """
    match = _BOOTSTRAP.search(source)
    if match is None or "google.colab" in source:
        return source
    raw_root = repository.rstrip("/").replace("https://github.com/", "https://raw.githubusercontent.com/")
    install = COLAB_INSTALL.format(repository=repository.rstrip("/"), ref=branch, raw_root=f"{raw_root}/{branch}")
    return source[: match.start()] + install + source[match.start() :]
