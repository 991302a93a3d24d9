"""The model cache: keys follow the model's own config and data, and a cached model comes back unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.model_cache import ModelCache, ModelConfig, cache_key
from experiments.models import autoencoder, baseline_config, bottleneck_config, denoiser_config
from experiments.profiles import get_profile


def _images(seed: int = 0, count: int = 32) -> np.ndarray:
    return np.random.default_rng(seed).random((count, 28, 28, 1)).astype(np.float32)


def test_key_is_stable_and_readable() -> None:
    """The same config and data give the same key, in a fresh config object too; the name leads it."""
    x = _images()
    settings = get_profile("quick")
    first = cache_key(baseline_config(settings, 0), x)
    again = cache_key(baseline_config(get_profile("quick"), 0), x.copy())
    assert first == again
    assert first.startswith("baseline-") and len(first.split("-")[1]) == 16


def test_every_setting_and_the_data_change_the_key() -> None:
    """Seed, epochs, batch size, learning rate, loss, noise, builder arguments and data each give a new key."""
    x = _images()
    base = ModelConfig(name="m", builder=autoencoder, epochs=2)
    variants = [
        ModelConfig(name="m", builder=autoencoder, epochs=2, seed=1),
        ModelConfig(name="m", builder=autoencoder, epochs=3),
        ModelConfig(name="m", builder=autoencoder, epochs=2, batch_size=64),
        ModelConfig(name="m", builder=autoencoder, epochs=2, learning_rate=2e-3),
        ModelConfig(name="m", builder=autoencoder, epochs=2, loss="mse"),
        ModelConfig(name="m", builder=autoencoder, epochs=2, noise=0.3),
        ModelConfig(name="m", builder=autoencoder, builder_args=(("latent_dim", 2),), epochs=2),
    ]
    keys = {cache_key(base, x)} | {cache_key(v, x) for v in variants}
    keys |= {cache_key(base, _images(seed=1)), cache_key(base, x[:16]), cache_key(base, x, np.zeros_like(x))}
    assert len(keys) == 1 + len(variants) + 3
    # The readable name is not part of the identity: two experiments naming one model share it.
    assert (
        cache_key(ModelConfig(name="m", builder=autoencoder, epochs=2), x).split("-")[1]
        == cache_key(ModelConfig(name="other", builder=autoencoder, epochs=2), x).split("-")[1]
    )


def test_shared_configs_of_the_experiments() -> None:
    """The baseline, bottleneck and denoiser configs read the profile's settings."""
    settings = get_profile("full")
    baseline = baseline_config(settings, 2)
    assert (baseline.epochs, baseline.batch_size, baseline.seed, baseline.loss) == (25, 128, 2, "bce")
    assert dict(bottleneck_config(settings, 2, 3, 0).builder_args) == {"latent_dim": 2}
    denoiser = denoiser_config(settings, 0.3, 1)
    assert denoiser.noise == 0.3 and denoiser.epochs == settings["denoising"]["epochs"]


@pytest.mark.slow
def test_cached_model_loads_with_the_same_weights(tmp_path) -> None:
    """A second request trains nothing and returns the saved weights and record."""
    x = _images(count=64)
    config = ModelConfig(name="tiny", builder=autoencoder, builder_args=(("latent_dim", 2),), epochs=1, batch_size=32)
    cache = ModelCache(tmp_path, log=lambda message: None)
    model, record = cache.train_or_load(config, x)
    again, cached = cache.train_or_load(config, x)
    assert record["from_cache"] is False and cached["from_cache"] is True
    assert cached["loss"] == record["loss"] and len(record["epoch_seconds"]) == 1
    for a, b in zip(model.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert len(list(tmp_path.glob("tiny-*.keras"))) == 1
