"""What the checks trust (issue 25): a test cell reads the graded functions and ``grade``, nothing else.

Every test cell of every source notebook in ``solutions/`` may read, as global names, only
``grade`` (``cae_ref.grader``, put back before the cell by an audit hook) and the functions and
classes its notebook's solution cells define; no builtin (an ``import`` reads ``__import__``), no
module alias, no data. The checks it names live in ``cae_ref/grader/graded/<assignment>.py`` (visible)
and ``grading/hidden/<assignment>.py`` (hidden), and there every function the student wrote is
only ever handed to the grader's guarded call (``checks.graded_*``), never called directly.
"""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "solutions").glob("*/*.ipynb"))
ENTRY = "grade"
CALL = re.compile(r'^grade\("(?P<assignment>[^/"]+)/(?P<name>\w+)"(?:, (?P<args>[\w, ]+))?\)$')
GUARDED = {"graded_call", "graded_training", "graded_kept", "graded_vae_fit", "graded_few_labels", "quiet_call"}


def _meta(cell: nbformat.NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names read, names bound) at the top level of a cell, IPython magics blanked."""
    tree = ast.parse("\n".join(re.sub(r"^(\s*)[%!].*$", r"\1pass", line) for line in source.splitlines()))
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
            read.add("__import__")
    return read, bound


def graded_functions(path: Path) -> set[str]:
    """The functions and classes the solution cells of a notebook define (at the top level)."""
    names: set[str] = set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and _meta(cell).get("solution"):
            tree = ast.parse(cell.source)
            names |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    return names


def grade_cells(path: Path) -> list[tuple[str, str]]:
    return [
        (_meta(c)["grade_id"], c.source)
        for c in nbformat.read(path, as_version=4).cells
        if c.cell_type == "code" and _meta(c).get("grade")
    ]


def rule_violations(source: str, allowed: set[str]) -> list[str]:
    """Global names a test cell reads beyond ``grade`` and ``allowed``, builtins included."""
    read, _ = _names(source)
    return sorted(read - allowed - {ENTRY})


@pytest.mark.needs_solutions
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_test_cells_read_only_grade_and_graded_functions(path):
    allowed = graded_functions(path)
    for grade_id, source in grade_cells(path):
        assert not rule_violations(source, allowed), f"{grade_id} reads {rule_violations(source, allowed)}"
        code = [
            line
            for line in source.splitlines()[1:]
            if line.strip() and not line.startswith("### ") and not line.startswith('"""') and "grade(" in line
        ]
        assert code, f"{grade_id}: no grade(...) call"
        for line in code:
            match = CALL.match(line)
            assert match and match["assignment"] == path.parent.name, f"{grade_id}: {line!r}"


def test_the_rule_catches_builtins_aliases_and_data():
    """The static check fails on a cell that reads a builtin, a module alias, data or an import."""
    allowed = {"preprocess"}
    assert rule_violations('"""Doc."""\ngrade("01_data/test_x", preprocess)', allowed) == []
    assert rule_violations("assert abs(preprocess(1)) < 1", allowed) == ["abs"]
    assert rule_violations("np.asarray(x_test)", allowed) == ["np", "x_test"]
    assert rule_violations("import importlib", allowed) == ["__import__"]
    assert rule_violations("checks.graded_call(preprocess)", allowed) == ["checks"]
    assert "len" in dir(builtins)


def _check_modules() -> list[Path]:
    return sorted((REPO / "cae_ref" / "grader" / "graded").glob("*.py")) + sorted(
        (REPO / "grading" / "hidden").glob("[0-9]*.py")
    )


@pytest.mark.needs_solutions
def test_every_named_check_exists():
    """Each grade("<assignment>/<name>") of a notebook names a function of its check module."""
    for path in NOTEBOOKS:
        for grade_id, source in grade_cells(path):
            for match in filter(None, map(CALL.match, source.splitlines())):
                folder = REPO / ("grading/hidden" if match["name"].startswith("hidden_") else "cae_ref/grader/graded")
                module = ast.parse((folder / f"{match['assignment']}.py").read_text())
                functions = {n.name: n for n in module.body if isinstance(n, ast.FunctionDef)}
                assert match["name"] in functions, f"{grade_id}: no {match['name']} in {folder.name}"
                wanted = [a.strip() for a in (match["args"] or "").split(",") if a.strip()]
                params = [a.arg for a in functions[match["name"]].args.args]
                assert params == wanted, f"{grade_id}: {match['name']}({params}) called with {wanted}"


def student_calls(module: ast.Module, graded: set[str]) -> list[str]:
    """Places in a check module where a function the student wrote is used other than handed to a guarded call."""
    found = []
    handed: set[int] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in GUARDED:
            handed |= {id(a) for a in node.args if isinstance(a, ast.Name)}
    for function in (n for n in module.body if isinstance(n, ast.FunctionDef)):
        params = {a.arg for a in function.args.args} & graded
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and node.id in params and id(node) not in handed:
                found.append(f"{function.name}: {node.id} (line {node.lineno})")
    return found


@pytest.mark.needs_solutions
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_graded_functions_are_called_only_through_the_guarded_call(path):
    """Every graded function of the notebook reaches the checks only as an argument of checks.graded_*."""
    graded = graded_functions(path)
    for module_path in _check_modules():
        if module_path.stem == path.parent.name:
            assert not student_calls(ast.parse(module_path.read_text()), graded), module_path
    for grade_id, source in grade_cells(path):
        tree = ast.parse(source)
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        assert all(isinstance(c.func, ast.Name) and c.func.id == ENTRY for c in calls), grade_id


def test_the_guarded_call_rule_catches_a_direct_call():
    module = ast.parse("def test_x(psnr):\n    checks.graded_call(psnr, 1)\n    return psnr(1, 2)\n")
    assert student_calls(module, {"psnr"}) == ["test_x: psnr (line 3)"]
