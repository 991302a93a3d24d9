"""Shape arithmetic of convolution, pooling and transposed convolution (chapter 4).

Each formula is the one Keras uses, so a hand calculation predicts ``model.summary()``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cae_ref._tf import keras

_PADDINGS = ("valid", "same")


def _check(
    size: int,
    kernel_size: int,
    strides: int,
    padding: str,
    dilation_rate: int = 1,
) -> None:
    for name, value in (
        ("size", size),
        ("kernel_size", kernel_size),
        ("strides", strides),
    ):
        if not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{name} must be a positive integer, got {value!r}"
            )
    if not isinstance(dilation_rate, int) or dilation_rate < 1:
        raise ValueError(
            f"dilation_rate must be a positive integer, got {dilation_rate!r}"
        )
    if padding not in _PADDINGS:
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")


def conv_output_size(
    size: int,
    kernel_size: int,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
) -> int:
    """Output length of Conv2D along one axis: ``floor((n - k) / s) + 1`` ('valid'), ``ceil(n / s)`` ('same').

    Raises ValueError for 'valid' padding when the kernel is larger than the input (Keras refuses it too).
    """
    _check(size, kernel_size, strides, padding, dilation_rate)
    effective_kernel = (kernel_size - 1) * dilation_rate + 1
    if padding == "same":
        return math.ceil(size / strides)
    if effective_kernel > size:
        raise ValueError(
            f"kernel {effective_kernel} is larger than the input {size} with 'valid' padding"
        )
    return (size - effective_kernel) // strides + 1


def pool_output_size(
    size: int,
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
) -> int:
    """Output length of MaxPooling2D along one axis (``strides`` defaults to ``pool_size``)."""
    return conv_output_size(
        size, pool_size, pool_size if strides is None else strides, padding
    )


def conv_transpose_output_size(
    size: int,
    kernel_size: int,
    strides: int = 1,
    padding: str = "valid",
    output_padding: int | None = None,
    dilation_rate: int = 1,
) -> int:
    """Output length of Conv2DTranspose along one axis.

    Without ``output_padding``: ``n * s`` ('same') or ``n * s + max(k - s, 0)`` ('valid').
    With it: ``(n - 1) * s + k + p`` ('valid') or ``(n - 1) * s + k % 2 + p`` ('same').
    """
    _check(size, kernel_size, strides, padding, dilation_rate)
    effective_kernel = (kernel_size - 1) * dilation_rate + 1
    if output_padding is not None and not 0 <= output_padding < strides:
        raise ValueError(
            f"output_padding must lie in [0, strides={strides}), got {output_padding}"
        )
    if padding == "valid":
        extra = (
            max(effective_kernel, strides) - effective_kernel
            if output_padding is None
            else output_padding
        )
        return (size - 1) * strides + effective_kernel + extra
    if output_padding is None:
        return size * strides
    return (size - 1) * strides + effective_kernel % 2 + output_padding


@dataclass(frozen=True)
class LayerTrace:
    """One row of a model's shape trace."""

    name: str
    layer_type: str
    output_shape: tuple[int | None, ...]
    params: int


def _flatten_layers(model: keras.Model) -> list[keras.layers.Layer]:
    layers: list[keras.layers.Layer] = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            layers.extend(_flatten_layers(layer))
        elif not isinstance(layer, keras.layers.InputLayer):
            layers.append(layer)
    return layers


def trace_model(model: keras.Model) -> list[LayerTrace]:
    """List every layer of ``model`` (nested models unrolled) with output shape and parameter count."""
    rows = []
    for layer in _flatten_layers(model):
        shape = layer.output.shape if hasattr(layer, "output") else None
        rows.append(
            LayerTrace(
                layer.name,
                type(layer).__name__,
                tuple(shape),
                layer.count_params(),
            )
        )
    return rows


def format_trace(rows: list[LayerTrace]) -> str:
    """Render a shape trace as a fixed-width text table with a parameter total."""
    header = f"{'layer':<24}{'type':<18}{'output shape':<22}{'params':>10}"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.name:<24}{row.layer_type:<18}{row.output_shape!s:<22}{row.params:>10,}"
        )
    lines.append("-" * len(header))
    lines.append(f"{'total':<64}{sum(row.params for row in rows):>10,}")
    return "\n".join(lines)
