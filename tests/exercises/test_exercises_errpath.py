"""No dead error path (issue 26): a submission whose key function raises is told why, in every notebook.

For each assignment one student hands in the reference with one function that raises, as a typical
slip does (``fit(x_train, x_val, ...)``, a reshape to the wrong size, a missing argument); in 08 a
second one's ``pick_labelled`` raises, whose rows a later preview cell reuses. Graded with
nbgrader, the notebook must show no ``NameError`` (every cell that runs the student's function leaves
the names later cells use defined), the test cells that depend on the function must fail with the
grader's message that names the error (type and message), and every other test cell keeps its points.

Cost: one ``nbgrader autograde`` batch per assignment, eight in all (the untouched release is graded
beside each); the raising functions stop before any graded training, so each notebook is mostly a
kernel start and TensorFlow's import (04 and 08 still train the course's encoder at their grading
budgets): 2.5 CPU-minutes, 3 to 5 minutes wall on the shared 2-core machine (measured, issue 26).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from class_grading import GradedClass, grade_class

from grading.submissions import notebook_path, read_notebook

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

STUDENT = "raises"


class Raising(NamedTuple):
    """A submission whose ``sources`` raise ``error`` and the test cells that depend on the failing function."""

    sources: dict[str, str]
    error: str  # a piece of the exception's message, as the grader must quote it
    loses: set[str]
    told: set[str]  # the dependent cells whose message must name the error
    unfinished: frozenset[str] = frozenset()  # of those, the cells that read the grader's record: "did not finish"


RAISING: dict[str, dict[str, Raising]] = {  # assignment -> student -> submission
    "01_data": {
        STUDENT: Raising(
            {
                "preprocess": '''
def preprocess(images):
    """Turn uint8 images (N, 28, 28) into float32 images (N, 28, 28, 1) with values in [0, 1]."""
    return images.astype(np.float32).reshape(-1, 28, 28, 3) / 255.0
'''
            },
            "cannot reshape array",
            {"test_preprocess_shape", "test_preprocess_range", "test_preprocess_reference"},
            {"test_preprocess_shape", "test_preprocess_range", "test_preprocess_reference"},
        ),
    },
    "02_architecture": {
        STUDENT: Raising(
            {
                "build_encoder": '''
def build_encoder():
    """An encoder whose input forgot the channel axis."""
    inputs = keras.Input(shape=(28, 28))
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(2, padding="same")(x)
    return keras.Model(inputs, layers.Conv2D(128, 3, activation="relu", padding="same")(x))
'''
            },
            "expected min_ndim=4",
            {"test_build_encoder_shape", "test_build_encoder_layers"},
            {"test_build_encoder_shape", "test_build_encoder_layers"},
        ),
    },
    "03_training": {
        STUDENT: Raising(
            {
                "train_autoencoder": '''
def train_autoencoder(model, x_train, x_val, epochs, batch_size):
    """Fit model to reconstruct x_train, validating on x_val; return the History from model.fit."""
    return model.fit(x_train, x_val, epochs=epochs, batch_size=batch_size, verbose=0)
'''
            },
            "Data cardinality is ambiguous",
            {"test_train_history", "test_heldout_mse", "test_validation_loss"},
            {"test_train_history", "test_heldout_mse"},
            {"test_train_history", "test_heldout_mse"},
        ),
    },
    "04_latent_space": {
        STUDENT: Raising(
            {
                "encode": '''
def encode(encoder, images):
    """Return the codes of images as a 2-D float array with one flat row per image: (N, code size)."""
    return encoder.predict(images, verbose=0).reshape(len(images), 784)
'''
            },
            "cannot reshape array",
            {"test_encode"},
            {"test_encode"},
        ),
    },
    "05_denoising": {
        STUDENT: Raising(
            {
                "train_denoiser": '''
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    """Fit model to map noisy images to clean ones (validating on the validation pairs); return the History."""
    return model.fit(x_train_noisy, x_val, epochs=epochs, batch_size=batch_size, verbose=0)
'''
            },
            "Data cardinality is ambiguous",
            {"test_train_denoiser_history", "test_denoising_gain", "test_denoiser_validation"},
            {"test_train_denoiser_history", "test_denoising_gain", "test_denoiser_validation"},
            {"test_train_denoiser_history", "test_denoising_gain", "test_denoiser_validation"},
        ),
    },
    "06_bottleneck": {
        STUDENT: Raising(
            {
                "psnr_by_size": '''
def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    """Train one autoencoder per size in latent_dims; return {latent_dim: PSNR in dB on x_test}."""
    result = {}
    for latent_dim in latent_dims:
        model = make_autoencoder(latent_dim)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x_train, x_val, epochs=epochs, batch_size=batch_size, verbose=0)
        result[latent_dim] = 0.0
    return result
'''
            },
            "Data cardinality is ambiguous",
            {"test_psnr_by_size", "test_psnr_by_size_honest", "test_bottleneck_gain"},
            {"test_psnr_by_size", "test_psnr_by_size_honest", "test_bottleneck_gain"},
            {"test_psnr_by_size", "test_psnr_by_size_honest", "test_bottleneck_gain"},
        ),
    },
    "07_vae": {
        STUDENT: Raising(
            {
                "VAE": '''
class VAE(keras.Model):
    """Encoder -> (z_mean, z_log_var) -> Sampling -> decoder; its train_step forgets two arguments."""

    def __init__(self, encoder, decoder, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.sampler = Sampling(seed)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker]

    def call(self, images, training=False):
        z_mean, _ = self.encoder(images, training=training)
        return self.decoder(z_mean, training=training)

    def train_step(self, data):
        """One update on a batch of images; return the trackers' results as a dict."""
        with tf.GradientTape() as tape:
            z_mean, z_log_var = self.encoder(data, training=True)
            reconstructions = self.decoder(self.sampler([z_mean, z_log_var]), training=True)
            loss = ops.mean(negative_elbo(data, reconstructions))
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
        self.loss_tracker.update_state(loss)
        return {metric.name: metric.result() for metric in self.metrics}
'''
            },
            "missing 2 required positional arguments",
            {"test_vae_history", "test_vae_elbo_gain"},
            {"test_vae_history", "test_vae_elbo_gain"},
            {"test_vae_history", "test_vae_elbo_gain"},
        ),
    },
    "08_few_labels": {
        STUDENT: Raising(
            {
                "few_label_accuracies": '''
def few_label_accuracies(fit, encoder, x_pool, y_pool, x_test, y_test, counts, seed):
    """Held-out accuracy of classifiers fitted on count labelled pool rows per class: {(features, count): accuracy}."""
    result = {}
    for count in counts:
        classifier = fit(encode(encoder, x_pool), y_pool)
        result[("codes", count)] = float(np.mean(classifier.predict(encode(encoder, x_test)) == y_test))
    return result
'''
            },
            "missing 1 required positional argument",
            {"test_few_label_accuracies", "test_few_label_accuracies_honest"},
            {"test_few_label_accuracies", "test_few_label_accuracies_honest"},
            {"test_few_label_accuracies", "test_few_label_accuracies_honest"},
        ),
        "pick_raises": Raising(  # a preview cell reuses pick_labelled's rows: it must not read a missing name
            {
                "pick_labelled": '''
def pick_labelled(labels, per_class, seed):
    """Return per_class row indices of every class (0 to 9), drawn with np.random.default_rng(seed)."""
    rng = np.random.default_rng(seed)
    picks = [rng.choice(np.flatnonzero(labels == label), per_class, replace=False) for label in range(10)]
    return np.concatenate(picks, axis=1)
'''
            },
            "axis 1 is out of bounds",
            {
                "test_pick_labelled",
                "test_pick_labelled_seeded",
                "test_few_label_accuracies",
                "test_few_label_accuracies_honest",
            },
            {"test_pick_labelled", "test_pick_labelled_seeded", "test_few_label_accuracies"},
            {"test_few_label_accuracies"},
        ),
    },
}


def cell_texts(graded: GradedClass, student: str) -> dict[str, str]:
    """grade_id (or cell index) -> every output text of that cell in ``student``'s autograded notebook."""
    path = notebook_path(graded.course / "autograded" / student, graded.assignment)
    texts = {}
    for index, cell in enumerate(read_notebook(path).cells):
        name = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index}"
        parts = []
        for output in cell.get("outputs", []):
            parts += [output.get("ename", ""), output.get("evalue", ""), output.get("text", "")]
            parts += output.get("traceback", [])
        texts[name] = "\n".join(parts)
    return texts


@pytest.fixture(scope="module", params=sorted(RAISING))
def graded(request: pytest.FixtureRequest, course: Path) -> GradedClass:
    """One assignment with its raising students, autograded in one batch."""
    return grade_class(course, request.param, {name: r.sources for name, r in RAISING[request.param].items()})


def test_no_name_error(graded):
    """No cell of the notebook fails with NameError: every run cell left the names later cells read."""
    for student in RAISING[graded.assignment]:
        bad = {name: text[-400:] for name, text in cell_texts(graded, student).items() if "NameError" in text}
        assert not bad, (student, bad)


def test_dependent_cells_name_the_error(graded):
    """The test cells after the failing call quote the exception's type and message; those that read the
    grader's record of the run cell's call also say that it did not finish."""
    for student, raising in RAISING[graded.assignment].items():
        texts = cell_texts(graded, student)
        for name in raising.told:
            assert raising.error in texts[name], f"{student} {name}: {texts[name][-600:]}"
        for name in raising.unfinished:
            assert "did not finish" in texts[name], f"{student} {name}: {texts[name][-600:]}"


def test_only_dependent_cells_lose(graded):
    """Every test cell that does not depend on the failing function keeps its points."""
    for student, raising in RAISING[graded.assignment].items():
        assert graded.autograded(student) == graded.expected(raising.loses), (student, graded.explain(student))
