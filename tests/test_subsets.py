"""Every data subset the project draws, pinned to the indices it drew before the draws were unified.

The calibrated grading thresholds, the recorded results and the book's numbers were all computed
on these subsets; a change of seed, order or recipe would silently invalidate them. Each pin is
(length, first five indices, sha256 of the indices as int64), taken from the code as it was
before ``cae_ref.subsets`` existed.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from cae_ref import subsets
from cae_ref.budget import BOOK_BUDGETS, Budget, book_profile
from cae_ref.grader import checks
from cae_ref.preprocessing import preprocess_images

PINS: dict[str, tuple[int, list[int], str]] = {
    # Exercise 08: the pool (its first 1,000 rows are TRAINING_BUDGET's training rows) and the held-out test rows.
    "grading/FEW_LABEL_BUDGET/train": (
        2000,
        [4013, 23840, 29603, 43011, 58703],
        "b4018a21c3d76de713e8f15eb33784af99954567dc7bd7e29e89af26398be7b6",
    ),
    "grading/FEW_LABEL_BUDGET/val": (0, [], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    "grading/FEW_LABEL_BUDGET/test": (
        500,
        [41, 63, 95, 127, 132],
        "b9ef7b76951befc79f9bd4feaf01525eedd94915f6315022e892e70999afe1a0",
    ),
    "grading/TRAINING_BUDGET/train": (
        1000,
        [4013, 23840, 29603, 43011, 58703],
        "3a51556ec650e8a4d6d37a27a026c6e98f86a816a743780225382b7f8ff1fd8d",
    ),
    "grading/TRAINING_BUDGET/val": (
        300,
        [24005, 47012, 40735, 35215, 19877],
        "c60f97edc0fb0c22415c4a75b8c36bec20674fc6032279b0777038c6b281d456",
    ),
    "grading/TRAINING_BUDGET/test": (
        500,
        [41, 63, 95, 127, 132],
        "b9ef7b76951befc79f9bd4feaf01525eedd94915f6315022e892e70999afe1a0",
    ),
    "grading/LATENT_BUDGET/train": (
        1000,
        [4013, 23840, 29603, 43011, 58703],
        "3a51556ec650e8a4d6d37a27a026c6e98f86a816a743780225382b7f8ff1fd8d",
    ),
    "grading/LATENT_BUDGET/val": (
        300,
        [24005, 47012, 40735, 35215, 19877],
        "c60f97edc0fb0c22415c4a75b8c36bec20674fc6032279b0777038c6b281d456",
    ),
    "grading/LATENT_BUDGET/test": (
        500,
        [41, 63, 95, 127, 132],
        "b9ef7b76951befc79f9bd4feaf01525eedd94915f6315022e892e70999afe1a0",
    ),
    "grading/DENOISING_BUDGET/train": (
        1000,
        [4013, 23840, 29603, 43011, 58703],
        "3a51556ec650e8a4d6d37a27a026c6e98f86a816a743780225382b7f8ff1fd8d",
    ),
    "grading/DENOISING_BUDGET/val": (
        300,
        [24005, 47012, 40735, 35215, 19877],
        "c60f97edc0fb0c22415c4a75b8c36bec20674fc6032279b0777038c6b281d456",
    ),
    "grading/DENOISING_BUDGET/test": (
        500,
        [41, 63, 95, 127, 132],
        "b9ef7b76951befc79f9bd4feaf01525eedd94915f6315022e892e70999afe1a0",
    ),
    "experiments/quick/data/train": (
        1000,
        [10, 53, 169, 178, 192],
        "db336f2b8709715dc837b45b41e9a72e536d75b7a71f903c0a2302d2eccbd265",
    ),
    "experiments/quick/data/test": (
        300,
        [21, 35, 77, 113, 138],
        "4588e028b3897dca12f0839e9f44bb02ddd14cb4d222d5b7eee42eb762231bbc",
    ),
    "experiments/quick/train_data/500": (
        500,
        [178, 192, 195, 201, 411],
        "130c5b897acf67bbc3c3ca1a2c815b1a9f638d56282c96e672be14bf8a23c228",
    ),
    "experiments/quick/probe/train": (
        1000,
        [0, 1, 2, 3, 4],
        "702746827e553786bb026ac120cb58745fef3d3f554c33891809001cc37639f0",
    ),
    "experiments/quick/probe/test": (
        300,
        [0, 1, 2, 3, 4],
        "98e038d3a30a991777ce2f66d2e9b9f377e44b6444635d2b5dd70d38ae78f241",
    ),
    "experiments/full/data/train": (
        60000,
        [0, 1, 2, 3, 4],
        "fe4e39bbf5e7508e2743343e541d967d3a36c5d8560d34e7e1d41073ece735ba",
    ),
    "experiments/full/data/test": (
        10000,
        [0, 1, 2, 3, 4],
        "9e1c19b3fdc185411bd1a987deb6a9fda2531116aac060a84c4d878854d1c099",
    ),
    "experiments/full/train_data/2000": (
        2000,
        [74, 78, 128, 172, 176],
        "78838b406421ea6ca93dc1986c1bb359cb160695abe0978e51ee95abe05bc6df",
    ),
    "experiments/full/probe/train": (
        10000,
        [12, 17, 26, 44, 50],
        "466dec4143cf1d1ca42ba9cf5b3e6555517941ea158b44ae6f321880a8ca4596",
    ),
    "experiments/full/probe/test": (
        10000,
        [0, 1, 2, 3, 4],
        "9e1c19b3fdc185411bd1a987deb6a9fda2531116aac060a84c4d878854d1c099",
    ),
    "bench_fast_recipe/256/train": (
        256,
        [320, 1066, 1196, 1284, 1329],
        "6495eb91f49bb033f0611e38b38c9b2f2470111beb5d0d841977d1796d3f5cb6",
    ),
    "bench_fast_recipe/256/eval": (
        64,
        [486, 640, 734, 778, 1285],
        "3ab2d21a27af90213290e4bc60513ca36c6fe8e7a07b83520538ed8d2326df93",
    ),
    "bench_fast_recipe/10000/train": (
        10000,
        [4, 6, 9, 31, 32],
        "31bfeebc61e415b7bed58aa2b7699f2ccf6b61432d74ccc985163a810d038f49",
    ),
    "bench_fast_recipe/10000/eval": (
        2000,
        [1, 15, 23, 27, 35],
        "923d3e338a542a1bd3d9736c3adf43eff6e275956737bee9ad903479774c5d3c",
    ),
    "cli/600/train": (600, [0, 1, 2, 3, 4], "c6f1a209e5af3dc3be5de07aa2e684c160f501ac00abb1f5d679e842afc16685"),
    "cli/600/fit": (540, [580, 529, 453, 505, 298], "52d43a1825d51905f028af13fa92f7845045a3a7d6ab55f3e1a796b53442745b"),
    "cli/600/val": (60, [576, 229, 363, 153, 212], "e8236ee8eaf8b03fd2c5446bff5afac7b1f032136ac48155b3407e82c1c5d37d"),
    "conftest/train": (2000, [0, 1, 2, 3, 4], "55f385cf2332d9056aaed6f496e7bebd2df52c6a9547ce2144b309432d4b0290"),
    "conftest/test": (500, [0, 1, 2, 3, 4], "0c3fc3e2e8b0514136a044efedc6d6aa32df05e1f58c8cca9cc665e1521f4c8c"),
    "book/quick/train": (
        1350,
        [34991, 33067, 15132, 41300, 7067],
        "7e8e968d21b14fa31fbe5e556d84a164d7a87f8ad7ea73a97923029455b2c065",
    ),
    "book/quick/val": (
        150,
        [33030, 39777, 37512, 34863, 9024],
        "51622067c43db052711d93ec46b49bc0c311563a9ed58125240bd27d526913ee",
    ),
    "book/quick/test": (1000, [0, 25, 31, 35, 63], "3dde8ab553838c211a3cec350987959fd124f63c056766e6253134ff86a0c540"),
    "book/full/train": (
        54000,
        [2180, 25504, 52128, 16558, 36151],
        "0cfed79922ceb4dfd67c2d0cf6ba46410995962ea3e5e020dbbe34a8dac34a7a",
    ),
    "book/full/val": (
        6000,
        [4013, 23840, 29603, 43011, 58703],
        "56c6ddc041527eedbe8554f668467c31e85d8d6d7f9778e55614068d5b6bf4a6",
    ),
    "book/full/test": (10000, [0, 1, 2, 3, 4], "9e1c19b3fdc185411bd1a987deb6a9fda2531116aac060a84c4d878854d1c099"),
}


def fingerprint(indices: np.ndarray) -> tuple[int, list[int], str]:
    """(length, first five, sha256 of the int64 array): what PINS records for one draw."""
    indices = np.asarray(indices, dtype=np.int64)
    return len(indices), [int(i) for i in indices[:5]], hashlib.sha256(indices.tobytes()).hexdigest()


@pytest.fixture(scope="module")
def draws(fashion, small_images, tmp_path_factory) -> dict[str, np.ndarray]:
    """Every draw, computed by ``cae_ref.subsets`` and checked against what its call site uses."""
    from experiments.common import Context
    from experiments.latent_space import probe_indices
    from experiments.profiles import get_profile

    (xa, ya), (xt, yt) = fashion
    found: dict[str, np.ndarray] = {}
    for name in ("TRAINING_BUDGET", "LATENT_BUDGET", "DENOISING_BUDGET", "FEW_LABEL_BUDGET"):
        budget = getattr(checks, name)
        data = checks.grading_data(budget)
        for part, idx in subsets.grading_indices(budget, len(xa), len(xt)).items():
            x_all, y_all = (xt, yt) if part == "test" else (xa, ya)
            assert np.array_equal(data[f"y_{part}"], y_all[idx])
            assert np.array_equal(data[f"x_{part}"], preprocess_images(x_all[idx]))
            found[f"grading/{name}/{part}"] = idx
    for profile in ("quick", "full"):
        settings = get_profile(profile)
        ctx = Context(profile, settings, tmp_path_factory.mktemp(profile), None, "pin")
        _, y_train, x_test, y_test = ctx.data()
        sizes = settings["data"]
        train, test = subsets.random_subsets(
            subsets.EXPERIMENT_DATA_SEED, (len(xa), sizes["train_size"]), (len(xt), sizes["test_size"])
        )
        train = np.arange(len(xa)) if train is None else train
        test = np.arange(len(xt)) if test is None else test
        assert np.array_equal(y_train, ya[train]) and np.array_equal(y_test, yt[test])
        assert np.array_equal(x_test, preprocess_images(xt[test]))
        found[f"experiments/{profile}/data/train"] = train
        found[f"experiments/{profile}/data/test"] = test
        size = 500 if profile == "quick" else 2000
        settings["bottleneck"]["train_size"] = size
        _, y_sub = ctx.train_data("bottleneck")
        (sub,) = subsets.random_subsets(subsets.TRAIN_SUBSET_SEED, (len(train), size))
        assert np.array_equal(y_sub, y_train[sub])
        found[f"experiments/{profile}/train_data/{size}"] = train[sub]
        cfg = settings["latent_space"]
        for part, count in (("train", len(train)), ("test", len(test))):
            seed, size = subsets.PROBE_SEEDS[part], cfg[f"probe_{part}_size"]
            (probe,) = subsets.random_subsets(seed, (count, min(size, count)))
            assert np.array_equal(probe_indices(count, size, seed), probe)
            found[f"experiments/{profile}/probe/{part}"] = probe
    for train_size, eval_size in ((256, 64), (10_000, 2_000)):
        train, test = subsets.random_subsets(subsets.TRAIN_SUBSET_SEED, (len(xa), train_size), (len(xt), eval_size))
        found[f"bench_fast_recipe/{train_size}/train"], found[f"bench_fast_recipe/{train_size}/eval"] = train, test
    found["cli/600/train"] = subsets.first_indices(len(xa), 600)
    fit, val, _, _ = subsets.train_val_split(found["cli/600/train"], val_fraction=0.1, seed=0)
    found["cli/600/fit"], found["cli/600/val"] = fit, val
    found["conftest/train"] = subsets.first_indices(len(xa), 2000)
    found["conftest/test"] = subsets.first_indices(len(xt), 500)
    assert np.array_equal(small_images["y_train"], ya[found["conftest/train"]])
    assert np.array_equal(small_images["y_test"], yt[found["conftest/test"]])
    for profile, budget in BOOK_BUDGETS.items():
        for part, idx in subsets.chapter_indices(ya, yt, budget).items():
            found[f"book/{profile}/{part}"] = idx
    return found


def test_few_label_pool_holds_every_count(draws, fashion):
    """Exercise 08 draws up to max(FEW_LABEL_COUNTS) labelled rows of each class from its pool."""
    (_, y_all), _ = fashion
    per_class = np.bincount(y_all[draws["grading/FEW_LABEL_BUDGET/train"]], minlength=10)
    assert per_class.min() >= max(checks.FEW_LABEL_COUNTS), per_class


def test_every_draw_is_pinned(draws):
    assert sorted(draws) == sorted(PINS)


@pytest.mark.parametrize("name", sorted(PINS))
def test_draw_matches_its_pin(draws, name):
    length, first, digest = PINS[name]
    got = fingerprint(draws[name])
    assert got == (length, first, digest), f"{name}: drew {got[:2]}, pinned {(length, first)}: the subset changed"


def test_fingerprint_tells_order_apart():
    assert fingerprint(np.array([1, 2, 3])) != fingerprint(np.array([2, 1, 3]))


def test_cli_draws_the_first_images(fashion):
    from cae_ref.cli import build_parser
    from cae_ref.cli_jobs import load_data

    (_, ya), (_, yt) = fashion
    data = load_data(
        build_parser().parse_args(["evaluate", "--model", "m.keras", "--train-size", "600", "--test-size", "7"])
    )
    assert np.array_equal(data["y_train"], ya[:600]) and np.array_equal(data["y_test"], yt[:7])


def test_book_budgets_reproduce_the_old_blocks():
    quick, full = BOOK_BUDGETS["quick"], BOOK_BUDGETS["full"]
    # The pasted BUDGETS blocks: quick 150 (test 100) per class, 4 epochs, batch 32; full all images, 25 x 128.
    assert (quick.train_images + quick.val_images, quick.test_images, quick.epochs, quick.batch_size) == (
        1500,
        1000,
        4,
        32,
    )
    assert (full.train_images + full.val_images, full.test_images, full.epochs, full.batch_size) == (
        60000,
        10000,
        25,
        128,
    )
    assert quick.val_fraction == full.val_fraction == 0.1


def test_book_profile_reads_the_environment():
    assert book_profile({}) == "quick" and book_profile({"CAE_BOOK_PROFILE": "full"}) == "full"
    with pytest.raises(ValueError, match="CAE_BOOK_PROFILE must be 'quick' or 'full', got 'fast'"):
        book_profile({"CAE_BOOK_PROFILE": "fast"})


def test_budget_refuses_impossible_values():
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        Budget(train_images=10, val_images=0, test_images=0, epochs=0, batch_size=1)
    with pytest.raises(ValueError, match="val_images must not be negative"):
        Budget(train_images=10, val_images=-1, test_images=0, epochs=1, batch_size=1)


def test_chapter_indices_refuse_a_budget_that_does_not_split_by_class():
    labels = np.repeat(np.arange(10), 20)
    with pytest.raises(ValueError, match="does not split evenly into 10 classes"):
        subsets.chapter_indices(
            labels, labels, Budget(train_images=14, val_images=1, test_images=10, epochs=1, batch_size=1)
        )


def test_random_subsets_skip_an_empty_request_without_using_the_generator():
    skipped, drawn = subsets.random_subsets(5, (100, None), (100, 10))
    assert skipped is None and np.array_equal(drawn, subsets.random_subsets(5, (100, 10))[0])
