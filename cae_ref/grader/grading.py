"""The one name a test cell reads: ``grade(check, *functions)`` (issue 25).

A test cell of an exercise notebook reads the student's graded functions and ``grade``, nothing
else (no builtin, no module alias, no data): ``grade("03_training/test_heldout_mse")`` runs the
check ``test_heldout_mse`` of ``cae_ref/grader/graded/03_training.py``, loaded fresh from disk, in the
grader's own module namespace (NumPy, builtins and ``cae_ref`` put back first by
``cae_ref.grader.pristine``). Checks named ``hidden_*`` live in the grader-only folder
``grading/hidden/`` of the course checkout, which students neither install nor receive.

``grade`` stays trustworthy although it is a notebook global: an audit hook (it cannot be
removed) sees every ``exec`` of cell code that reads the name, and before that code runs puts
back ``grade`` in the namespace IPython executes it in, and everything ``cae_ref.grader.pristine``
recorded. Cell code executed by anything but IPython's own ``run_code`` fails instead (a
submission that also renames IPython's cell files is not caught: INSTRUCTORS.md, "What the checks
trust").
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

from cae_ref.grader.messages import message

ENTRY = "grade"
GRADED_DIR = Path(__file__).resolve().with_name("graded")
HIDDEN_DIR = (
    Path(__file__).resolve().parents[2] / "grading" / "hidden"
)  # the checkout, above cae_ref/
HIDDEN_PREFIX = "hidden_"  # a check whose name starts so lives in HIDDEN_DIR
# the modules a check imports, as first imported: put back in sys.modules before every check
_KEPT = (
    "numpy",
    "keras",
    "cae_ref",
    "cae_ref.grader",
    "cae_ref.grader.checks",
    "cae_ref.grader.fit_record",
)


def _load(path: Path, name: str) -> types.ModuleType:
    """A new module object executed from ``path`` (never cached, so always the file's code)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise AssertionError(message("no_checks", path=path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def grade(check: str, *functions: Any) -> None:
    """Run the check ``"<assignment>/<name>"`` on the student's ``functions``.

    The check raises AssertionError with a teaching message when the work is wrong; it prints
    what it measured otherwise.
    """
    restore = _vault()["restore"]
    restore()
    for name, module in _vault()["modules"].items():
        sys.modules[name] = module
    importlib.reload(sys.modules["cae_ref.grader.checks"])
    assignment, _, name = check.partition("/")
    folder = HIDDEN_DIR if name.startswith(HIDDEN_PREFIX) else GRADED_DIR
    module = _load(folder / f"{assignment}.py", f"cae_ref_checks_{name}")
    getattr(module, name)(*functions)


def _vault() -> dict[str, Any]:
    box: list[Any] = []
    sys.audit("cae_ref.grader.get", box)
    if len(box) != 1:
        raise AssertionError(message("no_grader_copies"))
    return box[0]


def _run_code() -> types.CodeType | None:
    """The code of IPython's ``InteractiveShell.run_code``, the only caller allowed to exec a test cell."""
    shell = sys.modules.get("IPython.core.interactiveshell")
    method = getattr(
        getattr(shell, "InteractiveShell", None), "run_code", None
    )
    return getattr(method, "__code__", None)


def _is_cell(filename: str) -> bool:
    """Whether code was compiled from a notebook cell (ipykernel's or IPython's cell file names)."""
    return "ipykernel_" in filename or filename.startswith("<ipython-input")


def install(restore: Any) -> None:
    """Install the audit hook that puts ``grade`` back before every cell that reads it (once per process)."""
    kept = {name: sys.modules[name] for name in _KEPT if name in sys.modules}
    vault = types.MappingProxyType({"restore": restore, "modules": kept})
    entry, run_code, name = grade, _run_code(), ENTRY
    code_type, getframe, is_cell = types.CodeType, sys._getframe, _is_cell
    say = message  # the hook keeps its own reference

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "cae_ref.grader.get":
            args[0].append(vault)
            return
        if event != "exec" or not isinstance(args[0], code_type):
            return
        if name not in args[0].co_names:
            return
        frame = getframe(1)
        if frame.f_code is not run_code:
            if is_cell(args[0].co_filename):
                raise AssertionError(say("foreign_exec"))
            return  # not a notebook cell (a module imported, a script)
        shell = frame.f_locals.get("self")
        namespaces = (shell.user_ns, shell.user_global_ns)
        if any(
            type(n) is not dict for n in namespaces
        ):  # a subclass could lie
            raise AssertionError(say("namespace_replaced"))
        restore()
        for namespace in namespaces:
            dict.__setitem__(namespace, name, entry)

    sys.addaudithook(hook)
