"""Every training budget in one place: how many images, how many epochs, which batch size and seed.

- ``TRAINING_BUDGET``, ``LATENT_BUDGET``, ``DENOISING_BUDGET``, ``VAE_BUDGET``, ``BOTTLENECK_BUDGET`` (with
  the code sizes ``BOTTLENECK_SIZES``), ``FEW_LABEL_BUDGET`` (with ``FEW_LABEL_COUNTS``): the exercise
  notebooks' graded training (``cae_ref.grader.checks`` re-exports them; ``python -m grading calibrate`` chose the
  thresholds at these budgets, so changing one invalidates ``grading/calibration.md``);
- ``REPORT_BUDGET``: the report's recipe, the command line's defaults and the book's full profile;
- ``BOOK_BUDGETS``: the book's two profiles, chosen with the environment variable ``CAE_BOOK_PROFILE``.

``cae_ref.subsets`` draws the images a budget names. The experiments' profiles
(``experiments/profiles.py``) build their own budgets from ``Budget`` and ``REPORT_BUDGET``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """A fixed slice of Fashion-MNIST and a fixed training budget, the same on every run.

    ``train_images`` are fitted on, ``val_images`` held out from the training split for validation,
    ``test_images`` scored from the test split; ``seed`` draws the subsets (and seeds the training).
    """

    train_images: int
    val_images: int
    test_images: int
    epochs: int
    batch_size: int
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("train_images", "epochs", "batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(
                    f"Budget.{name} must be at least 1, got {getattr(self, name)}"
                )
        for name in ("val_images", "test_images"):
            if getattr(self, name) < 0:
                raise ValueError(
                    f"Budget.{name} must not be negative, got {getattr(self, name)}"
                )

    @property
    def val_fraction(self) -> float:
        """The share of the drawn training images held out for validation."""
        return self.val_images / (self.train_images + self.val_images)


# Chosen so that one complete submission autogrades in about a minute on two CPU cores.
TRAINING_BUDGET = Budget(
    train_images=1000, val_images=300, test_images=500, epochs=2, batch_size=32
)
LATENT_BUDGET = Budget(
    train_images=1000, val_images=300, test_images=500, epochs=1, batch_size=32
)
DENOISING_BUDGET = Budget(
    train_images=1000, val_images=300, test_images=500, epochs=2, batch_size=32
)
# Exercise 07: the student's VAE trains on 2,000 images (no validation split: the ELBO is scored on the
# test images) for 3 epochs in batches of 64, about 10 s on two idle cores (grading/calibration.md).
VAE_BUDGET = Budget(
    train_images=2000, val_images=0, test_images=500, epochs=3, batch_size=64
)
# Exercise 06: one dense-bottleneck autoencoder per size in BOTTLENECK_SIZES, 3 epochs on 1,000 images in batches
# of 16 (gains 1.9 to 2.0 dB over seeds 0-2, where batches of 32 gave 1.1 to 2.1); other sizes are only built.
BOTTLENECK_BUDGET = Budget(
    train_images=1000, val_images=300, test_images=500, epochs=3, batch_size=16
)
BOTTLENECK_SIZES = (2, 32)
# Exercise 08: a small autoencoder trains on the 2,000 pool images (no labels) for 2 epochs in batches of 64, a few
# seconds; classifiers then see FEW_LABEL_COUNTS labelled pool images per class and are scored on the test images.
FEW_LABEL_BUDGET = Budget(
    train_images=2000, val_images=0, test_images=500, epochs=2, batch_size=64
)
FEW_LABEL_COUNTS = (10, 100)

# The report's recipe: all 60,000 training images (10 % held out), 25 epochs in batches of 128.
REPORT_BUDGET = Budget(
    train_images=54_000,
    val_images=6_000,
    test_images=10_000,
    epochs=25,
    batch_size=128,
)

BOOK_PROFILE_ENV = "CAE_BOOK_PROFILE"
BOOK_BUDGETS: Mapping[str, Budget] = {
    # quick: 150 images per class (10 % of them for validation), 4 epochs: minutes on a CPU
    "quick": Budget(
        train_images=1_350,
        val_images=150,
        test_images=1_000,
        epochs=4,
        batch_size=32,
    ),
    # full: the report's recipe
    "full": REPORT_BUDGET,
}


def book_profile(environ: Mapping[str, str] | None = None) -> str:
    """The book's profile, ``quick`` (the default) or ``full``, from ``$CAE_BOOK_PROFILE``."""
    profile = (os.environ if environ is None else environ).get(
        BOOK_PROFILE_ENV, "quick"
    )
    if profile not in BOOK_BUDGETS:
        raise ValueError(
            f"{BOOK_PROFILE_ENV} must be 'quick' or 'full', got {profile!r}"
        )
    return profile
