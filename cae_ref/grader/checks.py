"""What the exercise notebooks' tests share: grading budgets, calibrated thresholds, quiet calls, hints.

The notebooks in ``solutions/`` (nbgrader's source) call these; ``python -m grading calibrate`` trains at
the same budgets to choose the thresholds (table in ``grading/calibration.md``).
``cae_ref.grader.grade`` reloads this module before every check, so a submission that rebinds or
monkeypatches a name here gains nothing. What the checks trust (issues 14, 25): ``cae_ref.grader.pristine``,
``cae_ref.grader.grading``. Past 200 lines because what must come fresh from disk in every check (the graded
calls and their tampering checks) lives here; every reload puts back whatever the submission rebound
in NumPy, Keras, builtins or cae_ref, and the checks measure models through Keras' own code.
"""

# ruff: noqa: E402  (the restore above runs before the other imports)
from __future__ import annotations

import contextlib
import io
import sys
import types
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import cae_ref.grader.pristine  # noqa: F401  (first: it records NumPy and Keras before any student code runs)

_VAULT: list[Any] = []
sys.audit(
    "cae_ref.grader.pristine.get", _VAULT
)  # the record as first imported, from its audit hook
_VAULT[0][2][
    "restore"
]()  # before the imports below: put back whatever the submission rebound
from cae_ref._tf import keras
from cae_ref.budget import BOTTLENECK_BUDGET as BOTTLENECK_BUDGET
from cae_ref.budget import BOTTLENECK_SIZES as BOTTLENECK_SIZES
from cae_ref.budget import DENOISING_BUDGET as DENOISING_BUDGET
from cae_ref.budget import FEW_LABEL_BUDGET as FEW_LABEL_BUDGET
from cae_ref.budget import FEW_LABEL_COUNTS as FEW_LABEL_COUNTS
from cae_ref.budget import LATENT_BUDGET as LATENT_BUDGET
from cae_ref.budget import TRAINING_BUDGET as TRAINING_BUDGET
from cae_ref.budget import VAE_BUDGET as VAE_BUDGET
from cae_ref.budget import Budget as Budget
from cae_ref.grader.fit_record import (
    RECORDER_CODE,
    described,
    recording_fit,
    trainings,
)
from cae_ref.grader.fit_record import fitted_on as fitted_on
from cae_ref.grader.fit_record import weights_of as weights_of
from cae_ref.grader.grading_data import subsets as grading_subsets
from cae_ref.grader.guard import guarded_call
from cae_ref.grader.messages import message as message
from cae_ref.quiet import suppress_stderr

# The grading budgets live in cae_ref.budget; the notebooks read them from here.
NOISE_FACTOR = 0.4

# Calibrated by `python -m grading calibrate`; each sits between the worst valid run and the best mistake.
THRESHOLDS: dict[str, float] = {
    "training_mse": 0.030,  # held-out MSE after TRAINING_BUDGET must be at most this
    "latent_accuracy": 0.50,  # separation score of the codes on held-out images, at least this
    "latent_shuffled_accuracy": 0.25,  # the same measure with shuffled labels, at most this (chance 0.10)
    # PSNR(denoised) - PSNR(noisy) on held-out images, at least this. Below the weakest valid design (subclassed,
    # 3.47 dB); training on (noisy, noisy) gains 3.11 dB on the reference design but up to 3.84 dB on others,
    # where test_denoiser_validation catches it instead (grading/calibration.md).
    "denoising_gain_db": 3.3,
    "vae_elbo_gain": 148.0,  # held-out negative ELBO before minus after VAE_BUDGET (nats per image), at least this
    # |last epoch's recorded loss - the student's negative_elbo of the trained VAE on training images (decoded from
    # z_mean)| / the latter, at most this (grading/assignments/a07_vae/calibration.json, "history")
    "vae_history_gap": 0.25,
    # PSNR(largest BOTTLENECK_SIZES code) - PSNR(smallest) on held-out images, at least this (worst valid 1.86 dB)
    "bottleneck_gain_db": 1.0,
    # |held-out accuracy of the student's classifier - the course's kNN (k=5)| on the same rows and features, at most
    # this (worst valid design 0.178, nearest centroid; best mistake 0.632, labels of other rows)
    "few_label_agreement": 0.30,
}


def grading_data(budget: Budget) -> dict[str, np.ndarray]:
    """Return the budget's fixed subsets, preprocessed: x_train, x_val, x_test (float32) and labels.

    Training and validation images come from Fashion-MNIST's training split, test images from
    its test split, each drawn with ``budget.seed`` so every run sees the same images
    (``cae_ref.subsets.grading_indices``); ``cae_ref.grader.grading_data`` reads them from the file the
    grading command wrote, when there is one.
    """
    return grading_subsets(budget)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence stderr (C++ lines, Python warnings, prints to ``sys.stderr``) while the block runs.

    nbgrader scores a test cell 0 as soon as anything reaches stderr; exceptions still propagate,
    so a real error is never hidden.
    """
    with (
        suppress_stderr(),
        contextlib.redirect_stderr(io.StringIO()),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        yield


def quiet_call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``function`` inside ``quiet()`` and return what it returns."""
    with quiet():
        return function(*args, **kwargs)


def pristine() -> types.MappingProxyType:
    """The functions of ``cae_ref.grader.pristine`` as first imported, fetched from its audit hook (not the module)."""
    audit = sys.audit
    if (
        type(audit) is not type(len)
        or audit.__self__ is not sys
        or audit.__name__ != "audit"
    ):
        raise AssertionError(message("no_audit"))
    box: list[Any] = []
    audit("cae_ref.grader.pristine.get", box)
    if len(box) != 1:
        raise AssertionError(message("no_copies"))
    return box[0][2]


def untampered(*models: Any) -> None:
    """Put back what the submission rebound; fail when that cannot be undone or a model's methods were replaced."""
    api = pristine()
    api["restore"]()
    found = api["tampering"]() + [
        name for model in models for name in api["model_tampering"](model)
    ]
    if found:
        raise AssertionError(message("untrusted", found=", ".join(found)))


def graded_call(
    function: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """Like ``quiet_call``, and fail if ``function`` reaches cae_ref's answer key (``cae_ref.grader.guard``) or tampers.

    Raises AssertionError "write your own code; cae_ref.<name> is not allowed here", naming the answer, and
    AssertionError when the call rebinds NumPy, Keras, builtins or cae_ref functions (they are put back) or
    replaces methods of a model it is given or returns.
    """
    return _graded(function, args, kwargs, None)


def graded_training(
    function: Callable[..., Any], model: Any, *args: Any
) -> tuple[Any, list[dict[str, Any]]]:
    """``graded_call(function, model, *args)`` with the model's fit calls recorded: (its result, the fit calls)."""
    calls: list[dict[str, Any]] = []
    label = getattr(function, "__name__", "") or "training"
    result = _graded(function, (model, *args), {}, calls, label)
    return result, [call for call in calls if call["model"] is model]


def graded_kept(
    label: str, function: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """``graded_call`` with every fit recorded and kept, with the result, under ``label`` (``last_training``)."""
    return _graded(function, args, kwargs, [], label)


def graded_vae_fit(
    vae: Any, x_train: np.ndarray, x_test: np.ndarray, budget: Budget
) -> Any:
    """Train the notebook's VAE with its own ``fit`` (guarded, recorded); keep the held-out negative ELBO before.

    ``last_training("vae_fit")`` returns the VAE, its fit calls and ``(History, ELBO before)``.
    """
    before = vae_negative_elbo(vae.encoder, vae.decoder, x_test)

    def train(model: Any, images: np.ndarray) -> Any:
        return model.fit(
            images,
            epochs=budget.epochs,
            batch_size=budget.batch_size,
            shuffle=True,
            verbose=0,
        )

    return _graded(train, (vae, x_train), {}, [], "vae_fit", extra=before)


def graded_few_labels(
    function: Callable[..., Any],
    fit_on_labelled: Callable[..., Any],
    *args: Any,
) -> Any:
    """``function(fit, *args)`` guarded, where ``fit`` is ``fit_on_labelled`` with every call recorded by the grader.

    ``last_training("few_label_accuracies")`` returns ``(None, [], (result, fitted))``: ``fitted`` holds, per
    call of ``fit``, copies of the features and labelled rows it was given and the classifier it returned.
    """
    fitted: list[tuple[np.ndarray, np.ndarray, Any]] = []

    def fit(features: Any, labels: Any, labelled: Any) -> Any:
        classifier = fit_on_labelled(features, labels, labelled)
        fitted.append((np.array(features), np.array(labelled), classifier))
        return classifier

    return _graded(
        function, (fit, *args), {}, [], "few_label_accuracies", extra=fitted
    )


def course_training(label: str, train: Callable[[], Any], keep: Any) -> Any:
    """Run the course's own training ``train()`` (not graded) with its fit calls kept under ``label``, with ``keep``.

    The notebooks train the models their later checks measure this way (04's and 08's encoders):
    ``last_training(label)`` returns the model fit trained, its calls and ``keep``.
    """
    with recording_fit([], label) as returned:
        result = train()
        returned.append(keep)
    return result


def last_training(label: str) -> tuple[Any, list[dict[str, Any]], Any]:
    """The latest ``graded_training`` of a function named ``label``, from the grader's record.

    Returns (the model fit trained last, that model's fit calls, what the function returned). Fails
    with a message for the student when no such training ran in this notebook, or when it raised.
    """
    found = trainings(label)
    if not found:
        raise AssertionError(message("no_run", label=label))
    if not found[-1]["finished"]:
        raise AssertionError(not_finished(label, found[-1]))
    calls = list(found[-1]["calls"])
    model = calls[-1]["model"] if calls else None
    return (
        model,
        [c for c in calls if c["model"] is model],
        found[-1]["result"],
    )


def not_finished(what: str, training: dict[str, Any]) -> str:
    """The message of a check whose recorded run stopped: what stopped, with what error, and what to do."""
    error = training.get("error") or message("an_error")
    return message("not_finished", what=what, error=error)


def _noted(error: BaseException, label: str) -> None:
    """Add to a student's exception what failed and what to do (shown under the traceback)."""
    if isinstance(error, AssertionError) or not label:
        return  # the grader's own verdicts already say it
    shown = message("vae_fit_shown") if label == "vae_fit" else label
    with contextlib.suppress(Exception):
        BaseException.add_note(
            error,
            message("stopped_note", shown=shown, error=described(error)),
        )


def _graded(
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    calls: Any,
    label: str = "",
    extra: Any = None,
) -> Any:
    api = pristine()
    api["restore"]()
    models = [
        a for a in (*args, *kwargs.values()) if isinstance(a, keras.Layer)
    ]
    before = {id(m): api["model_tampering"](m) for m in models}
    try:  # the with stays in _graded: fit_record checks who opened the kept training
        with (
            quiet(),
            recording_fit(calls, label)
            if calls is not None
            else contextlib.nullcontext([]) as returned,
        ):
            result = guarded_call(function, *args, **kwargs)
            # checked before the result is kept: a call that tampered is never a finished training
            recording = vars(keras.Model).get("fit")
            ours = getattr(recording, "__code__", None) is RECORDER_CODE
            changed = [
                c for c in api["restore"]() if not (ours and c == "Model.fit")
            ]
            models += [result] if isinstance(result, keras.Layer) else []
            changed += [
                n
                for m in models
                for n in api["model_tampering"](m)
                if n not in before.get(id(m), [])
            ]
            if changed:
                raise AssertionError(
                    message("replaced", names=", ".join(sorted(set(changed))))
                )
            returned.append(result if extra is None else (result, extra))
    except Exception as error:
        _noted(error, label or getattr(function, "__name__", ""))
        raise
    return result


def predict(model: Any, inputs: np.ndarray) -> np.ndarray:
    """The model's outputs as the grader computes them (Keras' own ``Layer.__call__``), after ``untampered``."""
    untampered(model)
    with quiet():
        return pristine()["forward"](model, inputs)


def settled_predict(
    model: Any, inputs: np.ndarray, train_inputs: np.ndarray
) -> np.ndarray:
    """``predict``, after re-estimating the model's batch-norm statistics on ``train_inputs`` (issue 25).

    At a grading budget a BatchNormalization layer's moving averages have not settled, so its inference
    mode scores far below what it learned. Like "precise BN", the grader runs ``train_inputs`` (the
    inputs it handed over for training) through the model in training mode in batches of 250, with the
    momentum that makes each moving statistic the mean over the rows seen so far of its batch value. It
    measures, then puts every variable of the model back (weights, statistics, seeds): the student's
    model is unchanged. A model without trainable batch normalisation is measured by ``predict`` alone.
    """
    untampered(model)
    norms = [
        layer
        for layer in keras.Layer._flatten_layers(
            model, include_self=True, recursive=True
        )
        if isinstance(layer, keras.layers.BatchNormalization)
        and layer.trainable
    ]
    if not norms:
        return predict(model, inputs)
    state = keras.Layer.variables.fget(model)  # weights, statistics, seeds
    saved = [np.array(keras.ops.convert_to_numpy(v.value)) for v in state]
    momenta = [layer.momentum for layer in norms]
    train, size = np.asarray(train_inputs, np.float32), 250
    try:
        for start in range(0, len(train), size):
            batch = train[start : start + size]
            for layer in norms:  # the running mean over the rows seen so far
                layer.momentum = start / (start + len(batch))
            with quiet():
                keras.Layer.__call__(model, batch, training=True)
        return predict(model, inputs)
    finally:
        for layer, momentum in zip(norms, momenta, strict=True):
            layer.momentum = momentum
        for variable, value in zip(state, saved, strict=True):
            variable.assign(value)


def flat_codes(encoder: Any, images: np.ndarray) -> np.ndarray:
    """The encoder's codes of ``images``, one flat row per image, as the grader computes them (``predict``)."""
    return predict(encoder, images).reshape(len(images), -1)


def exact_int(value: Any, what: str) -> int:
    """``value`` as an int when it is exactly a Python or NumPy integer (never an object whose ``==`` may lie)."""
    if type(value) is not int and type(value) not in (
        np.int8,
        np.int16,
        np.int32,
        np.int64,
        np.uint8,
        np.uint32,
    ):
        raise AssertionError(
            expected_got(
                what,
                message("an_int"),
                type(value).__name__,
                message("hint_int"),
            )
        )
    return int(value)


def to_numpy(value: Any) -> np.ndarray:
    """Convert a tensor or array-like to a NumPy array."""
    return np.asarray(keras.ops.convert_to_numpy(value))


def run_model(model: Any, inputs: np.ndarray) -> np.ndarray:
    """Apply ``model`` (functional, Sequential or subclassed) to ``inputs`` quietly, in inference mode.

    Computed by the grader (``predict``): the model's own ``__call__``, ``predict`` or replaced methods are not used.
    """
    return predict(model, inputs)


def iter_layers(model: Any) -> Iterator[Any]:
    """Yield every layer inside ``model``, nested models unrolled (the containers themselves excluded)."""
    for layer in getattr(model, "layers", None) or []:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        inner = getattr(layer, "layers", None)
        if inner:
            yield from iter_layers(layer)
        else:
            yield layer


_CONV_TYPES = (
    keras.layers.Conv2D,
    keras.layers.Conv2DTranspose,
    keras.layers.SeparableConv2D,
    keras.layers.DepthwiseConv2D,
)


def count_conv_layers(model: Any) -> int:
    """Number of 2-D (transposed, separable, depthwise) convolution layers in ``model``."""
    return sum(isinstance(layer, _CONV_TYPES) for layer in iter_layers(model))


def count_layers(model: Any) -> int:
    """Number of layers in ``model`` (input layers and nested containers excluded)."""
    return sum(1 for _ in iter_layers(model))


def encoder_shape_hint(got: tuple[int, ...]) -> str:
    """Likely cause when an encoder does not map (N, 28, 28, 1) to (N, 7, 7, 128)."""
    if len(got) != 4:
        return message("enc_not_map")
    height, width, channels = got[1:]
    if (height, width) == (28, 28):
        return message("enc_28")
    if (height, width) == (14, 14):
        return message("enc_14")
    if height < 7 and (height, width) in (
        (5, 5),
        (3, 3),
        (6, 6),
        (4, 4),
        (2, 2),
        (1, 1),
    ):
        return message("enc_small")
    if (height, width) == (7, 7):
        return message("enc_channels", channels=channels)
    return message("enc_trace")


def decoder_shape_hint(got: tuple[int, ...]) -> str:
    """Likely cause when a decoder does not map (N, 7, 7, 128) to (N, 28, 28, 1)."""
    if len(got) != 4:
        return message("dec_not_image")
    height, width, channels = got[1:]
    if (height, width) == (7, 7):
        return message("dec_7")
    if (height, width) == (14, 14):
        return message("dec_14")
    if (height, width) == (28, 28):
        return message("dec_channels", channels=channels)
    return message("dec_trace")


def expected_got(what: str, expected: Any, got: Any, hint: str = "") -> str:
    """A teaching failure message: what was expected, what came back, and the likely cause."""
    text = message("expected_got", what=what, expected=expected, got=got)
    return message("hint", message=text, hint=hint) if hint else text


def _keras_models_of(encoder: Any, decoder: Any) -> None:
    """Fail unless the VAE's encoder and decoder are Keras' own, untampered model classes."""
    for part, model in (("encoder", encoder), ("decoder", decoder)):
        if not type(model).__module__.startswith("keras"):
            raise AssertionError(
                expected_got(
                    message("vae_part", part=part),
                    message("vae_part_expected"),
                    type(model).__name__,
                    message("vae_part_hint", part=part),
                )
            )
    untampered(encoder, decoder)


def vae_negative_elbo(
    encoder: Any, decoder: Any, images: np.ndarray, seed: int = 0
) -> float:
    """Mean negative ELBO (nats per image) of a VAE's encoder and decoder on ``images``: the grader's own measure.

    One code per image is drawn as ``z_mean + exp(z_log_var / 2) * eps`` with NumPy noise from ``seed``;
    the loss is the binary cross-entropy summed over the pixels plus the closed-form KL term. Written
    here (not imported from ``cae_ref.vae``) so that reloading this module restores it. Both models are run
    through Keras' own ``Layer.__call__`` after ``untampered``, and must be Keras' own model classes (the
    functional models the notebook built), not a class of the submission's.
    """
    _keras_models_of(encoder, decoder)
    call = keras.Layer.__call__
    with quiet():
        z_mean, z_log_var = (
            np.asarray(to_numpy(t), np.float64)
            for t in call(encoder, images, training=False)
        )
        eps = np.random.default_rng(seed).standard_normal(z_mean.shape)
        codes = (z_mean + np.exp(0.5 * z_log_var) * eps).astype(np.float32)
        pixels = np.clip(
            to_numpy(call(decoder, codes, training=False)).astype(np.float64),
            1e-7,
            1 - 1e-7,
        )
    x = np.asarray(images, np.float64).reshape(len(images), -1)
    pixels = pixels.reshape(len(images), -1)
    bce = -np.sum(x * np.log(pixels) + (1 - x) * np.log(1 - pixels), axis=1)
    kl = -0.5 * np.sum(1 + z_log_var - z_mean**2 - np.exp(z_log_var), axis=1)
    return float(np.mean(bce + kl))


def vae_mean_codes(
    encoder: Any, decoder: Any, images: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(z_mean, z_log_var, reconstructions)`` of ``images``, decoded from ``z_mean`` (no noise), by the grader.

    The same guarded Keras calls as ``vae_negative_elbo``; a test passes the three arrays to the student's
    own ``negative_elbo`` to check that the loss a history records is what the trained model scores.
    """
    _keras_models_of(encoder, decoder)
    call = keras.Layer.__call__
    with quiet():
        z_mean, z_log_var = (
            np.asarray(to_numpy(t), np.float32)
            for t in call(encoder, images, training=False)
        )
        reconstructions = np.asarray(
            to_numpy(call(decoder, z_mean, training=False)), np.float32
        )
    return z_mean, z_log_var, reconstructions


pristine()[
    "restore"
]()  # every test cell reloads this module: put back what the submission rebound
