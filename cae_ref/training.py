"""Compile and train autoencoders reproducibly (chapter 5).

The report's recipe: Adam (learning rate 1e-3), binary cross-entropy, 25 epochs, batch 128.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from cae_ref._tf import keras, tf
from cae_ref.budget import REPORT_BUDGET
from cae_ref.preprocessing import check_unit_images
from cae_ref.recipe import LOSSES as LOSSES
from cae_ref.recipe import REPORT_LEARNING_RATE, REPORT_LOSS

REPORT_EPOCHS = REPORT_BUDGET.epochs  # 25
REPORT_BATCH_SIZE = REPORT_BUDGET.batch_size  # 128


class EpochTimer(keras.callbacks.Callback):
    """A Keras callback that records the wall time of every training epoch in ``seconds``."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def set_global_seed(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow and make TensorFlow's ops deterministic."""
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def compile_autoencoder(
    model: keras.Model,
    loss: str = REPORT_LOSS,
    learning_rate: float = REPORT_LEARNING_RATE,
) -> keras.Model:
    """Compile ``model`` with Adam and ``loss`` ('bce' or 'mse'), tracking MSE as a metric."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    if not learning_rate > 0:
        raise ValueError(
            f"learning_rate must be positive, got {learning_rate}"
        )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=LOSSES[loss],
        metrics=[keras.metrics.MeanSquaredError(name="mse")],
    )
    return model


def train_autoencoder(
    model: keras.Model,
    x_train: np.ndarray,
    x_val: np.ndarray | None = None,
    *,
    y_train: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    epochs: int = REPORT_EPOCHS,
    batch_size: int = REPORT_BATCH_SIZE,
    seed: int = 0,
    verbose: int | str = "auto",
    quiet: bool = False,
    restore_best: bool = False,
    callbacks: list[keras.callbacks.Callback] | None = None,
) -> keras.callbacks.History:
    """Fit ``model`` to map ``x_train`` to ``y_train`` (default: ``x_train`` itself).

    For denoising pass noisy inputs as ``x_train``/``x_val`` and clean targets as
    ``y_train``/``y_val``. The data are shuffled with ``seed``; call ``set_global_seed``
    before building the model for identical weights. ``quiet=True`` shows no progress
    bar and no Python warnings (TensorFlow's own log lines are kept off stderr at import, see
    ``cae_ref.quiet``). ``restore_best=True`` (needs validation data) ends with the weights of
    the epoch with the lowest validation loss, so one noisy last epoch does not decide the
    result. Returns Keras' History (``history.history`` holds the losses).
    """
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(
            f"batch_size must be a positive integer, got {batch_size!r}"
        )
    if (
        not getattr(model, "compiled", False)
        or getattr(model, "optimizer", None) is None
    ):
        raise ValueError(
            "the model is not compiled: call compile_autoencoder(model) first"
        )
    x_train = check_unit_images(x_train, "x_train")
    y_train = (
        x_train if y_train is None else check_unit_images(y_train, "y_train")
    )
    if len(y_train) != len(x_train):
        raise ValueError(
            f"x_train has {len(x_train)} images but y_train has {len(y_train)}"
        )
    validation_data = None
    if x_val is not None:
        x_val = check_unit_images(x_val, "x_val")
        y_val = x_val if y_val is None else check_unit_images(y_val, "y_val")
        validation_data = (x_val, y_val)
    callbacks = list(callbacks or [])
    if restore_best:
        if validation_data is None:
            raise ValueError("restore_best=True needs validation data (x_val)")
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss",
                patience=epochs,
                restore_best_weights=True,
                verbose=0,
            )
        )
    # Keras shuffles with its global generator; seed it so the batch order is reproducible.
    keras.utils.set_random_seed(seed)
    with warnings.catch_warnings():
        if quiet:
            warnings.simplefilter("ignore")
        return model.fit(
            x_train,
            y_train,
            validation_data=validation_data,
            epochs=epochs,
            batch_size=batch_size,
            shuffle=True,
            verbose=0 if quiet else verbose,
            callbacks=callbacks,
        )
