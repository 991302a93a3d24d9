"""Exercise 06's valid designs and the calibration of its threshold ``bottleneck_gain_db``.

Each design is the solution cells a student may write instead of the reference (grade_id -> source):
another architecture, another loss, another PSNR. ``calibrate_bottleneck`` runs the notebook's own
code path (cell ``run_sizes``: ``own_bottleneck`` through ``make_autoencoder``, the student's
``psnr_by_size``, one global seed before it) for every design over ``seeds`` and every calibrated
mistake of ``grading/assignments/`` over ``mistake_seeds``, at ``checks.BOTTLENECK_BUDGET``, and
returns rows in ``grading/calibration.py``'s format. ``tests/exercises/test_exercises_06.py`` grades
the same designs with nbgrader. About 5 minutes on 2 busy cores: ``python -m grading calibrate 06_bottleneck``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cae_ref
from cae_ref.grader import checks
from cae_ref.grader.student_model import own_bottleneck
from grading.calibration import calibration_runs, run_cells, threshold_record

ASSIGNMENT = "06_bottleneck"
THRESHOLD = "bottleneck_gain_db"

DESIGNS: dict[str, dict[str, str]] = {
    # Sequential, strided convolutions, fewer filters, UpSampling2D; MSE loss and tf.image.psnr.
    "sequential_06": {
        "build_bottleneck_encoder": '''
def build_bottleneck_encoder(latent_dim):
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, latent_dim)."""
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2D(64, 3, strides=2, padding="same", activation="relu"),
        layers.Flatten(),
        layers.Dense(latent_dim),
    ])
''',
        "build_bottleneck_decoder": '''
def build_bottleneck_decoder(latent_dim):
    """Return a new Keras model mapping codes (N, latent_dim) to images (N, 28, 28, 1) in [0, 1]."""
    return keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        layers.Dense(7 * 7 * 64, activation="relu"),
        layers.Reshape((7, 7, 64)),
        layers.UpSampling2D(2),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.UpSampling2D(2),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ])
''',
        "psnr_by_size": '''
import tensorflow as tf


def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    """Train one autoencoder per size in latent_dims; return {latent_dim: PSNR in dB on x_test}."""
    scores = {}
    for size in latent_dims:
        model = make_autoencoder(size)
        model.compile(optimizer="adam", loss="mse")
        model.fit(x_train, x_train, epochs=epochs, batch_size=batch_size, validation_data=(x_val, x_val), verbose=0)
        scores[size] = float(tf.reduce_mean(tf.image.psnr(x_test, model(x_test), max_val=1.0)))
    return scores
''',
    },
    # Subclassed models of dense layers only (no convolutions); a dict comprehension over a helper.
    "dense_06": {
        "build_bottleneck_encoder": '''
class DenseEncoder(keras.Model):
    def __init__(self, latent_dim):
        super().__init__()
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(256, activation="relu")
        self.code = layers.Dense(latent_dim)

    def call(self, x):
        return self.code(self.hidden(self.flatten(x)))


def build_bottleneck_encoder(latent_dim):
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, latent_dim)."""
    return DenseEncoder(latent_dim)
''',
        "build_bottleneck_decoder": '''
class DenseDecoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(256, activation="relu")
        self.pixels = layers.Dense(28 * 28, activation="sigmoid")
        self.reshape = layers.Reshape((28, 28, 1))

    def call(self, z):
        return self.reshape(self.pixels(self.hidden(z)))


def build_bottleneck_decoder(latent_dim):
    """Return a new Keras model mapping codes (N, latent_dim) to images (N, 28, 28, 1) in [0, 1]."""
    return DenseDecoder()
''',
        "psnr_by_size": '''
def _psnr(clean, other):
    errors = ((clean - other) ** 2).reshape(len(clean), -1).mean(axis=1)
    return float((10 * np.log10(1 / errors)).mean())


def _train_and_score(model, x_train, x_val, x_test, epochs, batch_size):
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.BinaryCrossentropy())
    model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size, shuffle=True,
              verbose=0)
    return _psnr(x_test, model.predict(x_test, batch_size=256, verbose=0))


def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    """Train one autoencoder per size in latent_dims; return {latent_dim: PSNR in dB on x_test}."""
    return {d: _train_and_score(make_autoencoder(d), x_train, x_val, x_test, epochs, batch_size) for d in latent_dims}
''',
    },
}


def gain(cells: dict[str, Any], seed: int, data: dict) -> tuple[float, bool]:
    """The notebook's cell ``run_sizes``, then the test's gain; also whether a size fell back to the course's model."""
    budget, sizes = checks.BOTTLENECK_BUDGET, checks.BOTTLENECK_SIZES
    trained: dict[int, Any] = {}

    def make_autoencoder(latent_dim: int) -> Any:
        trained[latent_dim] = own_bottleneck(
            cells["build_bottleneck_encoder"], cells["build_bottleneck_decoder"], latent_dim
        )
        return trained[latent_dim].autoencoder

    with checks.quiet():
        cae_ref.set_global_seed(seed)
        cells["psnr_by_size"](
            make_autoencoder, sizes, data["x_train"], data["x_val"], data["x_test"], budget.epochs, budget.batch_size
        )
        psnr = {
            d: cae_ref.psnr(data["x_test"], cae_ref.reconstruct(trained[d].autoencoder, data["x_test"])) for d in sizes
        }
    return psnr[max(sizes)] - psnr[min(sizes)], any(own.used_fallback for own in trained.values())


def calibrate_bottleneck(seeds: list[int], mistake_seeds: list[int], log: Callable[[str], None] = print) -> list[dict]:
    """Rows {threshold, design, variant, kind, seed, value} of ``bottleneck_gain_db`` (dB)."""
    data = checks.grading_data(checks.BOTTLENECK_BUDGET)
    rows = []
    for design, variant, kind, sources in calibration_runs(ASSIGNMENT, DESIGNS):
        cells = run_cells(sources)
        for seed in seeds if kind == "valid" else mistake_seeds:
            value, fell_back = gain(cells, seed, data)
            if kind == "valid" and fell_back:
                raise RuntimeError(f"the valid design {design} fell back to the course's model")
            rows.append(
                {
                    "threshold": THRESHOLD,
                    "design": design,
                    "variant": variant,
                    "kind": kind,
                    "seed": seed,
                    "value": value,
                }
            )
            log(f"bottleneck    {design:<16} {variant:<40} seed {seed}: {value:.2f} dB")
    return rows


def record(seeds: list[int], mistake_seeds: list[int]) -> dict:
    """This assignment's calibration record (``python -m grading calibrate 06_bottleneck``)."""
    return threshold_record(calibrate_bottleneck, seeds, mistake_seeds)
