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
from cae_ref._tf import keras, tf
from cae_ref.grader import checks


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
        checks.message("v_shape_z"),
        (n, 2),
        z.shape,
        checks.message("v_hint_row"),
    )
    mean, variance = z.mean(axis=0), z.var(axis=0)
    assert np.allclose(mean, [1.5, -2.0], atol=0.06), checks.expected_got(
        checks.message("v_mean_z"),
        "z_mean = [1.5, -2.0]",
        np.round(mean, 3),
        checks.message("v_hint_mean"),
    )
    hint = checks.message("v_hint_std")
    if np.all(variance < 1e-6):
        hint = checks.message("v_hint_constant")
    assert np.allclose(variance, [0.25, 4.0], rtol=0.06), checks.expected_got(
        checks.message("v_var_z"),
        "exp(z_log_var) = [0.25, 4.0]",
        np.round(variance, 3),
        hint,
    )
    again = checks.to_numpy(checks.graded_call(layer, [z_mean, z_log_var]))
    assert not np.allclose(z, again), checks.message("v_same_z")
    twin = checks.to_numpy(
        checks.graded_call(
            checks.graded_call(Sampling, 1), [z_mean, z_log_var]
        )
    )
    assert np.allclose(z, twin), checks.message("v_seeded")
    print(
        checks.message(
            "v_sampling_ok",
            mean=np.round(mean, 3),
            variance=np.round(variance, 3),
        )
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
    cause = checks.message("v_hint_ops")
    assert to_mean is not None and to_log_var is not None, checks.expected_got(
        checks.message("v_gradients"),
        checks.message("v_gradients_for"),
        f"{to_mean is not None} and {to_log_var is not None}",
        cause,
    )
    assert np.allclose(checks.to_numpy(to_mean), 1.0, atol=1e-5), (
        checks.expected_got(
            "dz/dz_mean",
            checks.message("v_one"),
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
            checks.message("v_hint_eps"),
        )
    )
    print(checks.message("v_trick_ok"))


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
        checks.message("shape"),
        (3,),
        got.shape,
        checks.message("v_hint_sum_latent"),
    )
    expected = np.array(
        [
            sum(numerical_kl(m, v) for m, v in zip(row_m, row_v, strict=True))
            for row_m, row_v in zip(means, log_vars, strict=True)
        ]
    )
    hint = checks.message("v_hint_kl")
    if np.allclose(got, -expected, atol=1e-3) and not np.allclose(got, 0):
        hint = checks.message("v_hint_sign")
    elif np.allclose(got, expected / 2, atol=1e-3):
        hint = checks.message("v_hint_average")
    assert np.allclose(got, expected, rtol=1e-3, atol=1e-4), (
        checks.expected_got(
            checks.message("v_kl_per"),
            np.round(expected, 4),
            np.round(got, 4),
            hint,
        )
    )
    print(
        checks.message("v_kl_ok"),
        np.round(got, 4) + 0.0,  # + 0.0 shows -0.0 as 0.0
    )
    print(checks.message("hidden"))


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
        checks.message("shape"),
        (4,),
        got.shape,
        checks.message("v_hint_per_image"),
    )
    hint = checks.message("v_hint_bce")
    if np.allclose(got, np.log(2.0), rtol=1e-3):
        hint = checks.message("v_hint_averaged")
    assert np.allclose(got, expected, rtol=1e-4), checks.expected_got(
        checks.message("v_elbo_grey"),
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
        checks.message("v_increase"),
        checks.message("v_with_kl", added=np.round(added, 4)),
        np.round(shifted - got, 4),
        checks.message("v_hint_add_kl"),
    )
    print(
        checks.message(
            "v_elbo_ok",
            elbo=f"{got[0]:.3f}",
            kl=f"{shifted[0] - got[0]:.3f}",
        )
    )
    print(checks.message("hidden"))


def trained_vae() -> tuple[Any, list[dict[str, Any]], float]:
    """The VAE fit trained, its fit calls and the held-out negative ELBO before training (the grader's record)."""
    found = checks.trainings("vae_fit")
    if not found:
        raise AssertionError(checks.message("v_no_training"))
    if not found[-1]["finished"]:
        raise AssertionError(
            checks.not_finished(checks.message("v_training_above"), found[-1])
        )
    calls = list(found[-1]["calls"])
    history, before = found[-1]["result"]
    if not calls or history is not calls[-1]["history"]:
        raise AssertionError(checks.message("v_not_own_fit"))
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
            checks.message("v_values_in", key=key),
            checks.VAE_BUDGET.epochs,
            len(values),
            checks.message("v_hint_metrics"),
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
        checks.message("v_loss_per_epoch"),
        f"reconstruction_loss + kl_loss = {np.round(parts, 2)}",
        np.round(total, 2),
        checks.message("v_hint_tracker"),
    )
    assert np.all(record["kl_loss"] >= 0), checks.expected_got(
        "kl_loss",
        checks.message("v_at_least_0"),
        np.round(record["kl_loss"], 3),
        checks.message("v_hint_kl_sign"),
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
        checks.message("v_last_loss"),
        checks.message(
            "v_within", share=f"{limit:.0%}", scored=f"{scored:.1f}"
        ),
        f"{recorded:.1f}",
        checks.message("v_hint_trackers"),
    )
    print(checks.message("v_history_ok"))


def test_vae_elbo_gain() -> None:
    vae, _, before = trained_vae()
    checks.untampered(
        vae
    )  # a VAE class of your own may not replace fit, predict, __call__, ...
    limit = checks.THRESHOLDS["vae_elbo_gain"]
    after = checks.vae_negative_elbo(vae.encoder, vae.decoder, x_parts()[1])
    gain = before - after
    print(
        checks.message(
            "v_gain_print",
            before=f"{before:.1f}",
            after=f"{after:.1f}",
            gain=f"{gain:.1f}",
            limit=limit,
        )
    )
    assert gain >= limit, checks.expected_got(
        checks.message("v_improvement"),
        checks.message("at_least", limit=limit),
        f"{gain:.1f}",
        checks.message("v_hint_minimise"),
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
        checks.message("shape"), (12, 28, 28, 1), samples.shape
    )
    assert samples.min() >= 0.0 and samples.max() <= 1.0, checks.expected_got(
        checks.message("v_pixel_range"),
        "[0, 1]",
        f"{samples.min():.3f} to {samples.max():.3f}",
        checks.message("v_hint_decoder"),
    )
    again = np.asarray(checks.graded_call(sample_prior, prior_decoder, 12, 0))
    other = np.asarray(checks.graded_call(sample_prior, prior_decoder, 12, 1))
    assert np.allclose(samples, again), checks.message("v_same_seed")
    assert not np.allclose(samples, other), checks.message("v_other_seed")
    print(checks.message("v_prior_ok"))
    print(checks.message("hidden"))
