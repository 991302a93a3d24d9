"""Tampering gains nothing (issue 14): each attack, applied in-process, fails the check it targets.

Each test applies one attack the way a submission would and shows the protection in ``cae_ref.grader.checks``
(``graded_call``, ``graded_training``, ``predict``, ``fitted_on``, ``exact_int``) catching it, and that
honest code passes the same path.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import numpy as np
import pytest

import cae_ref
from cae_ref._tf import keras
from cae_ref.grader import checks


@pytest.fixture(scope="module")
def images() -> np.ndarray:
    return cae_ref.preprocess_images(cae_ref.load_fashion_mnist()[1][0][:96])


def _model() -> keras.Model:
    cae_ref.set_global_seed(0)
    return cae_ref.compile_autoencoder(cae_ref.build_autoencoder())


def _honest(model, x_train, x_val, epochs, batch_size):
    return model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=epochs, batch_size=batch_size, verbose=0)


def test_honest_training_is_recorded(images):
    model = _model()
    history, fits = checks.graded_training(_honest, model, images[:64], images[64:], 1, 32)
    assert history is fits[-1]["history"]
    assert checks.fitted_on(fits, images[:64], images[:64]) == ""
    assert checks.fitted_on(fits, images[64:], images[64:], validation=True) == ""
    assert np.allclose(checks.predict(model, images), model.predict(images, verbose=0), atol=1e-5)


def test_replaced_predict_fails_the_call_and_the_measure(images):
    def compile_attack(model):
        model.compile(optimizer="adam", loss="mse")
        model.predict = lambda x, **kwargs: x
        return model

    with pytest.raises(AssertionError, match=r"autoencoder\.predict"):
        checks.graded_call(compile_attack, cae_ref.build_autoencoder())
    tampered = compile_attack(cae_ref.build_autoencoder())
    with pytest.raises(AssertionError, match="cannot trust"):
        checks.predict(tampered, images)


@pytest.mark.parametrize("name", ["call", "__call__", "evaluate"])
def test_instance_overrides_are_seen(name):
    model = cae_ref.build_autoencoder()
    setattr(model, name, lambda *args, **kwargs: args[0])
    with pytest.raises(AssertionError, match=name):
        checks.untampered(model)


def test_hand_made_history_is_not_a_training(images):
    def fake(model, x_train, x_val, epochs, batch_size):
        history = keras.callbacks.History()
        history.history = {"loss": [0.1] * epochs, "val_loss": [model.evaluate(x_val, x_val, verbose=0)] * epochs}
        return history

    _, fits = checks.graded_training(fake, _model(), images[:64], images[64:], 1, 32)
    assert fits == [] and "never called" in checks.fitted_on(fits, images[:64], images[:64])


@pytest.mark.parametrize(
    ("target", "name"),
    [(np, "allclose"), (np, "array_equal"), (np, "mean"), (np.testing, "assert_allclose"), (keras.ops, "mean")],
)
def test_rebinding_in_a_graded_call_fails_and_is_undone(target, name):
    original = getattr(target, name)

    def encode(encoder, images):
        setattr(target, name, lambda *args, **kwargs: True)
        return np.zeros((len(images), 6272))

    with pytest.raises(AssertionError, match=name):
        checks.graded_call(encode, None, np.zeros((2, 28, 28, 1)))
    assert getattr(target, name) is original


def test_class_patch_and_cell_level_rebinding_are_undone_by_the_reload():
    predict, mean, psnr = keras.Model.predict, np.mean, cae_ref.metrics.psnr
    keras.Model.predict = lambda self, x, **kwargs: x
    np.mean = lambda *args, **kwargs: 0.0
    cae_ref.metrics.psnr = lambda *args: 99.0
    reloaded = importlib.reload(importlib.import_module("cae_ref.grader.checks"))
    assert (keras.Model.predict, np.mean, cae_ref.metrics.psnr) == (predict, mean, psnr)
    assert reloaded.pristine()["restore"]() == []


def test_patched_checks_helpers_before_the_reload():
    guarded = cae_ref.grader.guard.guarded_call
    cae_ref.grader.guard.guarded_call = lambda function, *args, **kwargs: 0
    reloaded = importlib.reload(importlib.import_module("cae_ref.grader.checks"))
    assert cae_ref.grader.guard.guarded_call is guarded and reloaded.guarded_call is guarded


def test_a_clean_input_denoiser_is_caught(images):
    noisy = cae_ref.add_gaussian_noise(images, 0.4, seed=1)

    def clean_inputs(model, x_noisy, x, x_val_noisy, x_val, epochs, batch_size):
        return model.fit(x, x, validation_data=(x_val_noisy, x_val), epochs=epochs, batch_size=batch_size, verbose=0)

    def honest(model, x_noisy, x, x_val_noisy, x_val, epochs, batch_size):
        order = np.random.default_rng(0).permutation(len(x))  # shuffled pairs are still the right pairs
        return model.fit(x_noisy[order], x[order], validation_data=(x_val_noisy, x_val), epochs=epochs, verbose=0)

    args = (noisy[:64], images[:64], noisy[64:], images[64:], 1, 32)
    _, fits = checks.graded_training(clean_inputs, _model(), *args)
    assert "inputs are target images" in checks.fitted_on(fits, noisy[:64], images[:64])
    assert checks.fitted_on(fits, noisy[64:], images[64:], validation=True) == ""
    _, fits = checks.graded_training(honest, _model(), *args)
    assert checks.fitted_on(fits, noisy[:64], images[:64]) == ""


def test_own_class_overriding_fit_is_seen():
    class Cheat(keras.Model):
        def fit(self, *args, **kwargs):
            return keras.callbacks.History()

    inputs = keras.Input((28, 28, 1))
    model = Cheat(inputs, keras.layers.Identity()(inputs))
    assert any(name.endswith("Cheat.fit") for name in checks.pristine()["model_tampering"](model))


def test_lying_objects_are_not_compared():
    class Lying(np.ndarray):
        @property
        def shape(self):
            return (100, 6272)

    class Equal:
        def __eq__(self, other):
            return True

    assert np.asarray(np.zeros((3, 2)).view(Lying)).shape == (3, 2)
    with pytest.raises(AssertionError, match="expected an int"):
        checks.exact_int(Equal(), "size")
    assert checks.exact_int(np.int64(7), "size") == 7


def test_fit_pairs_from_a_dataset_copies_and_augmentations(images):
    """A tf.data.Dataset of the given pairs and copies pass; augmented or swapped pairs fail, saying why."""
    tf = cae_ref._tf.tf
    noisy = cae_ref.add_gaussian_noise(images, 0.4, seed=1)

    def with_dataset(model, x_noisy, x):
        pairs = tf.data.Dataset.from_tensor_slices((x_noisy, x)).shuffle(64, seed=0).batch(16)
        return model.fit(pairs, validation_data=pairs, epochs=1, verbose=0)

    def flipped(model, x_noisy, x):
        return model.fit(np.concatenate([x_noisy, x_noisy[:, ::-1]]), np.concatenate([x, x[:, ::-1]]), verbose=0)

    def swapped(model, x_noisy, x):
        return model.fit(np.copy(x), x_noisy.astype(np.float64), verbose=0)

    _, fits = checks.graded_training(with_dataset, _model(), noisy[:64], images[:64])
    assert checks.fitted_on(fits, noisy[:64], images[:64]) == ""
    assert checks.fitted_on(fits, noisy[:64], images[:64], validation=True) == ""
    _, fits = checks.graded_training(flipped, _model(), noisy[:64], images[:64])
    assert "64 of them" in checks.fitted_on(fits, noisy[:64], images[:64])
    assert "not given" in checks.fitted_on(fits, noisy[:64], images[:64])
    _, fits = checks.graded_training(swapped, _model(), noisy[:64], images[:64])
    assert "inputs are target images" in checks.fitted_on(fits, noisy[:64], images[:64])


def test_vae_measure_refuses_a_class_of_the_submissions(images):
    class Wrapper(keras.Model):
        def call(self, x, training=False):
            return x

    encoder = cae_ref.vae.build_vae_encoder(latent_dim=2)
    decoder = cae_ref.models.build_decoder(cae_ref.vae.VAE_FILTERS, latent_dim=2)
    assert np.isfinite(checks.vae_negative_elbo(encoder, decoder, images[:8]))
    with pytest.raises(AssertionError, match=r"keep self\.decoder = decoder"):
        checks.vae_negative_elbo(encoder, Wrapper(), images[:8])
    decoder.call = lambda codes, training=False: codes
    with pytest.raises(AssertionError, match="cannot trust"):
        checks.vae_negative_elbo(encoder, decoder, images[:8])


def test_the_fit_record_is_recorded_too():
    """checks imports fit_record after pristine took its record: a patched fitted_on is put back by the reload."""
    fitted_on = cae_ref.grader.fit_record.fitted_on
    cae_ref.grader.fit_record.fitted_on = lambda *args, **kwargs: ""
    reloaded = importlib.reload(importlib.import_module("cae_ref.grader.checks"))
    assert cae_ref.grader.fit_record.fitted_on is fitted_on and reloaded.fitted_on is fitted_on


_CODE_SWAP = """
import numpy as np
from cae_ref.grader import checks

implementation = np.allclose._implementation
defaults = implementation.__defaults__
implementation.__defaults__ = (1e9, 1e9, False)
assert checks.pristine()["restore"](), "the swap was not seen"
assert implementation.__defaults__ == defaults and not np.allclose(1.0, 2.0), "the swap was not undone"
assert "allclose.__defaults__" in checks.pristine()["tampering"](), "the swap was not kept in the record"
print("undone")
"""


def test_code_swap_is_undone():
    """In a process of its own: the hook keeps a code swap for the rest of the process, and later checks fail."""
    run = subprocess.run([sys.executable, "-c", _CODE_SWAP], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip().endswith("undone"), run.stderr[-2000:]
