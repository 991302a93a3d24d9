"""The jobs behind ``python -m cae_ref {train,denoise,evaluate,trace}``; ``cae_ref.cli`` parses the options.

Each job writes into ``--out``: the model (``model.keras``), ``metrics.json`` and figures. A problem
the user can fix raises :class:`CliError`, which the command line reports as one line on stderr.
TensorFlow is imported inside the jobs, so ``--help`` answers without it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from cae_ref.data import load_fashion_mnist
from cae_ref.preprocessing import preprocess_images
from cae_ref.subsets import first_indices, train_val_split


class CliError(Exception):
    """A problem the user can fix: reported as one line, without a traceback."""


def load_data(args: argparse.Namespace) -> dict[str, np.ndarray]:
    """The first ``--train-size``/``--test-size`` images: raw training images, preprocessed test images."""
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    if (args.train_size or 0) > len(x_train) or (args.test_size or 0) > len(
        x_test
    ):
        raise CliError(
            f"--train-size is at most {len(x_train)} and --test-size at most {len(x_test)}"
        )
    train = first_indices(len(x_train), args.train_size)
    test = first_indices(len(x_test), args.test_size)
    return {
        "x_train": x_train[train],
        "y_train": y_train[train],
        "x_test": preprocess_images(x_test[test]),
        "y_test": y_test[test],
    }


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")


def _prepare_out(out: Path) -> Path:
    try:
        (out / "figures").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(
            f"cannot create output folder {out}: {error.strerror}"
        ) from None
    return out


def train_job(
    args: argparse.Namespace, noise_factor: float | None
) -> dict[str, Any]:
    """``train`` (``noise_factor=None``) or ``denoise``: train, save, score, plot; return the metrics."""
    from cae_ref.metrics import (
        evaluate_reconstruction,
        image_metrics,
        reconstruct,
    )
    from cae_ref.models import build_autoencoder, build_decoder, build_encoder
    from cae_ref.noise import add_gaussian_noise
    from cae_ref.plots import (
        plot_denoising,
        plot_loss_curves,
        plot_reconstructions,
    )
    from cae_ref.training import (
        compile_autoencoder,
        set_global_seed,
        train_autoencoder,
    )

    if not args.learning_rate > 0:
        raise CliError(
            f"--learning-rate must be positive, got {args.learning_rate}"
        )
    out = _prepare_out(args.out)
    data = load_data(args)
    images = preprocess_images(data["x_train"])
    try:
        x_train, x_val, _, _ = train_val_split(
            images, val_fraction=args.val_fraction, seed=args.seed
        )
    except ValueError as error:
        raise CliError(f"--val-fraction: {error}") from None
    x_test = data["x_test"]
    if noise_factor is None:
        inputs = {"train": x_train, "val": x_val, "test": x_test}
    else:
        inputs = {
            "train": add_gaussian_noise(x_train, noise_factor, seed=args.seed),
            "val": add_gaussian_noise(x_val, noise_factor, seed=args.seed + 1),
            "test": add_gaussian_noise(
                x_test, noise_factor, seed=args.seed + 2
            ),
        }

    set_global_seed(args.seed)
    try:
        encoder = build_encoder(args.filters, args.latent_dim)
        decoder = build_decoder(args.filters, args.latent_dim)
    except ValueError as error:
        raise CliError(str(error)) from None
    model = compile_autoencoder(
        build_autoencoder(encoder, decoder), args.loss, args.learning_rate
    )
    print(
        f"training {model.count_params():,} parameters on {len(x_train):,} images, validating on {len(x_val):,}"
    )
    started = time.perf_counter()
    history = train_autoencoder(
        model,
        inputs["train"],
        inputs["val"],
        y_train=x_train,
        y_val=x_val,
        epochs=args.epochs,
        batch_size=args.batch_size,
        seed=args.seed,
        verbose=0 if args.quiet else (1 if sys.stdout.isatty() else 2),
        restore_best=args.restore_best,
    )
    train_seconds = time.perf_counter() - started
    model.save(out / "model.keras")

    outputs = reconstruct(model, inputs["test"])
    metrics: dict[str, Any] = {
        "test": evaluate_reconstruction(model, inputs["test"], x_test),
        "parameters": model.count_params(),
        "train_seconds": round(train_seconds, 1),
        "best_epoch": int(np.argmin(history.history["val_loss"])) + 1,
        "config": _config(args, noise_factor),
    }
    if noise_factor is not None:
        metrics["noisy_input"] = image_metrics(x_test, inputs["test"])
        plot_denoising(
            x_test,
            inputs["test"],
            outputs,
            data["y_test"],
            path=out / "figures" / "denoising.png",
        )
    else:
        plot_reconstructions(
            x_test,
            outputs,
            data["y_test"],
            path=out / "figures" / "reconstructions.png",
        )
    plot_loss_curves(
        history.history,
        title="Training and validation loss",
        ylabel=f"loss ({'binary cross-entropy' if args.loss == 'bce' else 'mean squared error'})",
        path=out / "figures" / "loss_curves.png",
    )
    _write_json(
        out / "history.json",
        {
            key: [float(v) for v in values]
            for key, values in history.history.items()
        },
    )
    _write_json(out / "metrics.json", metrics)
    return metrics


def _config(
    args: argparse.Namespace, noise_factor: float | None
) -> dict[str, Any]:
    config = {
        key: value
        for key, value in vars(args).items()
        if key not in {"command", "out", "quiet"}
    }
    config["filters"] = list(args.filters)
    config["noise_factor"] = noise_factor
    return config


def evaluate_job(args: argparse.Namespace) -> dict[str, Any]:
    """``evaluate``: score a saved model on the test images (optionally noisy); return the metrics."""
    from cae_ref._tf import keras
    from cae_ref.metrics import (
        evaluate_reconstruction,
        image_metrics,
        reconstruct,
    )
    from cae_ref.noise import add_gaussian_noise
    from cae_ref.plots import plot_denoising, plot_reconstructions

    if not args.model.is_file():
        raise CliError(f"model file not found: {args.model}")
    try:
        model = keras.saving.load_model(args.model)
    except (
        Exception
    ) as error:  # Keras raises many types for an unreadable file
        raise CliError(
            f"cannot load {args.model} as a Keras model: {type(error).__name__}"
        ) from None
    if tuple(model.input_shape[1:]) != (28, 28, 1) or tuple(
        model.output_shape[1:]
    ) != (28, 28, 1):
        raise CliError(
            f"{args.model} maps {model.input_shape} to {model.output_shape}, expected 28x28x1 images both"
        )
    out = _prepare_out(args.out)
    data = load_data(args)
    x_test = data["x_test"]
    inputs = (
        x_test
        if args.noise_factor == 0
        else add_gaussian_noise(x_test, args.noise_factor, seed=args.seed + 2)
    )
    outputs = reconstruct(model, inputs)
    metrics: dict[str, Any] = {
        "test": evaluate_reconstruction(model, inputs, x_test),
        "model": str(args.model),
        "noise_factor": args.noise_factor,
        "test_size": len(x_test),
    }
    if args.noise_factor:
        metrics["noisy_input"] = image_metrics(x_test, inputs)
        plot_denoising(
            x_test,
            inputs,
            outputs,
            data["y_test"],
            path=out / "figures" / "denoising.png",
        )
    else:
        plot_reconstructions(
            x_test,
            outputs,
            data["y_test"],
            path=out / "figures" / "reconstructions.png",
        )
    _write_json(out / "metrics.json", metrics)
    return metrics


def trace_job(args: argparse.Namespace) -> None:
    """``trace``: print the layer-by-layer shape trace of the configured model."""
    from cae_ref.models import build_autoencoder, build_decoder, build_encoder
    from cae_ref.shapes import format_trace, trace_model

    try:
        model = build_autoencoder(
            build_encoder(args.filters, args.latent_dim),
            build_decoder(args.filters, args.latent_dim),
        )
    except ValueError as error:
        raise CliError(str(error)) from None
    print(format_trace(trace_model(model)))


def print_metrics(metrics: dict[str, Any], out: Path) -> None:
    """Print the scores of a job and where it wrote them."""
    for group in ("noisy_input", "test"):
        if group in metrics:
            values = metrics[group]
            print(
                f"{group:>11}: BCE {values['bce']:.4f}  MSE {values['mse']:.5f}  "
                f"PSNR {values['psnr']:.2f} dB  SSIM {values['ssim']:.3f}"
            )
    print(f"wrote {out}/metrics.json and figures in {out}/figures")
