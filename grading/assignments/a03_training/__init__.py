"""Assignment 03, training: its simulated students and the path of its calibration record."""

from __future__ import annotations

from pathlib import Path

from grading.simulated import Mistake, Tamper, substituted

ASSIGNMENT = "03_training"
RECORD = Path(__file__).with_name("calibration.json")  # written by `python -m grading calibrate`
REBINDS = "trains_on_val"

_TRAINING_03 = {"test_train_history", "test_heldout_mse", "test_validation_loss"}

_FAKE_HISTORY = '''
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    """Never trains: a hand-made History whose val_loss is copied from one evaluate call."""
    history = keras.callbacks.History()
    val_loss = float(model.evaluate(x_val, x_val, verbose=0))
    history.history = {"loss": [val_loss] * epochs, "val_loss": [val_loss] * epochs}
    return history
'''

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

# compile_autoencoder: as 'sgd_optimizer' writes it; near-identical students are named substitutions of it
_COMPILE_AUTOENCODER = """
def compile_autoencoder(model):
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    return model
"""

# train_autoencoder: as 'trains_on_val' writes it; near-identical students are named substitutions of it
_TRAIN_AUTOENCODER = """
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    return model.fit(x_val, x_val, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size, verbose=0)
"""


MISTAKES: dict[str, Mistake] = {
    "sgd_optimizer": Mistake(
        ASSIGNMENT,
        {"compile_autoencoder": _COMPILE_AUTOENCODER},
        {"test_compile_autoencoder", "test_heldout_mse"},
        calibration="optimizer='sgd'",
    ),
    "categorical_crossentropy": Mistake(
        ASSIGNMENT,
        {
            "compile_autoencoder": substituted(
                "categorical_crossentropy",
                _COMPILE_AUTOENCODER,
                ('sgd", loss="binary_crossentropy', 'adam", loss="categorical_crossentropy'),
            )
        },
        {"test_compile_autoencoder", "test_heldout_mse"},  # over one channel the loss is constant
        calibration="categorical cross-entropy",
    ),
    "tiny_learning_rate": Mistake(
        ASSIGNMENT,
        {
            "compile_autoencoder": substituted(
                "tiny_learning_rate",
                _COMPILE_AUTOENCODER,
                ('"sgd", loss="binary_crossentropy', 'keras.optimizers.Adam(1e-5), loss="mse'),
            )
        },
        {"test_compile_autoencoder", "test_heldout_mse"},
        calibration="Adam learning rate 1e-5",
    ),
    "no_validation": Mistake(
        ASSIGNMENT,
        {
            "train_autoencoder": substituted(
                "no_validation",
                _TRAIN_AUTOENCODER,
                ("x_val, x_val, validation_data=(x_val, x_val)", "x_train, x_train"),
            )
        },
        {"test_train_history", "test_validation_loss"},
    ),
    "trains_on_val": Mistake(
        ASSIGNMENT,
        {"train_autoencoder": _TRAIN_AUTOENCODER},
        {"test_heldout_mse"},
        calibration="trains on x_val",
    ),
}

TAMPER: dict[str, Tamper] = {
    "tamper_identity_predict": Tamper(
        ASSIGNMENT,
        {
            "compile_autoencoder": '''
def compile_autoencoder(model):
    """Compiles, then makes predict and evaluate perfect: predict returns its input."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy")
    model.predict = lambda images, *args, **kwargs: np.asarray(images)
    model.evaluate = lambda *args, **kwargs: 0.0
    return model
''',
            "train_autoencoder": _FAKE_HISTORY,
        },
        {"test_compile_autoencoder", *_TRAINING_03},
        "8 of 8 (issue 14)",
    ),
    "tamper_class_patch_history": Tamper(
        ASSIGNMENT,
        {
            "train_autoencoder": '''
class TrainingRecord(keras.callbacks.History):
    """A History subclass that no fit produced."""


def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    record = TrainingRecord()
    record.history = {"loss": [0.01] * epochs, "val_loss": [0.01] * epochs}
    return record


keras.Model.predict = lambda self, images, *args, **kwargs: np.asarray(images)
np.mean = lambda *args, **kwargs: 0.0
''',
        },
        _TRAINING_03,
        "not measured",
    ),
    "tamper_own_model_fit": Tamper(
        ASSIGNMENT,
        {
            "build_autoencoder": '''
class Autoencoder(keras.Model):
    """The student's own model class: fit returns a History without training."""

    def fit(self, x=None, y=None, *args, epochs=1, **kwargs):
        history = keras.callbacks.History()
        history.history = {"loss": [0.01] * epochs, "val_loss": [0.01] * epochs}
        return history


def build_autoencoder(encoder, decoder):
    images = keras.Input(shape=(28, 28, 1))
    return Autoencoder(images, decoder(encoder(images)), name="autoencoder")
''',
        },
        _TRAINING_03,
        "not measured",
    ),
    "tamper_call_override": Tamper(
        ASSIGNMENT,
        {
            "train_autoencoder": '''
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    """Fits 32 images only, then makes the model the identity (its instance's call)."""
    history = model.fit(x_train[:32], x_train[:32], validation_data=(x_val[:32], x_val[:32]), epochs=epochs,
                        batch_size=batch_size, verbose=0)
    model.call = lambda images, *args, **kwargs: images
    return history
''',
        },
        _TRAINING_03,
        "not measured",
    ),
    "history_padded_03": Tamper(
        ASSIGNMENT,
        {"train_autoencoder": _PADDED_03},
        {"test_train_history", "test_heldout_mse"},
        "+2 (the history tests passed)",
    ),
    "history_subclass_03": Tamper(
        ASSIGNMENT,
        {"train_autoencoder": _LYING_CALLBACK_03},
        {"test_train_history", "test_validation_loss"},
        "the history test passed on the claimed val_loss",
    ),
}
