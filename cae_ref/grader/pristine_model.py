"""Measuring a model the way the grader trusts: Keras' own ``Layer.__call__``, no replaced method (issue 14).

Part of ``cae_ref.grader.pristine`` (recorded there before any student code runs, so ``restore`` puts these back).
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from cae_ref._tf import keras

# Attributes Keras itself sets on every layer instance over a method of the same name.
KERAS_INSTANCE = frozenset({"build", "quantize", "loss"})
# Methods a student's own model class may not define: grading measures through them.
ENGINE = frozenset(
    [
        "__call__",
        "__getattribute__",
        "__getattr__",
        "__setattr__",
        "fit",
        "evaluate",
        "predict",
        "predict_on_batch",
        "test_on_batch",
        "train_on_batch",
        "predict_step",
        "test_step",
        "make_predict_function",
        "make_test_function",
        "make_train_function",
        "get_weights",
        "set_weights",
        "_flatten_layers",
    ]
)


def _is_own_class(cls: type) -> bool:
    """A class the submission defined (not Keras', TensorFlow's, cae_ref's or Python's)."""
    return not cls.__module__.startswith(
        ("keras", "cae_ref", "tensorflow", "abc", "typing", "builtins")
    )


def _layers(model: Any) -> list[Any]:
    flatten = keras.Layer._flatten_layers
    return (
        list(flatten(model, include_self=True, recursive=True))
        if isinstance(model, keras.Layer)
        else []
    )


def model_tampering(model: Any) -> list[str]:
    """Methods replaced on ``model``, its layers or its own classes, by name (empty when there are none)."""
    found = []
    for layer in _layers(model):
        for name in vars(layer):
            if name not in KERAS_INSTANCE and callable(
                inspect.getattr_static(type(layer), name, None)
            ):
                found.append(f"{layer.name}.{name}")
        for cls in type(layer).__mro__:
            if _is_own_class(cls):
                found += [
                    f"{cls.__qualname__}.{name}"
                    for name in ENGINE & set(vars(cls))
                ]
    return sorted(set(found))


def forward(
    model: Any, inputs: np.ndarray, batch_size: int = 256
) -> np.ndarray:
    """``model``'s outputs on ``inputs`` in inference mode, computed through Keras' own ``Layer.__call__``."""
    call, convert = keras.Layer.__call__, keras.ops.convert_to_numpy
    inputs = np.asarray(inputs, dtype=np.float32)
    parts = [
        np.asarray(
            convert(call(model, inputs[i : i + batch_size], training=False))
        )
        for i in range(0, len(inputs), batch_size)
    ]
    return np.concatenate(parts) if parts else np.zeros((0,), np.float32)
