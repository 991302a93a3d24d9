"""cae_ref: the reference convolutional autoencoder on Fashion-MNIST.

One implementation behind the book, the exercise solutions and the grading tests.
"""

from cae_ref.quiet import quiet_tensorflow_logging, suppress_stderr

quiet_tensorflow_logging()
with suppress_stderr():  # TensorFlow's C++ start-up lines bypass its log level
    import tensorflow  # noqa: F401

from cae_ref.data import CLASS_NAMES, DATA_DIR_ENV, DataError, load_fashion_mnist  # noqa: E402
from cae_ref.latent import (  # noqa: E402
    cluster_accuracy,
    encode_flat,
    flatten_pixels,
    kmeans_scores,
    knn_accuracy,
    linear_probe_accuracy,
    project_pca,
    project_tsne,
)
from cae_ref.metrics import evaluate_reconstruction, image_metrics, psnr, reconstruct, ssim  # noqa: E402
from cae_ref.models import (  # noqa: E402
    BASELINE_FILTERS,
    build_autoencoder,
    build_decoder,
    build_encoder,
    feature_map_shape,
    latent_shape,
)
from cae_ref.noise import add_gaussian_noise  # noqa: E402
from cae_ref.plots import (  # noqa: E402
    plot_denoising,
    plot_image_rows,
    plot_latent_scatter,
    plot_loss_curves,
    plot_reconstructions,
)
from cae_ref.preprocessing import (  # noqa: E402
    IMAGE_SHAPE,
    check_unit_images,
    preprocess_images,
    subset_per_class,
    train_val_split,
)
from cae_ref.shapes import (  # noqa: E402
    LayerTrace,
    conv_output_size,
    conv_transpose_output_size,
    format_trace,
    pool_output_size,
    trace_model,
)
from cae_ref.training import (  # noqa: E402
    REPORT_BATCH_SIZE,
    REPORT_EPOCHS,
    compile_autoencoder,
    set_global_seed,
    train_autoencoder,
)
from cae_ref.vae import build_vae, interpolate, sample_prior  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "BASELINE_FILTERS",
    "CLASS_NAMES",
    "DATA_DIR_ENV",
    "IMAGE_SHAPE",
    "REPORT_BATCH_SIZE",
    "REPORT_EPOCHS",
    "DataError",
    "LayerTrace",
    "add_gaussian_noise",
    "build_autoencoder",
    "build_decoder",
    "build_encoder",
    "build_vae",
    "check_unit_images",
    "cluster_accuracy",
    "compile_autoencoder",
    "conv_output_size",
    "conv_transpose_output_size",
    "encode_flat",
    "evaluate_reconstruction",
    "feature_map_shape",
    "flatten_pixels",
    "format_trace",
    "image_metrics",
    "interpolate",
    "kmeans_scores",
    "knn_accuracy",
    "latent_shape",
    "linear_probe_accuracy",
    "load_fashion_mnist",
    "plot_denoising",
    "plot_image_rows",
    "plot_latent_scatter",
    "plot_loss_curves",
    "plot_reconstructions",
    "pool_output_size",
    "preprocess_images",
    "project_pca",
    "project_tsne",
    "psnr",
    "quiet_tensorflow_logging",
    "reconstruct",
    "sample_prior",
    "set_global_seed",
    "ssim",
    "subset_per_class",
    "suppress_stderr",
    "trace_model",
    "train_autoencoder",
    "train_val_split",
]
