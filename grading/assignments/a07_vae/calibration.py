"""Exercise 07 (the VAE): valid designs, the notebook's code path outside nbgrader, and its calibration.

``DESIGNS`` are correct solutions a student may write instead of the reference (grade_id -> cell):
keras-io's Sampling layer with another KL form and a hand-written cross-entropy, and one written with
``tf`` functions. ``train_vae`` runs the notebook's own cells (the given encoder and decoder, the
student's cells, the ``run_vae`` recipe) at ``VAE_BUDGET`` and returns the held-out ELBO gain that
``test_vae_elbo_gain`` grades; ``calibrate_vae`` does so for the reference, the designs and the typical
mistakes of ``grading/assignments/`` (rows for ``grading/calibration.py``). ``tests/exercises`` grades
the designs with nbgrader.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grading.assignments.a07_vae import VAE_HEAD
from grading.submissions import REPO, notebook_path, read_notebook

ASSIGNMENT = "07_vae"
_SCAFFOLD = (
    VAE_HEAD
    + '''
    def train_step(self, data):
        """One update on a batch of images; return the trackers' results as a dict."""
'''
)

DESIGNS: dict[str, dict[str, str]] = {
    # keras-io's Sampling (batch and dim read from the shape, sqrt of the variance), the KL as
    # 0.5 * sum(var + mean^2 - 1 - log var), the cross-entropy written out, optimizer.apply
    "ops_keras_io": {
        "Sampling": '''
class Sampling(layers.Layer):
    """Draw z = z_mean + exp(z_log_var / 2) * eps, eps ~ N(0, I), from a generator seeded with `seed`."""

    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        """inputs = [z_mean, z_log_var], each (N, latent_dim); return z, (N, latent_dim)."""
        z_mean, z_log_var = inputs
        batch, dim = ops.shape(z_mean)[0], ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.sqrt(ops.exp(z_log_var)) * epsilon
''',
        "kl_divergence": '''
def kl_divergence(z_mean, z_log_var):
    """KL(N(z_mean, exp(z_log_var)) || N(0, I)) per example, summed over the latent dimensions: shape (N,)."""
    variance = ops.exp(z_log_var)
    return 0.5 * ops.sum(variance + ops.square(z_mean) - 1.0 - z_log_var, axis=1)
''',
        "negative_elbo": '''
def negative_elbo(images, reconstructions, z_mean, z_log_var):
    """Per image, shape (N,): binary cross-entropy summed over the pixels plus kl_divergence(z_mean, z_log_var)."""
    p = ops.clip(reconstructions, 1e-7, 1.0 - 1e-7)
    bce = -(images * ops.log(p) + (1.0 - images) * ops.log(1.0 - p))
    return ops.sum(ops.reshape(bce, (ops.shape(bce)[0], -1)), axis=1) + kl_divergence(z_mean, z_log_var)
''',
        "VAE": _SCAFFOLD
        + """        images = data[0] if isinstance(data, tuple) else data
        with tf.GradientTape() as tape:
            z_mean, z_log_var = self.encoder(images, training=True)
            reconstructions = self.decoder(self.sampler([z_mean, z_log_var]), training=True)
            loss = ops.mean(negative_elbo(images, reconstructions, z_mean, z_log_var))
            kl = ops.mean(kl_divergence(z_mean, z_log_var))
        self.optimizer.apply(tape.gradient(loss, self.trainable_variables), self.trainable_variables)
        for tracker, value in zip(self.metrics, (loss, loss - kl, kl)):
            tracker.update_state(value)
        return {tracker.name: tracker.result() for tracker in self.metrics}
""",
    },
    # TensorFlow functions throughout, the KL from the log standard deviation, the mean BCE times 784
    "tf_functions": {
        "Sampling": '''
class Sampling(layers.Layer):
    """Draw z = z_mean + exp(z_log_var / 2) * eps, eps ~ N(0, I), from a generator seeded with `seed`."""

    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.noise = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        """inputs = [z_mean, z_log_var], each (N, latent_dim); return z, (N, latent_dim)."""
        z_mean, z_log_var = inputs
        std = tf.exp(z_log_var / 2.0)
        return z_mean + std * keras.random.normal(tf.shape(z_mean), seed=self.noise)
''',
        "kl_divergence": '''
def kl_divergence(z_mean, z_log_var):
    """KL(N(z_mean, exp(z_log_var)) || N(0, I)) per example, summed over the latent dimensions: shape (N,)."""
    log_std = 0.5 * tf.convert_to_tensor(z_log_var)
    per_dimension = -log_std + 0.5 * (tf.exp(2.0 * log_std) + tf.square(z_mean)) - 0.5
    return tf.reduce_sum(per_dimension, axis=-1)
''',
        "negative_elbo": '''
def negative_elbo(images, reconstructions, z_mean, z_log_var):
    """Per image, shape (N,): binary cross-entropy summed over the pixels plus kl_divergence(z_mean, z_log_var)."""
    flat_images = tf.reshape(images, (tf.shape(images)[0], -1))
    flat_reconstructions = tf.reshape(reconstructions, (tf.shape(reconstructions)[0], -1))
    mean_bce = keras.losses.binary_crossentropy(flat_images, flat_reconstructions)  # mean over the 784 pixels
    return 784.0 * mean_bce + kl_divergence(z_mean, z_log_var)
''',
        "VAE": _SCAFFOLD
        + """        with tf.GradientTape() as tape:
            z_mean, z_log_var = self.encoder(data, training=True)
            z = self.sampler([z_mean, z_log_var])
            per_image = negative_elbo(data, self.decoder(z, training=True), z_mean, z_log_var)
            loss = tf.reduce_mean(per_image)
        variables = self.trainable_weights
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        kl = tf.reduce_mean(kl_divergence(z_mean, z_log_var))
        self.loss_tracker.update_state(loss)
        self.reconstruction_tracker.update_state(loss - kl)
        self.kl_tracker.update_state(kl)
        return {"loss": self.loss_tracker.result(), "reconstruction_loss": self.reconstruction_tracker.result(),
                "kl_loss": self.kl_tracker.result()}
""",
    },
}


def _plain(source: str) -> str:
    """A source cell with nbgrader's solution markers removed (the reference as a student would write it)."""
    return "\n".join(
        line for line in source.splitlines() if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
    )


def notebook_cells() -> dict[str, str]:
    """grade_id -> source of every cell of the 07 source notebook that has one."""
    nb = read_notebook(notebook_path(REPO / "solutions", ASSIGNMENT))
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells if "nbgrader" in c.metadata}


def run_cells(sources: dict[str, str], seed: int = 0) -> dict[str, Any]:
    """Run 07's cells up to the training (``sources`` replace the reference cells); return the namespace."""
    import cae_ref
    from cae_ref.grader import checks

    cells = notebook_cells()
    namespace: dict[str, Any] = {"cae_ref": cae_ref, "checks": checks}
    exec(
        "import importlib\nimport keras\nimport numpy as np\nimport tensorflow as tf\nfrom keras import layers, ops",
        namespace,
    )
    order = ("load_data", "given_models", "Sampling", "kl_divergence", "negative_elbo", "VAE", "sample_prior")
    for grade_id in order:
        exec(_plain(sources.get(grade_id, cells[grade_id])), namespace)
    run = cells["run_vae"].replace("budget.seed)", "seed)").replace("seed=budget.seed", "seed=seed")
    namespace["seed"] = seed
    with checks.quiet():
        exec(run, namespace)
    return namespace


def elbo_gain(sources: dict[str, str], seed: int) -> float:
    """The held-out ELBO gain (nats per image) of the student's VAE trained at the grading budget."""
    namespace = run_cells(sources, seed)
    return float(namespace["elbo_before"] - namespace["elbo_after"])


def calibrate_vae(seeds: list[int], mistake_seeds: list[int]) -> list[dict]:
    """Rows of ``vae_elbo_gain`` for the reference, the designs and the calibrated 07 mistakes."""
    from grading.assignments import calibrated

    runs = {"reference": ("valid", {}), **{f"design: {k}": ("valid", v) for k, v in DESIGNS.items()}}
    runs |= {f"mistake: {label}": ("mistake", m.sources) for label, m in calibrated(ASSIGNMENT).items()}
    rows = []
    for name, (kind, sources) in runs.items():
        for seed in seeds if kind == "valid" else mistake_seeds:
            try:
                gain = elbo_gain(sources, seed)
            except Exception as error:  # a mistake that cannot train: its gain is 0 (nothing learned)
                print(f"vae_elbo_gain {name:<40} seed {seed}: failed ({type(error).__name__}), counted as 0")
                gain = 0.0
            if not np.isfinite(gain):  # diverged (the KL sign flipped): the test fails it, JSON needs a number
                print(f"vae_elbo_gain {name:<40} seed {seed}: diverged ({gain}), counted as 0")
                gain = 0.0
            rows.append({"threshold": "vae_elbo_gain", "variant": name, "kind": kind, "seed": seed, "value": gain})
            print(f"vae_elbo_gain {name:<40} seed {seed}: {gain:.1f}", flush=True)
    return rows


def record(seeds: list[int], mistake_seeds: list[int]) -> dict:
    """This assignment's calibration record (``python -m grading calibrate 07_vae``)."""
    from grading.assignments.a07_vae import history
    from grading.calibration import threshold_record

    history_rows = history.calibrate_vae_history(seeds, mistake_seeds)
    return {
        **threshold_record(calibrate_vae, seeds, mistake_seeds),
        "history": {"threshold": history.THRESHOLD, "summary": history.summary(history_rows), "runs": history_rows},
    }
