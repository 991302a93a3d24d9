"""Issue 15's building blocks without training: parameter-matched widths and the resumable run order."""

from __future__ import annotations

import pytest

from experiments.bottleneck_converged import run_id, run_order
from experiments.models import (
    BASELINE_PARAMETERS,
    PARAMETER_TOLERANCE,
    autoencoder,
    autoencoder_parameters,
    matched_filters,
)
from experiments.profiles import get_profile

FULL_DIMS = get_profile("full")["bottleneck_converged"]["latent_dims"]


@pytest.mark.parametrize("latent_dim", FULL_DIMS)
def test_every_size_lands_in_the_parameter_band(latent_dim) -> None:
    filters = matched_filters(latent_dim)
    count = autoencoder_parameters(filters, latent_dim)
    assert abs(count - BASELINE_PARAMETERS) <= PARAMETER_TOLERANCE * BASELINE_PARAMETERS, (filters, count)
    # the baseline widths miss the band for every dense size: matching is needed
    if latent_dim is not None:
        assert autoencoder_parameters((32, 64, 128), latent_dim) > 1.05 * BASELINE_PARAMETERS


def test_the_conv_code_keeps_the_baseline_and_the_formula_matches_keras() -> None:
    assert matched_filters(None) == (32, 64, 128)
    for latent_dim in (2, 512, None):
        filters = matched_filters(latent_dim)
        assert autoencoder(latent_dim, filters).count_params() == autoencoder_parameters(filters, latent_dim)


def test_an_impossible_band_is_refused() -> None:
    with pytest.raises(ValueError, match="no widths"):
        matched_filters(512, target=1_000)


def test_run_order_is_seed_major_and_skips_the_duplicate_conv_model() -> None:
    order = run_order(["width", "matched"], [2, None], [0, 1, 2])
    ids = [run_id(*item) for item in order]
    assert ids[:3] == ["width_d2_s0", "width_conv_s0", "matched_d2_s0"]
    assert ids[3] == "width_d2_s1" and len(ids) == 9 and "matched_conv_s0" not in ids
    assert run_order(["matched"], [None], [0]) == [("matched", None, 0)]
