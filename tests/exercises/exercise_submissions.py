"""Simulated student submissions: correct-but-different designs and hostile notebooks.

Each student maps an assignment to the solution cells they wrote (grade_id -> cell source); cells
not listed keep the reference solution. ``ROBUST`` names the test cells each hostile submission
must lose; every other test cell must keep its full points. ``EDITS`` change the notebook's
structure. The typical mistakes live in ``grading/mistakes.py`` (shared with calibration).
"""

from __future__ import annotations

from collections.abc import Callable

import nbformat

from grading.mistakes import MISTAKES

# ---------------------------------------------------------------- correct but different
ALT_SEQUENTIAL = {
    "01_data": {
        "preprocess": '''
def preprocess(images):
    """Turn uint8 images (N, 28, 28) into float32 images (N, 28, 28, 1) with values in [0, 1]."""
    scaled = np.asarray(images, dtype=np.float32) / np.float32(255)
    return np.expand_dims(scaled, axis=-1)
''',
    },
    "02_architecture": {
        "conv_output_size": '''
def conv_output_size(size, kernel_size, strides=1, padding="valid"):
    """Length of a Conv2D or MaxPooling2D output along one axis."""
    if padding == "same":
        return -(-size // strides)
    return (size - kernel_size) // strides + 1
''',
        "conv_transpose_output_size": '''
def conv_transpose_output_size(size, kernel_size, strides=1, padding="valid", output_padding=None):
    """Length of a Conv2DTranspose output along one axis."""
    if output_padding is None:
        if padding == "same":
            return size * strides
        return size * strides + max(kernel_size - strides, 0)
    pad = kernel_size // 2 if padding == "same" else 0
    return (size - 1) * strides + kernel_size - 2 * pad + output_padding
''',
        # strided convolutions instead of pooling, other filter counts
        "build_encoder": '''
def build_encoder():
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, 7, 7, 128)."""
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.Conv2D(48, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2D(128, 3, strides=2, padding="same", activation="relu"),
    ])
''',
        # UpSampling2D + Conv2D instead of transposed convolutions
        "build_decoder": '''
def build_decoder():
    """Return a new Keras model mapping codes (N, 7, 7, 128) to images (N, 28, 28, 1) in [0, 1]."""
    return keras.Sequential([
        keras.Input(shape=(7, 7, 128)),
        layers.UpSampling2D(2),
        layers.Conv2D(48, 3, padding="same", activation="relu"),
        layers.UpSampling2D(2),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ])
''',
        "build_autoencoder": '''
def build_autoencoder(encoder, decoder):
    """Return one Keras model mapping images through encoder, then decoder."""
    return keras.Sequential([keras.Input(shape=(28, 28, 1)), encoder, decoder])
''',
    },
    "03_training": {
        "compile_autoencoder": '''
def compile_autoencoder(model):
    """Compile model with Adam (learning rate 1e-3) and a pixel reconstruction loss; return the model."""
    model.compile(optimizer="adam", loss="mse")
    return model
''',
        "train_autoencoder": '''
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    """Fit model to reconstruct x_train, validating on x_val; return the History from model.fit."""
    return model.fit(x_train, x_train, epochs=epochs, batch_size=batch_size, validation_data=(x_val, x_val),
                     verbose=0)
''',
    },
    "04_latent_space": {
        "encode": '''
def encode(encoder, images):
    """Return the codes of images as a 2-D float array with one flat row per image."""
    codes = encoder.predict(images, verbose=0)
    return codes.reshape(codes.shape[0], -1)
''',
        "project_2d": '''
def project_2d(codes):
    """Project rows (N, D) to 2-D points (N, 2)."""
    centred = codes - codes.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    return centred @ components[:2].T
''',
        "separation_score": '''
def separation_score(train_codes, train_labels, test_codes, test_labels):
    """Accuracy of a 1-nearest-neighbour classifier, written with NumPy."""
    distances = ((test_codes ** 2).sum(1)[:, None] - 2 * test_codes @ train_codes.T
                 + (train_codes ** 2).sum(1)[None, :])
    predicted = np.asarray(train_labels)[distances.argmin(axis=1)]
    return float(np.mean(predicted == np.asarray(test_labels)))
''',
    },
    "05_denoising": {
        "add_gaussian_noise": '''
def add_gaussian_noise(images, noise_factor, seed):
    """Return images + noise_factor * N(0, 1) noise, clipped to [0, 1], as float32."""
    rng = np.random.default_rng(seed)
    noisy = images + rng.normal(0.0, noise_factor, size=images.shape)
    return np.clip(noisy, 0, 1).astype("float32")
''',
        "psnr": '''
def psnr(clean, other):
    """Mean over images of the peak signal-to-noise ratio in dB."""
    errors = np.mean((np.asarray(clean, np.float64) - np.asarray(other, np.float64)) ** 2, axis=(1, 2, 3))
    return float(np.mean(10 * np.log10(1.0 / errors)))
''',
        "train_denoiser": '''
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    """Fit model to map noisy images to clean ones; return the History."""
    return model.fit(x_train_noisy, x_train, validation_data=(x_val_noisy, x_val), epochs=epochs,
                     batch_size=batch_size, verbose=0)
''',
    },
}

ALT_SUBCLASSED = {
    "02_architecture": {
        "build_encoder": '''
class Encoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [layers.Conv2D(24, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
                       layers.Conv2D(40, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
                       layers.Conv2D(128, 3, padding="same", activation="relu")]

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return x


def build_encoder():
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, 7, 7, 128)."""
    return Encoder()
''',
        "build_decoder": '''
class Decoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.up1 = layers.Conv2DTranspose(40, 3, strides=2, padding="same", activation="relu")
        self.up2 = layers.Conv2DTranspose(24, 3, strides=2, padding="same", activation="relu")
        self.out = layers.Conv2D(1, 3, padding="same", activation="sigmoid")

    def call(self, x):
        return self.out(self.up2(self.up1(x)))


def build_decoder():
    """Return a new Keras model mapping codes (N, 7, 7, 128) to images (N, 28, 28, 1) in [0, 1]."""
    return Decoder()
''',
        "build_autoencoder": '''
class Autoencoder(keras.Model):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder, self.decoder = encoder, decoder

    def call(self, x):
        return self.decoder(self.encoder(x))


def build_autoencoder(encoder, decoder):
    """Return one Keras model mapping images through encoder, then decoder."""
    return Autoencoder(encoder, decoder)
''',
    },
    "04_latent_space": {
        "separation_score": '''
def separation_score(train_codes, train_labels, test_codes, test_labels):
    """Test accuracy of a nearest-centroid classifier."""
    from sklearn.neighbors import NearestCentroid
    return NearestCentroid().fit(train_codes, train_labels).score(test_codes, test_labels)
''',
    },
    "05_denoising": {
        "psnr": '''
import tensorflow as tf


def psnr(clean, other):
    """Mean over images of the peak signal-to-noise ratio in dB."""
    return float(tf.reduce_mean(tf.image.psnr(clean, other, max_val=1.0)))
''',
        "train_denoiser": '''
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    """Fit model to map noisy images to clean ones; return the History."""
    history = model.fit(x_train_noisy, x_train, validation_data=(x_val_noisy, x_val), epochs=epochs,
                        batch_size=batch_size, shuffle=False, verbose=0)
    return history
''',
    },
}

# ---------------------------------------------------------------- hostile or odd submissions
ALL = "*"  # every test cell of the notebook

ROBUST: dict[str, tuple[str, dict[str, str], set[str] | str]] = {
    "raises": (
        "02_architecture",
        {"build_decoder": "def build_decoder():\n    raise ValueError('not done yet')\n"},
        {"test_build_decoder_shape", "test_build_decoder_range"},
    ),
    "loops_forever": (
        "02_architecture",
        {
            "conv_transpose_output_size": """
def conv_transpose_output_size(size, kernel_size, strides=1, padding="valid", output_padding=None):
    if padding == "same" and output_padding is None:
        return size * strides
    while True:  # a bug: this branch never ends
        pass
"""
        },
        {"test_conv_transpose_output_size"},
    ),
    # Correct code that writes to stderr (prints, warnings): stderr is not graded.
    "prints_to_stderr": (
        "01_data",
        {
            "preprocess": """
import sys
import warnings


def preprocess(images):
    print("debug: preprocess called", file=sys.stderr)
    warnings.warn("this is only a warning")
    return (images.astype(np.float32) / 255.0)[..., np.newaxis]


print("solution cell loaded", file=sys.stderr)
"""
        },
        set(),
    ),
    "calls_sys_exit": (
        "01_data",
        {"preprocess": "import sys\n\n\ndef preprocess(images):\n    sys.exit('giving up')\n"},
        ALL,
    ),
    "kills_kernel": (
        "01_data",
        {"preprocess": "import os\n\n\ndef preprocess(images):\n    os._exit(1)\n"},
        ALL,
    ),
    # A wrong answer hidden behind patched helpers: the tests reload cae_ref.checks and gain nothing.
    "monkeypatches_checks": (
        "01_data",
        {
            "preprocess": """
import cae_ref.checks


def preprocess(images):
    return images.astype(np.float32)[..., np.newaxis]


cae_ref.checks.quiet_call = lambda function, *args, **kwargs: cae_ref.preprocess_images(*args)
cae_ref.checks.expected_got = lambda *args, **kwargs: "ok"
checks = cae_ref.checks
"""
        },
        {"test_preprocess_range", "test_preprocess_reference"},
    ),
    "allocates_huge_array": (
        "01_data",
        {
            "preprocess": """
def preprocess(images):
    buffer = np.ones((len(images), 28, 28, 1, 10**9), dtype=np.float64)
    return buffer[..., 0].astype(np.float32) / 255.0
"""
        },
        ALL,
    ),
    # Wrong code with the locked tests edited to pass: nbgrader restores them from the gradebook.
    "edits_test_cells": (
        "01_data",
        {"preprocess": MISTAKES["not_normalised"].sources["preprocess"]},
        {"test_preprocess_range", "test_preprocess_reference"},
    ),
    # Wrong code and the failing test cell deleted: nbgrader puts the cell back and runs it.
    "deletes_test_cell": (
        "01_data",
        {"preprocess": MISTAKES["not_normalised"].sources["preprocess"]},
        {"test_preprocess_range", "test_preprocess_reference"},
    ),
    # Correct code with extra cells inserted between the locked ones.
    "inserts_cells": ("01_data", {}, set()),
}


def _edit_tests(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = '"""Edited by the student."""\npass\n'


def _delete_test(nb: nbformat.NotebookNode) -> None:
    drop = {"test_preprocess_range", "test_preprocess_reference"}
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]


def _insert_cells(nb: nbformat.NotebookNode) -> None:
    extra = [
        nbformat.v4.new_markdown_cell("My notes: divide by 255."),
        nbformat.v4.new_code_cell("x_train_raw[:1].shape"),
        nbformat.v4.new_code_cell("plt.imshow(x_train_raw[0], cmap='gray');"),
    ]
    nb.cells[4:4] = extra[:1]
    nb.cells[-1:-1] = extra[1:]


EDITS: dict[str, Callable[[nbformat.NotebookNode], None]] = {
    "edits_test_cells": _edit_tests,
    "deletes_test_cell": _delete_test,
    "inserts_cells": _insert_cells,
}
