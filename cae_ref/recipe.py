"""The report's recipe as plain constants, importable without TensorFlow.

``cae_ref.models`` and ``cae_ref.training`` build from them, and the command line shows them as
its defaults without loading TensorFlow (so ``python -m cae_ref --help`` answers at once). The
data budget of the recipe (images, epochs, batch size) is ``cae_ref.budget.REPORT_BUDGET``.
"""

from __future__ import annotations

BASELINE_FILTERS: tuple[int, ...] = (
    32,
    64,
    128,
)  # encoder convolutions; the decoder mirrors them
LOSSES: dict[str, str] = {
    "bce": "binary_crossentropy",
    "mse": "mean_squared_error",
}
REPORT_LOSS = "bce"
REPORT_LEARNING_RATE = 1e-3  # Adam
DENOISING_NOISE_FACTOR = (
    0.2  # the denoising chapter's and the CLI's default noise
)
