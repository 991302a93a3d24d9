"""Typical student mistakes: one list for threshold calibration and for the simulated class of students.

Each mistake is the solution cells a student wrote instead of the reference (grade_id -> source;
cells not listed keep the reference) and the test cells it must lose: every other test cell of the
notebook keeps its full points. ``tests/exercises`` grades each ``autograded`` mistake with nbgrader
and checks exactly that. ``grading/calibrate.py`` runs every mistake with a ``calibration`` label
(the student's own code, at the grading budget, on every valid design of ``grading/designs.py``) to
place each threshold between the worst valid run and the best mistake; the label names its rows in
``calibration.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from grading.vae_source import VAE_HEAD


@dataclass(frozen=True)
class Mistake:
    """One typical mistake in one assignment."""

    assignment: str
    sources: dict[str, str]  # grade_id -> the solution cell as the student wrote it
    loses: set[str]  # the test cells it must fail
    calibration: str = ""  # its variant name in calibrate.py ("" = not calibrated)
    autograded: bool = True  # part of the simulated class in tests/exercises

    def function(self, grade_id: str) -> Callable[..., Any] | None:
        """The function the student's cell ``grade_id`` defines (None when the cell keeps the reference)."""
        if grade_id not in self.sources:
            return None
        import keras
        import numpy as np

        import cae_ref

        # What the notebook's setup cell imports, as the student's cell sees it.
        namespace: dict[str, Any] = {"cae_ref": cae_ref, "keras": keras, "layers": keras.layers, "np": np}
        exec(self.sources[grade_id], namespace)
        return namespace[grade_id]


def calibrated(assignment: str) -> dict[str, Mistake]:
    """The mistakes of ``assignment`` that calibration trains, by their calibration label."""
    return {m.calibration: m for m in MISTAKES.values() if m.calibration and m.assignment == assignment}


MISTAKES: dict[str, Mistake] = {
    "not_normalised": Mistake(
        "01_data",
        {"preprocess": "def preprocess(images):\n    return images.astype(np.float32)[..., np.newaxis]\n"},
        {"test_preprocess_range", "test_preprocess_reference"},
    ),
    "no_channel_axis": Mistake(
        "01_data",
        {"preprocess": "def preprocess(images):\n    return images.astype(np.float32) / 255.0\n"},
        {"test_preprocess_shape", "test_preprocess_reference"},
    ),
    "batch_max": Mistake(
        "01_data",
        {"preprocess": "def preprocess(images):\n    return (images / images.max()).astype(np.float32)[..., None]\n"},
        {"test_preprocess_reference"},
    ),
    "no_pooling": Mistake(
        "02_architecture",
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
        "02_architecture",
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
        "02_architecture",
        {
            "build_decoder": """
def build_decoder():
    inputs = keras.Input(shape=(7, 7, 128))
    x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(inputs)
    x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(1, 3, padding="same")(x)
    return keras.Model(inputs, outputs)
"""
        },
        {"test_build_decoder_range"},
    ),
    # A ReLU output (issue 25): in 02 it loses the range test; pasted into 03 to 05 it falls back to the course's
    # model (the own-model check probes large codes) and costs nothing there (tests/exercises/test_exercises_fair.py).
    "relu_output": Mistake(
        "02_architecture",
        {
            "build_decoder": """
def build_decoder():
    inputs = keras.Input(shape=(7, 7, 128))
    x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(inputs)
    x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(1, 3, padding="same", activation="relu")(x)
    return keras.Model(inputs, outputs)
"""
        },
        {"test_build_decoder_range"},
    ),
    "transpose_no_kernel": Mistake(
        "02_architecture",
        {
            "conv_transpose_output_size": (
                "def conv_transpose_output_size(size, kernel_size, strides=1, padding='valid', output_padding=None):\n"
                "    return size * strides\n"
            )
        },
        {"test_conv_transpose_output_size"},
    ),
    "sgd_optimizer": Mistake(
        "03_training",
        {
            "compile_autoencoder": """
def compile_autoencoder(model):
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    return model
"""
        },
        {"test_compile_autoencoder", "test_heldout_mse"},
        calibration="optimizer='sgd'",
    ),
    "categorical_crossentropy": Mistake(
        "03_training",
        {
            "compile_autoencoder": """
def compile_autoencoder(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model
"""
        },
        {"test_compile_autoencoder", "test_heldout_mse"},  # over one channel the loss is constant
        calibration="categorical cross-entropy",
    ),
    "tiny_learning_rate": Mistake(
        "03_training",
        {
            "compile_autoencoder": """
def compile_autoencoder(model):
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="mse")
    return model
"""
        },
        {"test_compile_autoencoder", "test_heldout_mse"},
        calibration="Adam learning rate 1e-5",
    ),
    "no_validation": Mistake(
        "03_training",
        {
            "train_autoencoder": """
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    return model.fit(x_train, x_train, epochs=epochs, batch_size=batch_size, verbose=0)
"""
        },
        {"test_train_history", "test_validation_loss"},
    ),
    "trains_on_val": Mistake(
        "03_training",
        {
            "train_autoencoder": """
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    return model.fit(x_val, x_val, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size, verbose=0)
"""
        },
        {"test_heldout_mse"},
        calibration="trains on x_val",
    ),
    "error_rate": Mistake(
        "04_latent_space",
        {
            "separation_score": """
def separation_score(train_codes, train_labels, test_codes, test_labels):
    return 1.0 - cae_ref.knn_accuracy(train_codes, train_labels, test_codes, test_labels)
"""
        },
        {"test_separation_score", "test_separation_honest"},
        calibration="returns the error rate",
    ),
    "scores_training_rows": Mistake(
        "04_latent_space",
        {
            "separation_score": """
def separation_score(train_codes, train_labels, test_codes, test_labels):
    from sklearn.neighbors import KNeighborsClassifier
    classifier = KNeighborsClassifier(n_neighbors=5).fit(train_codes, train_labels)
    return classifier.score(train_codes, train_labels)
"""
        },
        {"test_separation_honest"},
        calibration="scores the training rows",
    ),
    "fits_test_rows": Mistake(
        "04_latent_space",
        {
            "separation_score": """
def separation_score(train_codes, train_labels, test_codes, test_labels):
    from sklearn.neighbors import KNeighborsClassifier
    classifier = KNeighborsClassifier(n_neighbors=5).fit(test_codes, test_labels)
    return classifier.score(test_codes, test_labels)
"""
        },
        {"test_separation_honest"},
        calibration="fits and scores the test rows",
    ),
    "noise_not_clipped": Mistake(
        "05_denoising",
        {
            "add_gaussian_noise": """
def add_gaussian_noise(images, noise_factor, seed):
    rng = np.random.default_rng(seed)
    return (images + noise_factor * rng.standard_normal(images.shape)).astype(np.float32)
"""
        },
        {"test_add_gaussian_noise"},
    ),
    "psnr_peak_255": Mistake(
        "05_denoising",
        {
            "psnr": """
def psnr(clean, other):
    mse = np.mean((clean - other) ** 2, axis=(1, 2, 3))
    return float(np.mean(10 * np.log10(255.0 ** 2 / mse)))
"""
        },
        {"test_psnr"},
    ),
    "noisy_noisy": Mistake(
        "05_denoising",
        {
            "train_denoiser": """
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    return model.fit(x_train_noisy, x_train_noisy, validation_data=(x_val_noisy, x_val_noisy), epochs=epochs,
                     batch_size=batch_size, verbose=0)
"""
        },
        {"test_denoising_gain", "test_denoiser_validation"},
        calibration="trains on (noisy, noisy)",
    ),
    # Gains 3.5 to 4.3 dB (calibration, every design; threshold 3.3), so the gain alone cannot catch it: the gain
    # test also checks what model.fit trained on (recorded by the grader, issue 14), and the validation test too.
    "clean_clean": Mistake(
        "05_denoising",
        {
            "train_denoiser": """
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    return model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size,
                     verbose=0)
"""
        },
        {"test_denoising_gain", "test_denoiser_validation"},
        calibration="trains on (clean, clean)",
    ),
    # Clean inputs, right validation pairs (issue 14): it scored 11 of 11; the recorded fit pairs cost it the gain
    # (measured on every design: grading/calibration.md, "Trained on the task's pairs").
    "clean_inputs": Mistake(
        "05_denoising",
        {
            "train_denoiser": """
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    return model.fit(x_train, x_train, validation_data=(x_val_noisy, x_val), epochs=epochs, batch_size=batch_size,
                     verbose=0)
"""
        },
        {"test_denoising_gain"},
    ),
    # 07_vae: graded with nbgrader by tests/exercises/test_exercises_07.py (not in the shared class,
    # autograded=False), calibrated by grading/vae_designs.py. A broken part also costs the training
    # tests when the student's VAE trains with it.
    "kl_sign_flipped": Mistake(
        "07_vae",
        {
            "kl_divergence": """
def kl_divergence(z_mean, z_log_var):
    return 0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
"""
        },
        {"test_kl_divergence", "test_vae_history", "test_vae_elbo_gain"},
        calibration="KL sign flipped",
        autograded=False,
    ),
    "log_var_as_std": Mistake(
        "07_vae",
        {
            "Sampling": """
class Sampling(layers.Layer):
    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(z_log_var) * epsilon
"""
        },
        {"test_sampling_statistics", "test_sampling_gradients"},  # trains nearly as well: gain 151.5 >= 148
        calibration="exp(log_var) as the standard deviation",
        autograded=False,
    ),
    "sampling_without_eps": Mistake(
        "07_vae",
        {
            "Sampling": """
class Sampling(layers.Layer):
    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        return z_mean
"""
        },
        {"test_sampling_statistics", "test_sampling_gradients", "test_vae_elbo_gain"},
        calibration="returns z_mean (no eps)",
        autograded=False,
    ),
    "sampling_stops_gradients": Mistake(
        "07_vae",
        {
            "Sampling": """
class Sampling(layers.Layer):
    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return ops.stop_gradient(z_mean + ops.exp(0.5 * z_log_var) * epsilon)
"""
        },
        {"test_sampling_gradients", "test_vae_elbo_gain"},
        calibration="stop_gradient on z",
        autograded=False,
    ),
    "elbo_pixel_mean": Mistake(
        "07_vae",
        {
            "negative_elbo": """
def negative_elbo(images, reconstructions, z_mean, z_log_var):
    reconstruction = ops.mean(keras.losses.binary_crossentropy(images, reconstructions), axis=(1, 2))
    return reconstruction + kl_divergence(z_mean, z_log_var)
"""
        },
        {"test_negative_elbo", "test_vae_elbo_gain"},
        calibration="BCE averaged over pixels",
        autograded=False,
    ),
    "elbo_without_kl": Mistake(
        "07_vae",
        {
            "negative_elbo": """
def negative_elbo(images, reconstructions, z_mean, z_log_var):
    return ops.sum(keras.losses.binary_crossentropy(images, reconstructions), axis=(1, 2))
"""
        },
        {"test_negative_elbo", "test_vae_elbo_gain"},
        calibration="KL missing from the loss",
        autograded=False,
    ),
    "no_gradient_update": Mistake(
        "07_vae",
        {
            "VAE": VAE_HEAD
            + """
    def train_step(self, data):
        with tf.GradientTape() as tape:  # the gradients are never applied
            z_mean, z_log_var = self.encoder(data, training=True)
            reconstructions = self.decoder(self.sampler([z_mean, z_log_var]), training=True)
            loss = ops.mean(negative_elbo(data, reconstructions, z_mean, z_log_var))
        kl = ops.mean(kl_divergence(z_mean, z_log_var))
        self.loss_tracker.update_state(loss)
        self.kl_tracker.update_state(kl)
        self.reconstruction_tracker.update_state(loss - kl)
        return {metric.name: metric.result() for metric in self.metrics}
"""
        },
        {"test_vae_elbo_gain"},
        calibration="gradients never applied",
        autograded=False,
    ),
    # ---- 06_bottleneck
    "conv_code_returned": Mistake(
        "06_bottleneck",
        {
            "build_bottleneck_encoder": """
def build_bottleneck_encoder(latent_dim):
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(2, padding="same")(x)
    code = layers.Conv2D(latent_dim, 3, activation="relu", padding="same")(x)
    return keras.Model(inputs, code)
"""
        },
        # a ReLU feature map, not a code: every encoder test of Part A
        {"test_build_bottleneck_encoder_shape", "test_build_bottleneck_encoder_linear", "test_bottleneck_any_size"},
    ),
    "decoder_input_fixed": Mistake(
        "06_bottleneck",
        {
            "build_bottleneck_decoder": """
def build_bottleneck_decoder(latent_dim):
    code = keras.Input(shape=(2,))
    x = layers.Dense(7 * 7 * 128, activation="relu")(code)
    x = layers.Reshape((7, 7, 128))(x)
    x = layers.Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
    return keras.Model(code, layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x))
"""
        },
        {"test_build_bottleneck_decoder_shape", "test_bottleneck_any_size"},
    ),
    "bottleneck_no_sigmoid": Mistake(
        "06_bottleneck",
        {
            "build_bottleneck_decoder": """
def build_bottleneck_decoder(latent_dim):
    code = keras.Input(shape=(latent_dim,))
    x = layers.Dense(7 * 7 * 128, activation="relu")(code)
    x = layers.Reshape((7, 7, 128))(x)
    x = layers.Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
    return keras.Model(code, layers.Conv2D(1, 3, padding="same")(x))
"""
        },
        {"test_build_bottleneck_decoder_range"},
    ),
    # An activation on the code squeezes it; the PSNR gain even grows (a 2-number softmax code is 1 number),
    # so the linear-code test catches it, not the gain threshold.
    "code_softmax": Mistake(
        "06_bottleneck",
        {
            "build_bottleneck_encoder": """
def build_bottleneck_encoder(latent_dim):
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(128, 3, activation="relu", padding="same")(x)
    return keras.Model(inputs, layers.Dense(latent_dim, activation="softmax")(layers.Flatten()(x)))
"""
        },
        {"test_build_bottleneck_encoder_linear"},
        calibration="softmax on the code",
        autograded=False,
    ),
    "code_relu": Mistake(
        "06_bottleneck",
        {
            "build_bottleneck_encoder": """
def build_bottleneck_encoder(latent_dim):
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(128, 3, activation="relu", padding="same")(x)
    return keras.Model(inputs, layers.Dense(latent_dim, activation="relu")(layers.Flatten()(x)))
"""
        },
        {"test_build_bottleneck_encoder_linear"},
        calibration="relu on the code",
    ),
    "bottleneck_categorical": Mistake(
        "06_bottleneck",
        {
            "psnr_by_size": """
def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    result = {}
    for latent_dim in latent_dims:
        model = make_autoencoder(latent_dim)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size, verbose=0)
        mse = np.mean((x_test - model.predict(x_test, verbose=0)) ** 2, axis=(1, 2, 3))
        result[latent_dim] = float(np.mean(10 * np.log10(1.0 / mse)))
    return result
"""
        },
        {"test_bottleneck_gain"},
        calibration="categorical cross-entropy",
    ),
    "bottleneck_sgd": Mistake(
        "06_bottleneck",
        {
            "psnr_by_size": """
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
        },
        {"test_bottleneck_gain"},
        calibration="optimizer='sgd'",
        autograded=False,
    ),
    "sizes_swapped": Mistake(
        "06_bottleneck",
        {
            "psnr_by_size": """
def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    values = []
    for latent_dim in latent_dims:
        model = make_autoencoder(latent_dim)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size, verbose=0)
        mse = np.mean((x_test - model.predict(x_test, verbose=0)) ** 2, axis=(1, 2, 3))
        values.append(float(np.mean(10 * np.log10(1.0 / mse))))
    return dict(zip(latent_dims, sorted(values, reverse=True)))
"""
        },
        {"test_psnr_by_size_honest"},
    ),
    "bottleneck_psnr_255": Mistake(
        "06_bottleneck",
        {
            "psnr_by_size": """
def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    result = {}
    for latent_dim in latent_dims:
        model = make_autoencoder(latent_dim)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size, verbose=0)
        mse = np.mean((x_test - model.predict(x_test, verbose=0)) ** 2, axis=(1, 2, 3))
        result[latent_dim] = float(np.mean(10 * np.log10(255.0**2 / mse)))
    return result
"""
        },
        {"test_psnr_by_size", "test_psnr_by_size_honest"},
    ),
    # ---- 08_few_labels
    "first_rows_per_class": Mistake(
        "08_few_labels",
        {
            "pick_labelled": """
def pick_labelled(labels, per_class, seed):
    return np.concatenate([np.flatnonzero(labels == label)[:per_class] for label in np.unique(labels)])
"""
        },
        {"test_pick_labelled_seeded"},
    ),
    "unbalanced_pick": Mistake(
        "08_few_labels",
        {
            "pick_labelled": """
def pick_labelled(labels, per_class, seed):
    return np.random.default_rng(seed).choice(len(labels), size=per_class * len(np.unique(labels)), replace=False)
"""
        },
        {"test_pick_labelled"},
    ),
    # few_label_accuracies labels the first rows of the pool, not the balanced pick of pick_labelled (issue 25):
    # as many rows as a balanced pick, all distinct, but not count rows of every class.
    "few_labels_first_rows": Mistake(
        "08_few_labels",
        {
            "few_label_accuracies": """
def few_label_accuracies(fit, encoder, x_pool, y_pool, x_test, y_test, counts, seed):
    features = {
        "codes": (encode(encoder, x_pool), encode(encoder, x_test)),
        "pixels": (x_pool.reshape(len(x_pool), -1), x_test.reshape(len(x_test), -1)),
    }
    result = {}
    for count in counts:
        labelled = np.arange(count * 10)  # the first rows of the pool
        for name, (pool, test) in features.items():
            classifier = fit(pool, y_pool, labelled)
            result[(name, count)] = float(np.mean(classifier.predict(test) == y_test))
    return result
"""
        },
        {"test_few_label_accuracies_honest"},
    ),
    "pick_without_seed": Mistake(
        "08_few_labels",
        {
            "pick_labelled": """
def pick_labelled(labels, per_class, seed):
    rng = np.random.default_rng()
    chosen = [rng.choice(np.flatnonzero(labels == label), per_class, replace=False) for label in np.unique(labels)]
    return np.concatenate(chosen)
"""
        },
        {"test_pick_labelled_seeded"},
    ),
    # Fitted on every pool row's label: the scrambled labels change it (the agreement margin is not meant for it).
    "fits_every_row": Mistake(
        "08_few_labels",
        {
            "fit_on_labelled": """
def fit_on_labelled(features, labels, labelled):
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=5).fit(features, labels)
"""
        },
        {"test_fit_on_labelled_honest"},
        calibration="fits on every pool row",
    ),
    "labels_misaligned": Mistake(
        "08_few_labels",
        {
            "fit_on_labelled": """
def fit_on_labelled(features, labels, labelled):
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=5).fit(features[labelled], labels[: len(labelled)])
"""
        },
        {"test_fit_on_labelled_honest", "test_fit_on_labelled_agreement"},
        calibration="labels of other rows",
    ),
    "majority_class": Mistake(
        "08_few_labels",
        {
            "fit_on_labelled": """
def fit_on_labelled(features, labels, labelled):
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=len(labelled)).fit(features[labelled], labels[labelled])
"""
        },
        {"test_fit_on_labelled_agreement"},
        calibration="k = all labelled rows (majority vote)",
    ),
    "encode_not_flattened": Mistake(
        "08_few_labels",
        {
            "encode": """
def encode(encoder, images):
    return np.asarray(encoder.predict(images, verbose=0))
"""
        },
        {"test_encode"},
    ),
    "few_label_scores_training_rows": Mistake(
        "08_few_labels",
        {
            "few_label_accuracies": """
def few_label_accuracies(fit, encoder, x_pool, y_pool, x_test, y_test, counts, seed):
    features = {
        "codes": (encode(encoder, x_pool), encode(encoder, x_test)),
        "pixels": (x_pool.reshape(len(x_pool), -1), x_test.reshape(len(x_test), -1)),
    }
    result = {}
    for count in counts:
        labelled = pick_labelled(y_pool, count, seed)
        for name, (pool, test) in features.items():
            classifier = fit(pool, y_pool, labelled)
            result[(name, count)] = float(np.mean(classifier.predict(pool[labelled]) == y_pool[labelled]))
    return result
"""
        },
        {"test_few_label_accuracies_honest"},
    ),
    "pixels_not_flattened": Mistake(
        "08_few_labels",
        {
            "few_label_accuracies": """
def few_label_accuracies(fit, encoder, x_pool, y_pool, x_test, y_test, counts, seed):
    features = {
        "codes": (encode(encoder, x_pool), encode(encoder, x_test)),
        "pixels": (x_pool, x_test.reshape(len(x_test), -1)),
    }
    result = {}
    for count in counts:
        labelled = pick_labelled(y_pool, count, seed)
        for name, (pool, test) in features.items():
            classifier = fit(pool, y_pool, labelled)
            result[(name, count)] = float(np.mean(classifier.predict(test) == y_test))
    return result
"""
        },
        {"test_few_label_accuracies", "test_few_label_accuracies_honest"},
    ),
}
