"""Keep graded functions from reaching cae_ref's answer key, by any route (issue 11).

``guarded_call(function, *args)`` runs a student's function under a profile hook (``sys.setprofile``)
that sees every Python frame the call enters. A frame running an answer function's code object (one
nested in it, or a method of an answer class) is a hit, whatever reached it: a direct call, an alias,
a from-import, ``getattr``, ``importlib``, ``__import__``, ``sys.modules``, a helper, lambda,
``functools.partial`` or method.
Copies are hits too: a reloaded module (same file, line and name) or a re-made function or code
object (same bytecode and names). A name check of the source cannot see computed names; this can.
What counts as the answer key is listed in ``cae_ref.grader.answers``.
This module runs past 200 lines because the registry, the profile hook and the audit hook must share
one file: the audit hook accepts ``sys.setprofile`` only from this file.

The verdicts live in an audit hook (``sys.addaudithook``; it cannot be removed), installed once per
process on import (``cae_ref.grader.checks`` imports this module in every notebook's setup cell). During a
guarded call it flags what would blind or dodge the profile hook: ``sys.setprofile``/``sys.settrace``
from outside this module, new audit hooks, garbage-collector searches, new code objects, ctypes,
processes, and reading cae_ref's source files. The profile hook flags thread starts: none happen in
Keras' fit/predict or the scikit-learn estimators used here, and a thread may outlive the call. The
guard reaches the audit hook only through ``sys.audit`` events carrying a fresh token, so rebinding
names here cannot reset a verdict. An answer called by an allowed helper (``grading_data.draw``
preprocesses its subsets) is not a hit; data, plots and checks are not answers.
"""

from __future__ import annotations

import _thread
import functools
import importlib
import os
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cae_ref.grader.answers import (
    ALLOWED_CALLERS,
    ANSWER_FUNCTIONS,
    LOCATION_ONLY,
)
from cae_ref.grader.messages import message as _message

_ENTER, _EXIT, _HIT = (
    "cae_ref.grader.guard.enter",
    "cae_ref.grader.guard.exit",
    "cae_ref.grader.guard.hit",
)
_FLAGGED = frozenset(
    {
        "sys.setprofile",
        "sys.settrace",
        "sys.addaudithook",
        "gc.get_objects",
        "gc.get_referrers",
    }
    | {
        "gc.get_referents",
        "code.__new__",
        "ctypes.dlopen",
        "ctypes.dlsym",
        "ctypes.cdata",
        "subprocess.Popen",
    }
    | {
        "os.fork",
        "os.forkpty",
        "os.posix_spawn",
        "os.spawn",
        "os.system",
        "os.exec",
        "pty.spawn",
        "open",
    }
)
_THREAD_STARTS = frozenset(
    id(getattr(_thread, n))
    for n in ("start_new_thread", "start_joinable_thread")
    if hasattr(_thread, n)
)
# all of cae_ref (the answers sit above this subpackage), not only cae_ref/grader/
_PACKAGE_DIR = (
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
)


class AnswerKeyUsed(AssertionError):
    """The graded function ran one of cae_ref's answer functions."""


class GuardTampered(AssertionError):
    """The graded function switched the guard off or ran code the guard cannot watch."""


@dataclass(frozen=True)
class Registry:
    """Answer code objects, indexed for a cheap check on every call event."""

    by_id: (
        types.MappingProxyType
    )  # id(code) -> public name; `codes` keeps the codes (and ids) alive
    names: frozenset[
        str
    ]  # every answer co_name: the cheap filter before looking for copies
    by_key: (
        types.MappingProxyType
    )  # (file, line, name) and (bytecode, names) -> public name
    allowed: frozenset[
        tuple[str, str]
    ]  # (co_filename, co_qualname) of ALLOWED_CALLERS
    codes: tuple[types.CodeType, ...]


def _function(dotted: str) -> types.FunctionType:
    module, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def _answer_codes(dotted: str) -> Iterator[types.CodeType]:
    """The code of a listed function, or of every method (property, class- or staticmethod) a listed class defines."""
    found = _function(dotted)
    members = vars(found).values() if isinstance(found, type) else [found]
    for member in members:
        for part in (
            (member.fget, member.fset)
            if isinstance(member, property)
            else (member,)
        ):
            code = getattr(getattr(part, "__func__", part), "__code__", None)
            yield from _nested(code) if code is not None else ()


def _nested(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        yield from _nested(const) if isinstance(const, types.CodeType) else ()


def _keys(code: types.CodeType) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    return (code.co_filename, code.co_firstlineno, code.co_name), (
        code.co_code,
        code.co_names,
    )


def build_registry(
    answers: tuple[str, ...] = ANSWER_FUNCTIONS,
    allowed: tuple[str, ...] = ALLOWED_CALLERS,
    location_only: tuple[str, ...] = LOCATION_ONLY,
) -> Registry:
    """Import every answer function (or class) and index its code objects, nested ones included.

    Answers in ``location_only`` are matched by identity and (file, line, name), not by bytecode.
    """
    exports = importlib.import_module(
        "cae_ref"
    )._EXPORTS  # public name -> module, e.g. build_encoder -> models
    by_id: dict[int, str] = {}
    by_key: dict[tuple[Any, ...], str] = {}
    codes: list[types.CodeType] = []
    for dotted in answers:
        module, _, attr = dotted.rpartition(".")
        name = (
            f"cae_ref.{attr}"
            if exports.get(attr) == module.rpartition(".")[2]
            else dotted
        )
        for code in _answer_codes(dotted):
            codes.append(code)
            by_id.setdefault(id(code), name)
            for key in _keys(code)[: 1 if dotted in location_only else 2]:
                by_key.setdefault(key, name)
    callers = frozenset(
        (c.co_filename, c.co_qualname)
        for c in (_function(d).__code__ for d in allowed)
    )
    names = frozenset(code.co_name for code in codes)
    return Registry(
        types.MappingProxyType(by_id),
        names,
        types.MappingProxyType(by_key),
        callers,
        tuple(codes),
    )


@functools.cache
def registry() -> Registry:
    """The registry of ``ANSWER_FUNCTIONS``, built on first use."""
    return build_registry()


def _make_profile(reg: Registry) -> Callable[[Any, str, Any], None]:
    """A profile function that reports answer frames and thread starts through ``sys.audit``."""
    by_id, names, by_key, allowed, thread_starts = (
        reg.by_id,
        reg.names,
        reg.by_key,
        reg.allowed,
        _THREAD_STARTS,
    )

    def match(code: types.CodeType) -> str | None:
        name = by_id.get(id(code))
        return (
            name
            if name is not None
            else next((by_key[k] for k in _keys(code) if k in by_key), None)
        )

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            code = frame.f_code
            if (id(code) in by_id or code.co_name in names) and (
                name := match(code)
            ) is not None:
                caller = frame.f_back
                while caller is not None and match(caller.f_code) is not None:
                    caller = caller.f_back  # an answer called by an answer: judge the outermost one's caller
                if (
                    caller is None
                    or (caller.f_code.co_filename, caller.f_code.co_qualname)
                    not in allowed
                ):
                    sys.audit(_HIT, name)
        elif event == "c_call" and id(arg) in thread_starts:
            sys.audit(
                _HIT, ""
            )  # "" = a thread start: its code could outlive the call

    return profile


def _harmless(event: str, args: tuple[Any, ...]) -> bool:
    """Whether a flagged event is fine: the guard's own setprofile, other ``__code__`` sets, imports, other files."""
    caller = sys._getframe(
        2
    ).f_code  # frames: this, the hook, the code that raised the event
    if event == "sys.setprofile":
        return caller.co_filename == __file__
    if event == "object.__setattr__":
        return getattr(args[0], "__module__", None) != __name__
    if event != "open":
        return False
    inside = isinstance(args[0], (str, bytes)) and os.path.abspath(
        os.fsdecode(args[0])
    ).startswith(_PACKAGE_DIR)
    return not inside or caller.co_filename.startswith(
        "<frozen importlib"
    )  # reading cae_ref's source is not


def _install_audit_hook() -> None:
    """Install the process's one audit hook, which keeps the verdicts of the guarded calls."""
    active: dict[
        int, tuple[object, list[str], list[str]]
    ] = {}  # id(token) -> (token, hits, tampering)
    flagged, harmless, hit, enter, exit_, message = (
        _FLAGGED,
        _harmless,
        _HIT,
        _ENTER,
        _EXIT,
        _message,
    )  # kept
    watched = flagged | {hit, enter, exit_, "object.__setattr__"}

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if (
            event not in watched
        ):  # the common case: one set lookup (the profile hook's f_code reads are events too)
            return
        if event == hit:
            for _, hits, tampering in active.values():
                (hits if args[0] else tampering).append(
                    args[0] or "started a thread"
                )
        elif event in flagged or (
            event == "object.__setattr__" and args[1] == "__code__"
        ):
            if active and not harmless(event, args):
                for _, _, tampering in active.values():
                    tampering.append(event)
        elif event == enter:
            active[id(args[0])] = (args[0], [], [])
        elif event == exit_:
            entry = active.pop(id(args[0]), None)
            if entry is None or entry[0] is not args[0]:
                raise GuardTampered(message("guard_reset"))
            if entry[1]:
                raise AnswerKeyUsed(message("answer_key", name=entry[1][0]))
            what = ", ".join(
                sorted(
                    set(
                        entry[2]
                        + ([] if args[1] else ["the profile hook was removed"])
                    )
                )
            )
            if what:
                raise GuardTampered(message("guard_escaped", what=what))

    sys.addaudithook(hook)


if not globals().get(
    "_HOOK_INSTALLED"
):  # once per process, also when this module is reloaded
    _install_audit_hook()
    _HOOK_INSTALLED = True


def guarded_call(
    function: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """Call ``function(*args, **kwargs)`` and return its value, or raise if it reached the answer key.

    Raises ``AnswerKeyUsed`` ("write your own code; cae_ref.<name> is not allowed here") when an
    answer function ran during the call, ``GuardTampered`` when the call switched the guard off;
    both are AssertionErrors. Otherwise the function's own exceptions propagate unchanged.
    """
    profile = _make_profile(registry())
    token, previous = object(), sys.getprofile()
    sys.audit(_ENTER, token)
    sys.setprofile(profile)
    try:
        return function(*args, **kwargs)
    finally:
        kept = sys.getprofile() is profile
        sys.setprofile(previous)
        sys.audit(
            _EXIT, token, kept
        )  # raises the verdict, if any, in place of the result or the student's error
