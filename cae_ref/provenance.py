"""Where a recorded number came from: package versions, the machine, the time and the load.

One record shared by the experiments, the benchmarks and the grading benchmark. Versions are read
from the installed distributions (no TensorFlow import); the machine from ``platform``, ``os`` and
``threadpoolctl`` (the BLAS libraries NumPy and SciPy loaded, with their CPU architecture and threads).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import statistics
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import Any

# key in the record -> distributions that provide it (the first one installed wins)
PACKAGES: dict[str, tuple[str, ...]] = {
    "tensorflow": (
        "tensorflow",
        "tensorflow-cpu",
        "tensorflow-macos",
        "tf-nightly",
    ),
    "keras": ("keras",),
    "numpy": ("numpy",),
    "scikit_learn": ("scikit-learn",),
    "scipy": ("scipy",),
    "matplotlib": ("matplotlib",),
}


def versions(
    packages: dict[str, tuple[str, ...]] = PACKAGES,
) -> dict[str, str | None]:
    """Python's version and that of every package in ``packages`` (None when not installed)."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for key, distributions in packages.items():
        found[key] = None
        for name in distributions:
            try:
                found[key] = metadata.version(name)
                break
            except metadata.PackageNotFoundError:
                continue
    return found


def _memory_gib() -> float | None:
    try:
        return round(
            os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1
        )
    except (ValueError, OSError, AttributeError):  # not POSIX
        return None


def _blas() -> list[dict[str, Any]]:
    from threadpoolctl import threadpool_info

    keep = (
        "user_api",
        "internal_api",
        "version",
        "num_threads",
        "architecture",
    )
    return [{key: pool.get(key) for key in keep} for pool in threadpool_info()]


def _gpus() -> list[str] | None:
    """GPUs as TensorFlow sees them, when TensorFlow is already loaded (None otherwise: not asked)."""
    if "tensorflow" not in sys.modules:
        return None
    from cae_ref._tf import tf

    return [device.name for device in tf.config.list_physical_devices("GPU")]


def machine() -> dict[str, Any]:
    """The machine: OS, CPU architecture and count, memory, BLAS thread pools and (if loaded) GPUs."""
    return {
        "platform": platform.platform(),
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "blas": _blas(),
        "gpus": _gpus(),
    }


def environment() -> dict[str, Any]:
    """Versions of the numerical stack plus ``machine``: the ``environment`` of every results file."""
    return {**versions(), "machine": machine()}


def utc_timestamp() -> str:
    """The current UTC time as ``2026-01-31T12:00:00Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages (None where the OS has none)."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def children_cpu_seconds() -> float:
    """User + system CPU seconds of every finished child process (e.g. nbgrader and its kernels)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def steady_epoch_seconds(seconds: Sequence[float]) -> float:
    """Median epoch time without the first epoch (it includes graph tracing), or the only one."""
    if not seconds:
        raise ValueError("no epoch times")
    return float(
        statistics.median(seconds[1:] if len(seconds) > 1 else seconds)
    )
