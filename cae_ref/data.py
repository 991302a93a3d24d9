"""Fashion-MNIST, found on this machine before the network is tried.

The book explains the data set in chapter 3 (Data and preprocessing).

Search order, first complete copy wins:

1. the folder named by the environment variable ``FASHION_MNIST_DIR``;
2. the Keras cache, ``$KERAS_HOME/datasets/fashion-mnist`` (default ``~/.keras``);
3. the Debian package ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``);
4. the network, through ``keras.datasets.fashion_mnist.load_data()``.

Local copies are read by a validating IDX reader: Keras' own reader trusts its
cache and would turn a truncated or foreign file into silently wrong arrays.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_DIR_ENV = "FASHION_MNIST_DIR"
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")

CLASS_NAMES: tuple[str, ...] = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049
NUM_TRAIN = 60_000
NUM_TEST = 10_000
IMAGE_SIZE = 28


@dataclass(frozen=True)
class _IdxFile:
    name: str
    magic: int
    shape: tuple[int, ...]


_FILES = {
    "x_train": _IdxFile(
        "train-images-idx3-ubyte.gz", IMAGE_MAGIC, (NUM_TRAIN, 28, 28)
    ),
    "y_train": _IdxFile(
        "train-labels-idx1-ubyte.gz", LABEL_MAGIC, (NUM_TRAIN,)
    ),
    "x_test": _IdxFile(
        "t10k-images-idx3-ubyte.gz", IMAGE_MAGIC, (NUM_TEST, 28, 28)
    ),
    "y_test": _IdxFile("t10k-labels-idx1-ubyte.gz", LABEL_MAGIC, (NUM_TEST,)),
}
FILE_NAMES: tuple[str, ...] = tuple(spec.name for spec in _FILES.values())

Split = tuple[np.ndarray, np.ndarray]


class DataError(RuntimeError):
    """Fashion-MNIST could not be found or a file of it is unusable."""


def keras_cache_dir() -> Path:
    """Return the folder where Keras caches Fashion-MNIST (honours ``$KERAS_HOME``)."""
    home = os.environ.get("KERAS_HOME", os.path.join("~", ".keras"))
    return Path(home).expanduser() / "datasets" / "fashion-mnist"


def candidate_dirs() -> list[tuple[str, Path]]:
    """Return the local folders searched, in order, each with a short description."""
    candidates: list[tuple[str, Path]] = []
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        candidates.append((f"${DATA_DIR_ENV}", Path(from_env).expanduser()))
    candidates.append(("Keras cache", keras_cache_dir()))
    candidates.append(("Debian package dataset-fashion-mnist", DEBIAN_DIR))
    return candidates


def read_idx_gz(path: Path, magic: int, shape: tuple[int, ...]) -> np.ndarray:
    """Read one gzipped IDX file, checking its header and length against ``shape``.

    Raises DataError naming the file when it is truncated, corrupt or of the wrong kind.
    """
    try:
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(
            f"{path}: not a readable gzip file ({error}); delete it and retry"
        ) from error
    ndim = len(shape)
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise DataError(
            f"{path}: only {len(raw)} bytes after decompression, expected an IDX file"
        )
    found_magic = struct.unpack(">I", raw[:4])[0]
    if found_magic != magic:
        raise DataError(
            f"{path}: IDX magic number {found_magic}, expected {magic}"
        )
    found_shape = struct.unpack(f">{ndim}I", raw[4:header_size])
    if tuple(found_shape) != shape:
        raise DataError(
            f"{path}: shape {tuple(found_shape)} in the header, expected {shape}"
        )
    expected_bytes = header_size + int(np.prod(shape))
    if len(raw) != expected_bytes:
        raise DataError(
            f"{path}: {len(raw)} bytes, expected {expected_bytes} (truncated or padded)"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(
        shape
    )


def load_from_dir(folder: Path) -> tuple[Split, Split]:
    """Load the four canonical files from ``folder``, validating every one."""
    arrays = {
        key: read_idx_gz(folder / spec.name, spec.magic, spec.shape)
        for key, spec in _FILES.items()
    }
    for key in ("y_train", "y_test"):
        if arrays[key].max() >= len(CLASS_NAMES):
            raise DataError(
                f"{folder / _FILES[key].name}: label {arrays[key].max()} outside 0..9"
            )
    return (arrays["x_train"], arrays["y_train"]), (
        arrays["x_test"],
        arrays["y_test"],
    )


def _check_arrays(train: Split, test: Split, source: str) -> None:
    expected = {
        "x_train": _FILES["x_train"].shape,
        "y_train": _FILES["y_train"].shape,
        "x_test": _FILES["x_test"].shape,
        "y_test": _FILES["y_test"].shape,
    }
    found = dict(zip(expected, (*train, *test), strict=True))
    for key, array in found.items():
        if array.shape != expected[key] or array.dtype != np.uint8:
            raise DataError(
                f"{source}: {key} has shape {array.shape} and dtype {array.dtype}, expected {expected[key]} uint8"
            )


def find_local_copy() -> Path | None:
    """Return the first searched folder that holds all four files, or None."""
    for _, folder in candidate_dirs():
        if all((folder / name).is_file() for name in FILE_NAMES):
            return folder
    return None


def load_fashion_mnist(allow_download: bool = True) -> tuple[Split, Split]:
    """Return ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays, like Keras does.

    Local copies are tried first (see the module docstring); a folder that holds all
    four files but a broken one raises DataError at once rather than being skipped.
    """
    tried: list[str] = []
    for description, folder in candidate_dirs():
        present = [name for name in FILE_NAMES if (folder / name).is_file()]
        if len(present) == len(FILE_NAMES):
            return load_from_dir(folder)
        if present:
            missing = sorted(set(FILE_NAMES) - set(present))
            tried.append(
                f"{description} ({folder}): incomplete, missing {', '.join(missing)}"
            )
        else:
            tried.append(f"{description} ({folder}): not found")
    if allow_download:
        try:
            from cae_ref._tf import keras

            train, test = keras.datasets.fashion_mnist.load_data()
        except Exception as error:
            tried.append(
                f"download through keras.datasets.fashion_mnist: failed ({type(error).__name__}: {error})"
            )
        else:
            _check_arrays(train, test, "keras.datasets.fashion_mnist")
            return train, test
    else:
        tried.append("download: not allowed (allow_download=False)")
    lines = "\n  - ".join(tried)
    raise DataError(
        "Fashion-MNIST not found. Looked in:\n  - "
        + lines
        + f"\nFix: set {DATA_DIR_ENV} to a folder holding {', '.join(FILE_NAMES)}, "
        "install the Debian package dataset-fashion-mnist, or connect to the internet."
    )
