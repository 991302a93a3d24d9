"""What a training really fitted on: ``keras.Model.fit`` calls recorded by the grader (issue 14).

``cae_ref.grader.checks.graded_training`` records them around the student's training function; the checks read
the History and the training and validation pairs from the record, never from what the function returns.
Imported before any student code runs, so ``cae_ref.grader.pristine`` records and restores it. The kept
trainings live in an audit-hook vault (issue 25) that accepts writes only from this module's own code,
opened by ``cae_ref.grader.checks``' guarded calls; past 200 lines because the recorder, the rows it copies and
that hook must share one file.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from cae_ref._tf import keras, tf
from cae_ref.grader.messages import message


def weights_of(model: Any) -> list[np.ndarray]:
    """Copies of the model's weights, read through Keras' own variables."""
    return [
        np.array(keras.ops.convert_to_numpy(w.value))
        for w in keras.Layer.weights.fget(model)
    ]


class Observer(keras.callbacks.Callback):
    """The grader's own callback: a copy of each epoch's logs, taken as the epoch ends."""

    def __init__(self) -> None:
        super().__init__()
        self.epochs: list[dict[str, float]] = []

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        self.epochs.append(
            {str(k): float(v) for k, v in dict(logs or {}).items()}
        )


@contextlib.contextmanager
def recording_fit(
    calls: list[dict[str, Any]], label: str = ""
) -> Iterator[list[Any]]:
    """Record every ``keras.Model.fit`` call in the block, as the grader saw it.

    Each call: the model, copies of the rows it fitted on (``x``, ``y``) and validated on
    (``validation_data``), the History object fit returned (``history``, for identity only) and
    the logs of every epoch, copied by the grader's own callback as the epoch ended (``epochs``).
    Nothing the student's code does after ``fit`` returns changes the record. With a ``label``,
    the calls, and the value appended to the yielded list (what the training returned), are also
    kept for the checks (``trainings``), where the notebook cannot reach them.
    """
    fit = keras.Model.fit
    session = object()
    if label:
        sys.audit(_OPEN, label, session)

    def recorder(
        model: Any, x: Any = None, y: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        observer = Observer()
        given = kwargs.get("callbacks") or []
        kwargs["callbacks"] = [observer, *list(given)]
        history = fit(model, x, y, *args, **kwargs)
        xs, ys = _pair_rows(x, y, _LIMIT)
        vx, vy = _validation_rows(kwargs.get("validation_data"))
        call = {
            "model": model,
            "x": xs,
            "y": ys,
            "validation_data": None if vx is None else (vx, vy),
            "history": history,
            "epochs": tuple(observer.epochs),
        }
        calls.append(call)
        if label:
            sys.audit(_PUT, session, call)
        return history

    returned: list[Any] = []
    keras.Model.fit = recorder
    try:
        yield returned
    except BaseException as error:
        if label:  # kept for the checks: they quote it instead of a NameError
            sys.audit(_ERROR, session, described(error))
        raise
    finally:
        if "fit" in vars(keras.Model):
            del keras.Model.fit
        if label and returned:
            sys.audit(_RESULT, session, returned[-1])


# the functions of cae_ref.grader.checks that may open a kept training, and who may call them (frames are checked)
OPENERS = {
    "course_training": None,
    "_graded": (
        "graded_training",
        "graded_kept",
        "graded_vae_fit",
        "graded_few_labels",
    ),
}
_LIMIT = 1_000_000  # rows read from a (possibly repeated) tf.data.Dataset


# the libraries whose exceptions' own __str__ the grader calls (NumPy's AxisError keeps its message there)
_LIBRARIES = ("builtins", "numpy", "keras", "tensorflow", "sklearn", "scipy")


def described(error: BaseException) -> str:
    """``"<type>: <message>"`` of an exception (at most 300 characters).

    The message comes from the ``__str__`` of a library's exception class; a class the submission
    defined is read through ``BaseException.__str__``, so none of its code runs here.
    """
    owner = next(k for k in type(error).__mro__ if "__str__" in vars(k))
    library = str(getattr(owner, "__module__", "")).split(".")[0] in _LIBRARIES
    try:
        message = owner.__str__(error) if library else ""
    except Exception:
        message = ""
    message = message or BaseException.__str__(error)
    text = f"{type(error).__name__}: {message.strip()}"
    return text if len(text) <= 300 else text[:297] + "..."


def trainings(label: str) -> tuple[dict[str, Any], ...]:
    """Every training kept under ``label``, oldest first: ``{"calls": (...), "result": ..., "finished": bool,
    "error": str}``.

    ``finished`` is False when the guarded call raised (an error, or the answer key reached); ``error``
    is then what it raised (``described``), "" otherwise.
    """
    box: list[Any] = []
    sys.audit(_GET, label, box)
    return tuple(box)


def _nested_code(code: Any, name: str) -> Any:
    return next(
        c for c in code.co_consts if getattr(c, "co_name", None) == name
    )


# the code of the recorder that stands in for keras.Model.fit during a recorded call
RECORDER_CODE = _nested_code(recording_fit.__wrapped__.__code__, "recorder")

_OPEN, _PUT, _RESULT, _ERROR, _GET = (
    "cae_ref.grader.fit_record.open",
    "cae_ref.grader.fit_record.put",
    "cae_ref.grader.fit_record.result",
    "cae_ref.grader.fit_record.error",
    "cae_ref.grader.fit_record.get",
)


def _install() -> None:
    """The vault: trainings are opened and filled only by ``recording_fit``'s own code (checked by frame)."""
    kept: dict[str, list[dict[str, Any]]] = {}
    open_: dict[int, tuple[object, dict[str, Any]]] = {}
    outer = recording_fit.__wrapped__.__code__
    owners = {
        _OPEN: outer,
        _RESULT: outer,
        _ERROR: outer,
        _PUT: _nested_code(outer, "recorder"),
    }

    checks_file = str(Path(__file__).with_name("checks.py"))
    say = message  # the hook keeps its own reference
    openers = {
        name: None if callers is None else {(checks_file, c) for c in callers}
        for name, callers in OPENERS.items()
    }

    def allowed() -> bool:
        """Whether the training being opened was opened by the grader (frames: hook, generator, __enter__, opener)."""
        opener = sys._getframe(4).f_code
        if opener.co_filename != checks_file or opener.co_name not in openers:
            return False
        callers = openers[opener.co_name]
        caller = sys._getframe(5).f_code
        return (
            callers is None or (caller.co_filename, caller.co_name) in callers
        )

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == _GET:
            args[1].extend(
                {
                    "calls": tuple(t["calls"]),
                    "result": t["result"],
                    "finished": t["finished"],
                    "error": t["error"],
                }
                for t in kept.get(args[0], [])
            )
            return
        if event not in owners:
            return
        if sys._getframe(1).f_code is not owners[event] or (
            event == _OPEN and not allowed()
        ):
            raise AssertionError(say("only_grader_records"))
        if event == _OPEN:
            training: dict[str, Any] = {
                "calls": [],
                "result": None,
                "finished": False,
                "error": "",
            }
            kept.setdefault(args[0], []).append(training)
            open_[id(args[1])] = (args[1], training)
            return
        token, training = open_.get(id(args[0]), (None, None))
        if token is not args[0] or training is None:
            return
        if event == _PUT:
            training["calls"].append(dict(args[1]))
        elif event == _ERROR:
            training["error"] = str(args[1])
            del open_[id(args[0])]
        else:
            training["result"], training["finished"] = args[1], True
            del open_[id(args[0])]

    sys.addaudithook(hook)


def _rows(value: Any) -> np.ndarray | None:
    try:
        array = np.asarray(keras.ops.convert_to_numpy(value), dtype=np.float32)
    except Exception:
        return None
    return array.reshape(len(array), -1) if array.ndim >= 1 else None


def _dataset_rows(
    dataset: Any, limit: int
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The (input, target) rows a batched ``tf.data.Dataset`` yields, read once, up to ``limit`` rows."""
    xs, ys, count = [], [], 0
    for element in dataset:
        if not isinstance(element, (tuple, list)) or len(element) < 2:
            return None, None
        x, y = _rows(element[0]), _rows(element[1])
        if x is None or y is None or x.shape != y.shape:
            return None, None
        xs.append(x)
        ys.append(y)
        count += len(x)
        if count >= limit:  # a repeated dataset never ends
            break
    return (np.concatenate(xs), np.concatenate(ys)) if xs else (None, None)


def _pair_rows(
    x: Any, y: Any, limit: int
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Rows of what fit got: arrays (x, y), or a tf.data.Dataset of (input, target) batches as x."""
    if isinstance(x, tf.data.Dataset) and y is None:
        return _dataset_rows(x, limit)
    return _rows(x), _rows(y)


def _validation_rows(
    given: Any,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Rows of fit's ``validation_data``: a tuple (x, y[, weights]) or a tf.data.Dataset of pairs."""
    if isinstance(given, tf.data.Dataset):
        return _pair_rows(given, None, _LIMIT)
    pair = tuple(given) if isinstance(given, (tuple, list)) else ()
    if len(pair) < 2:
        return None, None
    return _rows(pair[0]), _rows(pair[1])


def _cause(
    xs: np.ndarray,
    ys: np.ndarray,
    inputs: np.ndarray,
    targets: np.ndarray,
    bad: list[int],
) -> str:
    """The likely reason why rows ``bad`` of (xs, ys) are not pairs (inputs[i], targets[i])."""
    first = bad[0]
    if xs[first].tobytes() in {
        row.tobytes() for row in targets
    } and not np.array_equal(inputs, targets):
        return message("cause_inputs_are_targets")
    if ys[first].tobytes() in {
        row.tobytes() for row in inputs
    } and not np.array_equal(inputs, targets):
        return message("cause_targets_are_inputs")
    return message("cause_other_images")


MIN_COVERAGE = 0.95  # share of the handed-over pairs the training must fit


def fitted_on(
    calls: list[dict[str, Any]],
    inputs: np.ndarray,
    targets: np.ndarray,
    validation: bool = False,
) -> str:
    """Why the recorded fit calls did not train (or validate) on the pairs ``(inputs, targets)``; "" when they did.

    Each call's rows (copied when fit ran) must be pairs (inputs[i], targets[i]): any order, copies
    or other dtypes are fine, and so is a batched ``tf.data.Dataset`` of such pairs; augmented,
    re-noised or swapped pairs are not. Together the calls must fit at least ``MIN_COVERAGE`` of the
    training (or validation) pairs. At least one call is required.
    """
    if not calls:
        return message("fit_never_called")
    inputs_rows, targets_rows = _rows(inputs), _rows(targets)
    pairs = {
        a.tobytes() + b.tobytes()
        for a, b in zip(inputs_rows, targets_rows, strict=True)
    }
    what = message("validation_pairs" if validation else "training_pairs")
    seen: set[bytes] = set()
    for call in calls:
        xs, ys = (
            (call["validation_data"] or (None, None))
            if validation
            else (call["x"], call["y"])
        )
        if xs is None or ys is None or xs.shape != ys.shape or len(xs) == 0:
            where = (
                "validation_data=(inputs, targets)"
                if validation
                else "fit(inputs, targets, ...)"
            )
            return message("fit_unreadable", what=what, where=where)
        keys = [a.tobytes() + b.tobytes() for a, b in zip(xs, ys, strict=True)]
        bad = [i for i, key in enumerate(keys) if key not in pairs]
        if bad:
            cause = _cause(xs, ys, inputs_rows, targets_rows, bad)
            return message(
                "fit_not_pairs",
                count=len(xs),
                what=what,
                bad=len(bad),
                cause=cause,
            )
        seen.update(keys)
    needed = int(np.ceil(MIN_COVERAGE * len(pairs)))
    if len(seen) < needed:
        return message(
            "fit_subset",
            seen=len(seen),
            total=len(pairs),
            what=what,
            needed=needed,
        )
    return ""


if not globals().get("_INSTALLED"):  # once per process, also when reloaded
    _install()
    _INSTALLED = True
