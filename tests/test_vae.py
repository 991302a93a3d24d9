"""The variational autoencoder: KL term, sampling, a short real fit and saving."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cae_ref import build_vae, interpolate, sample_prior, set_global_seed
from cae_ref.vae import kl_divergence


def test_kl_is_zero_for_the_prior_and_matches_the_formula():
    zeros = np.zeros((1, 2), np.float32)
    assert float(kl_divergence(zeros, zeros)[0]) == pytest.approx(0.0)
    mean = np.array([[1.0, 0.0]], np.float32)
    log_var = np.array([[0.0, np.log(4.0)]], np.float32)
    # 0.5 * sum(mu^2 + sigma^2 - 1 - log sigma^2) = 0.5 * (1 + 3 - log 4)
    assert float(kl_divergence(mean, log_var)[0]) == pytest.approx(0.5 * (1 + 3 - np.log(4)), rel=1e-5)


def test_vae_fits_samples_and_reloads(small_images, tmp_path):
    set_global_seed(0)
    vae = build_vae(latent_dim=2)
    before = vae.evaluate(small_images["x_test"], verbose=0, return_dict=True)
    vae.fit(small_images["x_train"], epochs=2, batch_size=64, verbose=0)
    after = vae.evaluate(small_images["x_test"], verbose=0, return_dict=True)
    assert after["loss"] < before["loss"] - 100  # negative ELBO in nats per image
    assert after["loss"] == pytest.approx(after["reconstruction"] + after["kl"], rel=1e-4)
    samples = sample_prior(vae.decoder, 5, seed=0)
    assert samples.shape == (5, 28, 28, 1) and samples.min() >= 0 and samples.max() <= 1
    path = interpolate(vae.decoder, np.zeros(2), np.ones(2), steps=4)
    assert path.shape == (4, 28, 28, 1)
    vae.save(tmp_path / "vae.keras")
    reloaded = keras.saving.load_model(tmp_path / "vae.keras")
    np.testing.assert_allclose(
        reloaded.predict(small_images["x_test"][:4], verbose=0), vae.predict(small_images["x_test"][:4], verbose=0)
    )
