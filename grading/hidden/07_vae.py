"""Hidden checks of exercise 07: run at grading only, never installed or returned to students."""

from __future__ import annotations

from typing import Any

import numpy as np

from cae_ref import vae
from cae_ref._tf import keras
from cae_ref.grader import checks


def hidden_kl_divergence(kl_divergence: Any) -> None:
    rng = np.random.default_rng(3)
    means = rng.normal(size=(50, 8)).astype(np.float32)
    log_vars = rng.normal(scale=0.7, size=(50, 8)).astype(np.float32)
    expected = checks.to_numpy(vae.kl_divergence(means, log_vars))
    got = checks.to_numpy(checks.graded_call(kl_divergence, means, log_vars))
    assert got.shape == (50,) and np.allclose(got, expected, rtol=1e-4, atol=1e-4), checks.message("v_h_kl_8")


def hidden_negative_elbo(negative_elbo: Any, kl_divergence: Any) -> None:
    rng = np.random.default_rng(4)
    images = checks.grading_data(checks.VAE_BUDGET)["x_test"][:32]
    reconstructions = np.clip(images + rng.normal(scale=0.2, size=images.shape), 0.01, 0.99).astype(np.float32)
    means = rng.normal(size=(32, 2)).astype(np.float32)
    log_vars = rng.normal(scale=0.5, size=(32, 2)).astype(np.float32)
    own_kl = checks.to_numpy(checks.graded_call(kl_divergence, means, log_vars))
    expected = checks.to_numpy(vae.reconstruction_loss(images, reconstructions)) + own_kl
    got = checks.to_numpy(checks.graded_call(negative_elbo, images, reconstructions, means, log_vars))
    assert np.allclose(got, expected, rtol=1e-3), checks.message("v_h_elbo_real")


def hidden_sample_prior(sample_prior: Any) -> None:
    codes_in = keras.Input(shape=(3,))
    identity = keras.Model(codes_in, keras.layers.Identity()(codes_in))  # a "decoder" that returns its codes
    codes = np.asarray(checks.graded_call(sample_prior, identity, 5000, 2), np.float64)
    assert codes.shape == (5000, 3), checks.message("v_h_prior_3")
    assert np.allclose(codes.mean(axis=0), 0, atol=0.06) and np.allclose(codes.std(axis=0), 1, atol=0.05), (
        checks.message("v_h_prior_normal")
    )
