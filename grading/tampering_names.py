"""Simulated students of issue 25: names rebound in the notebook, Histories and arrays that lie, delegation.

``REBINDING`` holds one student per assignment: a typical mistake (``grading/mistakes.py``) whose cell
also rebinds, in the notebook's namespace, every builtin the old test cells read that the notebook's own
code does not need (``abs``, ``len``, ``float``, ``isinstance``), the module aliases (``np`` to a copy of
NumPy whose comparisons always agree, ``checks`` to a copy of the checks with thresholds that pass anything
and a ``graded_call`` without the guard) and the grader's entry point (``grade`` to a function that
does nothing). Before issue 25 such rebindings gained points; now each student loses exactly its
mistake's test cells. ``LYING`` holds the Histories padded after ``fit`` or faked by a History
subclass, the ndarray subclass whose comparisons always agree, and 06's delegating ``psnr_by_size``.
``grading/tampering.py`` adds both to ``TAMPER``, so the classes of ``tests/exercises`` grade them.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from grading.mistakes import MISTAKES

REPO = Path(__file__).resolve().parents[1]

# assignment -> the typical mistake each rebinding student makes
REBINDING_MISTAKES = {
    "01_data": "no_channel_axis",
    "02_architecture": "no_pooling",
    "03_training": "trains_on_val",
    "04_latent_space": "error_rate",
    "05_denoising": "psnr_peak_255",
    "06_bottleneck": "bottleneck_psnr_255",
    "07_vae": "kl_sign_flipped",
    "08_few_labels": "encode_not_flattened",
}
LYING_BUILTINS = {
    "abs": "lambda x: 0",
    "len": "lambda x: 50",
    "float": "lambda x=0.0: 0.0",
    "isinstance": "lambda obj, kind: True",
}
_ALIASES = """

import types as _types

import numpy as _numpy
from cae_ref.grader import checks as _checks

np = _types.SimpleNamespace(**{_n: getattr(_numpy, _n) for _n in dir(_numpy) if not _n.startswith("__")})
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.isfinite = lambda values: _numpy.ones(_numpy.shape(values), bool)
checks = _types.SimpleNamespace(**vars(_checks))
checks.THRESHOLDS = {
    "training_mse": 1e9, "latent_accuracy": -1.0, "latent_shuffled_accuracy": 1e9, "denoising_gain_db": -1e9,
    "vae_elbo_gain": -1e9, "vae_history_gap": 1e9, "bottleneck_gain_db": -1e9, "few_label_agreement": 1e9,
}
checks.fitted_on = lambda *args, **kwargs: ""
checks.graded_call = lambda function, *args, **kwargs: function(*args, **kwargs)
grade = lambda *args, **kwargs: None
"""


def _notebook_code(assignment: str) -> str:
    """Every code cell of the source notebook but its test cells: the code that runs in the student's namespace."""
    notebook = nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return "\n".join(
        c.source for c in notebook.cells if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade")
    )


def rebinding_code(assignment: str, mistake_source: str) -> str:
    """The lines a rebinding student appends to its cell: lying builtins its notebook does not call, and aliases."""
    used = _notebook_code(assignment) + mistake_source
    lies = [f"{name} = {value}" for name, value in LYING_BUILTINS.items() if not re.search(rf"\b{name}\(", used)]
    return "\n\n" + "\n".join(lies) + _ALIASES


def rebinding_students() -> dict[str, tuple[str, dict[str, str], set[str]]]:
    """student -> (assignment, solution cells, the test cells it must lose): one per assignment."""
    students = {}
    for assignment, name in REBINDING_MISTAKES.items():
        mistake = MISTAKES[name]
        cell, source = next(iter(mistake.sources.items()))
        sources = {**mistake.sources, cell: source + rebinding_code(assignment, source)}
        students[f"rebinds_names_{assignment[:2]}"] = (assignment, sources, set(mistake.loses))
    return students


_PADDED_03 = '''
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    """One epoch on 64 images, then a History padded to the right number of decreasing epochs."""
    history = model.fit(x_train[:64], x_train[:64], validation_data=(x_val, x_val), epochs=1, batch_size=32, verbose=0)
    for key in ("loss", "val_loss"):
        first = history.history[key][0]
        history.history[key] = [first * 0.9**i for i in range(epochs)]
    history.epoch = list(range(epochs))
    return history
'''
_LYING_CALLBACK_03 = '''
class Claims(keras.callbacks.History):
    """A History that records a validation loss although fit never validates."""

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        logs.setdefault("val_loss", logs.get("loss", 0.0))
        super().on_epoch_end(epoch, logs)


def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    """Trains on every pair for every epoch, never validates, and passes a History subclass that claims it did."""
    return model.fit(x_train, x_train, epochs=epochs, batch_size=batch_size, callbacks=[Claims()], verbose=0)
'''
_PADDED_05 = '''
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    """One epoch on 64 pairs, then a History padded to the right number of epochs."""
    history = model.fit(
        x_train_noisy[:64], x_train[:64], validation_data=(x_val_noisy, x_val), epochs=1, batch_size=32, verbose=0
    )
    for key in ("loss", "val_loss"):
        history.history[key] = history.history[key] * epochs
    return history
'''
_LYING_ARRAY_08 = '''
class Agrees(np.ndarray):
    """An array whose comparisons always agree."""

    def __eq__(self, other):
        return np.ones(np.shape(self), bool).view(np.ndarray)

    def __array_function__(self, func, types, args, kwargs):
        if func in (np.allclose, np.array_equal, np.array_equiv):
            return True
        return super().__array_function__(func, types, args, kwargs)


def encode(encoder, images):
    """Zeros of the right shape, dressed as an array that agrees with everything."""
    width = int(np.prod(encoder.output.shape[1:]))
    return np.zeros((len(images), width), np.float32).view(Agrees)
'''
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

# student -> (assignment, solution cells, test cells it must lose, what it scored before issue 25)
LYING: dict[str, tuple[str, dict[str, str], set[str], str]] = {
    "history_padded_03": (
        "03_training",
        {"train_autoencoder": _PADDED_03},
        {"test_train_history", "test_heldout_mse"},
        "+2 (the history tests passed)",
    ),
    "history_subclass_03": (
        "03_training",
        {"train_autoencoder": _LYING_CALLBACK_03},
        {"test_train_history", "test_validation_loss"},
        "the history test passed on the claimed val_loss",
    ),
    "history_padded_05": (
        "05_denoising",
        {"train_denoiser": _PADDED_05},
        {"test_train_denoiser_history", "test_denoising_gain"},
        "+1 (the history test passed)",
    ),
    "lying_array_08": (
        "08_few_labels",
        {"encode": _LYING_ARRAY_08},
        {"test_encode", "test_few_label_accuracies_honest"},
        "+1 (test_encode passed with zeros)",
    ),
    "delegates_psnr_by_size_06": (
        "06_bottleneck",
        {"psnr_by_size": _DELEGATES_06},
        {"test_psnr_by_size", "test_psnr_by_size_honest", "test_bottleneck_gain"},
        "+5 (psnr_by_size ran outside the guarded call)",
    ),
}
