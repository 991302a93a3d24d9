"""The grader's own copies of NumPy, Keras, builtins and cae_ref, taken before any student code runs (issue 14).

Every notebook's setup cell imports ``cae_ref.grader.checks``, which imports this module first: it records
the functions and classes that grading relies on (the namespaces of ``_MODULES``, every ``cae_ref``
module but ``checks``, the methods of every Keras class those namespaces hold and the code and
defaults of every Python function among them) and keeps that record in an audit hook
(``sys.addaudithook``: it cannot be removed). Test cells reload ``checks``, not this module.

Guarantees, for what the record covers: ``restore()`` puts back every rebound name, class method and
function code or default, and lists what it put back; ``checks.graded_call`` calls it before and
after the student's function and fails that call when the function changed any of it; ``forward``
computes a model's outputs through Keras' own ``Layer.__call__`` (never the model's ``predict``,
``evaluate`` or ``__call__``), after ``model_tampering`` found no method replaced on the model, its
layers or its classes. The hook also flags what would reach the record itself: new audit hooks and
garbage-collector searches (``tampering()`` lists them; the checks then fail).

Limits: grading runs in the student's process. Code that reaches the interpreter below Python
(``ctypes``), NumPy's or Keras' internal modules that are not in the record, or a student's own
model class whose ``call`` misbehaves only while grading, is not detected here; a separate process
(``python -m grading autograde`` runs each notebook in its own sandboxed kernel) keeps the machine safe,
not the grade. INSTRUCTORS.md ("What the checks trust") states the rest.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any, NamedTuple

import numpy  # noqa: F401, RUF100  (recorded below, with numpy.testing)
import numpy.testing  # noqa: F401

import cae_ref.grader.fit_record  # (recorded below: checks reads the fit calls through it)
import cae_ref.grader.grading  # (recorded below: the one name a test cell reads)
import cae_ref.grader.grading_data  # (recorded below: where the grading subsets come from)
import cae_ref.grader.guard
from cae_ref._tf import keras  # noqa: F401  (recorded below)
from cae_ref.grader.messages import message
from cae_ref.grader.pristine_model import forward, model_tampering

_MODULES = [
    "builtins",
    "numpy",
    "numpy.testing",
    "numpy.linalg",
    "numpy.random",
    "numpy._core.numeric",
    "numpy._core.fromnumeric",
    "sys",
    "keras",
    "keras.ops",
    "keras.layers",
    "keras.losses",
    "keras.callbacks",
    "keras.models",
    "keras.optimizers",
    "keras.src.ops.numpy",
]
_SYS = frozenset(
    {
        "audit",
        "addaudithook",
        "setprofile",
        "getprofile",
        "settrace",
        "gettrace",
        "_getframe",
    }
)
_FUNCTION_ATTRS = ("__code__", "__defaults__", "__kwdefaults__")
_GET = "cae_ref.grader.pristine.get"
_FLAGGED = frozenset(
    {
        "sys.addaudithook",
        "gc.get_referrers",
        "gc.get_referents",
        "gc.get_objects",
    }
)
MISSING = object()


class Record(NamedTuple):
    """What the first import saw: namespace entries, class entries and function internals."""

    names: tuple[tuple[str, dict[str, Any], tuple[tuple[str, Any], ...]], ...]
    classes: tuple[tuple[type, tuple[tuple[str, Any], ...]], ...]
    functions: tuple[tuple[types.FunctionType, tuple[Any, ...]], ...]


def _is_keras_class(value: Any) -> bool:
    return isinstance(value, type) and value.__module__.startswith(
        ("keras", "cae_ref")
    )


def _recorded(module: str, name: str, value: Any) -> bool:
    """Whether a module entry is recorded: callables and modules; in cae_ref also its public constants."""
    if module == "sys":
        return name in _SYS
    if (
        module == "builtins"
    ):  # not IPython's additions (exit, get_ipython, ...), which it swaps per cell
        return isinstance(value, (type, type(len)))
    if module.startswith("cae_ref") and not name.startswith("_"):
        return True
    return callable(value) or isinstance(value, types.ModuleType)


def _take() -> Record:
    """Record the namespaces, classes and functions grading relies on."""
    package = importlib.import_module("cae_ref")
    for name in (
        package._EXPORTS
    ):  # resolve the lazy exports now, so that they are recorded
        getattr(package, name)
    ours = sorted(
        n
        for n in sys.modules
        if n.startswith("cae_ref") and n != "cae_ref.grader.checks"
    )
    modules = [sys.modules[n] for n in (*_MODULES, *ours) if n in sys.modules]
    names = tuple(
        (
            m.__name__,
            vars(m),
            tuple(
                (n, v)
                for n, v in vars(m).items()
                if _recorded(m.__name__, n, v)
            ),
        )
        for m in modules
    )
    classes: dict[type, None] = {}
    for _, _, items in names:
        for _, value in items:
            for cls in value.__mro__ if _is_keras_class(value) else ():
                if _is_keras_class(cls):
                    classes.setdefault(cls)
    class_items = tuple((cls, tuple(vars(cls).items())) for cls in classes)
    values = [v for _, _, items in names for _, v in items] + [
        v for _, items in class_items for _, v in items
    ]
    values = [getattr(v, "__func__", v) for v in values]
    values += [
        getattr(v, "_implementation", None) for v in values
    ]  # NumPy's dispatchers wrap a Python function
    functions = {id(v): v for v in values if isinstance(v, types.FunctionType)}
    table = tuple(
        (f, tuple(getattr(f, a) for a in _FUNCTION_ATTRS))
        for f in functions.values()
    )
    return Record(names, class_items, table)


def _install(record: Record, api: types.MappingProxyType) -> None:
    """The process's one pristine hook: it hands out the record and this module's functions, and keeps the
    tampering it sees."""
    seen: list[str] = []
    tracked = frozenset(id(f) for f, _ in record.functions)
    flagged, attrs, get = _FLAGGED, _FUNCTION_ATTRS, _GET

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == get:
            args[0].append((record, tuple(seen), api))
        elif event in flagged:
            seen.append(event)
        elif (
            event == "object.__setattr__"
            and args[1] in attrs
            and id(args[0]) in tracked
        ):
            seen.append(f"{getattr(args[0], '__qualname__', '?')}.{args[1]}")

    sys.addaudithook(hook)


def _fetch() -> tuple[Record, tuple[str, ...], types.MappingProxyType]:
    audit = sys.audit
    if (
        type(audit) is not type(len)
        or audit.__self__ is not sys
        or audit.__name__ != "audit"
    ):
        raise AssertionError(message("no_audit"))
    box: list[Any] = []
    audit(_GET, box)
    if len(box) != 1:
        raise AssertionError(message("no_copies"))
    return box[0]


def restore() -> list[str]:
    """Put back every recorded name, class entry and function internal that changed; return what changed."""
    record = _fetch()[0]
    changed = []
    for module, namespace, items in record.names:
        for name, value in items:
            if namespace.get(name, MISSING) is not value:
                namespace[name] = value
                changed.append(f"{module}.{name}")
    for cls, items in record.classes:
        own = vars(cls)
        if len(own) != len(items) or any(
            own.get(n, MISSING) is not v for n, v in items
        ):
            kept = dict(items)
            for name in [
                n
                for n in own
                if n not in kept and callable(getattr(cls, n, None))
            ]:
                delattr(cls, name)
                changed.append(f"{cls.__qualname__}.{name}")
            for name, value in items:
                if own.get(name, MISSING) is not value:
                    type.__setattr__(cls, name, value)
                    changed.append(f"{cls.__qualname__}.{name}")
    if not any(item.endswith(_FUNCTION_ATTRS) for item in _fetch()[1]):
        return changed  # the hook saw no function's code or defaults replaced
    for function, internals in record.functions:
        for attr, value in zip(_FUNCTION_ATTRS, internals, strict=True):
            if getattr(function, attr) is not value:
                setattr(function, attr, value)
                changed.append(f"{function.__qualname__}.{attr}")
    return changed


def tampering() -> list[str]:
    """What the hook saw that cannot be undone: new audit hooks, garbage-collector searches, code swaps."""
    return sorted(set(_fetch()[1]))


if not globals().get(
    "_INSTALLED"
):  # once per process, also when this module is reloaded
    cae_ref.grader.grading.install(restore)
    _install(
        _take(),
        types.MappingProxyType(
            {
                "restore": restore,
                "tampering": tampering,
                "model_tampering": model_tampering,
                "forward": forward,
            }
        ),
    )
    _INSTALLED = True
