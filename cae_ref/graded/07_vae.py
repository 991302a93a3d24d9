"""Checks of exercise 07 (a variational autoencoder), run by ``cae_ref.grader.grade``.

The trained VAE, the logs of its epochs (copied by the grader's own callback as each epoch ended)
and the held-out negative ELBO before training are read from the grader's record of the run
cell's ``checks.graded_vae_fit``, never from the notebook's variables.
Past 200 lines because every check of the assignment, one per test cell, sits in this one file.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref import checks
from cae_ref._tf import keras, tf

HIDDEN = "graded after submission; the visible checks above do not cover this"


def x_parts() -> tuple[np.ndarray, np.ndarray]:
    data = checks.grading_data(checks.VAE_BUDGET)
    return data["x_train"], data["x_test"]


def given_decoder(latent_dim: int = 2) -> Any:
    """A fresh decoder like the notebook's build_vae_decoder: codes (N, latent_dim) to images in [0, 1]."""
    layers = keras.layers
    codes = keras.Input(shape=(latent_dim,))
    x = layers.Dense(7 * 7 * 64, activation="relu")(codes)
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(
        64, 3, strides=2, padding="same", activation="relu"
    )(x)
    x = layers.Conv2DTranspose(
        32, 3, strides=2, padding="same", activation="relu"
    )(x)
    pixels = layers.Conv2DTranspose(
        1, 3, padding="same", activation="sigmoid"
    )(x)
    return keras.Model(codes, pixels, name="decoder")


def test_sampling_statistics(Sampling: Any) -> None:
    n = 20_000
    z_mean = np.tile(np.float32([[1.5, -2.0]]), (n, 1))
    z_log_var = np.tile(
        np.log(np.float32([[0.25, 4.0]])), (n, 1)
    )  # variances 0.25 and 4
    layer = checks.graded_call(Sampling, 1)
    z = checks.to_numpy(checks.graded_call(layer, [z_mean, z_log_var]))
    assert z.shape == (n, 2), checks.expected_got(
        "shape of z", (n, 2), z.shape, "return one code per row of z_mean"
    )
    mean, variance = z.mean(axis=0), z.var(axis=0)
    assert np.allclose(mean, [1.5, -2.0], atol=0.06), checks.expected_got(
        "mean of z",
        "z_mean = [1.5, -2.0]",
        np.round(mean, 3),
        "z = z_mean + (standard deviation) * eps",
    )
    hint = "exp(z_log_var / 2) is the standard deviation: z = z_mean + ops.exp(0.5 * z_log_var) * eps"
    if np.all(variance < 1e-6):
        hint = "z does not vary: draw eps ~ N(0, I) with keras.random.normal and add exp(0.5 * z_log_var) * eps"
    assert np.allclose(variance, [0.25, 4.0], rtol=0.06), checks.expected_got(
        "variance of z",
        "exp(z_log_var) = [0.25, 4.0]",
        np.round(variance, 3),
        hint,
    )
    again = checks.to_numpy(checks.graded_call(layer, [z_mean, z_log_var]))
    assert not np.allclose(z, again), (
        "two calls drew the same z: draw new eps inside call, from self.seed_generator"
    )
    twin = checks.to_numpy(
        checks.graded_call(
            checks.graded_call(Sampling, 1), [z_mean, z_log_var]
        )
    )
    assert np.allclose(z, twin), (
        "two layers made with the same seed drew different z: make keras.random.SeedGenerator(seed) in "
        "__init__ and pass seed=self.seed_generator to keras.random.normal"
    )
    print(
        f"z has mean {np.round(mean, 3)} and variance {np.round(variance, 3)}; seeded draws are reproducible"
    )


def test_sampling_gradients(Sampling: Any) -> None:
    rng = np.random.default_rng(7)
    z_mean = tf.constant(rng.normal(size=(64, 2)).astype(np.float32))
    z_log_var = tf.constant(
        rng.normal(scale=0.5, size=(64, 2)).astype(np.float32)
    )

    def sample_with_gradients(layer: Any) -> tuple[Any, Any, Any]:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([z_mean, z_log_var])
            z = layer([z_mean, z_log_var])
            total = tf.reduce_sum(z)
        return z, tape.gradient(total, z_mean), tape.gradient(total, z_log_var)

    z, to_mean, to_log_var = checks.graded_call(
        sample_with_gradients, checks.graded_call(Sampling, 2)
    )
    cause = "compute z from the inputs with Keras ops (no NumPy, no stop_gradient): only eps is random"
    assert to_mean is not None and to_log_var is not None, checks.expected_got(
        "gradients of z",
        "gradients for z_mean and z_log_var",
        f"{to_mean is not None} and {to_log_var is not None}",
        cause,
    )
    assert np.allclose(checks.to_numpy(to_mean), 1.0, atol=1e-5), (
        checks.expected_got(
            "dz/dz_mean",
            "1 everywhere",
            np.round(checks.to_numpy(to_mean)[:2], 3),
            cause,
        )
    )
    expected = 0.5 * (checks.to_numpy(z) - checks.to_numpy(z_mean))
    assert np.allclose(checks.to_numpy(to_log_var), expected, atol=1e-4), (
        checks.expected_got(
            "dz/dz_log_var",
            "(z - z_mean) / 2",
            np.round(checks.to_numpy(to_log_var)[:2], 3),
            "z = z_mean + ops.exp(0.5 * z_log_var) * eps, with eps drawn independently of the inputs",
        )
    )
    print(
        "gradients reach z_mean and z_log_var: the reparameterisation trick works"
    )


def numerical_kl(mean: float, log_var: float) -> float:
    """KL(N(mean, exp(log_var)) || N(0, 1)) by the trapezoid rule."""
    std = np.exp(0.5 * log_var)
    z = np.linspace(mean - 12 * std, mean + 12 * std, 200_001)
    log_q = (
        -0.5 * ((z - mean) / std) ** 2 - np.log(std) - 0.5 * np.log(2 * np.pi)
    )
    log_p = -0.5 * z**2 - 0.5 * np.log(2 * np.pi)
    f = np.exp(log_q) * (log_q - log_p)
    return float(np.sum((f[1:] + f[:-1]) / 2 * np.diff(z)))


def test_kl_divergence(kl_divergence: Any) -> None:
    means = np.float32([[0.0, 0.0], [1.0, -0.5], [0.3, 2.0]])
    log_vars = np.float32(
        [[0.0, 0.0], [np.log(0.5), 0.4], [-1.5, np.log(2.0)]]
    )
    got = checks.to_numpy(checks.graded_call(kl_divergence, means, log_vars))
    assert got.shape == (3,), checks.expected_got(
        "shape",
        (3,),
        got.shape,
        "sum over the latent axis: ops.sum(..., axis=-1)",
    )
    expected = np.array(
        [
            sum(numerical_kl(m, v) for m, v in zip(row_m, row_v, strict=True))
            for row_m, row_v in zip(means, log_vars, strict=True)
        ]
    )
    hint = "KL = -0.5 * sum(1 + z_log_var - z_mean**2 - exp(z_log_var)) over the latent axis"
    if np.allclose(got, -expected, atol=1e-3) and not np.allclose(got, 0):
        hint = "the sign is flipped: a KL divergence is never negative"
    elif np.allclose(got, expected / 2, atol=1e-3):
        hint = "sum over the latent dimensions, do not average them"
    assert np.allclose(got, expected, rtol=1e-3, atol=1e-4), (
        checks.expected_got(
            "KL per example", np.round(expected, 4), np.round(got, 4), hint
        )
    )
    print(
        "the closed form matches the numerical integral:",
        np.round(got, 4) + 0.0,  # + 0.0 shows -0.0 as 0.0
    )
    print(HIDDEN)


def test_negative_elbo(negative_elbo: Any, kl_divergence: Any) -> None:
    images = x_parts()[1][:4]
    grey = np.full_like(
        images, 0.5
    )  # binary cross-entropy log 2 on every pixel, whatever the image
    zeros = np.zeros((4, 2), np.float32)
    got = checks.to_numpy(
        checks.graded_call(negative_elbo, images, grey, zeros, zeros)
    )
    own_kl = checks.to_numpy(
        checks.graded_call(kl_divergence, zeros, zeros)
    )  # Part B is graded there
    expected = 784 * np.log(2.0) + own_kl
    assert got.shape == (4,), checks.expected_got(
        "shape", (4,), got.shape, "one value per image: sum over pixels only"
    )
    hint = "sum the binary cross-entropy over the 784 pixels of each image"
    if np.allclose(got, np.log(2.0), rtol=1e-3):
        hint = "you averaged over the pixels: sum them (ops.sum(..., axis=(1, 2)))"
    assert np.allclose(got, expected, rtol=1e-4), checks.expected_got(
        "negative ELBO for reconstructions of 0.5 and the prior's Gaussian",
        np.round(expected, 3),
        np.round(got, 3),
        hint,
    )
    shifted = checks.to_numpy(
        checks.graded_call(negative_elbo, images, grey, zeros + 1.0, zeros)
    )
    added = (
        checks.to_numpy(checks.graded_call(kl_divergence, zeros + 1.0, zeros))
        - own_kl
    )
    assert np.allclose(shifted - got, added, atol=1e-3), checks.expected_got(
        "increase when z_mean moves from 0 to 1 in both dimensions",
        f"{np.round(added, 4)} (the KL term)",
        np.round(shifted - got, 4),
        "add kl_divergence(z_mean, z_log_var) to the reconstruction term",
    )
    print(
        f"negative ELBO {got[0]:.3f} = 784 log 2, and the KL term adds {shifted[0] - got[0]:.3f}"
    )
    print(HIDDEN)


def trained_vae() -> tuple[Any, list[dict[str, Any]], float]:
    """The VAE fit trained, its fit calls and the held-out negative ELBO before training (the grader's record)."""
    found = checks.trainings("vae_fit")
    if not found:
        raise AssertionError(
            "the grader recorded no training of your VAE: run the notebook's cells in order"
        )
    if not found[-1]["finished"]:
        raise AssertionError(
            checks.not_finished(
                "the training above (fit runs your train_step)", found[-1]
            )
        )
    calls = list(found[-1]["calls"])
    history, before = found[-1]["result"]
    if not calls or history is not calls[-1]["history"]:
        raise AssertionError(
            "the VAE was not trained by its own fit: keep the run cell as it is"
        )
    return calls[-1]["model"], calls, float(before)


def test_vae_history(negative_elbo: Any) -> None:
    vae, calls, _ = trained_vae()
    checks.untampered(
        vae
    )  # a VAE class of your own may not replace fit, predict, __call__, ...
    epochs = calls[-1][
        "epochs"
    ]  # copied by the grader's callback as each epoch ended
    for key in ("loss", "reconstruction_loss", "kl_loss"):
        values = [logs[key] for logs in epochs if key in logs]
        assert len(values) == checks.VAE_BUDGET.epochs, checks.expected_got(
            f"{key} values in the epochs fit ran",
            checks.VAE_BUDGET.epochs,
            len(values),
            "return {m.name: m.result() for m in self.metrics}",
        )
    record = {
        key: np.array([logs[key] for logs in epochs])
        for key in ("loss", "reconstruction_loss", "kl_loss")
    }
    total, parts = (
        record["loss"],
        record["reconstruction_loss"] + record["kl_loss"],
    )
    assert np.allclose(total, parts, rtol=1e-3), checks.expected_got(
        "loss per epoch",
        f"reconstruction_loss + kl_loss = {np.round(parts, 2)}",
        np.round(total, 2),
        "update the reconstruction tracker with loss - KL",
    )
    assert np.all(record["kl_loss"] >= 0), checks.expected_got(
        "kl_loss",
        "at least 0",
        np.round(record["kl_loss"], 3),
        "a KL divergence is never negative: check its sign",
    )
    # The grader encodes training images itself and decodes z_mean (no noise), then applies your negative_elbo.
    images = x_parts()[0][:1000]
    z_mean, z_log_var, reconstructions = checks.vae_mean_codes(
        vae.encoder, vae.decoder, images
    )
    scored = float(
        np.mean(
            checks.to_numpy(
                checks.graded_call(
                    negative_elbo, images, reconstructions, z_mean, z_log_var
                )
            )
        )
    )
    recorded, limit = float(total[-1]), checks.THRESHOLDS["vae_history_gap"]
    assert abs(recorded - scored) <= limit * abs(scored), checks.expected_got(
        "last epoch's loss in history",
        f"within {limit:.0%} of {scored:.1f}, your negative_elbo of the trained model",
        f"{recorded:.1f}",
        "update the trackers with the loss computed from each batch, the loss you minimise",
    )
    print("history is complete, consistent and matches the trained model")


def test_vae_elbo_gain() -> None:
    vae, _, before = trained_vae()
    checks.untampered(
        vae
    )  # a VAE class of your own may not replace fit, predict, __call__, ...
    limit = checks.THRESHOLDS["vae_elbo_gain"]
    after = checks.vae_negative_elbo(vae.encoder, vae.decoder, x_parts()[1])
    gain = before - after
    print(
        f"negative ELBO {before:.1f} -> {after:.1f}: the ELBO improved by {gain:.1f} nats per image (at least {limit})"
    )
    assert gain >= limit, checks.expected_got(
        "improvement of the held-out ELBO (nats per image)",
        f"at least {limit}",
        f"{gain:.1f}",
        "minimise the batch mean of negative_elbo (pixels summed, KL added with a + sign), and apply the gradients",
    )


def test_sample_prior(sample_prior: Any) -> None:
    cae_ref.set_global_seed(1)
    prior_decoder = (
        given_decoder()
    )  # a fresh decoder: this test does not depend on the training above
    samples = np.asarray(
        checks.graded_call(sample_prior, prior_decoder, 12, 0)
    )
    assert samples.shape == (12, 28, 28, 1), checks.expected_got(
        "shape", (12, 28, 28, 1), samples.shape
    )
    assert samples.min() >= 0.0 and samples.max() <= 1.0, checks.expected_got(
        "pixel range",
        "[0, 1]",
        f"{samples.min():.3f} to {samples.max():.3f}",
        "return what the decoder outputs",
    )
    again = np.asarray(checks.graded_call(sample_prior, prior_decoder, 12, 0))
    other = np.asarray(checks.graded_call(sample_prior, prior_decoder, 12, 1))
    assert np.allclose(samples, again), (
        "the same seed gave other images: draw the codes from np.random.default_rng(seed)"
    )
    assert not np.allclose(samples, other), (
        "different seeds gave the same images: use the seed argument"
    )
    print("prior samples are images in [0, 1], reproducible by seed")
    print(HIDDEN)
