"""What counts as cae_ref's answer key, for the guard in ``cae_ref.grader.guard`` (issue 11).

``ANSWER_FUNCTIONS`` lists every cae_ref function that computes what a notebook asks students to
write, and its close relatives: functions that return the same result under another name
(``pool_output_size`` is ``conv_output_size`` with a pool size; ``reconstruct`` and
``flatten_pixels`` together are ``encode``; ``image_metrics`` and ``evaluate_reconstruction``
return a PSNR; ``linear_probe_accuracy`` and the k-means scores are other separation scores) and
the private block builder the encoder and decoder are made of. Functions nested in a listed one
count too, and so does every method of a listed class. Add an answer with one line, ``"module.function"``.

Not answers, because the notebooks hand them out or they compute nothing a student must write:
``load_fashion_mnist``, ``CLASS_NAMES``, the ``plot_*`` functions, ``set_global_seed``,
``cae_ref.grader.checks``, ``check_unit_images`` (input validation), ``feature_map_shape``/``latent_shape``
(the shapes the exercise states), ``train_val_split``, the VAE's ``interpolate``
and ``build_vae_encoder`` (exercise 07 hands out an encoder of its own). Test cells still call
answers as oracles, outside the guarded call.
"""

from __future__ import annotations

# module.function, and the graded function of the notebooks it answers
ANSWER_FUNCTIONS: tuple[str, ...] = (
    "cae_ref.preprocessing.preprocess_images",  # 01 preprocess
    "cae_ref.shapes.conv_output_size",  # 02 conv_output_size
    "cae_ref.shapes.pool_output_size",
    "cae_ref.shapes.conv_transpose_output_size",  # 02 conv_transpose_output_size
    "cae_ref.models.build_encoder",  # 02 build_encoder
    "cae_ref.models.build_decoder",  # 02 build_decoder
    "cae_ref.models.build_autoencoder",  # 02 build_autoencoder
    "cae_ref.models._relu_conv",  # the encoder's and decoder's conv blocks
    "cae_ref.training.compile_autoencoder",  # 03 compile_autoencoder
    "cae_ref.training.train_autoencoder",  # 03 train_autoencoder, 05 train_denoiser
    "cae_ref.latent.encode_flat",  # 04 encode
    "cae_ref.latent.flatten_pixels",  # encode's flattening step
    "cae_ref.metrics.reconstruct",  # encode = reconstruct(encoder, x).reshape(...)
    "cae_ref.latent.project_pca",  # 04 project_2d
    "cae_ref.latent.project_tsne",
    "cae_ref.latent.knn_accuracy",  # 04 separation_score
    "cae_ref.latent.linear_probe_accuracy",
    "cae_ref.latent.kmeans_scores",
    "cae_ref.latent.cluster_accuracy",
    "cae_ref.noise.add_gaussian_noise",  # 05 add_gaussian_noise
    "cae_ref.metrics.psnr",  # 05 psnr
    "cae_ref.metrics.ssim",
    "cae_ref.metrics.image_metrics",
    "cae_ref.metrics.evaluate_reconstruction",
    # the plain versions the book shows (cae_ref.plain)
    "cae_ref.plain.build_plain_encoder",
    "cae_ref.plain.build_plain_decoder",
    "cae_ref.plain.build_plain_autoencoder",
    "cae_ref.plain.build_plain_bottleneck",
    "cae_ref.plain.fit_plain",
    "cae_ref.plain.fit_plain_denoiser",
    "cae_ref.plain.encode_plain",
    # 07 (cae_ref.vae); a class counts with every method it defines
    "cae_ref.vae.Sampling",  # 07 Sampling
    "cae_ref.vae.kl_divergence",  # 07 kl_divergence
    "cae_ref.vae.reconstruction_loss",  # 07 negative_elbo = reconstruction_loss + kl_divergence
    "cae_ref.vae.VariationalAutoencoder",  # 07 VAE (train_step)
    "cae_ref.vae.build_vae",
    "cae_ref.vae.sample_prior",  # 07 sample_prior
    "cae_ref.subsets.subset_per_class",  # 08 pick_labelled
)
# Answers matched by identity and location only, not by bytecode: each has one natural spelling that
# students write on their own (``-0.5 * ops.sum(1 + z_log_var - ...)``, the keras-io Sampling layer),
# and a bytecode match would fail that honest code as a copy. cae_ref.plain is the code the book
# shows on purpose: a student who types it in has written it, so only calling it is a hit.
LOCATION_ONLY: tuple[str, ...] = tuple(
    name
    for name in ANSWER_FUNCTIONS
    if name.startswith(("cae_ref.vae.", "cae_ref.plain."))
)
# Allowed helpers that call an answer on purpose; their own call of it is not a hit.
ALLOWED_CALLERS: tuple[str, ...] = (
    "cae_ref.grader.grading_data.draw",  # the grading subsets, preprocessed
    # the course's model of a size, handed out when the student's builders fail (06's make_autoencoder,
    # called inside the guarded psnr_by_size)
    "cae_ref.grader.student_model.own_bottleneck",
)
