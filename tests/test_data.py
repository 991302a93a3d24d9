"""The loader reads the real files, finds them in every documented place and rejects broken ones."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from cae_ref import data
from cae_ref.data import CLASS_NAMES, DATA_DIR_ENV, FILE_NAMES, DataError, load_fashion_mnist


def test_real_data_has_the_published_shapes_labels_and_mean(fashion):
    (x_train, y_train), (x_test, y_test) = fashion
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert list(y_train[:10]) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert list(y_test[:10]) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert x_train.mean() / 255 == pytest.approx(0.2860, abs=1e-4)


def test_loader_matches_keras_own_reader(fashion_dir, fashion):
    """Keras' reader (np.frombuffer at offsets 8/16) on the same files gives identical arrays."""
    (_x_train, y_train), (x_test, _y_test) = fashion
    with gzip.open(fashion_dir / "t10k-images-idx3-ubyte.gz") as handle:
        keras_x_test = np.frombuffer(handle.read(), np.uint8, offset=16).reshape(10000, 28, 28)
    with gzip.open(fashion_dir / "train-labels-idx1-ubyte.gz") as handle:
        keras_y_train = np.frombuffer(handle.read(), np.uint8, offset=8)
    np.testing.assert_array_equal(x_test, keras_x_test)
    np.testing.assert_array_equal(y_train, keras_y_train)


def test_class_names_are_the_ten_fashion_mnist_classes():
    assert len(CLASS_NAMES) == 10
    assert CLASS_NAMES[0] == "T-shirt/top" and CLASS_NAMES[9] == "Ankle boot"


@pytest.fixture
def isolated_env(monkeypatch, tmp_path):
    """No data variable, an empty Keras home, no Debian folder, no network."""
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "no-debian")
    return tmp_path


def _copy_data(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in FILE_NAMES:
        shutil.copy(source / name, target / name)
    return target


def test_keras_cache_is_found_without_the_variable(isolated_env, fashion_dir):
    _copy_data(fashion_dir, isolated_env / "keras-home" / "datasets" / "fashion-mnist")
    (_, y_train), _ = load_fashion_mnist(allow_download=False)
    assert len(y_train) == 60000


def test_debian_folder_is_found(isolated_env, fashion_dir, monkeypatch):
    debian = _copy_data(fashion_dir, isolated_env / "debian")
    monkeypatch.setattr(data, "DEBIAN_DIR", debian)
    (_, _), (x_test, _) = load_fashion_mnist(allow_download=False)
    assert x_test.shape == (10000, 28, 28)


def test_variable_wins_over_keras_cache(isolated_env, fashion_dir, monkeypatch):
    cache = _copy_data(fashion_dir, isolated_env / "keras-home" / "datasets" / "fashion-mnist")
    (cache / "t10k-labels-idx1-ubyte.gz").write_bytes(b"broken")
    monkeypatch.setenv(DATA_DIR_ENV, str(fashion_dir))
    (_, _), (_, y_test) = load_fashion_mnist(allow_download=False)
    assert len(y_test) == 10000


def test_missing_everywhere_lists_every_place_and_the_fix(isolated_env, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(isolated_env / "nowhere"))
    with pytest.raises(DataError) as caught:
        load_fashion_mnist(allow_download=False)
    message = str(caught.value)
    assert str(isolated_env / "nowhere") in message
    assert str(isolated_env / "keras-home" / "datasets" / "fashion-mnist") in message
    assert str(isolated_env / "no-debian") in message
    assert f"set {DATA_DIR_ENV}" in message


def test_failed_download_is_reported_with_the_search_list(isolated_env, monkeypatch):
    import keras

    def refuse():
        raise OSError("network unreachable")

    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", refuse)
    with pytest.raises(
        DataError, match=r"download through keras\.datasets\.fashion_mnist: failed .*network unreachable"
    ):
        load_fashion_mnist()


def test_incomplete_folder_names_the_missing_file(isolated_env, fashion_dir, monkeypatch):
    folder = _copy_data(fashion_dir, isolated_env / "partial")
    (folder / "train-labels-idx1-ubyte.gz").unlink()
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    with pytest.raises(DataError, match=r"incomplete, missing train-labels-idx1-ubyte\.gz"):
        load_fashion_mnist(allow_download=False)


def test_truncated_file_is_named(isolated_env, fashion_dir, monkeypatch):
    folder = _copy_data(fashion_dir, isolated_env / "truncated")
    path = folder / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte\.gz: not a readable gzip file"):
        load_fashion_mnist(allow_download=False)


def test_short_but_valid_gzip_is_rejected_by_length(isolated_env, fashion_dir, monkeypatch):
    folder = _copy_data(fashion_dir, isolated_env / "short")
    path = folder / "t10k-images-idx3-ubyte.gz"
    raw = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(raw[:-784]))
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte.gz: 7839232 bytes, expected 7840016"):
        load_fashion_mnist(allow_download=False)


def test_swapped_files_are_caught_by_the_magic_number(isolated_env, fashion_dir, monkeypatch):
    folder = _copy_data(fashion_dir, isolated_env / "swapped")
    shutil.copy(fashion_dir / "t10k-labels-idx1-ubyte.gz", folder / "t10k-images-idx3-ubyte.gz")
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    with pytest.raises(DataError, match="IDX magic number 2049, expected 2051"):
        load_fashion_mnist(allow_download=False)


def test_mnist_sized_test_set_is_caught_by_the_shape(isolated_env, fashion_dir, monkeypatch):
    folder = _copy_data(fashion_dir, isolated_env / "wrong-shape")
    raw = gzip.decompress((fashion_dir / "t10k-images-idx3-ubyte.gz").read_bytes())
    header = raw[:4] + (5000).to_bytes(4, "big") + raw[8:16]
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(header + raw[16 : 16 + 5000 * 784]))
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    with pytest.raises(DataError, match=r"shape \(5000, 28, 28\) in the header, expected \(10000, 28, 28\)"):
        load_fashion_mnist(allow_download=False)


def test_shared_copy_is_byte_identical_to_upstream(fashion_dir):
    upstream_md5 = {
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    }
    for name, md5 in upstream_md5.items():
        assert hashlib.md5((fashion_dir / name).read_bytes()).hexdigest() == md5, name
