"""Chapter 9: the variational autoencoder's test ELBO and its parts (``results/vae``)."""

from __future__ import annotations

from typing import Any

from recorded_results import mean, mean_std, provenance, stat

EXPERIMENT = "vae"


def facts(record: dict[str, Any]) -> dict[str, str]:
    """Negative ELBO, its reconstruction and KL terms (one sampled code per image), in nats per image."""
    return {
        **provenance("vae", record),
        "vae_epochs": str(record["config"]["epochs"]),
        "vae_negative_elbo": f"{mean_std(stat(record, 'test_negative_elbo'), 1)} nats",
        "vae_reconstruction": f"{mean_std(stat(record, 'test_reconstruction'), 1)} nats",
        "vae_kl": f"{mean_std(stat(record, 'test_kl'), 1)} nats",
        "vae_kl_share": f"{mean(record, 'test_kl') / mean(record, 'test_negative_elbo'):.0%}",
    }
