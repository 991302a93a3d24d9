"""Simulated students who tamper with the grading instead of solving the task (issue 14, item 4).

Each entry replaces some solution cells of one assignment and names the test cells it must lose: the
part it tampered with, and nothing else. ``before`` is what the same submission scored before the
protections of ``cae_ref.grader.pristine`` (measured on the previous grading code where the issue says so).
``tests/exercises`` grades 01 to 05 in the shared class (``exercise_submissions.ROBUST``), 06, 07 and 08
in their own (``test_exercises_06.py``, ``_07.py``, ``_08.py``). The clean-input denoisers are
typical mistakes (``grading/mistakes.py``: ``clean_inputs``, ``clean_clean``), graded with the class.
"""

from __future__ import annotations

from typing import NamedTuple

from grading.tampering_names import LYING, rebinding_students
from grading.vae_source import VAE_HEAD


class Tamper(NamedTuple):
    """A submission that tampers: the cells it writes and the test cells that must score 0."""

    assignment: str
    sources: dict[str, str]
    loses: set[str]
    before: str  # its score before issue 14's protections, in words


_TRAINING_03 = {"test_train_history", "test_heldout_mse", "test_validation_loss"}
_PART_C_06 = {"test_psnr_by_size_honest", "test_bottleneck_gain"}
_TRAINING_07 = {"test_vae_history", "test_vae_elbo_gain"}

_FAKE_HISTORY = '''
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    """Never trains: a hand-made History whose val_loss is copied from one evaluate call."""
    history = keras.callbacks.History()
    val_loss = float(model.evaluate(x_val, x_val, verbose=0))
    history.history = {"loss": [val_loss] * epochs, "val_loss": [val_loss] * epochs}
    return history
'''

TAMPER: dict[str, Tamper] = {
    # ---- 02: returned numbers whose == lies; a decoder without sigmoid whose predict clips
    "tamper_lying_numbers": Tamper(
        "02_architecture",
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
        "02_architecture",
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
    # ---- 03: the case (a), and variations
    "tamper_identity_predict": Tamper(
        "03_training",
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
        "03_training",
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
        "03_training",
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
        "03_training",
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
    # ---- 04: the case (b), and a lying ndarray subclass with NumPy rebound at cell level
    "tamper_rebinds_allclose": Tamper(
        "04_latent_space",
        {
            "encode": '''
def encode(encoder, images):
    """Zeros of the right shape, after making NumPy's comparisons always agree."""
    np.allclose = lambda *args, **kwargs: True
    np.array_equal = lambda *args, **kwargs: True
    return np.zeros((len(images), int(np.prod(encoder.output_shape[1:]))), dtype=np.float32)
''',
        },
        {"test_encode"},
        "2 of 2 on test_encode (issue 14)",
    ),
    "tamper_lying_array": Tamper(
        "04_latent_space",
        {
            "encode": '''
class Codes(np.ndarray):
    """Claims the expected shape and equals everything."""

    @property
    def shape(self):
        return (len(self), 7 * 7 * 128)

    def __eq__(self, other):
        return True


def encode(encoder, images):
    return np.zeros((len(images), 1), dtype=np.float32).view(Codes)


np.allclose = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
''',
        },
        {"test_encode"},
        "not measured",
    ),
    # ---- 05: clean pairs mixed into the training (the plain clean-input denoiser is in grading/mistakes.py)
    "tamper_mixes_clean_pairs": Tamper(
        "05_denoising",
        {
            "train_denoiser": '''
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    """Half of the training inputs are clean images."""
    inputs = np.concatenate([x_train_noisy, x_train])
    targets = np.concatenate([x_train, x_train])
    return model.fit(inputs, targets, validation_data=(x_val_noisy, x_val), epochs=epochs, batch_size=batch_size,
                     verbose=0)
''',
        },
        {"test_denoising_gain"},
        "not measured",
    ),
    # Clean inputs, with the grader's own pair check rebound at cell level (the reload puts it back).
    "tamper_patches_fit_record": Tamper(
        "05_denoising",
        {
            "train_denoiser": """
import cae_ref.grader.fit_record


def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    return model.fit(x_train, x_train, validation_data=(x_val_noisy, x_val), epochs=epochs, batch_size=batch_size,
                     verbose=0)


cae_ref.grader.fit_record.fitted_on = lambda *args, **kwargs: ""
""",
        },
        {"test_denoising_gain"},
        "not measured (the pair check is new)",
    ),
    # ---- 06: made-up PSNRs behind a patched predict, nothing trained
    "tamper_instance_predict_06": Tamper(
        "06_bottleneck",
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
        "06_bottleneck",
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
}

_FAKE_STEP = '''
    def train_step(self, data):
        """Never updates: made-up metrics that add up."""
        self.loss_tracker.update_state(150.0)
        self.reconstruction_tracker.update_state(147.0)
        self.kl_tracker.update_state(3.0)
        return {metric.name: metric.result() for metric in self.metrics}
'''

TAMPER |= {
    # ---- 07: a VAE that overrides fit, one that fakes its metrics, one that swaps the measured decoder
    "tamper_vae_fit": Tamper(
        "07_vae",
        {
            "VAE": VAE_HEAD
            + _FAKE_STEP
            + """
    def fit(self, x=None, *args, epochs=1, **kwargs):
        history = keras.callbacks.History()
        history.history = {"loss": [150.0] * epochs, "reconstruction_loss": [147.0] * epochs,
                           "kl_loss": [3.0] * epochs}
        return history
""",
        },
        _TRAINING_07,
        "not measured",
    ),
    # The made-up metrics add up, but the recorded loss is not what the (never trained) model scores: unlike the
    # honest mistake no_gradient_update, which records its real loss, it loses the history test too.
    "tamper_vae_metrics": Tamper("07_vae", {"VAE": VAE_HEAD + _FAKE_STEP}, _TRAINING_07, "not measured"),
    "tamper_vae_decoder": Tamper(
        "07_vae",
        {
            "VAE": VAE_HEAD.replace("self.decoder = decoder", "self.decoder = Remembers(decoder)")
            + _FAKE_STEP
            + '''

class Remembers(keras.Model):
    """Wraps the decoder: returns the last images the encoder saw (a perfect reconstruction)."""

    seen = None

    def __init__(self, decoder, **kwargs):
        super().__init__(**kwargs)
        self.inner = decoder

    def call(self, codes, training=False):
        return Remembers.seen if Remembers.seen is not None else self.inner(codes, training=training)
''',
        },
        _TRAINING_07,
        "not measured",
    ),
}

# Issue 25: a rebinding student per assignment, Histories and arrays that lie, 06's delegating psnr_by_size.
TAMPER |= {
    name: Tamper(assignment, sources, loses, "gained points by rebinding names the test cells read")
    for name, (assignment, sources, loses) in rebinding_students().items()
}
TAMPER |= {name: Tamper(*entry) for name, entry in LYING.items()}
