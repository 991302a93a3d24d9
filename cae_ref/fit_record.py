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

from cae_ref._tf import keras, tf


def weights_of(model: Any) -> list[np.ndarray]:
    """Copies of the model's weights, read through Keras' own variables."""
    return [
        np.array(keras.ops.convert_to_numpy(w.value))
        for w in keras.Layer.weights.fget(model)
    ]


@contextlib.contextmanager
def recording_fit(
    calls: list[dict[str, Any]],
) -> Iterator[list[dict[str, Any]]]:
    """Record every ``keras.Model.fit`` call in the block: its x, y, validation_data and the History it returned.

    The grader reads what the training fitted on, and the History, from here, not from what the
    student's function returns.
    """
    fit = keras.Model.fit

    def recorder(
        model: Any, x: Any = None, y: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        history = fit(model, x, y, *args, **kwargs)
        calls.append(
            {
                "model": model,
                "x": x,
                "y": y,
                "validation_data": kwargs.get("validation_data"),
                "history": history,
            }
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
        return "their inputs are target images (e.g. fit(x_train, x_train) where the inputs should be noisy)"
    if ys[first].tobytes() in {
        row.tobytes() for row in inputs
    } and not np.array_equal(inputs, targets):
        return "their targets are input images (e.g. noisy targets where they should be clean)"
    return "they are images you were not given (other rows, augmented or re-noised copies?)"


def fitted_on(
    calls: list[dict[str, Any]],
    inputs: np.ndarray,
    targets: np.ndarray,
    validation: bool = False,
) -> str:
    """Why the recorded fit calls did not train (or validate) on the pairs ``(inputs, targets)``; "" when they did.

    Each call's rows must be pairs (inputs[i], targets[i]): any order, a subset, copies or other dtypes are
    fine, and so is a batched ``tf.data.Dataset`` of such pairs; augmented, re-noised or swapped pairs are
    not. At least one call is required.
    """
    if not calls:
        return "model.fit was never called on the model you were given"
    inputs_rows, targets_rows = _rows(inputs), _rows(targets)
    pairs = {
        a.tobytes() + b.tobytes()
        for a, b in zip(inputs_rows, targets_rows, strict=True)
    }
    what = "validation pairs" if validation else "training pairs"
    for call in calls:
        x, y = call["x"], call["y"]
        if (
            validation
        ):  # a tuple (x, y[, weights]) or a tf.data.Dataset of pairs
            given = call["validation_data"]
            x, y = (
                (given, None)
                if isinstance(given, tf.data.Dataset)
                else tuple(given or (None, None))[:2]
            )
        xs, ys = _pair_rows(x, y, len(inputs_rows))
        if xs is None or ys is None or xs.shape != ys.shape or len(xs) == 0:
            where = (
                "validation_data=(inputs, targets)"
                if validation
                else "fit(inputs, targets, ...)"
            )
            return f"no {what} the grader can read in fit: pass NumPy arrays (or a tf.data.Dataset of pairs) as {where}"
        bad = [
            i
            for i, (a, b) in enumerate(zip(xs, ys, strict=True))
            if a.tobytes() + b.tobytes() not in pairs
        ]
        if bad:
            cause = _cause(xs, ys, inputs_rows, targets_rows, bad)
            return f"{len(xs)} {what} in fit, {len(bad)} of them not a pair you were given: {cause}"
    return ""
