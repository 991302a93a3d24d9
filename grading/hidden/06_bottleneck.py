"""Hidden checks of exercise 06: run at grading only, never installed or returned to students."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import cae_ref
from cae_ref.grader import checks


def _visible() -> Any:
    """The visible checks' module (its record readers), loaded fresh from disk."""
    path = Path(cae_ref.__file__).with_name("grader") / "graded" / "06_bottleneck.py"
    spec = importlib.util.spec_from_file_location("cae_ref_checks_06", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hidden_bottleneck_any_size(build_bottleneck_encoder: Any, build_bottleneck_decoder: Any) -> None:
    images = _visible().x_test()[:3]
    for latent_dim in (1, 5, 100):
        encoder = checks.graded_call(build_bottleneck_encoder, latent_dim)
        decoder = checks.graded_call(build_bottleneck_decoder, latent_dim)
        codes = checks.run_model(encoder, images)
        assert codes.shape == (3, latent_dim), checks.message("b_h_encoder_any")
        pixels = checks.run_model(decoder, codes)
        assert pixels.shape == (3, 28, 28, 1), checks.message("b_h_decoder_any")


def hidden_psnr_by_size_honest() -> None:
    visible = _visible()
    models, result = visible.trained()
    images = visible.x_test()
    for latent_dim in visible.SIZES:
        assert latent_dim in models and type(result) is dict and latent_dim in result, checks.message("b_h_every_size")
        restored = checks.predict(models[latent_dim], images)
        with checks.quiet():
            expected = cae_ref.psnr(images, restored)
        assert abs(float(result[latent_dim]) - expected) < 0.05, checks.message("b_h_own_psnr")
