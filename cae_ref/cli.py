"""Command line: ``python -m cae_ref {train,evaluate,denoise,trace,experiments}``.

Each job writes into ``--out``: the model (``model.keras``), ``metrics.json`` and figures.
Errors in options, files or data end the program with one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cae_ref.budget import REPORT_BUDGET
from cae_ref.data import DATA_DIR_ENV, DataError, load_fashion_mnist
from cae_ref.preprocessing import preprocess_images
from cae_ref.subsets import first_indices, train_val_split

USAGE_ERROR = 2


class CliError(Exception):
    """A problem the user can fix: reported as one line, without a traceback."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _unit_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {value}")
    return value


def _filters(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers like 32,64,128, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"filter counts must be positive, got {text!r}")
    return values


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--train-size", type=_positive_int, help="use the first N training images (default: all 60,000)"
    )
    parser.add_argument("--test-size", type=_positive_int, help="use the first N test images (default: all 10,000)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the split, weights, shuffling and noise")


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--filters", type=_filters, default=(32, 64, 128), help="encoder filters, comma-separated (default 32,64,128)"
    )
    parser.add_argument(
        "--latent-dim", type=_positive_int, help="add a dense bottleneck of this size (default: none, 7x7x128 code)"
    )


def _add_training_options(parser: argparse.ArgumentParser, default_out: str) -> None:
    _add_model_options(parser)
    parser.add_argument(
        "--epochs",
        type=_positive_int,
        default=REPORT_BUDGET.epochs,
        help=f"training epochs (default {REPORT_BUDGET.epochs}, the report's)",
    )
    parser.add_argument(
        "--batch-size",
        type=_positive_int,
        default=REPORT_BUDGET.batch_size,
        help=f"batch size (default {REPORT_BUDGET.batch_size})",
    )
    parser.add_argument("--loss", choices=("bce", "mse"), default="bce", help="reconstruction loss (default bce)")
    parser.add_argument("--learning-rate", type=float, default=1e-3, help="Adam learning rate (default 1e-3)")
    parser.add_argument(
        "--val-fraction",
        type=_unit_float,
        default=REPORT_BUDGET.val_fraction,
        help=f"share of the training images held out for validation (default {REPORT_BUDGET.val_fraction})",
    )
    parser.add_argument("--out", type=Path, default=Path(default_out), help=f"output folder (default {default_out})")
    parser.add_argument(
        "--restore-best",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="end with the weights of the epoch with the lowest validation loss (default: on)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_data_options(parser)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one sub-parser per job."""
    parser = argparse.ArgumentParser(
        prog="python -m cae_ref",
        description="Train, evaluate and inspect the reference convolutional autoencoder on Fashion-MNIST. "
        f"Data are found offline first: ${DATA_DIR_ENV}, the Keras cache, /usr/share/datasets/fashion-mnist.",
    )
    jobs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = jobs.add_parser("train", help="train an autoencoder (the report's recipe by default)")
    _add_training_options(train, "runs/train")

    evaluate = jobs.add_parser("evaluate", help="score a saved model on the test set")
    evaluate.add_argument("--model", type=Path, required=True, help="a model.keras written by train or denoise")
    evaluate.add_argument("--noise-factor", type=_unit_float, default=0.0, help="corrupt test inputs first (0: none)")
    evaluate.add_argument("--out", type=Path, default=Path("runs/evaluate"), help="output folder")
    _add_data_options(evaluate)

    denoise = jobs.add_parser("denoise", help="train a denoising autoencoder on (noisy, clean) pairs")
    denoise.add_argument("--noise-factor", type=_unit_float, default=0.2, help="Gaussian noise std (default 0.2)")
    _add_training_options(denoise, "runs/denoise")

    trace = jobs.add_parser("trace", help="print the layer-by-layer shape trace of a model")
    _add_model_options(trace)

    jobs.add_parser(
        "experiments",
        help="run the recorded experiments (see `python -m cae_ref experiments --help`)",
        add_help=False,
    )
    return parser


def _load(args: argparse.Namespace) -> dict[str, np.ndarray]:
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    if (args.train_size or 0) > len(x_train) or (args.test_size or 0) > len(x_test):
        raise CliError(f"--train-size is at most {len(x_train)} and --test-size at most {len(x_test)}")
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
        raise CliError(f"cannot create output folder {out}: {error.strerror}") from None
    return out


def _train_job(args: argparse.Namespace, noise_factor: float | None) -> dict[str, Any]:
    from cae_ref.metrics import evaluate_reconstruction, image_metrics, reconstruct
    from cae_ref.models import build_autoencoder, build_decoder, build_encoder
    from cae_ref.noise import add_gaussian_noise
    from cae_ref.plots import plot_denoising, plot_loss_curves, plot_reconstructions
    from cae_ref.training import compile_autoencoder, set_global_seed, train_autoencoder

    if not args.learning_rate > 0:
        raise CliError(f"--learning-rate must be positive, got {args.learning_rate}")
    out = _prepare_out(args.out)
    data = _load(args)
    images = preprocess_images(data["x_train"])
    try:
        x_train, x_val, _, _ = train_val_split(images, val_fraction=args.val_fraction, seed=args.seed)
    except ValueError as error:
        raise CliError(f"--val-fraction: {error}") from None
    x_test = data["x_test"]
    if noise_factor is None:
        inputs = {"train": x_train, "val": x_val, "test": x_test}
    else:
        inputs = {
            "train": add_gaussian_noise(x_train, noise_factor, seed=args.seed),
            "val": add_gaussian_noise(x_val, noise_factor, seed=args.seed + 1),
            "test": add_gaussian_noise(x_test, noise_factor, seed=args.seed + 2),
        }

    set_global_seed(args.seed)
    try:
        encoder = build_encoder(args.filters, args.latent_dim)
        decoder = build_decoder(args.filters, args.latent_dim)
    except ValueError as error:
        raise CliError(str(error)) from None
    model = compile_autoencoder(build_autoencoder(encoder, decoder), args.loss, args.learning_rate)
    print(f"training {model.count_params():,} parameters on {len(x_train):,} images, validating on {len(x_val):,}")
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
        plot_denoising(x_test, inputs["test"], outputs, data["y_test"], path=out / "figures" / "denoising.png")
    else:
        plot_reconstructions(x_test, outputs, data["y_test"], path=out / "figures" / "reconstructions.png")
    plot_loss_curves(
        history.history,
        title="Training and validation loss",
        ylabel=f"loss ({'binary cross-entropy' if args.loss == 'bce' else 'mean squared error'})",
        path=out / "figures" / "loss_curves.png",
    )
    _write_json(out / "history.json", {key: [float(v) for v in values] for key, values in history.history.items()})
    _write_json(out / "metrics.json", metrics)
    return metrics


def _config(args: argparse.Namespace, noise_factor: float | None) -> dict[str, Any]:
    config = {key: value for key, value in vars(args).items() if key not in {"command", "out", "quiet"}}
    config["filters"] = list(args.filters)
    config["noise_factor"] = noise_factor
    return config


def _evaluate_job(args: argparse.Namespace) -> dict[str, Any]:
    from cae_ref._tf import keras
    from cae_ref.metrics import evaluate_reconstruction, image_metrics, reconstruct
    from cae_ref.noise import add_gaussian_noise
    from cae_ref.plots import plot_denoising, plot_reconstructions
    from cae_ref.quiet import suppress_stderr

    if not args.model.is_file():
        raise CliError(f"model file not found: {args.model}")
    try:
        with suppress_stderr():
            model = keras.saving.load_model(args.model)
    except Exception as error:  # Keras raises many types for an unreadable file
        raise CliError(f"cannot load {args.model} as a Keras model: {type(error).__name__}") from None
    if tuple(model.input_shape[1:]) != (28, 28, 1) or tuple(model.output_shape[1:]) != (28, 28, 1):
        raise CliError(f"{args.model} maps {model.input_shape} to {model.output_shape}, expected 28x28x1 images both")
    out = _prepare_out(args.out)
    data = _load(args)
    x_test = data["x_test"]
    inputs = x_test if args.noise_factor == 0 else add_gaussian_noise(x_test, args.noise_factor, seed=args.seed + 2)
    outputs = reconstruct(model, inputs)
    metrics: dict[str, Any] = {
        "test": evaluate_reconstruction(model, inputs, x_test),
        "model": str(args.model),
        "noise_factor": args.noise_factor,
        "test_size": len(x_test),
    }
    if args.noise_factor:
        metrics["noisy_input"] = image_metrics(x_test, inputs)
        plot_denoising(x_test, inputs, outputs, data["y_test"], path=out / "figures" / "denoising.png")
    else:
        plot_reconstructions(x_test, outputs, data["y_test"], path=out / "figures" / "reconstructions.png")
    _write_json(out / "metrics.json", metrics)
    return metrics


def _trace_job(args: argparse.Namespace) -> None:
    from cae_ref.models import build_autoencoder, build_decoder, build_encoder
    from cae_ref.shapes import format_trace, trace_model

    try:
        model = build_autoencoder(
            build_encoder(args.filters, args.latent_dim), build_decoder(args.filters, args.latent_dim)
        )
    except ValueError as error:
        raise CliError(str(error)) from None
    print(format_trace(trace_model(model)))


def _print_metrics(metrics: dict[str, Any], out: Path) -> None:
    for group in ("noisy_input", "test"):
        if group in metrics:
            values = metrics[group]
            print(
                f"{group:>11}: BCE {values['bce']:.4f}  MSE {values['mse']:.5f}  "
                f"PSNR {values['psnr']:.2f} dB  SSIM {values['ssim']:.3f}"
            )
    print(f"wrote {out}/metrics.json and figures in {out}/figures")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "experiments":
        try:
            from experiments import main as experiments_main
        except ImportError:
            print(
                "error: the experiments live in the repository's experiments/ folder, not in the installed "
                "cae_ref package; run this from a clone of the repository (or use python -m experiments there)",
                file=sys.stderr,
            )
            return USAGE_ERROR
        return experiments_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        if args.command == "train":
            _print_metrics(_train_job(args, noise_factor=None), args.out)
        elif args.command == "denoise":
            _print_metrics(_train_job(args, noise_factor=args.noise_factor), args.out)
        elif args.command == "evaluate":
            _print_metrics(_evaluate_job(args), args.out)
        elif args.command == "trace":
            _trace_job(args)
    except (CliError, DataError) as error:
        message = str(error).replace("\n", " ")
        print(f"error: {message}", file=sys.stderr)
        return USAGE_ERROR
    return 0
