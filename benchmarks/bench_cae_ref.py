"""Is training through cae_ref as fast as a plain Keras script of the report's recipe?

Trains the baseline CAE both ways on the same real images and prints the median epoch time
of each, their ratio (goal: cae_ref <= 1.0x the plain script) and images/s for training and
prediction. Every run is a fresh process (TensorFlow's op determinism, which cae_ref turns
on, cannot be turned off again within a process), and the order alternates ABBA so that
background load hits both alike. The first epoch of every run is reported apart: it
includes graph tracing.

    python benchmarks/bench_cae_ref.py [--images 12000] [--epochs 3] [--repeats 3]

Writes results/benchmarks/cae_ref_vs_plain_keras.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import cae_ref
from cae_ref._tf import keras
from cae_ref.provenance import environment, load_average, steady_epoch_seconds, utc_timestamp
from cae_ref.training import EpochTimer

RESULTS = Path(__file__).resolve().parents[1] / "results" / "benchmarks" / "cae_ref_vs_plain_keras.json"


def plain_keras_run(x: np.ndarray, epochs: int, batch_size: int) -> tuple[keras.Model, list[float]]:
    """The report's recipe written directly in Keras, as a student script would."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    h = keras.layers.MaxPooling2D(2, padding="same")(h)
    h = keras.layers.Conv2D(64, 3, activation="relu", padding="same")(h)
    h = keras.layers.MaxPooling2D(2, padding="same")(h)
    h = keras.layers.Conv2D(128, 3, activation="relu", padding="same")(h)
    h = keras.layers.Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same")(h)
    h = keras.layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(h)
    outputs = keras.layers.Conv2D(1, 3, activation="sigmoid", padding="same")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    timer = EpochTimer()
    model.fit(x, x, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0, callbacks=[timer])
    return model, timer.seconds


def cae_ref_run(x: np.ndarray, epochs: int, batch_size: int) -> tuple[keras.Model, list[float]]:
    """The same recipe through cae_ref (seeded, deterministic ops, quiet)."""
    cae_ref.set_global_seed(0)
    model = cae_ref.compile_autoencoder(cae_ref.build_autoencoder())
    timer = EpochTimer()
    cae_ref.train_autoencoder(model, x, epochs=epochs, batch_size=batch_size, quiet=True, callbacks=[timer])
    return model, timer.seconds


def prediction_rate(model: keras.Model, x: np.ndarray, repeats: int = 3) -> float:
    """Median images/s of ``model.predict`` over ``repeats`` passes (after one warm-up)."""
    model.predict(x[:512], batch_size=512, verbose=0)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.predict(x, batch_size=512, verbose=0)
        rates.append(len(x) / (time.perf_counter() - start))
    return statistics.median(rates)


RUNNERS = {"plain_keras": plain_keras_run, "cae_ref": cae_ref_run}


def single_run(name: str, images: int, epochs: int, batch_size: int) -> dict:
    """Train one way in this process; return epoch times and the prediction rate."""
    (x_train, _), (x_test, _) = cae_ref.load_fashion_mnist()
    x = cae_ref.preprocess_images(x_train[cae_ref.first_indices(len(x_train), images)])
    model, seconds = RUNNERS[name](x, epochs, batch_size)
    return {
        "epoch_seconds": seconds,
        "predict_images_per_second": prediction_rate(model, cae_ref.preprocess_images(x_test)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=12000, help="training images per epoch")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per run (the first is reported apart)")
    parser.add_argument("--repeats", type=int, default=2, help="ABBA blocks: each way runs 2x this often")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--single", choices=sorted(RUNNERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single:
        print(json.dumps(single_run(args.single, args.images, args.epochs, args.batch_size)))
        return

    order = [name for _ in range(args.repeats) for name in ("plain_keras", "cae_ref", "cae_ref", "plain_keras")]
    runs: dict[str, list[dict]] = {name: [] for name in RUNNERS}
    for index, name in enumerate(order):
        command = [sys.executable, __file__, "--single", name, "--images", str(args.images)]
        command += ["--epochs", str(args.epochs), "--batch-size", str(args.batch_size)]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        run = json.loads(result.stdout.strip().splitlines()[-1])
        runs[name].append(run)
        epochs_text = ", ".join(f"{s:.1f}" for s in run["epoch_seconds"])
        print(f"run {index + 1}/{len(order)} {name:>11}: epochs {epochs_text} s")

    summary = {}
    for name, name_runs in runs.items():
        later_epochs = [s for run in name_runs for s in run["epoch_seconds"][1:]]
        median_epoch = steady_epoch_seconds([0.0, *later_epochs])  # every run's first epoch is already left out
        summary[name] = {
            "median_epoch_seconds": round(median_epoch, 2),
            "median_first_epoch_seconds": round(statistics.median(run["epoch_seconds"][0] for run in name_runs), 2),
            "train_images_per_second": round(args.images / median_epoch),
            "predict_images_per_second": round(
                statistics.median(run["predict_images_per_second"] for run in name_runs)
            ),
            "epoch_seconds": [round(s, 2) for s in later_epochs],
        }
    ratio = summary["cae_ref"]["median_epoch_seconds"] / summary["plain_keras"]["median_epoch_seconds"]
    for name, values in summary.items():
        print(
            f"{name:>11}: median epoch {values['median_epoch_seconds']:.2f} s "
            f"({values['train_images_per_second']:,} images/s training, "
            f"{values['predict_images_per_second']:,} images/s prediction)"
        )
    print(f"ratio cae_ref / plain Keras (median epoch time): {ratio:.2f}x  (goal <= 1.00x)")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    options = {key: value for key, value in vars(args).items() if key != "single"}
    payload = {
        "command": "python benchmarks/bench_cae_ref.py "
        + " ".join(f"--{key.replace('_', '-')} {value}" for key, value in options.items()),
        "ratio_cae_ref_over_plain": round(ratio, 3),
        "results": summary,
        "config": options,
        "load_average_after": load_average(),
        "environment": environment(),
        "created_utc": utc_timestamp(),
    }
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
