"""One cache of trained models, keyed by each model's own configuration.

A model's weights follow from its :class:`ModelConfig` (builder and its settings, epochs, batch
size, seed, learning rate, loss, input noise) and from the images it trained on. The cache key
is a readable name plus a hash of the canonical JSON of both, the images entering by a digest
of their bytes: two experiments that ask for the same model get the same file, and a change to
any setting or to the data draw trains a new one. Experiments never import each other for a
shared model; they describe it with a config and ask the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from cae_ref._tf import keras
from cae_ref.training import EpochTimer, compile_autoencoder, set_global_seed, train_autoencoder


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    """Everything besides the data that decides a trained autoencoder's weights."""

    name: str  # readable prefix of the cache file; not part of the identity
    builder: Callable[..., keras.Model]
    builder_args: tuple[tuple[str, Any], ...] = ()
    epochs: int = 1
    batch_size: int = 128
    seed: int = 0
    learning_rate: float = 1e-3
    loss: str = "bce"
    noise: float | None = None  # Gaussian noise on the inputs (denoisers); the data digest covers its draw

    def identity(self) -> dict[str, Any]:
        """The JSON-ready settings that identify the model (the builder by its qualified name)."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in ("name", "builder")}
        fields["builder_args"] = dict(self.builder_args)
        return {"builder": f"{self.builder.__module__}.{self.builder.__qualname__}", **fields}

    def build(self) -> keras.Model:
        """A fresh, uncompiled model from the builder."""
        return self.builder(**dict(self.builder_args))


def data_digest(x_train: np.ndarray, y_train: np.ndarray | None = None) -> str:
    """A digest of the training inputs and targets: shape, dtype and bytes."""
    digest = hashlib.blake2b(digest_size=16)
    for array in (x_train, x_train if y_train is None else y_train):
        array = np.ascontiguousarray(array)
        digest.update(f"{array.shape}{array.dtype}".encode())
        digest.update(memoryview(array).cast("B"))
    return digest.hexdigest()


def cache_key(config: ModelConfig, x_train: np.ndarray, y_train: np.ndarray | None = None) -> str:
    """``<name>-<hash>``: the hash covers ``config.identity()`` and the training data's digest."""
    canonical = json.dumps(
        {"model": config.identity(), "data": data_digest(x_train, y_train)}, sort_keys=True, separators=(",", ":")
    )
    return f"{config.name}-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"


class ModelCache:
    """Train models from their configs, or load them when trained before (``folder=None``: keep none)."""

    def __init__(self, folder: Path | None, log: Callable[[str], None] = print) -> None:
        self.folder = None if folder is None else Path(folder)
        self.log = log

    def train_or_load(
        self, config: ModelConfig, x_train: np.ndarray, y_train: np.ndarray | None = None
    ) -> tuple[keras.Model, dict[str, Any]]:
        """The trained model and its record (losses, seconds per epoch, ``from_cache``)."""
        key = cache_key(config, x_train, y_train)
        path = None if self.folder is None else self.folder / f"{key}.keras"
        record_path = None if path is None else path.with_suffix(".json")
        if path is not None and record_path is not None and path.is_file() and record_path.is_file():
            model = keras.saving.load_model(path, compile=False)
            record = {**json.loads(record_path.read_text()), "from_cache": True}
            self.log(f"    loaded {key} from the cache")
            return model, record
        model, record = train(config, x_train, y_train)
        record["key"] = key
        self.log(
            f"    trained {key}: {config.epochs} epochs in {record['train_seconds']:.0f} s, "
            f"final loss {record['loss'][-1]:.4f}"
        )
        if path is not None and record_path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            model.save(path)
            record_path.write_text(json.dumps({**record, "config": config.identity()}, indent=1))
        return model, record


def train(
    config: ModelConfig, x_train: np.ndarray, y_train: np.ndarray | None = None
) -> tuple[keras.Model, dict[str, Any]]:
    """Seed, build, compile and train one model; return it with its training record."""
    set_global_seed(config.seed)
    model = compile_autoencoder(config.build(), loss=config.loss, learning_rate=config.learning_rate)
    timer = EpochTimer()
    start = time.perf_counter()
    history = train_autoencoder(
        model,
        x_train,
        y_train=y_train,
        epochs=config.epochs,
        batch_size=config.batch_size,
        seed=config.seed,
        quiet=True,
        callbacks=[timer],
    )
    record = {
        "epochs": config.epochs,
        "batch_size": config.batch_size,
        "seed": config.seed,
        "train_images": len(x_train),
        "parameters": int(model.count_params()),
        "loss": [float(v) for v in history.history["loss"]],
        "epoch_seconds": [round(s, 2) for s in timer.seconds],
        "train_seconds": round(time.perf_counter() - start, 2),
        "from_cache": False,
    }
    return model, record
