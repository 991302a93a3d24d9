"""cae_ref: the reference convolutional autoencoder on Fashion-MNIST.

One implementation behind the book, the exercise solutions and the grading tests.
Names load on first use, so `python -m cae_ref --help` answers without importing TensorFlow;
TensorFlow itself is imported with its C++ start-up lines kept off stderr.
"""

from __future__ import annotations

import importlib
from typing import Any

from cae_ref.course import VERSION as __version__  # noqa: F401 (the one configured course version)
from cae_ref.quiet import quiet_tensorflow_logging as quiet_tensorflow_logging
from cae_ref.quiet import suppress_stderr as suppress_stderr

quiet_tensorflow_logging()

# public name -> the module (one concept each) that defines it
_EXPORTS: dict[str, str] = {
    "anomaly_auc": "anomaly",
    "anomaly_mask": "anomaly",
    "reconstruction_errors": "anomaly",
    "CLASS_NAMES": "data",
    "DATA_DIR_ENV": "data",
    "DataError": "data",
    "load_fashion_mnist": "data",
    "cluster_accuracy": "latent",
    "encode_flat": "latent",
    "flatten_pixels": "latent",
    "kmeans_scores": "latent",
    "knn_accuracy": "latent",
    "linear_probe_accuracy": "latent",
    "project_pca": "latent",
    "project_tsne": "latent",
    "evaluate_reconstruction": "metrics",
    "image_metrics": "metrics",
    "psnr": "metrics",
    "reconstruct": "metrics",
    "ssim": "metrics",
    "BASELINE_FILTERS": "models",
    "build_autoencoder": "models",
    "build_decoder": "models",
    "build_encoder": "models",
    "feature_map_shape": "models",
    "latent_shape": "models",
    "add_gaussian_noise": "noise",
    "plot_denoising": "plots",
    "plot_image_rows": "plots",
    "plot_latent_scatter": "plots",
    "plot_loss_curves": "plots",
    "plot_reconstructions": "plots",
    "IMAGE_SHAPE": "preprocessing",
    "check_unit_images": "preprocessing",
    "preprocess_images": "preprocessing",
    "BOOK_BUDGETS": "budget",
    "Budget": "budget",
    "REPORT_BUDGET": "budget",
    "book_profile": "budget",
    "chapter_indices": "subsets",
    "first_indices": "subsets",
    "grading_indices": "subsets",
    "random_subsets": "subsets",
    "subset_per_class": "subsets",
    "train_val_split": "subsets",
    "LayerTrace": "shapes",
    "conv_output_size": "shapes",
    "conv_transpose_output_size": "shapes",
    "format_trace": "shapes",
    "pool_output_size": "shapes",
    "trace_model": "shapes",
    "REPORT_BATCH_SIZE": "training",
    "REPORT_EPOCHS": "training",
    "compile_autoencoder": "training",
    "set_global_seed": "training",
    "train_autoencoder": "training",
    "LANGUAGES": "grader.messages",
    "set_language": "grader.messages",
    "build_vae": "vae",
    "interpolate": "vae",
    "sample_prior": "vae",
}

__all__ = sorted([*_EXPORTS, "quiet_tensorflow_logging", "suppress_stderr"])


def __getattr__(name: str) -> Any:
    """Import the module behind a public name on first use (PEP 562)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cae_ref' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"cae_ref.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names too, loaded or not."""
    return sorted(set(globals()) | set(__all__))
