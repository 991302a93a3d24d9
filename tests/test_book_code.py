"""The book shows the code it runs: every `literalinclude :pyobject:` resolves, and each chapter both
shows the code it teaches and runs it (or the function tested equal to it, see tests/test_plain.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.pycode import ModuleAnalyzer

BOOK = Path(__file__).resolve().parents[1] / "book"
INCLUDE = re.compile(r"```\{literalinclude\}[ \t]+(\S+)\n((?::[\w-]+:.*\n)*)```")
CODE_CELL = re.compile(r"```\{code-cell\} ipython3\n(.*?)\n```", flags=re.S)

# chapter -> {(file, object) the page must show: calls in its code cells, one of which must appear}
SHOWN_AND_RUN = {
    "03_data": {("cae_ref/preprocessing.py", "preprocess_images"): ["cae_ref.preprocess_images("]},
    "04_architecture": {
        ("cae_ref/plain.py", "build_plain_encoder"): ["build_plain_encoder("],
        ("cae_ref/plain.py", "build_plain_decoder"): ["build_plain_decoder("],
        ("cae_ref/plain.py", "build_plain_autoencoder"): ["build_plain_autoencoder("],
        ("cae_ref/plain.py", "build_plain_strided_encoder"): ["build_plain_strided_encoder("],
    },
    "05_training": {("cae_ref/plain.py", "fit_plain"): ["fit_plain(", "cae_ref.train_autoencoder("]},
    "06_bottleneck": {
        ("cae_ref/plain.py", "build_plain_bottleneck"): ["build_plain_bottleneck(", "cae_ref.build_encoder(latent_dim"]
    },
    "07_latent_space": {
        ("cae_ref/latent.py", "encode_flat"): ["cae_ref.encode_flat("],
        ("cae_ref/latent.py", "linear_probe_accuracy"): ["cae_ref.linear_probe_accuracy("],
    },
    "08_denoising": {
        ("cae_ref/noise.py", "add_gaussian_noise"): ["cae_ref.add_gaussian_noise("],
        ("cae_ref/plain.py", "fit_plain_denoiser"): ["fit_plain_denoiser(", "y_train=x_train"],
    },
    "anomaly_detection": {
        ("cae_ref/anomaly.py", "anomaly_mask"): ["anomaly_mask("],
        ("cae_ref/anomaly.py", "reconstruction_errors"): ["reconstruction_errors("],
        ("cae_ref/anomaly.py", "anomaly_auc"): ["anomaly_auc("],
    },
    "09_beyond": {
        ("cae_ref/vae.py", "Sampling"): ["cae_ref.build_vae("],
        ("cae_ref/vae.py", "kl_divergence"): ["cae_ref.build_vae("],
        ("cae_ref/vae.py", "reconstruction_loss"): ["cae_ref.build_vae("],
        ("cae_ref/vae.py", "VariationalAutoencoder.train_step"): ["cae_ref.build_vae("],
    },
}


def includes(text: str) -> list[tuple[Path, dict[str, str]]]:
    """Every literalinclude in a chapter: the included file (resolved from book/, as Sphinx does), its options."""
    found = []
    for target, options in INCLUDE.findall(text):
        parsed = dict(re.findall(r"^:([\w-]+):[ \t]*(.*?)[ \t]*$", options, flags=re.M))
        found.append(((BOOK / target).resolve(), parsed))
    return found


def drift(chapter: str, text: str) -> list[str]:
    """What a chapter's text fails of SHOWN_AND_RUN: objects it no longer shows, or shows without running."""
    shown = {(file.relative_to(BOOK.parent).as_posix(), options.get("pyobject")) for file, options in includes(text)}
    cells = "\n".join(CODE_CELL.findall(text))
    problems = []
    for (file, name), calls in SHOWN_AND_RUN[chapter].items():
        if (file, name) not in shown:
            problems.append(f"{chapter} no longer shows {file}:{name} (literalinclude :pyobject:)")
        elif not any(call in cells for call in calls):
            problems.append(f"{chapter} shows {name} but its code runs none of {calls}")
    return problems


def _text(chapter: str) -> str:
    return (BOOK / f"{chapter}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(BOOK.glob("*.md")), ids=lambda path: path.stem)
def test_every_included_object_exists(path: Path):
    for file, options in includes(path.read_text(encoding="utf-8")):
        assert file.is_file(), f"{path.name}: literalinclude of a missing file {file}"
        assert "pyobject" in options, f"{path.name}: include {file.name} by :pyobject:, not by line numbers"
        tags = ModuleAnalyzer.for_file(str(file), "").find_tags()
        assert options["pyobject"] in tags, f"{path.name}: {file.name} has no {options['pyobject']!r}"
        assert options.get("language") == "python", f"{path.name}: {options['pyobject']} needs :language: python"


@pytest.mark.parametrize("chapter", sorted(SHOWN_AND_RUN))
def test_chapter_shows_the_code_it_teaches_and_runs_it(chapter: str):
    assert drift(chapter, _text(chapter)) == []


def test_dropping_either_side_is_caught():
    page = _text("04_architecture")
    without_source = page.replace(":pyobject: build_plain_decoder", ":pyobject: build_plain_autoencoder")
    assert drift("04_architecture", without_source) == [
        "04_architecture no longer shows cae_ref/plain.py:build_plain_decoder (literalinclude :pyobject:)"
    ]
    page = _text("05_training")
    without_run = page.replace("cae_ref.train_autoencoder(", "cae_ref.some_other_trainer(")
    assert len(drift("05_training", without_run)) == 1 and "runs none of" in drift("05_training", without_run)[0]


def test_plain_functions_stay_small_enough_to_read():
    """What a page shows must fit on a screen: at most 40 lines per included object."""
    for path in sorted(BOOK.glob("*.md")):
        for file, options in includes(path.read_text(encoding="utf-8")):
            _, start, end = ModuleAnalyzer.for_file(str(file), "").find_tags()[options["pyobject"]]
            assert end - start < 40, f"{path.name} shows {options['pyobject']}: {end - start + 1} lines"
