"""The given part of exercise 07's ``VAE`` class, shared by the simulated students that rewrite ``train_step``.

Valid designs (``grading/vae_designs.py``), the typical mistake ``no_gradient_update``
(``grading/mistakes.py``) and the tampering students (``grading/tampering.py``) each append their own
``train_step`` (and more) to :data:`VAE_HEAD`: the class as the released notebook gives it, read from
``exercises/07_vae`` so that it cannot drift from what students see.
"""

from __future__ import annotations

import json
from pathlib import Path

RELEASE = Path(__file__).resolve().parents[1] / "exercises" / "07_vae" / "07_vae.ipynb"
STUDENT_PART = "    def train_step(self, data):"


def released_vae_head(release: Path = RELEASE) -> str:
    """The released ``VAE`` cell up to (not including) ``train_step``, which the student writes."""
    cells = json.loads(release.read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    found = [source for source in sources if source.lstrip().startswith("class VAE(")]
    if len(found) != 1 or STUDENT_PART not in found[0]:
        raise ValueError(f"{release}: expected one cell with `class VAE(` and `{STUDENT_PART.strip()}`")
    return "\n" + found[0][: found[0].index(STUDENT_PART)].rstrip() + "\n"


VAE_HEAD = released_vae_head()
