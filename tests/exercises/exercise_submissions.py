"""Simulated student submissions: correct-but-different designs, answer-key delegation, hostile notebooks.

Each student maps an assignment to the solution cells they wrote (grade_id -> cell source); cells
not listed keep the reference solution. ``DESIGN_STUDENTS`` paste their own model (grading/assignments/a02_architecture/designs.py)
into 02 and carry it into 03 to 05. ``DELEGATES`` reach cae_ref's answers by every route the guard
knows; each delegating function's test cells must score 0, every other one full points. ``ROBUST``
names the test cells each hostile submission must lose; every other test cell must keep its full
points; it holds the tampering students of 02 to 05 (``grading/assignments/``, issue 14). ``EDITS`` change
the notebook's structure. The typical mistakes live in ``grading/assignments/``
(shared with calibration).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import nbformat

from grading.assignments.a02_architecture.designs import ALTERNATIVES, PASTED_INTO
from grading.assignments import MISTAKES
from grading.assignments import TAMPER


def _own_model(design: str, answers: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """assignment -> cells: the design's model cells in every notebook that holds them, plus ``answers``."""
    assignments = sorted(set(PASTED_INTO) | set(answers))
    return {a: {**(ALTERNATIVES[design] if a in PASTED_INTO else {}), **answers.get(a, {})} for a in assignments}


# ---------------------------------------------------------------- correct but different
ALT_SEQUENTIAL = _own_model(
    "sequential",
    {
        "01_data": {
            "preprocess": '''
def preprocess(images):
    """Turn uint8 images (N, 28, 28) into float32 images (N, 28, 28, 1) with values in [0, 1]."""
    if np.asarray(images).dtype != np.uint8:
        raise TypeError("preprocess takes uint8 pixel values")
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
    if kernel_size > size:
        raise ValueError("no output: the kernel is larger than the input")
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
    },
)

ALT_SUBCLASSED = _own_model(
    "subclassed",
    {
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
    },
)

# Correct but different: each pastes its own design (grading/assignments/a02_architecture/designs.py) into 02 and carries it into 03 to 05.
DESIGN_STUDENTS: dict[str, dict[str, dict[str, str]]] = {
    "alt_sequential": ALT_SEQUENTIAL,
    "alt_subclassed": ALT_SUBCLASSED,
    "alt_upsampling": _own_model("upsampling", {}),
    "alt_strided": _own_model("strided", {}),
}


# ---------------------------------------------------------------- delegating to the answer key
class Delegation(NamedTuple):
    """A submission whose cells for ``functions`` reach cae_ref's answers; every other cell is the reference."""

    assignment: str
    sources: dict[str, str]
    functions: dict[str, tuple[str, set[str]]]  # delegating function -> (route, the test cells that must score 0)


_ENCODER_TESTS = {"test_build_encoder_shape", "test_build_encoder_layers"}
_DECODER_TESTS = {"test_build_decoder_shape", "test_build_decoder_range"}
_TRAINING_TESTS = {"test_train_history", "test_heldout_mse", "test_validation_loss"}
_DENOISER_TESTS = {"test_train_denoiser_history", "test_denoising_gain", "test_denoiser_validation"}

# Every graded function of 01 to 05 delegates in one of these, and every route appears at least once.
DELEGATES: dict[str, Delegation] = {
    "delegates_01": Delegation(
        "01_data",
        {
            "preprocess": """
def scale_pixels(images):
    return cae_ref.preprocess_images(images)


def preprocess(images):
    return scale_pixels(images)
"""
        },
        {
            "preprocess": (
                "a helper of the student's own",
                {"test_preprocess_shape", "test_preprocess_range", "test_preprocess_reference"},
            )
        },
    ),
    "delegates_02_a": Delegation(
        "02_architecture",
        {
            # correct own code, and an alias bound for the next cell
            "conv_output_size": """
def conv_output_size(size, kernel_size, strides=1, padding="valid"):
    if padding == "same":
        return (size + strides - 1) // strides
    if kernel_size > size:
        raise ValueError("the kernel does not fit")
    return (size - kernel_size) // strides + 1


transposed_size = cae_ref.conv_transpose_output_size
""",
            "conv_transpose_output_size": """
def conv_transpose_output_size(size, kernel_size, strides=1, padding="valid", output_padding=None):
    return transposed_size(size, kernel_size, strides, padding, output_padding)
""",
            "build_encoder": """
from cae_ref.models import build_encoder as course_encoder


def build_encoder():
    return course_encoder()
""",
            "build_autoencoder": """
def build_autoencoder(encoder, decoder):
    return getattr(cae_ref, "build_" + "autoencoder")(encoder, decoder)
""",
        },
        {
            "conv_transpose_output_size": ("an alias bound in an earlier cell", {"test_conv_transpose_output_size"}),
            "build_encoder": ("from cae_ref.models import ...", _ENCODER_TESTS),
            "build_autoencoder": ("getattr(module, computed name)", {"test_build_autoencoder"}),
        },
    ),
    "delegates_02_b": Delegation(
        "02_architecture",
        {
            "conv_output_size": """
def conv_output_size(size, kernel_size, strides=1, padding="valid"):
    return importlib.import_module("cae_ref.shapes").conv_output_size(size, kernel_size, strides, padding)
""",
            "build_encoder": "def build_encoder():\n    return cae_ref.build_encoder()\n",
            "build_decoder": """
def build_decoder():
    return __import__("cae_ref.models", fromlist=["build_decoder"]).build_decoder()
""",
        },
        {
            "conv_output_size": ("importlib.import_module", {"test_conv_output_size"}),
            "build_encoder": ("a direct call", _ENCODER_TESTS),
            "build_decoder": ("__import__", _DECODER_TESTS),
        },
    ),
    "delegates_03": Delegation(
        "03_training",
        {
            "compile_autoencoder": "def compile_autoencoder(model):\n    return cae_ref.compile_autoencoder(model)\n",
            "train_autoencoder": """
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    return cae_ref.train_autoencoder(model, x_train, x_val, epochs=epochs, batch_size=batch_size, quiet=True)
""",
        },
        {
            "compile_autoencoder": ("a direct call", {"test_compile_autoencoder"}),
            "train_autoencoder": ("a direct call", _TRAINING_TESTS),
        },
    ),
    "delegates_04": Delegation(
        "04_latent_space",
        {
            "encode": """
import sys


def encode(encoder, images):
    return sys.modules["cae_ref.latent"].encode_flat(encoder, images)


neighbours_accuracy = cae_ref.knn_accuracy
""",
            "project_2d": """
def project_2d(codes):
    return getattr(importlib.import_module("cae_ref.latent"), "project_" + "pca")(codes)
""",
            "separation_score": """
def separation_score(train_codes, train_labels, test_codes, test_labels):
    return neighbours_accuracy(train_codes, train_labels, test_codes, test_labels)
""",
        },
        {
            "encode": ("sys.modules", {"test_encode"}),
            "project_2d": ("importlib.import_module and a computed name", {"test_project_2d", "test_project_2d_other"}),
            "separation_score": (
                "an alias bound in an earlier cell",
                {"test_separation_score", "test_separation_honest"},
            ),
        },
    ),
    "delegates_05": Delegation(
        "05_denoising",
        {
            "add_gaussian_noise": """
import functools

add_gaussian_noise = functools.partial(cae_ref.add_gaussian_noise)
peak_ratio = cae_ref.psnr
""",
            "psnr": "def psnr(clean, other):\n    return peak_ratio(clean, other)\n",
            "train_denoiser": """
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    return cae_ref.train_autoencoder(model, x_train_noisy, x_val_noisy, y_train=x_train, y_val=x_val, epochs=epochs,
                                     batch_size=batch_size, quiet=True)
""",
        },
        {
            "add_gaussian_noise": (
                "functools.partial",
                {"test_add_gaussian_noise", "test_add_gaussian_noise_statistics"},
            ),
            "psnr": ("an alias bound in an earlier cell", {"test_psnr"}),
            "train_denoiser": ("a direct call", _DENOISER_TESTS),
        },
    ),
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
    if images.dtype != np.uint8:
        raise TypeError("uint8 only")
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
    # A wrong answer hidden behind patched helpers: the tests reload cae_ref.grader.checks and gain nothing.
    "monkeypatches_checks": (
        "01_data",
        {
            "preprocess": """
import cae_ref.grader.checks


def preprocess(images):
    return images.astype(np.float32)[..., np.newaxis]


cae_ref.grader.checks.quiet_call = lambda function, *args, **kwargs: cae_ref.preprocess_images(*args)
cae_ref.grader.checks.expected_got = lambda *args, **kwargs: "ok"
checks = cae_ref.grader.checks
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
    # Correct code with a training test deleted and another blanked: both are put back and keep their points.
    "deletes_blanks_training_tests": ("03_training", {}, set()),
    # Valid: the given pairs copied, shuffled and fed through tf.data (the recorded fit pairs accept them).
    "denoiser_dataset": (
        "05_denoising",
        {
            "train_denoiser": '''
import tensorflow as tf


def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    """Fit model to map noisy images to clean ones (validating on the validation pairs); return the History."""
    pairs = tf.data.Dataset.from_tensor_slices((np.copy(x_train_noisy), x_train.astype(np.float64)))
    pairs = pairs.shuffle(len(x_train), seed=0).batch(batch_size)
    validation = tf.data.Dataset.from_tensor_slices((x_val_noisy, x_val)).batch(batch_size)
    return model.fit(pairs, validation_data=validation, epochs=epochs, verbose=0)
'''
        },
        set(),
    ),
    # Tampering with the grading (issue 14): each loses the part it tampered with, nothing else.
    **{name: (t.assignment, t.sources, t.loses) for name, t in TAMPER.items() if t.assignment < "06"},
}


def _edit_tests(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = '"""Edited by the student."""\npass\n'


def _delete_test(nb: nbformat.NotebookNode) -> None:
    drop = {"test_preprocess_range", "test_preprocess_reference"}
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]


def _delete_and_blank_training_tests(nb: nbformat.NotebookNode) -> None:
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_heldout_mse"]
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_train_history":
            cell.source = ""


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
    "deletes_blanks_training_tests": _delete_and_blank_training_tests,
}
