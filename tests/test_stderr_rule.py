"""One stderr rule, the same everywhere it is stated, and a setup cell that keeps it.

``cae_ref.quiet.STDERR_RULE`` is the sentence students read. Every place that states the rule carries
it word for word (line wrapping aside), and no page a student reads still says that stderr costs
points. A fresh kernel runs each release notebook's cells up to the first student cell and must
write nothing to stderr (TensorFlow's C++ start-up lines used to appear there in red). That the
grader really does what the rule says is graded in ``tests/grading/test_stderr_rule_grading.py``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pytest

from cae_ref import quiet
from cae_ref.quiet import STDERR_RULE

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.relative_to(REPO) for p in REPO.glob("exercises/*/*.ipynb"))
# Phrases of the old rule ("stderr costs the cell its points"), wrong wherever a student reads them.
CONTRADICTIONS = (
    r"costs? (that cell |the cell )?(its )?points",
    r"scores that cell 0",
    r"fix warnings",
    r"do not print diagnostics to stderr",
    r"a warning on stderr",
)


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _markdown(path: Path) -> str:
    cells = json.loads(path.read_text())["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    following = re.search(r"^#{1,3} ", text[start + len(heading) :], flags=re.M)
    return text[start : start + len(heading) + (following.start() if following else len(text))]


def problems(text: str, *, for_students: bool) -> list[str]:
    """What is wrong with a text that states the rule: the sentence missing, or a contradicting phrase."""
    found = [] if _normalised(STDERR_RULE) in _normalised(text) else ["lacks the course's stderr rule"]
    if for_students:
        found += [f"says {m.group(0)!r}" for p in CONTRADICTIONS for m in re.finditer(p, _normalised(text), re.I)]
    return found


def places() -> dict[str, tuple[str, bool]]:
    """Every place that states the rule: name -> (its text, whether students read it)."""
    readme = (REPO / "README.md").read_text()
    found = {
        "cae_ref/quiet.py docstring": (quiet.__doc__ or "", False),
        "book/10_exercises.md": ((REPO / "book/10_exercises.md").read_text(), True),
        "README.md, stderr policy": (_section(readme, "### stderr policy"), False),
        "INSTRUCTORS.md": ((REPO / "INSTRUCTORS.md").read_text(), False),
        "book/instructor_guide.md": ((REPO / "book/instructor_guide.md").read_text(), False),
    }
    for folder in ("solutions", "exercises"):
        for path in sorted(REPO.glob(f"{folder}/*/*.ipynb")):
            found[str(path.relative_to(REPO))] = (_markdown(path), True)
    return found


def test_the_rule_is_one_sentence():
    assert STDERR_RULE == (
        "A warning costs nothing: a graded cell loses its points only when a check fails or your code raises "
        "an error, and whatever your code writes to stderr (a warning, a log line) is not graded."
    )


@pytest.mark.needs_solutions
def test_every_place_states_the_rule_and_nothing_contradicts_it():
    found = places()
    assert len([name for name in found if name.endswith(".ipynb")]) == 16, sorted(found)
    wrong = {name: p for name, (text, students) in found.items() if (p := problems(text, for_students=students))}
    assert not wrong, wrong


def test_the_check_fails_on_the_old_rule_and_on_a_missing_sentence():
    old = (
        "Anything a graded cell writes to stderr (a warning, a `print(..., file=sys.stderr)`) costs that\n"
        "cell its points; the course already silences TensorFlow's start-up messages for you."
    )
    assert problems(old, for_students=True) == ["lacks the course's stderr rule", "says 'costs that cell its points'"]
    assert problems(f"{STDERR_RULE} (a warning on stderr costs points)", for_students=True) == [
        "says 'costs points'",
        "says 'a warning on stderr'",
    ]
    wrapped = STDERR_RULE.replace(" a check", "\n  a check")
    assert problems(wrapped, for_students=True) == []
    assert problems(STDERR_RULE.replace("nothing", "little"), for_students=False) == ["lacks the course's stderr rule"]


def test_nbgrader_alone_scores_stderr_in_a_test_cell_zero():
    """Why the checks call student code quietly: nbgrader's own scoring, on a cell with and without stderr."""
    from nbgrader.utils import determine_grade

    def cell(*outputs: dict) -> nbformat.NotebookNode:
        node = nbformat.v4.new_code_cell("grade('x', f)")
        node.metadata["nbgrader"] = {"grade": True, "points": 2, "grade_id": "t", "solution": False}
        node.outputs = [nbformat.v4.new_output("stream", name=name, text="x\n") for name in outputs]
        return node

    assert determine_grade(cell("stdout")) == (2, 2)
    assert determine_grade(cell("stdout", "stderr")) == (0, 2)


def setup_cells(path: Path) -> nbformat.NotebookNode:
    """The notebook cut before its first student cell (the first with ``solution`` or ``grade`` metadata)."""
    nb = nbformat.read(path, as_version=4)
    cut = next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("solution") or c.metadata.get("nbgrader", {}).get("grade")
    )
    nb.cells = [c for c in nb.cells[:cut] if c.cell_type == "code"]
    return nb


def stderr_of(nb: nbformat.NotebookNode) -> str:
    """Run ``nb`` in a fresh kernel and return what reached stderr, C++ lines on file descriptor 2 included.

    The kernel's environment has no TF_* variables (as on Colab) and no ``PYTEST_CURRENT_TEST``: with
    that variable set, ipykernel stops forwarding file descriptor 2 and TensorFlow's lines go unseen.
    """
    from nbclient import NotebookClient

    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_") and k != "PYTEST_CURRENT_TEST"}
    NotebookClient(nb, timeout=300, kernel_name="python3", cwd=str(REPO)).execute(env=env)
    return "".join(o.get("text", "") for c in nb.cells for o in c.outputs if o.get("name") == "stderr")


@pytest.mark.slow  # a fresh kernel per notebook that imports TensorFlow: 40 CPU-s, 75 s wall for all nine here
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_a_fresh_kernel_runs_the_setup_cells_without_stderr(notebook, fashion_dir):
    nb = setup_cells(REPO / notebook)
    assert nb.cells and "from cae_ref.grader import checks" in nb.cells[0].source
    assert stderr_of(nb) == ""


@pytest.mark.slow
def test_the_setup_check_sees_tensorflow_imported_before_cae_ref():
    """The control: importing keras before cae_ref.grader.checks puts TensorFlow's start-up lines on stderr."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import keras\nfrom cae_ref.grader import checks")])
    assert stderr_of(nb) != ""


def test_grading_kernels_under_pytest_forward_file_descriptor_2():
    """The tests' nbgrader kernels must see a C++ stderr line as real grading does."""
    from grading.submissions import course_env

    assert "PYTEST_CURRENT_TEST" in os.environ  # pytest sets it for every test
    assert "PYTEST_CURRENT_TEST" not in course_env()
