"""What a training really fitted on: ``keras.Model.fit`` calls recorded by the grader (issue 14).

``cae_ref.checks.graded_training`` records them around the student's training function; the checks read
the History and the training and validation pairs from the record, never from what the function returns.
Imported before any student code runs, so ``cae_ref.pristine`` records and restores it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from cae_ref._tf import keras


def weights_of(model: Any) -> list[np.ndarray]:
    """Copies of the model's weights, read through Keras' own variables."""
    return [np.array(keras.ops.convert_to_numpy(w.value)) for w in keras.Layer.weights.fget(model)]


@contextlib.contextmanager
def recording_fit(calls: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Record every ``keras.Model.fit`` call in the block: its x, y, validation_data and the History it returned.

    The grader reads what the training fitted on, and the History, from here, not from what the
    student's function returns.
    """
    fit = keras.Model.fit

    def recorder(model: Any, x: Any = None, y: Any = None, *args: Any, **kwargs: Any) -> Any:
        history = fit(model, x, y, *args, **kwargs)
        calls.append(
            {"model": model, "x": x, "y": y, "validation_data": kwargs.get("validation_data"), "history": history}
        )
        return history

    keras.Model.fit = recorder
    try:
        yield calls
    finally:
        if "fit" in vars(keras.Model):
            del keras.Model.fit


def _rows(value: Any) -> np.ndarray | None:
    try:
        array = np.asarray(keras.ops.convert_to_numpy(value), dtype=np.float32)
    except Exception:
        return None
    return array.reshape(len(array), -1) if array.ndim >= 1 else None


def fitted_on(calls: list[dict[str, Any]], inputs: np.ndarray, targets: np.ndarray, validation: bool = False) -> str:
    """Why the recorded fit calls did not train (or validate) on the pairs ``(inputs, targets)``; "" when they did.

    Each call's rows must be pairs (inputs[i], targets[i]), in any order; at least one call is required.
    """
    if not calls:
        return "model.fit was never called on the model you were given"
    pairs = {a.tobytes() + b.tobytes() for a, b in zip(_rows(inputs), _rows(targets), strict=True)}
    for call in calls:
        x, y = (call["validation_data"] or (None, None))[:2] if validation else (call["x"], call["y"])
        xs, ys = _rows(x), _rows(y)
        if xs is None or ys is None or xs.shape != ys.shape or len(xs) == 0:
            return "pass NumPy arrays (inputs, targets) to fit" + (" as validation_data" if validation else "")
        if any(a.tobytes() + b.tobytes() not in pairs for a, b in zip(xs, ys, strict=True)):
            return "fit" + (" validated" if validation else " trained") + " on other pairs than (inputs, targets)"
    return ""
