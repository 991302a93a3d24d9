"""One provenance record for results files and benchmarks; one epoch timer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cae_ref import provenance

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_versions_come_from_the_installed_packages() -> None:
    found = provenance.versions()
    assert found["python"] == ".".join(map(str, sys.version_info[:3]))
    import numpy

    assert found["numpy"] == numpy.__version__
    for key in ("tensorflow", "keras", "scikit_learn", "scipy", "matplotlib"):
        assert found[key], f"no version of {key}"
    assert provenance.versions({"missing": ("no-such-distribution-xyz",)})["missing"] is None


def test_machine_describes_cpu_memory_and_blas() -> None:
    import numpy  # noqa: F401  (loads the BLAS library threadpoolctl reports)

    machine = provenance.machine()
    assert machine["cpu_count"] >= 1 and machine["cpu"]
    assert machine["memory_gib"] is None or machine["memory_gib"] > 0.1
    assert machine["blas"] and all(pool["num_threads"] >= 1 for pool in machine["blas"])


def test_environment_keeps_the_keys_readers_use() -> None:
    """New results files keep the shape the tests and readers of old ones expect."""
    env = provenance.environment()
    assert {"python", "tensorflow", "keras", "numpy", "scikit_learn", "machine"} <= set(env)
    assert env["machine"]["cpu_count"] >= 1


def test_environment_does_not_import_tensorflow() -> None:
    code = "import sys; from cae_ref.provenance import environment; environment(); print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False" and result.stderr == ""


def test_timestamp_and_steady_epochs() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", provenance.utc_timestamp())
    assert provenance.steady_epoch_seconds([9.0, 1.0, 3.0, 2.0]) == 2.0  # the first (tracing) epoch left out
    assert provenance.steady_epoch_seconds([4.0]) == 4.0
    with pytest.raises(ValueError):
        provenance.steady_epoch_seconds([])
    assert provenance.children_cpu_seconds() >= 0.0


def test_epoch_timer_records_one_time_per_epoch() -> None:
    import numpy as np

    from cae_ref._tf import keras
    from cae_ref.training import EpochTimer

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    timer = EpochTimer()
    model.fit(np.zeros((8, 3)), np.zeros((8, 1)), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.seconds) == 3 and all(s > 0 for s in timer.seconds)
