"""The answer-key guard: simulated submissions reach cae_ref's answers by every route and fail.

Each `submission_*` function stands for a notebook cell a student might write; the guard must
name the answer reached, flag every way of switching it off, and leave honest code alone.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import linecache
import subprocess
import sys
import threading
import types

import numpy as np
import pytest

import cae_ref
from cae_ref._tf import keras
from cae_ref.grader import answers, checks, guard
from cae_ref.grader.guard import AnswerKeyUsed, GuardTampered, guarded_call

CLEAN = np.zeros((4, 28, 28, 1), dtype=np.float32)
NOISY = CLEAN + np.float32(0.1)
RAW = np.arange(3 * 28 * 28, dtype=np.int64).reshape(3, 28, 28).astype(np.uint8)
earlier_cell_alias = cae_ref.psnr  # "an alias bound in an earlier cell"


def message(name: str) -> str:
    return f"write your own code; cae_ref.{name} is not allowed here"


def submission_helper(clean, other):
    return earlier_cell_alias(clean, other)


class Scorer:
    """A student's class whose methods reach the answer."""

    key = staticmethod(cae_ref.psnr)

    def score(self, clean, other):
        return self.key(clean, other)

    @classmethod
    def make(cls, clean, other):
        return cls().score(clean, other)


def from_import():
    from cae_ref.models import build_encoder

    return build_encoder()


ROUTES = {
    "direct call": (lambda: cae_ref.psnr(CLEAN, NOISY), "psnr"),
    "alias bound in an earlier cell": (lambda: earlier_cell_alias(CLEAN, NOISY), "psnr"),
    "from cae_ref.models import": (from_import, "build_encoder"),
    "getattr, computed name": (lambda: getattr(cae_ref, "conv_" + "output_size")(28, 3, 1, "same"), "conv_output_size"),
    "importlib.import_module": (
        lambda: importlib.import_module("cae_ref.shapes").conv_transpose_output_size(7, 3, 2, "same"),
        "conv_transpose_output_size",
    ),
    "__import__": (
        lambda: __import__("cae_ref.noise", fromlist=["x"]).add_gaussian_noise(CLEAN, 0.1, 0),
        "add_gaussian_noise",
    ),
    "sys.modules": (lambda: sys.modules["cae_ref.preprocessing"].preprocess_images(RAW), "preprocess_images"),
    "own helper function": (lambda: submission_helper(CLEAN, NOISY), "psnr"),
    "functools.partial": (functools.partial(cae_ref.psnr, CLEAN), "psnr"),
    "a method": (lambda: Scorer().score(CLEAN, NOISY), "psnr"),
    "a classmethod": (lambda: Scorer.make(CLEAN, NOISY), "psnr"),
    "a close relative": (lambda: cae_ref.image_metrics(CLEAN, NOISY)["psnr"], "image_metrics"),
    "a copied function object": (
        lambda: types.FunctionType(cae_ref.psnr.__code__, vars(sys.modules["cae_ref.metrics"]))(CLEAN, NOISY),
        "psnr",
    ),
    "an answer inside own code": (lambda: float(np.mean(cae_ref.flatten_pixels(CLEAN))), "flatten_pixels"),
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_to_an_answer_fails_with_its_name(route):
    function, name = ROUTES[route]
    args = (NOISY,) if route == "functools.partial" else ()
    with pytest.raises(AnswerKeyUsed, match=f"^{message(name)}$"):
        guarded_call(function, *args)
    assert sys.getprofile() is None


def test_a_reloaded_answer_module_is_still_the_answer():
    fresh = importlib.reload(importlib.import_module("cae_ref.shapes"))
    assert fresh.conv_output_size is not cae_ref.conv_output_size
    with pytest.raises(AnswerKeyUsed, match=message("conv_output_size")):
        guarded_call(fresh.conv_output_size, 28, 3, 1, "same")


def test_graded_call_is_quiet_guarded_and_an_assertion_error():
    with pytest.raises(AssertionError, match=f"^{message('build_encoder')}$"):
        checks.graded_call(from_import)
    assert checks.graded_call(lambda: 10 * np.log10(1 / 0.01)) == pytest.approx(20.0)


def _setprofile_off():
    sys.setprofile(None)
    return cae_ref.conv_output_size(28, 3, 1, "same")


def _settrace():
    previous = sys.gettrace()
    sys.settrace(None)
    sys.settrace(previous)
    return 28


def _thread():
    out = []
    worker = threading.Thread(target=lambda: out.append(cae_ref.conv_output_size(28, 3, 1, "same")))
    worker.start()
    worker.join()
    return out[0]


def _subprocess():
    code = "import cae_ref; print(cae_ref.conv_output_size(28, 3, 1, 'same'))"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def _read_the_source():
    linecache.clearcache()
    namespace = dict(vars(sys.modules["cae_ref.shapes"]))
    exec(inspect.getsource(namespace["conv_output_size"]), namespace)
    return namespace["conv_output_size"](28, 3, 1, "same")


def _renamed_code():
    code = cae_ref.conv_output_size.__code__.replace(co_name="mine")
    return types.FunctionType(code, vars(sys.modules["cae_ref.shapes"]))(28, 3, 1, "same", 1)


TAMPERING = {
    "sys.setprofile(None)": (_setprofile_off, "sys.setprofile"),
    "sys.settrace": (_settrace, "sys.settrace"),
    "the answer in a thread": (_thread, "started a thread"),
    "the answer in a subprocess": (_subprocess, "subprocess.Popen"),
    "copying the answer's source at run time": (_read_the_source, "open"),
    "a renamed copy of the answer's code": (_renamed_code, "code.__new__"),
}


@pytest.mark.parametrize("attempt", sorted(TAMPERING))
def test_switching_the_guard_off_scores_zero(attempt):
    function, evidence = TAMPERING[attempt]
    assert function() == 28  # unguarded, each attempt "works"
    with pytest.raises(GuardTampered, match=f"answer-key guard .*{evidence}.*: this check scores 0"):
        guarded_call(function)
    assert sys.getprofile() is None


_SEARCH_THE_HEAP = """
import gc, pytest
import cae_ref.grader.guard as guard
from cae_ref.grader import checks  # installs cae_ref.grader.pristine, whose record keeps a heap search for good
from cae_ref.grader.guard import GuardTampered, guarded_call
def search():
    return len(gc.get_referrers(guard)) * 0 + 28
with pytest.raises(GuardTampered, match="answer-key guard .*gc.get_referrers.*: this check scores 0"):
    guarded_call(search)
print("caught")
"""


def test_searching_the_garbage_collector_scores_zero():
    # In its own process: cae_ref.grader.pristine remembers a heap search for the rest of the process (by design),
    # which would fail every later check of the test worker that ran it.
    run = subprocess.run([sys.executable, "-c", _SEARCH_THE_HEAP], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip().endswith("caught"), run.stderr[-2000:]


def test_importing_allowed_cae_ref_modules_inside_the_call_is_fine():
    def first_import():
        sys.modules.pop("cae_ref.tables", None)
        return importlib.import_module("cae_ref.tables").markdown_table(["a"], [[1]])

    assert "a" in guarded_call(first_import)


def test_a_forged_exit_event_does_not_clear_the_verdict():
    def forge():
        value = cae_ref.conv_output_size(28, 3, 1, "same")
        with contextlib.suppress(GuardTampered):
            sys.audit("cae_ref.grader.guard.exit", object(), True)
        return value

    with pytest.raises(AnswerKeyUsed, match=message("conv_output_size")):
        guarded_call(forge)


def own_encoder() -> keras.Model:
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(8, 3, activation="relu", padding="same")(inputs)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Conv2D(8, 3, activation="relu", padding="same")(x)
    x = keras.layers.MaxPooling2D(2)(x)
    return keras.Model(inputs, keras.layers.Conv2D(128, 3, padding="same")(x))


def own_psnr(clean, other):
    mse = np.mean((np.asarray(clean, np.float64) - np.asarray(other, np.float64)) ** 2, axis=(1, 2, 3))
    return float(np.mean(10 * np.log10(1.0 / mse)))


def test_own_code_passes_and_returns_its_value():
    assert guarded_call(own_psnr, CLEAN, NOISY) == pytest.approx(cae_ref.psnr(CLEAN, NOISY), abs=1e-3)
    encoder = checks.graded_call(own_encoder)
    assert isinstance(encoder, keras.Model) and tuple(encoder.output.shape) == (None, 7, 7, 128)


def test_own_training_with_allowed_helpers_passes():
    def train_a_few_batches():
        cae_ref.set_global_seed(0)
        (x_raw, _), _ = cae_ref.load_fashion_mnist(allow_download=False)
        data = checks.grading_data(checks.LATENT_BUDGET)  # calls preprocess_images for us: allowed
        x = (x_raw[:64].astype(np.float32) / 255.0)[..., None]
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(1, 3, padding="same")])
        model.compile(optimizer="adam", loss="mse")
        history = model.fit(x, x, epochs=1, batch_size=32, verbose=0)
        return len(history.history["loss"]), checks.count_conv_layers(model), data["x_train"].shape

    assert guarded_call(train_a_few_batches) == (1, 1, (checks.LATENT_BUDGET.train_images, 28, 28, 1))


def test_own_errors_propagate_unchanged():
    error = KeyError("the student's own bug")

    def broken():
        raise error

    with pytest.raises(KeyError) as caught:
        guarded_call(broken)
    assert caught.value is error


def test_a_previous_profile_function_is_restored_and_calls_nest():
    def outer_profile(frame, event, arg):
        return None

    sys.setprofile(outer_profile)
    try:
        assert guarded_call(guarded_call, own_psnr, CLEAN, NOISY) == pytest.approx(20.0, abs=1e-3)
        assert sys.getprofile() is outer_profile
    finally:
        sys.setprofile(None)
    with pytest.raises(AnswerKeyUsed, match=message("psnr")):
        guarded_call(guarded_call, earlier_cell_alias, CLEAN, NOISY)
    for _ in range(3):  # repeated calls start from a clean record
        assert guarded_call(own_psnr, CLEAN, NOISY) == pytest.approx(20.0, abs=1e-3)
    assert sys.getprofile() is None


def test_the_registry_resolves_every_answer_and_keeps_helpers_out():
    registry = guard.build_registry()
    named = set(registry.by_id.values())
    assert len(named) == len(answers.ANSWER_FUNCTIONS)
    assert {"cae_ref.build_encoder", "cae_ref.psnr", "cae_ref.models._relu_conv"} <= named
    nested = cae_ref.models._relu_conv.__code__.co_consts
    assert any(id(code) in registry.by_id for code in nested if isinstance(code, types.CodeType))
    for helper in (cae_ref.load_fashion_mnist, cae_ref.plot_image_rows, cae_ref.set_global_seed, checks.quiet):
        assert id(inspect.unwrap(helper).__code__) not in registry.by_id


def test_the_vae_classes_are_answers_by_their_methods_and_honest_vae_code_passes():
    """Exercise 07: cae_ref's Sampling layer and its VAE's train_step are caught; the same formula, written, is not."""
    from cae_ref import vae

    mean = np.zeros((4, 2), np.float32)
    with pytest.raises(AnswerKeyUsed, match=message("vae.Sampling")):
        guarded_call(vae.Sampling, 0)
    layer = vae.Sampling(0)  # made outside: calling it inside is still the answer
    with pytest.raises(AnswerKeyUsed, match=message("vae.Sampling")):
        guarded_call(layer, [mean, mean])

    class Subclassed(vae.VariationalAutoencoder):
        """A student's VAE that inherits cae_ref's train_step."""

    model = Subclassed(vae.build_vae_encoder(2), vae.build_decoder(vae.VAE_FILTERS, latent_dim=2), seed=0)
    model.compile(optimizer="adam")
    images = np.random.default_rng(0).random((8, 28, 28, 1)).astype(np.float32)
    with pytest.raises(AnswerKeyUsed, match=message("vae.VariationalAutoencoder")):
        guarded_call(model.train_on_batch, images)

    namespace = {"ops": keras.ops}  # the closed form has one natural spelling: the same source, written by a student
    exec(compile(inspect.getsource(vae.kl_divergence), "<student cell>", "exec"), namespace)
    kl = namespace["kl_divergence"]
    assert guard._keys(kl.__code__)[1] == guard._keys(vae.kl_divergence.__code__)[1]  # same bytecode and names
    assert np.allclose(checks.to_numpy(guarded_call(kl, mean, mean)), 0.0)


def test_typing_in_the_code_the_book_shows_is_own_code_calling_it_is_not():
    """cae_ref.plain is on the pages: the same code in the student's cell passes, a call to it fails."""
    from cae_ref import plain

    # the book's code as if typed into a cell: same bytecode and names, the cell's file and line
    code = plain.build_plain_encoder.__code__.replace(co_filename="<student cell>", co_firstlineno=1)
    typed_in = types.FunctionType(code, {"keras": keras, "layers": keras.layers}, "build_encoder")
    model = guarded_call(typed_in)
    assert tuple(model.output.shape[1:]) == (7, 7, 128)
    with pytest.raises(AnswerKeyUsed, match="build_plain_encoder is not allowed here"):
        guarded_call(lambda: plain.build_plain_encoder())
