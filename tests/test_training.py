"""Training learns on real data, is deterministic under a seed and stays quiet when asked.

Trainings of more than a few batches are ``slow``; the fast loop keeps the quiet run (two batches)
and the input checks.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cae_ref import (
    add_gaussian_noise,
    build_autoencoder,
    build_decoder,
    build_encoder,
    compile_autoencoder,
    evaluate_reconstruction,
    set_global_seed,
    train_autoencoder,
)


def _train(small_images, seed, epochs=2, loss="bce", quiet=True, filters=(8, 16, 32), size=1000):
    set_global_seed(seed)
    model = compile_autoencoder(build_autoencoder(build_encoder(filters), build_decoder(filters)), loss)
    history = train_autoencoder(
        model,
        small_images["x_train"][:size],
        small_images["x_test"][:200],
        epochs=epochs,
        batch_size=64,
        seed=seed,
        quiet=quiet,
    )
    return model, history


@pytest.mark.slow
def test_two_seeded_runs_give_identical_losses_and_weights(small_images):
    model_a, history_a = _train(small_images, seed=7)
    model_b, history_b = _train(small_images, seed=7)
    assert history_a.history == history_b.history
    for weights_a, weights_b in zip(model_a.get_weights(), model_b.get_weights(), strict=True):
        np.testing.assert_array_equal(weights_a, weights_b)
    _, history_c = _train(small_images, seed=8)
    assert history_c.history["loss"] != history_a.history["loss"]


@pytest.mark.slow
def test_baseline_learns_on_real_data(small_images):
    """Five epochs of the report's model on 2,000 real images: validation BCE well below the start."""
    set_global_seed(0)
    model = compile_autoencoder(build_autoencoder())
    history = train_autoencoder(
        model, small_images["x_train"], small_images["x_test"], epochs=5, batch_size=128, quiet=True
    )
    val_loss = history.history["val_loss"]
    assert set(history.history) == {"loss", "mse", "val_loss", "val_mse"}
    assert len(val_loss) == 5
    # An all-grey output scores BCE ~0.69 and MSE ~0.1; a mean image about 0.45 and 0.06.
    assert val_loss[-1] < 0.36, val_loss
    assert history.history["val_mse"][-1] < 0.03
    metrics = evaluate_reconstruction(model, small_images["x_test"])
    assert metrics["bce"] == pytest.approx(val_loss[-1], rel=1e-3)
    assert metrics["psnr"] > 15.0


def test_quiet_training_writes_nothing(small_images, capfd):
    _train(small_images, seed=0, epochs=1, size=128)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.slow
def test_denoising_pairs_train_toward_clean_targets(small_images):
    clean_train, clean_val = small_images["x_train"][:1000], small_images["x_test"][:200]
    noisy_train = add_gaussian_noise(clean_train, 0.3, seed=1)
    noisy_val = add_gaussian_noise(clean_val, 0.3, seed=2)
    set_global_seed(0)
    model = compile_autoencoder(build_autoencoder(build_encoder((8, 16, 32)), build_decoder((8, 16, 32))), "mse")
    history = train_autoencoder(
        model, noisy_train, noisy_val, y_train=clean_train, y_val=clean_val, epochs=3, batch_size=32, quiet=True
    )
    assert history.history["val_loss"][-1] < history.history["val_loss"][0]
    noisy_mse = float(np.mean((noisy_val - clean_val) ** 2))
    assert history.history["val_loss"][-1] < noisy_mse  # the target really is the clean image


def test_training_rejects_bad_input(small_images):
    model = build_autoencoder(build_encoder((4, 4, 4)), build_decoder((4, 4, 4)))
    with pytest.raises(ValueError, match="not compiled"):
        train_autoencoder(model, small_images["x_train"][:10], epochs=1)
    compile_autoencoder(model)
    with pytest.raises(TypeError, match="x_train: expected floats"):
        train_autoencoder(model, (small_images["x_train"][:10] * 255).astype(np.uint8), epochs=1)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        train_autoencoder(model, small_images["x_train"][:10], epochs=0)
    with pytest.raises(ValueError, match="x_train has 10 images but y_train has 5"):
        train_autoencoder(model, small_images["x_train"][:10], y_train=small_images["x_train"][:5], epochs=1)
    with pytest.raises(ValueError, match="loss must be one of"):
        compile_autoencoder(model, "l1")


@pytest.mark.slow
def test_restore_best_keeps_the_epoch_with_the_lowest_validation_loss(small_images):
    set_global_seed(3)
    model = compile_autoencoder(build_autoencoder(build_encoder((8, 16, 32)), build_decoder((8, 16, 32))))
    # A huge learning rate in the last epoch wrecks the weights: only restoring can undo it.
    wreck_last_epoch = keras.callbacks.LearningRateScheduler(lambda epoch, rate: 5.0 if epoch == 3 else 1e-3)
    x_val = small_images["x_test"][:200]
    history = train_autoencoder(
        model,
        small_images["x_train"][:500],
        x_val,
        epochs=4,
        batch_size=64,
        quiet=True,
        restore_best=True,
        callbacks=[wreck_last_epoch],
    )
    val_loss = history.history["val_loss"]
    assert int(np.argmin(val_loss)) < len(val_loss) - 1, f"precondition: the last epoch is not the best {val_loss}"
    assert evaluate_reconstruction(model, x_val)["bce"] == pytest.approx(min(val_loss), rel=1e-4)
    with pytest.raises(ValueError, match="restore_best=True needs validation data"):
        train_autoencoder(model, small_images["x_train"][:10], epochs=1, restore_best=True)
