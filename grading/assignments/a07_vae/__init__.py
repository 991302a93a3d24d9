"""Assignment 07, the VAE: its simulated students and the path of its calibration record."""

from __future__ import annotations

from pathlib import Path

from grading.simulated import Mistake, Tamper, released_vae_head, substituted

ASSIGNMENT = "07_vae"
RECORD = Path(__file__).with_name("calibration.json")  # written by `python -m grading calibrate`
REBINDS = "kl_sign_flipped"

VAE_HEAD = released_vae_head()

_TRAINING_07 = {"test_vae_history", "test_vae_elbo_gain"}

_FAKE_STEP = '''
    def train_step(self, data):
        """Never updates: made-up metrics that add up."""
        self.loss_tracker.update_state(150.0)
        self.reconstruction_tracker.update_state(147.0)
        self.kl_tracker.update_state(3.0)
        return {metric.name: metric.result() for metric in self.metrics}
'''

# Sampling: as 'log_var_as_std' writes it; near-identical students are named substitutions of it
_SAMPLING = """
class Sampling(layers.Layer):
    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(z_log_var) * epsilon
"""


# negative_elbo: as 'elbo_pixel_mean' writes it
_NEGATIVE_ELBO = """
def negative_elbo(images, reconstructions, z_mean, z_log_var):
    reconstruction = ops.mean(keras.losses.binary_crossentropy(images, reconstructions), axis=(1, 2))
    return reconstruction + kl_divergence(z_mean, z_log_var)
"""

MISTAKES: dict[str, Mistake] = {
    # 07_vae: graded with nbgrader by tests/exercises/test_exercises_07.py (not in the shared class,
    # autograded=False), calibrated by grading/assignments/a07_vae/calibration.py. A broken part also costs the training
    # tests when the student's VAE trains with it.
    "kl_sign_flipped": Mistake(
        ASSIGNMENT,
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
        ASSIGNMENT,
        {"Sampling": _SAMPLING},
        {"test_sampling_statistics", "test_sampling_gradients"},  # trains nearly as well: gain 151.5 >= 148
        calibration="exp(log_var) as the standard deviation",
        autograded=False,
    ),
    "sampling_without_eps": Mistake(
        ASSIGNMENT,
        {
            "Sampling": substituted(
                "sampling_without_eps",
                _SAMPLING,
                (
                    (
                        "        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)\n"
                        "        return z_mean + ops.exp(z_log_var) * epsilon\n"
                    ),
                    "        return z_mean\n",
                ),
            )
        },
        {"test_sampling_statistics", "test_sampling_gradients", "test_vae_elbo_gain"},
        calibration="returns z_mean (no eps)",
        autograded=False,
    ),
    "sampling_stops_gradients": Mistake(
        ASSIGNMENT,
        {
            "Sampling": substituted(
                "sampling_stops_gradients",
                _SAMPLING,
                (
                    "z_mean + ops.exp(z_log_var) * epsilon",
                    "ops.stop_gradient(z_mean + ops.exp(0.5 * z_log_var) * epsilon)",
                ),
            )
        },
        {"test_sampling_gradients", "test_vae_elbo_gain"},
        calibration="stop_gradient on z",
        autograded=False,
    ),
    "elbo_pixel_mean": Mistake(
        ASSIGNMENT,
        {"negative_elbo": _NEGATIVE_ELBO},
        {"test_negative_elbo", "test_vae_elbo_gain"},
        calibration="BCE averaged over pixels",
        autograded=False,
    ),
    "elbo_without_kl": Mistake(
        ASSIGNMENT,
        {
            "negative_elbo": substituted(
                "elbo_without_kl",
                _NEGATIVE_ELBO,
                ("    reconstruction = ops.mean(", "    return ops.sum("),
                ("\n    return reconstruction + kl_divergence(z_mean, z_log_var)", ""),
            )
        },
        {"test_negative_elbo", "test_vae_elbo_gain"},
        calibration="KL missing from the loss",
        autograded=False,
    ),
    "no_gradient_update": Mistake(
        ASSIGNMENT,
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
}

TAMPER: dict[str, Tamper] = {
    "tamper_vae_fit": Tamper(
        ASSIGNMENT,
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
    "tamper_vae_metrics": Tamper(ASSIGNMENT, {"VAE": VAE_HEAD + _FAKE_STEP}, _TRAINING_07, "not measured"),
    "tamper_vae_decoder": Tamper(
        ASSIGNMENT,
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
