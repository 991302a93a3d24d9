"""Command line: ``python -m cae_ref {train,evaluate,denoise,trace,experiments}``.

This module parses the options (their defaults come from ``cae_ref.budget`` and ``cae_ref.recipe``,
so the help states the library's values); ``cae_ref.cli_jobs`` runs the jobs. Each job writes into
``--out``: the model (``model.keras``), ``metrics.json`` and figures. Errors in options, files or
data end the program with one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from cae_ref.budget import REPORT_BUDGET
from cae_ref.cli_jobs import (
    CliError,
    evaluate_job,
    print_metrics,
    trace_job,
    train_job,
)
from cae_ref.data import DATA_DIR_ENV, DataError
from cae_ref.recipe import (
    BASELINE_FILTERS,
    DENOISING_NOISE_FACTOR,
    LOSSES,
    REPORT_LEARNING_RATE,
    REPORT_LOSS,
)

USAGE_ERROR = 2


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {value}"
        )
    return value


def _unit_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number, got {text!r}"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(
            f"expected a number in [0, 1], got {value}"
        )
    return value


def _filters(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers like 32,64,128, got {text!r}"
        ) from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(
            f"filter counts must be positive, got {text!r}"
        )
    return values


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--train-size",
        type=_positive_int,
        help="use the first N training images (default: all 60,000)",
    )
    parser.add_argument(
        "--test-size",
        type=_positive_int,
        help="use the first N test images (default: all 10,000)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed for the split, weights, shuffling and noise",
    )


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--filters",
        type=_filters,
        default=BASELINE_FILTERS,
        help=f"encoder filters, comma-separated (default {','.join(map(str, BASELINE_FILTERS))})",
    )
    parser.add_argument(
        "--latent-dim",
        type=_positive_int,
        help="add a dense bottleneck of this size (default: none, 7x7x128 code)",
    )


def _add_training_options(
    parser: argparse.ArgumentParser, default_out: str
) -> None:
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
    parser.add_argument(
        "--loss",
        choices=tuple(LOSSES),
        default=REPORT_LOSS,
        help=f"reconstruction loss (default {REPORT_LOSS})",
    )
    parser.add_argument(
        "--learning-rate",
        type=float,
        default=REPORT_LEARNING_RATE,
        help=f"Adam learning rate (default {REPORT_LEARNING_RATE:.0e})".replace(
            "e-0", "e-"
        ),
    )
    parser.add_argument(
        "--val-fraction",
        type=_unit_float,
        default=REPORT_BUDGET.val_fraction,
        help=f"share of the training images held out for validation (default {REPORT_BUDGET.val_fraction})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(default_out),
        help=f"output folder (default {default_out})",
    )
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
    jobs = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )

    train = jobs.add_parser(
        "train", help="train an autoencoder (the report's recipe by default)"
    )
    _add_training_options(train, "runs/train")

    evaluate = jobs.add_parser(
        "evaluate", help="score a saved model on the test set"
    )
    evaluate.add_argument(
        "--model",
        type=Path,
        required=True,
        help="a model.keras written by train or denoise",
    )
    evaluate.add_argument(
        "--noise-factor",
        type=_unit_float,
        default=0.0,
        help="corrupt test inputs first (0: none)",
    )
    evaluate.add_argument(
        "--out", type=Path, default=Path("runs/evaluate"), help="output folder"
    )
    _add_data_options(evaluate)

    denoise = jobs.add_parser(
        "denoise", help="train a denoising autoencoder on (noisy, clean) pairs"
    )
    denoise.add_argument(
        "--noise-factor",
        type=_unit_float,
        default=DENOISING_NOISE_FACTOR,
        help=f"Gaussian noise std (default {DENOISING_NOISE_FACTOR})",
    )
    _add_training_options(denoise, "runs/denoise")

    trace = jobs.add_parser(
        "trace", help="print the layer-by-layer shape trace of a model"
    )
    _add_model_options(trace)

    jobs.add_parser(
        "experiments",
        help="run the recorded experiments (see `python -m cae_ref experiments --help`)",
        add_help=False,
    )
    return parser


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
            print_metrics(train_job(args, noise_factor=None), args.out)
        elif args.command == "denoise":
            print_metrics(
                train_job(args, noise_factor=args.noise_factor), args.out
            )
        elif args.command == "evaluate":
            print_metrics(evaluate_job(args), args.out)
        elif args.command == "trace":
            trace_job(args)
    except (CliError, DataError) as error:
        message = str(error).replace("\n", " ")
        print(f"error: {message}", file=sys.stderr)
        return USAGE_ERROR
    return 0
