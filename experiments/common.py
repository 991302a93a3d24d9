"""What every experiment shares: data, seeds, the model cache, timing and the results file."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cae_ref._tf import keras
from cae_ref.data import load_fashion_mnist
from cae_ref.preprocessing import preprocess_images
from cae_ref.quiet import suppress_stderr
from cae_ref.training import compile_autoencoder, set_global_seed, train_autoencoder

SCHEMA_VERSION = 1


def latent_label(latent_dim: int | None) -> str:
    """Name a bottleneck: ``d2``, ``d128``, ... or ``conv`` for the baseline's 7x7x128 feature map."""
    return "conv" if latent_dim is None else f"d{latent_dim}"


def mean_std(values: Sequence[float]) -> dict[str, Any]:
    """Mean, sample standard deviation (ddof=1; 0 for one value), n, min and max."""
    array = np.asarray([float(v) for v in values], dtype=np.float64)
    std = float(array.std(ddof=1)) if len(array) > 1 else 0.0
    return {
        "mean": float(array.mean()),
        "std": std,
        "n": len(array),
        "min": float(array.min()),
        "max": float(array.max()),
    }


def summarise(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Mean/std over seeds of every numeric leaf shared by ``records`` (nested dicts allowed)."""
    first = records[0]
    summary: dict[str, Any] = {}
    for key, value in first.items():
        if key == "seed":
            continue
        if isinstance(value, dict):
            if all(isinstance(r.get(key), dict) for r in records):
                summary[key] = summarise([r[key] for r in records])
        elif (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and all(isinstance(r.get(key), int | float) for r in records)
        ):
            summary[key] = mean_std([r[key] for r in records])
    return summary


def fmt(stat: dict[str, Any], digits: int = 3) -> str:
    """Format a ``mean_std`` entry as ``mean ± std``."""
    return f"{stat['mean']:.{digits}f} ± {stat['std']:.{digits}f}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def environment() -> dict[str, Any]:
    """Versions of the numerical stack and a description of the machine."""
    import matplotlib
    import scipy
    import sklearn
    import tensorflow as tf

    with suppress_stderr():
        gpus = [device.name for device in tf.config.list_physical_devices("GPU")]
    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "scikit_learn": sklearn.__version__,
        "scipy": scipy.__version__,
        "matplotlib": matplotlib.__version__,
        "machine": {
            "platform": platform.platform(),
            "cpu": _cpu_model(),
            "cpu_count": os.cpu_count(),
            "memory_gib": _memory_gib(),
            "gpus": gpus,
        },
    }


class EpochTimer(keras.callbacks.Callback):
    """Record the wall time of every training epoch."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


class Context:
    """Settings, data and helpers handed to every experiment's ``run`` function."""

    def __init__(
        self,
        profile: str,
        settings: dict[str, Any],
        out_dir: Path,
        cache_dir: Path | None,
        command: str,
        log: Callable[[str], None] = print,
    ) -> None:
        self.profile = profile
        self.settings = settings
        self.seeds: list[int] = list(settings["seeds"])
        self.out_dir = Path(out_dir)
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.command = command
        self.log = log
        self._data: tuple[np.ndarray, ...] | None = None
        self._env: dict[str, Any] | None = None
        self.overrides: dict[str, Any] = {}

    # ----------------------------------------------------------------------------- data
    def data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``x_train, y_train, x_test, y_test`` as float images in [0, 1], subsets in the quick profile.

        Subsets are drawn once with seed 1234, the same for every seed and experiment.
        """
        if self._data is None:
            (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
            rng = np.random.default_rng(1234)
            sizes = self.settings["data"]
            if sizes.get("train_size"):
                keep = np.sort(rng.permutation(len(x_train))[: sizes["train_size"]])
                x_train, y_train = x_train[keep], y_train[keep]
            if sizes.get("test_size"):
                keep = np.sort(rng.permutation(len(x_test))[: sizes["test_size"]])
                x_test, y_test = x_test[keep], y_test[keep]
            self._data = (preprocess_images(x_train), y_train, preprocess_images(x_test), y_test)
        return self._data  # type: ignore[return-value]

    def train_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Training images and labels for experiment ``name``: a fixed random subset when its settings
        hold ``train_size`` (drawn with seed 4321), otherwise all of ``data()``'s training images."""
        x_train, y_train, _, _ = self.data()
        size = self.settings.get(name, {}).get("train_size")
        if size and size < len(x_train):
            keep = np.sort(np.random.default_rng(4321).permutation(len(x_train))[:size])
            return x_train[keep], y_train[keep]
        return x_train, y_train

    def full_train_pool(self) -> tuple[np.ndarray, np.ndarray]:
        """All 60,000 training images (uint8) and labels: the pool few-label subsets are drawn from."""
        (x_train, y_train), _ = load_fashion_mnist()
        return x_train, y_train

    # ---------------------------------------------------------------------------- models
    def _cache_path(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"{key}.keras"

    def train_or_load(
        self,
        key: str,
        build: Callable[[], keras.Model],
        x_train: np.ndarray,
        y_train: np.ndarray | None = None,
        *,
        epochs: int,
        batch_size: int = 128,
        seed: int = 0,
        learning_rate: float = 1e-3,
        loss: str = "bce",
    ) -> tuple[keras.Model, dict[str, Any]]:
        """Train an autoencoder (seeded), or load it from the cache when ``key`` was trained before.

        ``key`` must name everything that determines the weights (model, data, epochs, seed).
        Returns the model and its training record: losses and seconds per epoch.
        """
        path = self._cache_path(key)
        record_path = None if path is None else path.with_suffix(".json")
        if path is not None and path.is_file() and record_path is not None and record_path.is_file():
            with suppress_stderr():
                model = keras.saving.load_model(path, compile=False)
            record = json.loads(record_path.read_text())
            record["from_cache"] = True
            self.log(f"    loaded {key} from the cache")
            return model, record
        set_global_seed(seed)
        model = compile_autoencoder(build(), loss=loss, learning_rate=learning_rate)
        timer = EpochTimer()
        start = time.perf_counter()
        history = train_autoencoder(
            model,
            x_train,
            y_train=y_train,
            epochs=epochs,
            batch_size=batch_size,
            seed=seed,
            quiet=True,
            callbacks=[timer],
        )
        record = {
            "key": key,
            "epochs": epochs,
            "batch_size": batch_size,
            "seed": seed,
            "train_images": len(x_train),
            "parameters": int(model.count_params()),
            "loss": [float(v) for v in history.history["loss"]],
            "epoch_seconds": [round(s, 2) for s in timer.seconds],
            "train_seconds": round(time.perf_counter() - start, 2),
            "from_cache": False,
        }
        self.log(
            f"    trained {key}: {epochs} epochs in {record['train_seconds']:.0f} s, "
            f"final loss {record['loss'][-1]:.4f}"
        )
        if path is not None and record_path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            model.save(path)
            record_path.write_text(json.dumps(record, indent=1))
        return model, record

    # --------------------------------------------------------------------------- results
    def environment(self) -> dict[str, Any]:
        if self._env is None:
            self._env = environment()
        return self._env

    def experiment_dir(self, name: str) -> Path:
        folder = self.out_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def write_results(
        self,
        name: str,
        config: dict[str, Any],
        per_seed: list[dict[str, Any]],
        summary: dict[str, Any],
        figures: list[str],
        started: float,
        *,
        complete: bool = True,
        extra: dict[str, Any] | None = None,
    ) -> Path:
        """Write ``<out>/<name>/results.json`` (see results/README.md for the schema)."""
        payload = {
            "schema_version": SCHEMA_VERSION,
            "experiment": name,
            "profile": self.profile,
            "complete": complete,
            "command": self.command,
            "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "wall_seconds": round(time.time() - started, 1),
            "seeds": [record["seed"] for record in per_seed],
            "std": "sample standard deviation over seeds (ddof=1)",
            "overrides": self.overrides,
            "reduced_budget": bool(self.overrides),
            "config": config,
            "environment": self.environment(),
            "summary": summary,
            "per_seed": per_seed,
            "figures": figures,
            **(extra or {}),
        }
        path = self.experiment_dir(name) / "results.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(_clean(payload), indent=1, allow_nan=False) + "\n")
        tmp.replace(path)
        return path


def _clean(value: Any) -> Any:
    """Make a payload JSON-safe: NumPy scalars to Python, NaN/inf to None."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def command_line(argv: Sequence[str]) -> str:
    """The documented command that reproduces a run with ``argv``."""
    return " ".join(["python -m cae_ref experiments", *argv]).strip()


def stdout_log(message: str) -> None:
    print(message, flush=True)
    sys.stdout.flush()
