"""Assignment 06, the bottleneck: its simulated students and the path of its calibration record."""

from __future__ import annotations

from pathlib import Path

from grading.simulated import Mistake, Tamper, substituted

ASSIGNMENT = "06_bottleneck"
RECORD = Path(__file__).with_name("calibration.json")  # written by `python -m grading calibrate`
REBINDS = "bottleneck_psnr_255"

_PART_C_06 = {"test_psnr_by_size_honest", "test_bottleneck_gain"}

_DELEGATES_06 = '''
def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    """Trains each size itself, then measures it with the course's own PSNR (the answer key)."""
    result = {}
    for latent_dim in latent_dims:
        model = make_autoencoder(latent_dim)
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy")
        model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size, verbose=0)
        result[latent_dim] = cae_ref.psnr(x_test, model.predict(x_test, verbose=0))
    return result
'''

# build_bottleneck_encoder: as 'code_relu' writes it; near-identical students are named substitutions of it
_BUILD_BOTTLENECK_ENCODER = """
def build_bottleneck_encoder(latent_dim):
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(128, 3, activation="relu", padding="same")(x)
    return keras.Model(inputs, layers.Dense(latent_dim, activation="relu")(layers.Flatten()(x)))
"""

# build_bottleneck_decoder: as 'decoder_input_fixed' writes it; near-identical students are named substitutions of it
_BUILD_BOTTLENECK_DECODER = """
def build_bottleneck_decoder(latent_dim):
    code = keras.Input(shape=(2,))
    x = layers.Dense(7 * 7 * 128, activation="relu")(code)
    x = layers.Reshape((7, 7, 128))(x)
    x = layers.Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
    return keras.Model(code, layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x))
"""

# psnr_by_size: as 'bottleneck_sgd' writes it; near-identical students are named substitutions of it
_PSNR_BY_SIZE = """
def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    result = {}
    for latent_dim in latent_dims:
        model = make_autoencoder(latent_dim)
        model.compile(optimizer="sgd", loss="binary_crossentropy")
        model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size, verbose=0)
        mse = np.mean((x_test - model.predict(x_test, verbose=0)) ** 2, axis=(1, 2, 3))
        result[latent_dim] = float(np.mean(10 * np.log10(1.0 / mse)))
    return result
"""


MISTAKES: dict[str, Mistake] = {
    "conv_code_returned": Mistake(
        ASSIGNMENT,
        {
            "build_bottleneck_encoder": substituted(
                "conv_code_returned",
                _BUILD_BOTTLENECK_ENCODER,
                ("x = layers.Conv2D(128", "code = layers.Conv2D(latent_dim"),
                ('layers.Dense(latent_dim, activation="relu")(layers.Flatten()(x))', "code"),
            )
        },
        # a ReLU feature map, not a code: every encoder test of Part A
        {"test_build_bottleneck_encoder_shape", "test_build_bottleneck_encoder_linear", "test_bottleneck_any_size"},
    ),
    "decoder_input_fixed": Mistake(
        ASSIGNMENT,
        {"build_bottleneck_decoder": _BUILD_BOTTLENECK_DECODER},
        {"test_build_bottleneck_decoder_shape", "test_bottleneck_any_size"},
    ),
    "bottleneck_no_sigmoid": Mistake(
        ASSIGNMENT,
        {
            "build_bottleneck_decoder": substituted(
                "bottleneck_no_sigmoid",
                _BUILD_BOTTLENECK_DECODER,
                ("shape=(2,)", "shape=(latent_dim,)"),
                ('activation="sigmoid", padding', "padding"),
            )
        },
        {"test_build_bottleneck_decoder_range"},
    ),
    # An activation on the code squeezes it; the PSNR gain even grows (a 2-number softmax code is 1 number),
    # so the linear-code test catches it, not the gain threshold.
    "code_softmax": Mistake(
        ASSIGNMENT,
        {
            "build_bottleneck_encoder": substituted(
                "code_softmax",
                _BUILD_BOTTLENECK_ENCODER,
                ('activation="relu")', 'activation="softmax")'),
            )
        },
        {"test_build_bottleneck_encoder_linear"},
        calibration="softmax on the code",
        autograded=False,
    ),
    "code_relu": Mistake(
        ASSIGNMENT,
        {"build_bottleneck_encoder": _BUILD_BOTTLENECK_ENCODER},
        {"test_build_bottleneck_encoder_linear"},
        calibration="relu on the code",
    ),
    "bottleneck_categorical": Mistake(
        ASSIGNMENT,
        {
            "psnr_by_size": substituted(
                "bottleneck_categorical",
                _PSNR_BY_SIZE,
                ('sgd", loss="binary_crossentropy', 'adam", loss="categorical_crossentropy'),
            )
        },
        {"test_bottleneck_gain"},
        calibration="categorical cross-entropy",
    ),
    "bottleneck_sgd": Mistake(
        ASSIGNMENT,
        {"psnr_by_size": _PSNR_BY_SIZE},
        {"test_bottleneck_gain"},
        calibration="optimizer='sgd'",
        autograded=False,
    ),
    "sizes_swapped": Mistake(
        ASSIGNMENT,
        {
            "psnr_by_size": substituted(
                "sizes_swapped",
                _PSNR_BY_SIZE,
                ("result = {}", "values = []"),
                ('optimizer="sgd",', 'optimizer="adam",'),
                (
                    "result[latent_dim] = float(np.mean(10 * np.log10(1.0 / mse",
                    "values.append(float(np.mean(10 * np.log10(1.0 / mse)",
                ),
                ("return result\n", "return dict(zip(latent_dims, sorted(values, reverse=True)))\n"),
            )
        },
        {"test_psnr_by_size_honest"},
    ),
    "bottleneck_psnr_255": Mistake(
        ASSIGNMENT,
        {
            "psnr_by_size": substituted(
                "bottleneck_psnr_255",
                _PSNR_BY_SIZE,
                ('optimizer="sgd",', 'optimizer="adam",'),
                ("log10(1.0 ", "log10(255.0**2 "),
            )
        },
        {"test_psnr_by_size", "test_psnr_by_size_honest"},
    ),
}

TAMPER: dict[str, Tamper] = {
    "tamper_instance_predict_06": Tamper(
        ASSIGNMENT,
        {
            "psnr_by_size": '''
def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    """Never trains: each model's predict is replaced, and the PSNR measured through it."""
    result = {}
    for latent_dim in latent_dims:
        model = make_autoencoder(latent_dim)
        blur = 0.1 if latent_dim < 10 else 0.03
        model.predict = lambda images, *args, blur=blur, **kwargs: (1 - 2 * blur) * np.asarray(images) + blur
        mse = np.mean((x_test - model.predict(x_test, verbose=0)) ** 2, axis=(1, 2, 3))
        result[latent_dim] = float(np.mean(10 * np.log10(1.0 / mse)))
    return result
''',
        },
        _PART_C_06,
        "not measured; by reading the old cells 12 of 12 (cae_ref.reconstruct called the replaced predict)",
    ),
    "tamper_class_predict_06": Tamper(
        ASSIGNMENT,
        {
            "psnr_by_size": '''
def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    """Never trains: keras.Model.predict is patched for every model."""
    keras.Model.predict = lambda self, images, *args, **kwargs: 0.9 * np.asarray(images) + 0.05
    result = {}
    for latent_dim in latent_dims:
        model = make_autoencoder(latent_dim)
        mse = np.mean((x_test - model.predict(x_test, verbose=0)) ** 2, axis=(1, 2, 3))
        result[latent_dim] = float(np.mean(10 * np.log10(1.0 / mse))) + latent_dim / 8
    return result
''',
        },
        # patching Keras inside the guarded call: the call never counts as finished (issue 25), so the
        # shape check of what it returned goes too (a patched instance, above, is caught by part C only)
        _PART_C_06 | {"test_psnr_by_size"},
        "not measured",
    ),
    "delegates_psnr_by_size_06": Tamper(
        ASSIGNMENT,
        {"psnr_by_size": _DELEGATES_06},
        {"test_psnr_by_size", "test_psnr_by_size_honest", "test_bottleneck_gain"},
        "+5 (psnr_by_size ran outside the guarded call)",
    ),
}
