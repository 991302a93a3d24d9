"""The solutions are the code a student writes, and the points stated in the notebooks add up.

A solution cell (nbgrader ``solution: true``) of ``solutions/`` may use only the course's helpers
(``cae_ref.grader.checks``, ``load_fashion_mnist``, ``plot_*``, ``set_global_seed``, ``CLASS_NAMES``); a
call into a ``cae_ref`` function that computes the answer (``cae_ref.build_encoder()``,
``from cae_ref.models import ...``, ``import cae_ref.shapes``) fails here. The graders compare the
student's results with ``cae_ref``; the solutions must not be ``cae_ref`` themselves.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "solutions").glob("*/*.ipynb"))
# the permitted helpers, as dotted names below cae_ref (the grader's checks live in cae_ref.grader)
ALLOWED = re.compile(r"(grader\.checks|load_fashion_mnist|plot_\w+|set_global_seed|CLASS_NAMES)(\..*)?")
# "## Part B: the decoder (3 points)" and "## Written question (2 points, graded by hand)"
PART_POINTS = re.compile(r"^## .*\((\d+) points?(?:, [^)]*)?\)\s*$", re.MULTILINE)
TOTAL_POINTS = re.compile(r"worth\s+\*\*(\d+) points?\*\*")


def _allowed(dotted: str) -> bool:
    """Whether ``cae_ref.<dotted>`` (a module path or name below the package) is a permitted helper."""
    return bool(ALLOWED.fullmatch(dotted))


def cae_ref_uses(source: str) -> list[str]:
    """Every use of ``cae_ref`` in ``source`` other than the permitted helpers, as readable strings."""
    lines = [re.sub(r"^(\s*)[%!].*$", r"\1pass", line) for line in source.splitlines()]  # IPython magics
    tree = ast.parse("\n".join(lines))
    aliases = {"cae_ref"}  # the setup cell imports the package under this name
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "cae_ref":
                    aliases.add(alias.asname or "cae_ref")
                elif alias.name.startswith("cae_ref.") and not _allowed(alias.name.removeprefix("cae_ref.")):
                    found.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "cae_ref":
            below = node.module.removeprefix("cae_ref").lstrip(".")
            for alias in node.names:
                if not _allowed(f"{below}.{alias.name}" if below else alias.name):
                    found.append(f"from {node.module} import {alias.name}")
    attribute_owners = set()
    outer = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            attribute_owners.add(id(node.value))
            dotted, above = node.attr, outer.get(id(node))
            if dotted == "grader" and isinstance(above, ast.Attribute):
                dotted = f"grader.{above.attr}"  # cae_ref.grader.checks: the subpackage's module decides
            if not _allowed(dotted):
                found.append(f"cae_ref.{dotted}")
        elif isinstance(node, ast.Call):
            for argument in node.args:
                if isinstance(argument, ast.Constant) and str(argument.value).startswith("cae_ref"):
                    found.append(f"a call with {argument.value!r}")  # importlib.import_module("cae_ref.models")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in aliases and id(node) not in attribute_owners:
            found.append(f"the module {node.id} itself")  # getattr(cae_ref, "build_encoder"), passing it on
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n    return cae_ref.build_encoder()", ["cae_ref.build_encoder"]),
        (
            "def f():\n    from cae_ref.models import build_encoder\n    return 1",
            ["from cae_ref.models import build_encoder"],
        ),
        (
            "def f():\n    from cae_ref import psnr, checks\n    return 1",
            ["from cae_ref import psnr", "from cae_ref import checks"],
        ),
        (
            "def f():\n    from cae_ref.grader import checks, answers\n    return 1",
            ["from cae_ref.grader import answers"],
        ),
        ("def f():\n    return cae_ref.grader.answers.ANSWER_FUNCTIONS", ["cae_ref.grader.answers"]),
        ("def f():\n    return cae_ref.grader", ["cae_ref.grader"]),
        ("def f():\n    import cae_ref.shapes as s\n    return 1", ["import cae_ref.shapes"]),
        ("import cae_ref as c\nc.encode_flat(1, 2)", ["cae_ref.encode_flat"]),
        ("getattr(cae_ref, 'psnr')(1, 2)", ["the module cae_ref itself"]),
        ("import importlib\nimportlib.import_module('cae_ref.metrics')", ["a call with 'cae_ref.metrics'"]),
        ("def f():\n    cae_ref.set_global_seed(0)\n    return cae_ref.grader.checks.quiet_call(print)", []),
        ("def f():\n    '''Like cae_ref.build_encoder, by hand.'''\n    return cae_ref.CLASS_NAMES", []),
        ("from cae_ref.grader.checks import quiet\n%pip install x\ncae_ref.plot_image_rows({}, None)", []),
    ],
)
def test_the_checker_finds_every_kind_of_cae_ref_call(source, expected):
    assert cae_ref_uses(source) == expected


def _cells(path: Path) -> list[nbformat.NotebookNode]:
    return nbformat.read(path, as_version=4).cells


def _meta(cell: nbformat.NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.parent.name)
@pytest.mark.needs_solutions
def test_solution_cells_write_their_own_code(path):
    solution_cells = [cell for cell in _cells(path) if _meta(cell).get("solution") and cell.cell_type == "code"]
    assert solution_cells, f"{path.name} has no solution cells"
    for cell in solution_cells:
        uses = cae_ref_uses(cell.source)
        assert not uses, (
            f"{path.parent.name}/{_meta(cell)['grade_id']} calls {', '.join(uses)}: a solution is the plain "
            "NumPy/Keras code a student writes; only cae_ref.grader.checks, load_fashion_mnist, plot_*, "
            "set_global_seed and CLASS_NAMES are allowed"
        )


def points_per_part(cells: list[nbformat.NotebookNode]) -> dict[str, tuple[int | None, int]]:
    """Map each '## ' heading to (points it states or None, points of its test cells).

    A test cell belongs to the part that defines the function it is named after (``test_psnr`` to
    the part with the ``psnr`` solution), else to the part it sits in.
    """
    part_of: dict[str, str] = {}
    placed: list[tuple[str, str, int]] = []
    stated: dict[str, int | None] = {"(before any heading)": None}
    current = "(before any heading)"
    for cell in cells:
        headings = re.findall(r"^## .*$", cell.source, re.MULTILINE) if cell.cell_type == "markdown" else []
        for heading in headings:
            current = heading
            match = PART_POINTS.match(heading)
            stated[current] = int(match.group(1)) if match else None
        meta = _meta(cell)
        if meta.get("solution"):
            part_of[meta["grade_id"]] = current
        if meta.get("grade"):
            placed.append((meta["grade_id"], current, int(meta["points"])))
    totals = dict.fromkeys(stated, 0)
    for grade_id, position, points in placed:
        name = grade_id.removeprefix("test_")
        owners = [solution for solution in part_of if name == solution or name.startswith(solution + "_")]
        totals[part_of[max(owners, key=len)] if owners else position] += points
    return {heading: (stated[heading], totals[heading]) for heading in stated}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.parent.name)
@pytest.mark.needs_solutions
def test_points_in_headings_add_up(path):
    cells = _cells(path)
    parts = points_per_part(cells)
    if any(points is not None for points, _ in parts.values()):
        for heading, (points, counted) in parts.items():
            if points is None:
                assert counted == 0, (
                    f"{path.parent.name}: tests worth {counted} points under {heading!r}, no points stated"
                )
            else:
                assert counted == points, f"{path.parent.name}: {heading!r} states {points}, its tests give {counted}"
    total = sum(int(_meta(cell).get("points", 0)) for cell in cells if _meta(cell).get("grade"))
    match = TOTAL_POINTS.search(cells[0].source)
    assert match, f"{path.parent.name}: the introduction must say 'worth **N points**'"
    assert int(match.group(1)) == total, (
        f"{path.parent.name}: the introduction says {match.group(1)}, the tests give {total}"
    )


def test_part_points_catch_a_mismatch():
    """The points check can fail: a heading stating 3 over tests worth 4."""
    cells = [
        nbformat.v4.new_markdown_cell("## Part A: one (3 points)"),
        nbformat.v4.new_code_cell("def f():\n    pass", metadata={"nbgrader": {"solution": True, "grade_id": "f"}}),
        nbformat.v4.new_markdown_cell("## Part B: two (1 point)"),
        nbformat.v4.new_code_cell("", metadata={"nbgrader": {"grade": True, "grade_id": "test_f", "points": 4}}),
        nbformat.v4.new_code_cell("", metadata={"nbgrader": {"grade": True, "grade_id": "test_other", "points": 1}}),
    ]
    parts = points_per_part(cells)
    assert parts["## Part A: one (3 points)"] == (3, 4)  # test_f counts for f's part, not where it sits
    assert parts["## Part B: two (1 point)"] == (1, 1)


def test_part_points_count_written_questions():
    """A hand-graded markdown answer cell counts for its own heading; a wrong stated total is caught."""
    answer = {"solution": True, "grade": True, "locked": False, "points": 2, "grade_id": "q_blur", "task": False}
    cells = [
        nbformat.v4.new_markdown_cell("## Part A: one (1 point)"),
        nbformat.v4.new_code_cell("def f():\n    pass", metadata={"nbgrader": {"solution": True, "grade_id": "f"}}),
        nbformat.v4.new_code_cell("", metadata={"nbgrader": {"grade": True, "grade_id": "test_f", "points": 1}}),
        nbformat.v4.new_markdown_cell("## Written question (3 points, graded by hand)\n\nWhy is it blurred?"),
        nbformat.v4.new_markdown_cell("YOUR ANSWER HERE", metadata={"nbgrader": answer}),
    ]
    parts = points_per_part(cells)
    assert parts["## Part A: one (1 point)"] == (1, 1)
    assert parts["## Written question (3 points, graded by hand)"] == (3, 2)


@pytest.mark.needs_solutions
def test_hidden_test_cells_say_they_are_graded_after_submission():
    """A test with hidden checks says so in the words the students are told, never "hidden test".

    The visible check the cell runs (``cae_ref/grader/graded/<assignment>.py``) prints the sentence, in the
    student's language, from the message catalogue (``cae_ref.grader.messages``, key ``hidden``).
    """
    from cae_ref.grader.messages import MESSAGES

    assert MESSAGES["en"]["hidden"] == "graded after submission; the visible checks above do not cover this"
    for path in NOTEBOOKS:
        graded = (REPO / "cae_ref" / "grader" / "graded" / f"{path.parent.name}.py").read_text()
        tree = ast.parse(graded)
        functions = {n.name: ast.get_source_segment(graded, n) for n in tree.body if isinstance(n, ast.FunctionDef)}
        for cell in _cells(path):
            if "### BEGIN HIDDEN TESTS" in cell.source:
                name = _meta(cell).get("grade_id")
                assert 'print(checks.message("hidden"))' in functions[name], f"{path.parent.name}/{name}: no line"
                assert "hidden test" not in cell.source.lower().replace("### begin hidden tests", "").replace(
                    "### end hidden tests", ""
                )
