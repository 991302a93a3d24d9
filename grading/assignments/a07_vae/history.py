"""Calibrate ``vae_history_gap``: how far a VAE's recorded last-epoch loss may sit from what the model scores.

``test_vae_history`` (exercise 07) compares the last ``loss`` in the History with the student's own
``negative_elbo`` of the trained VAE on 1,000 training images, encoded and decoded from ``z_mean`` by
the grader (``checks.vae_mean_codes``). The relative gap of an honest ``train_step`` comes from two
sources only: the weights change during the last epoch, and training samples ``z`` while the grader
decodes ``z_mean``. This script measures it for the reference and the valid designs (several seeds),
for the typical mistakes (honest histories of wrong code: they must keep this check) and for the
tampering student whose ``train_step`` reports made-up metrics (it must fail); ``python -m grading calibrate
07_vae`` keeps the rows under ``history`` in 07's record (``grading/assignments/a07_vae/calibration.json``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

THRESHOLD = "vae_history_gap"
SCORED_IMAGES = 1000  # what test_vae_history scores: x_train[:1000]


def history_gap(namespace: dict[str, Any]) -> float:
    """|last recorded loss - the student's negative_elbo of the trained model| / the latter, as the test computes it."""
    from cae_ref.grader import checks

    images = namespace["x_train"][:SCORED_IMAGES]
    vae, negative_elbo = namespace["vae"], namespace["negative_elbo"]
    z_mean, z_log_var, reconstructions = checks.vae_mean_codes(vae.encoder, vae.decoder, images)
    scored = float(np.mean(checks.to_numpy(negative_elbo(images, reconstructions, z_mean, z_log_var))))
    recorded = float(namespace["history"].history["loss"][-1])
    return abs(recorded - scored) / abs(scored)


def calibration_students() -> dict[str, tuple[str, dict[str, str]]]:
    """variant -> (kind, solution cells): valid code, honest mistakes, and the made-up history."""
    # the designs, mistakes and tampering students hold answers: private, imported only to calibrate
    from grading.assignments import TAMPER, calibrated
    from grading.assignments.a07_vae.calibration import ASSIGNMENT, DESIGNS

    students = {"reference": ("valid", {}), **{f"design: {k}": ("valid", v) for k, v in DESIGNS.items()}}
    students |= {f"mistake: {label}": ("mistake", m.sources) for label, m in calibrated(ASSIGNMENT).items()}
    students["tampering: made-up metrics"] = ("fake", TAMPER["tamper_vae_metrics"].sources)
    return students


def calibrate_vae_history(seeds: list[int], other_seeds: list[int]) -> list[dict]:
    """One row per (student, seed); a training that fails or diverges is recorded as such, not as a number."""
    from grading.assignments.a07_vae.calibration import run_cells

    rows = []
    for variant, (kind, sources) in calibration_students().items():
        for seed in seeds if kind == "valid" else other_seeds:
            try:
                value: float | None = history_gap(run_cells(sources, seed))
            except Exception as error:  # the history test fails such a student before this check
                value, note = None, f"failed: {type(error).__name__}"
            else:
                note = "" if np.isfinite(value) else "diverged (NaN loss)"
                value = value if np.isfinite(value) else None
            rows.append({"threshold": THRESHOLD, "variant": variant, "kind": kind, "seed": seed, "value": value})
            if note:
                rows[-1]["note"] = note
            shown = f"{value:.4f}" if value is not None else note
            print(f"{THRESHOLD} {variant:<45} seed {seed}: {shown}", flush=True)
    return rows


def summary(rows: list[dict]) -> dict[str, float | None]:
    """The largest gap of an honest history (valid and mistakes) and the smallest of a made-up one."""
    honest = [r["value"] for r in rows if r["kind"] != "fake" and r["value"] is not None]
    fake = [r["value"] for r in rows if r["kind"] == "fake" and r["value"] is not None]
    return {"largest_honest_gap": max(honest, default=None), "smallest_fake_gap": min(fake, default=None)}
