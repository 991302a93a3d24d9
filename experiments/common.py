"""The Context handed to every experiment's ``run``: settings, data, the model cache and the results file.

Summary statistics live in ``experiments.stats``, the model cache in ``experiments.model_cache``,
the models several experiments share in ``experiments.models``, the results file in
``experiments.results_file`` and the machine description in ``cae_ref.provenance``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from cae_ref.data import load_fashion_mnist
from cae_ref.preprocessing import preprocess_images
from cae_ref.provenance import environment
from cae_ref.subsets import EXPERIMENT_DATA_SEED, TRAIN_SUBSET_SEED, random_subsets
from experiments.model_cache import ModelCache
from experiments.results_file import results_payload, write_json_atomic


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
        self.models = ModelCache(self.cache_dir, log)

    # ----------------------------------------------------------------------------- data
    def data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``x_train, y_train, x_test, y_test`` as float images in [0, 1], subsets in the quick profile.

        Subsets are drawn once with seed ``EXPERIMENT_DATA_SEED``, the same for every seed and experiment.
        """
        if self._data is None:
            (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
            sizes = self.settings["data"]
            train, test = random_subsets(
                EXPERIMENT_DATA_SEED, (len(x_train), sizes.get("train_size")), (len(x_test), sizes.get("test_size"))
            )
            if train is not None:
                x_train, y_train = x_train[train], y_train[train]
            if test is not None:
                x_test, y_test = x_test[test], y_test[test]
            self._data = (preprocess_images(x_train), y_train, preprocess_images(x_test), y_test)
        return self._data  # type: ignore[return-value]

    def train_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Training images and labels for experiment ``name``: a fixed random subset when its settings
        hold ``train_size`` (drawn with ``TRAIN_SUBSET_SEED``), otherwise all of ``data()``'s training images."""
        x_train, y_train, _, _ = self.data()
        size = self.settings.get(name, {}).get("train_size")
        if size and size < len(x_train):
            (keep,) = random_subsets(TRAIN_SUBSET_SEED, (len(x_train), size))
            return x_train[keep], y_train[keep]
        return x_train, y_train

    def full_train_pool(self) -> tuple[np.ndarray, np.ndarray]:
        """All 60,000 training images (uint8) and labels: the pool few-label subsets are drawn from."""
        (x_train, y_train), _ = load_fashion_mnist()
        return x_train, y_train

    # --------------------------------------------------------------------------- results
    def environment(self) -> dict[str, Any]:
        """Versions and machine (``cae_ref.provenance.environment``), looked up once per run."""
        if self._env is None:
            self._env = environment()
        return self._env

    def experiment_dir(self, name: str) -> Path:
        """``<out>/<name>``, created when missing."""
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
        payload = results_payload(
            name=name,
            profile=self.profile,
            command=self.command,
            overrides=self.overrides,
            environment=self.environment(),
            config=config,
            per_seed=per_seed,
            summary=summary,
            figures=figures,
            started=started,
            complete=complete,
            extra=extra,
        )
        return write_json_atomic(self.experiment_dir(name) / "results.json", payload)
