"""Assignment 02, the architecture: its simulated students (no threshold to calibrate)."""

from __future__ import annotations

from grading.simulated import Mistake, Tamper, substituted

ASSIGNMENT = "02_architecture"
RECORD = None  # no threshold of its own: nothing calibrated
REBINDS = "no_pooling"

# build_decoder: as 'linear_output' writes it; near-identical students are named substitutions of it
_BUILD_DECODER = """
def build_decoder():
    inputs = keras.Input(shape=(7, 7, 128))
    x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(inputs)
    x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(1, 3, padding="same")(x)
    return keras.Model(inputs, outputs)
"""


MISTAKES: dict[str, Mistake] = {
    "no_pooling": Mistake(
        ASSIGNMENT,
        {
            "build_encoder": """
def build_encoder():
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.Conv2D(128, 3, padding="same", activation="relu"),
    ])
"""
        },
        {"test_build_encoder_shape"},
    ),
    "valid_padding": Mistake(
        ASSIGNMENT,
        {
            "build_encoder": """
def build_encoder():
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(128, 3, activation="relu")(x)
    return keras.Model(inputs, x)
"""
        },
        {"test_build_encoder_shape"},
    ),
    "linear_output": Mistake(
        ASSIGNMENT,
        {"build_decoder": _BUILD_DECODER},
        {"test_build_decoder_range"},
    ),
    # A ReLU output (issue 25): in 02 it loses the range test; pasted into 03 to 05 it falls back to the course's
    # model (the own-model check probes large codes) and costs nothing there (tests/exercises/test_exercises_fair.py).
    "relu_output": Mistake(
        ASSIGNMENT,
        {
            "build_decoder": substituted(
                "relu_output",
                _BUILD_DECODER,
                ('"same")(x', '"same", activation="relu")(x'),
            )
        },
        {"test_build_decoder_range"},
    ),
    "transpose_no_kernel": Mistake(
        ASSIGNMENT,
        {
            "conv_transpose_output_size": (
                "def conv_transpose_output_size(size, kernel_size, strides=1, padding='valid', output_padding=None):\n"
                "    return size * strides\n"
            )
        },
        {"test_conv_transpose_output_size"},
    ),
}

TAMPER: dict[str, Tamper] = {
    "tamper_lying_numbers": Tamper(
        ASSIGNMENT,
        {
            "conv_output_size": '''
class Anything:
    """Equal to every number."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


def conv_output_size(size, kernel_size, strides=1, padding="valid"):
    if padding == "valid" and kernel_size > size:
        raise ValueError("no output")
    return Anything()
''',
            "conv_transpose_output_size": '''
class Size(int):
    """An int that equals every number."""

    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


def conv_transpose_output_size(size, kernel_size, strides=1, padding="valid", output_padding=None):
    return Size(0)
''',
        },
        {"test_conv_output_size", "test_conv_transpose_output_size"},
        "not measured: exact ints were not required before",
    ),
    "tamper_decoder_predict": Tamper(
        ASSIGNMENT,
        {
            "build_decoder": '''
def build_decoder():
    """No sigmoid: the instance's predict and __call__ are replaced to clip the outputs instead."""
    code = keras.Input(shape=(7, 7, 128))
    x = layers.Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same")(code)
    x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
    model = keras.Model(code, layers.Conv2D(1, 3, padding="same")(x), name="decoder")
    raw = model.predict
    model.predict = lambda codes, *args, **kwargs: np.clip(raw(codes, *args, **kwargs), 0.0, 1.0)
    model.__call__ = lambda codes, *args, **kwargs: np.clip(raw(codes, verbose=0), 0.0, 1.0)
    return model
''',
        },
        {"test_build_decoder_shape", "test_build_decoder_range"},
        "not measured",
    ),
}
