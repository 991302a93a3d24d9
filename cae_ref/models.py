"""The convolutional autoencoder: encoder, decoder and the model joining them (chapter 4).

The defaults rebuild the report's baseline exactly (185,217 parameters)::

    encoder  28x28x1 -> Conv2D(32) 28x28x32 -> MaxPool 14x14x32
                     -> Conv2D(64) 14x14x64 -> MaxPool 7x7x64 -> Conv2D(128) 7x7x128
    decoder  7x7x128 -> Conv2DTranspose(64, s2) 14x14x64 -> Conv2DTranspose(32, s2) 28x28x32
                     -> Conv2D(1, sigmoid) 28x28x1

With ``latent_dim`` set, a Dense bottleneck of that many numbers sits between them. With
``batch_norm=True`` every hidden convolution is followed by batch normalisation (the fast
recipe of ``benchmarks/bench_fast_recipe.py``); its trainable parameters stay 185,217.
"""

from __future__ import annotations

from collections.abc import Sequence

from cae_ref._tf import keras
from cae_ref.preprocessing import IMAGE_SHAPE
from cae_ref.recipe import BASELINE_FILTERS as BASELINE_FILTERS

layers = keras.layers

# How the encoder halves the image: a 2x2 max pool after a convolution, or a
# stride-2 convolution in its place.
DOWNSAMPLING = ("pool", "stride")


def _check_filters(filters: Sequence[int]) -> tuple[int, ...]:
    filters = tuple(filters)
    if not filters or any(not isinstance(f, int) or f < 1 for f in filters):
        raise ValueError(
            f"filters must be a non-empty sequence of positive integers, got {filters!r}"
        )
    if IMAGE_SHAPE[0] % 2 ** (len(filters) - 1):
        raise ValueError(
            f"{len(filters)} conv blocks pool 28x28 {len(filters) - 1} times, which does not divide evenly"
        )
    return filters


def _check_latent_dim(latent_dim: int | None) -> None:
    if latent_dim is not None and (
        not isinstance(latent_dim, int) or latent_dim < 1
    ):
        raise ValueError(
            f"latent_dim must be a positive integer or None, got {latent_dim!r}"
        )


def feature_map_shape(
    filters: Sequence[int] = BASELINE_FILTERS,
) -> tuple[int, int, int]:
    """Shape of the last convolutional feature map, e.g. (7, 7, 128) for the baseline."""
    filters = _check_filters(filters)
    side = IMAGE_SHAPE[0] // 2 ** (len(filters) - 1)
    return (side, side, filters[-1])


def latent_shape(
    filters: Sequence[int] = BASELINE_FILTERS, latent_dim: int | None = None
) -> tuple[int, ...]:
    """Shape of one code: the feature map, or ``(latent_dim,)`` with a dense bottleneck."""
    _check_latent_dim(latent_dim)
    return feature_map_shape(filters) if latent_dim is None else (latent_dim,)


def _relu_conv(
    layer_type: type,
    count: int,
    kernel_size: int,
    batch_norm: bool,
    name: str,
    **kwargs,
):
    """A ReLU convolution; with ``batch_norm`` the conv loses its bias and BatchNorm replaces it.

    BatchNorm keeps only its offset (``scale=False``): a scale before ReLU and a linear layer is
    redundant, so the trainable parameters stay those of the plain convolution.
    """

    def apply(x):
        if not batch_norm:
            return layer_type(
                count,
                kernel_size,
                activation="relu",
                padding="same",
                name=name,
                **kwargs,
            )(x)
        x = layer_type(
            count,
            kernel_size,
            padding="same",
            use_bias=False,
            name=name,
            **kwargs,
        )(x)
        x = layers.BatchNormalization(scale=False, name=f"{name}_bn")(x)
        return layers.ReLU(name=f"{name}_relu")(x)

    return apply


def build_encoder(
    filters: Sequence[int] = BASELINE_FILTERS,
    latent_dim: int | None = None,
    kernel_size: int = 3,
    name: str = "encoder",
    batch_norm: bool = False,
    downsampling: str = "pool",
) -> keras.Model:
    """Build the encoder: 3x3 ReLU convolutions with 2x2 max pooling between them.

    ``latent_dim=None`` keeps the feature map as the code (7x7x128 = 6,272 numbers for
    the baseline); an integer adds Flatten + Dense(latent_dim) for a smaller code.
    ``batch_norm=True`` normalises every convolution's output before its ReLU.
    ``downsampling="stride"`` drops the pooling layers and gives the convolutions
    before them stride 2 instead (chapter 4): same shapes, same parameters.
    """
    filters = _check_filters(filters)
    _check_latent_dim(latent_dim)
    if downsampling not in DOWNSAMPLING:
        raise ValueError(
            f"downsampling must be one of {DOWNSAMPLING}, got {downsampling!r}"
        )
    inputs = keras.Input(shape=IMAGE_SHAPE, name="image")
    x = inputs
    for index, count in enumerate(filters):
        last = index == len(filters) - 1
        strided = downsampling == "stride" and not last
        x = _relu_conv(
            layers.Conv2D,
            count,
            kernel_size,
            batch_norm,
            f"conv{index + 1}",
            **({"strides": 2} if strided else {}),
        )(x)
        if not last and downsampling == "pool":
            x = layers.MaxPooling2D(
                2, padding="same", name=f"pool{index + 1}"
            )(x)
    if latent_dim is not None:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(latent_dim, name="code")(x)
    return keras.Model(inputs, x, name=name)


def build_decoder(
    filters: Sequence[int] = BASELINE_FILTERS,
    latent_dim: int | None = None,
    kernel_size: int = 3,
    name: str = "decoder",
    batch_norm: bool = False,
) -> keras.Model:
    """Build the decoder that mirrors ``build_encoder`` with stride-2 transposed convolutions.

    The last layer is a 3x3 Conv2D with one sigmoid channel, so pixels lie in [0, 1]; it
    computes in float32 even under a mixed-precision policy. ``batch_norm`` as in the encoder.
    """
    filters = _check_filters(filters)
    inputs = keras.Input(shape=latent_shape(filters, latent_dim), name="code")
    x = inputs
    if latent_dim is not None:
        side, _, channels = feature_map_shape(filters)
        x = layers.Dense(
            side * side * channels, activation="relu", name="expand"
        )(x)
        x = layers.Reshape((side, side, channels), name="unflatten")(x)
    for index, count in enumerate(reversed(filters[:-1])):
        x = _relu_conv(
            layers.Conv2DTranspose,
            count,
            kernel_size,
            batch_norm,
            f"deconv{index + 1}",
            strides=2,
        )(x)
    outputs = layers.Conv2D(
        1,
        kernel_size,
        activation="sigmoid",
        padding="same",
        dtype="float32",
        name="pixels",
    )(x)
    return keras.Model(inputs, outputs, name=name)


def build_autoencoder(
    encoder: keras.Model | None = None,
    decoder: keras.Model | None = None,
    name: str = "autoencoder",
) -> keras.Model:
    """Join an encoder and a decoder (the baseline ones when omitted) into one model."""
    encoder = build_encoder() if encoder is None else encoder
    decoder = build_decoder() if decoder is None else decoder
    if tuple(encoder.output.shape[1:]) != tuple(decoder.input.shape[1:]):
        raise ValueError(
            f"encoder output {tuple(encoder.output.shape)} does not fit decoder input {tuple(decoder.input.shape)}"
        )
    inputs = keras.Input(shape=IMAGE_SHAPE, name="image")
    return keras.Model(inputs, decoder(encoder(inputs)), name=name)
