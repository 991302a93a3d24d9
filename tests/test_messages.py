"""Check messages in the student's language (issue 27, item 3): one catalogue, English by default.

``cae_ref.grader.messages`` holds every sentence a check shows a student in English and Indonesian;
``CAE_LANGUAGE`` (set by the Indonesian notebooks' first cell ``%env CAE_LANGUAGE=id``) is read
when a message is made. Each visible or hidden check here is called through ``grader.grade``,
as a test cell calls it, with a typical wrong answer, once per language. No training runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import cae_ref
from cae_ref._tf import keras
from cae_ref.grader import checks, fit_record, grade, messages, student_model


@pytest.fixture(params=["en", "id"])
def language(request, monkeypatch) -> str:
    """Run the test once in English (no variable set) and once in Indonesian."""
    if request.param == "en":
        monkeypatch.delenv(messages.LANGUAGE_ENV, raising=False)
    else:
        monkeypatch.setenv(messages.LANGUAGE_ENV, "id")
    return request.param


def expect(language: str, english: str, indonesian: str) -> str:
    return english if language == "en" else indonesian


# (a) the catalogue


def test_both_languages_have_the_same_keys_and_fields():
    assert set(messages.MESSAGES) == set(messages.LANGUAGES) == {"en", "id"}
    english, indonesian = messages.MESSAGES["en"], messages.MESSAGES["id"]
    assert set(english) == set(indonesian)
    for key, text in english.items():
        assert text.strip() and indonesian[key].strip(), f"{key}: empty message"
        assert messages.fields_of(text) == messages.fields_of(indonesian[key]), f"{key}: fields differ"
        assert text != indonesian[key] or not any(c.isalpha() for c in text.replace("{", "")), f"{key}: untranslated"


def test_every_message_formats_with_its_fields():
    """A field is a plain name (literal braces are doubled), so ``message`` fills every text."""
    for language in messages.LANGUAGES:
        for key, text in messages.MESSAGES[language].items():
            fields = messages.fields_of(text)
            assert all(name.isidentifier() for name in fields), f"{language}/{key}: fields {sorted(fields)}"
            text.format(**dict.fromkeys(fields, "x"))
    assert not all(name.isidentifier() for name in messages.fields_of("return {m.name: m.result()}"))


def test_the_field_check_can_fail():
    assert messages.fields_of("{what}: expected {expected}") != messages.fields_of("{what}: seharusnya")


def test_english_is_the_default_and_the_variable_is_read_when_a_message_is_made(monkeypatch):
    monkeypatch.delenv(messages.LANGUAGE_ENV, raising=False)
    assert messages.message("an_int") == "an int"
    monkeypatch.setenv(messages.LANGUAGE_ENV, "id")
    assert messages.message("an_int") == "sebuah int"
    monkeypatch.setenv(messages.LANGUAGE_ENV, "en")
    assert checks.expected_got("x", 1, 2, "y") == "x: expected 1, got 2. Hint: y"


def test_set_language_sets_the_variable_and_rejects_unknown_languages(monkeypatch):
    monkeypatch.setenv(messages.LANGUAGE_ENV, "en")  # restored (unset) after the test
    cae_ref.set_language("id")
    assert messages.language() == "id"
    assert checks.expected_got("x", 1, 2, "y") == "x: seharusnya 1, yang didapat 2. Petunjuk: y"
    with pytest.raises(ValueError, match="unknown language 'fr': cae_ref has messages in en, id"):
        cae_ref.set_language("fr")
    monkeypatch.setenv(messages.LANGUAGE_ENV, "fr")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        messages.message("an_int")


def test_an_unknown_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(messages.LANGUAGE_ENV, raising=False)
    with pytest.raises(KeyError, match=r"no message 'nope' in cae_ref\.grader\.messages"):
        messages.message("nope")


# (b) visible and hidden checks, a wrong answer in each language


def _failure(check: str, *functions) -> str:
    with pytest.raises(AssertionError) as raised:
        grade(check, *functions)
    return str(raised.value)


def test_01_a_missing_channel_axis(language):
    text = _failure("01_data/test_preprocess_shape", lambda images: (images / 255.0).astype(np.float32))
    assert text == expect(
        language,
        "shape of preprocess(50 images): expected (50, 28, 28, 1), got (50, 28, 28). "
        "Hint: add a channel axis, e.g. images[..., np.newaxis]",
        "bentuk preprocess(50 gambar): seharusnya (50, 28, 28, 1), yang didapat (50, 28, 28). "
        "Petunjuk: tambahkan sumbu channel, mis. images[..., np.newaxis]",
    )


def test_01_dividing_by_256(language):
    text = _failure("01_data/test_preprocess_range", lambda images: (images / 256.0).astype(np.float32)[..., None])
    assert text.endswith(expect(language, "Hint: divide by 255, not 256", "Petunjuk: bagi dengan 255, bukan 256"))


def test_01_passing_checks_print_in_the_language(language, capsys):
    grade("01_data/test_preprocess_reference", lambda images: (images / 255.0).astype(np.float32)[..., None])
    printed = capsys.readouterr().out
    assert printed == expect(
        language,
        "visible checks passed\ngraded after submission; the visible checks above do not cover this\n",
        "pemeriksaan yang terlihat lulus\ndinilai setelah pengumpulan; pemeriksaan yang terlihat di atas "
        "tidak mencakup bagian ini\n",
    )


def test_01_hidden_dividing_by_the_maximum(language):
    text = _failure(
        "01_data/hidden_preprocess_reference",
        lambda images: (images / max(int(images.max()), 1)).astype(np.float32)[..., None],
    )
    assert text == expect(
        language,
        "dark images are scaled differently: divide by the fixed 255, not by images.max()",
        "gambar gelap diskalakan secara berbeda: bagi dengan angka tetap 255, bukan dengan images.max()",
    )


def test_02_a_wrong_formula(language):
    text = _failure("02_architecture/test_conv_output_size", lambda size, kernel, stride, padding: size // stride)
    assert text == expect(
        language,
        "conv_output_size(28, 3, 1, 'valid'): expected 26, got 28",
        "conv_output_size(28, 3, 1, 'valid'): seharusnya 26, yang didapat 28",
    )
    text = _failure("02_architecture/test_conv_output_size", lambda *args: 26.0)
    assert text.endswith(
        expect(language, "Hint: return a number, e.g. int(...)", "kembalikan sebuah angka, mis. int(...)")
    )


def _encoder_without_pooling() -> keras.Model:
    inputs = keras.Input((28, 28, 1))
    return keras.Model(inputs, keras.layers.Conv2D(128, 3, padding="same")(inputs))


def test_02_an_encoder_that_never_downsamples(language):
    text = _failure("02_architecture/test_build_encoder_shape", _encoder_without_pooling)
    assert text == expect(
        language,
        "code shape for 8 images: expected (8, 7, 7, 128), got (8, 28, 28, 128). Hint: the image is never "
        "downsampled: are the pooling layers (or stride-2 convolutions) missing?",
        "bentuk kode untuk 8 gambar: seharusnya (8, 7, 7, 128), yang didapat (8, 28, 28, 128). Petunjuk: gambar "
        "tidak pernah di-downsampling: apakah layer pooling (atau konvolusi stride 2) tidak ada?",
    )


def test_02_hidden_an_encoder_built_once(language):
    built = _encoder_without_pooling()
    text = _failure("02_architecture/hidden_build_encoder_layers", lambda: built)
    assert text == expect(
        language,
        "build_encoder must build a new model on every call",
        "build_encoder harus membangun model baru pada setiap pemanggilan",
    )


def test_a_training_cell_not_run(language):
    """What 03's, 04's and 05's trained checks say when the training cell never ran (a label no test records)."""
    label = "train_never_run_in_this_process"
    assert not fit_record.trainings(label)
    with pytest.raises(AssertionError) as raised:
        checks.last_training(label)
    text = str(raised.value)
    assert text.startswith(
        expect(
            language,
            f"the grader recorded no run of {label}: run the notebook's cells in order",
            f"penilai tidak mencatat satu pun eksekusi {label}: jalankan sel-sel notebook secara berurutan",
        )
    )


def test_a_training_that_stopped_and_one_on_a_subset(language):
    stopped = checks.not_finished("train_denoiser", {"error": "ValueError: bad shape"})
    assert stopped.startswith(
        expect(
            language,
            "train_denoiser did not finish: it stopped with ValueError: bad shape. Read the traceback",
            "train_denoiser tidak selesai: berhenti dengan ValueError: bad shape. Baca traceback",
        )
    )
    images = np.arange(40, dtype=np.float32).reshape(10, 4)
    calls = [{"model": None, "x": images[:5], "y": images[:5], "validation_data": None}]
    assert checks.fitted_on(calls, images, images) == expect(
        language,
        "fit saw 5 of the 10 training pairs you were given (at least 10 needed): train on all of them, not a subset",
        "fit melihat 5 dari 10 pasangan data latih yang diberikan kepada Anda (paling sedikit 10 diperlukan): "
        "latih dengan semuanya, bukan sebagian",
    )


def test_03_compile_that_returns_nothing(language):
    text = _failure("03_training/test_compile_autoencoder", lambda model: None)
    assert text == expect(
        language,
        "compile_autoencoder returned None: end with `return model`",
        "compile_autoencoder mengembalikan None: akhiri dengan `return model`",
    )


def test_04_codes_not_flattened(language):
    encoder = cae_ref.build_encoder()  # untrained: the shape check needs no training
    checks.course_training("latent_training", lambda: None, encoder)
    text = _failure("04_latent_space/test_encode", lambda model, images: checks.predict(model, images))
    assert text.startswith(
        expect(
            language,
            "shape of encode(encoder, 100 images): expected (100, 6272), got (100, 7, 7, 128). Hint: flatten",
            "bentuk encode(encoder, 100 gambar): seharusnya (100, 6272), yang didapat (100, 7, 7, 128). "
            "Petunjuk: ratakan",
        )
    )


def test_05_noise_not_clipped_and_psnr_for_255(language):
    def unclipped(images, noise_factor, seed):
        rng = np.random.default_rng(seed)
        return (images + noise_factor * rng.standard_normal(images.shape)).astype(np.float32)

    text = _failure("05_denoising/test_add_gaussian_noise", unclipped)
    assert text.startswith(expect(language, "value range: expected [0, 1], got", "rentang nilai: seharusnya [0, 1]"))
    assert text.endswith(
        expect(language, "Hint: clip with np.clip(noisy, 0.0, 1.0)", "Petunjuk: potong dengan np.clip(noisy, 0.0, 1.0)")
    )

    def psnr_255(a, b):
        return float(10 * np.log10(255.0**2 / np.mean((np.asarray(a) - np.asarray(b)) ** 2)))

    text = _failure("05_denoising/test_psnr", psnr_255)
    assert text.startswith(
        expect(language, "psnr for an error of 0.1 on every pixel: expected 20.0 dB", "psnr untuk error 0.1 pada")
    )


def _bottleneck_encoder_without_dense(latent_dim):
    inputs = keras.Input((28, 28, 1))
    return keras.Model(inputs, keras.layers.Conv2D(4, 3, strides=4, padding="same")(inputs))


def test_06_a_code_that_is_still_a_feature_map(language):
    text = _failure("06_bottleneck/test_build_bottleneck_encoder_shape", _bottleneck_encoder_without_dense)
    assert text == expect(
        language,
        "encoder output for latent_dim=2: expected (5, 2), got (5, 7, 7, 4). Hint: the code is still a feature "
        "map: end the encoder with Flatten() and Dense(latent_dim)",
        "keluaran encoder untuk latent_dim=2: seharusnya (5, 2), yang didapat (5, 7, 7, 4). Petunjuk: kodenya "
        "masih berupa feature map: akhiri encoder dengan Flatten() dan Dense(latent_dim)",
    )


def test_the_fallback_model_note(language):
    def not_written():
        raise NotImplementedError

    own = student_model.own_autoencoder(not_written, cae_ref.build_decoder)
    assert own.used_fallback
    assert own.message == expect(
        language,
        "build_encoder is not written yet (it raises NotImplementedError).\nThis notebook trains the course's model "
        "instead, so the later parts stay gradable; fix your code and run these cells again.",
        "build_encoder belum ditulis (fungsi itu memunculkan NotImplementedError).\nNotebook ini melatih model kursus "
        "sebagai gantinya, agar bagian-bagian berikutnya tetap dapat dinilai; perbaiki kode Anda dan jalankan lagi "
        "sel-sel ini.",
    )


def test_07_a_kl_divergence_with_the_wrong_sign(language):
    def flipped(z_mean, z_log_var):
        return 0.5 * np.sum(1 + z_log_var - z_mean**2 - np.exp(z_log_var), axis=-1)

    text = _failure("07_vae/test_kl_divergence", flipped)
    assert text.startswith(expect(language, "KL per example: expected [", "KL per contoh: seharusnya ["))
    assert text.endswith(
        expect(
            language,
            "Hint: the sign is flipped: a KL divergence is never negative",
            "Petunjuk: tandanya terbalik: divergensi KL tidak pernah negatif",
        )
    )


def test_08_per_class_rows_in_all(language):
    text = _failure("08_few_labels/test_pick_labelled", lambda labels, per_class, seed: np.arange(per_class))
    assert text == expect(
        language,
        "number of rows for per_class=1: expected 10, got 1. Hint: draw per_class rows of each class, not "
        "per_class rows in all",
        "jumlah baris untuk per_class=1: seharusnya 10, yang didapat 1. Petunjuk: ambil per_class baris dari setiap "
        "kategori, bukan per_class baris secara keseluruhan",
    )


def test_the_answer_key_guard(language):
    text = _failure("01_data/test_preprocess_shape", lambda images: cae_ref.preprocess_images(images))
    assert text == expect(
        language,
        "write your own code; cae_ref.preprocess_images is not allowed here",
        "tulis kode Anda sendiri; cae_ref.preprocess_images tidak boleh dipakai di sini",
    )


def test_05_hidden_uniform_noise(language):
    def uniform(images, noise_factor, seed):
        rng = np.random.default_rng(seed)
        noise = rng.uniform(-np.sqrt(3), np.sqrt(3), images.shape)
        return np.clip(images + noise_factor * noise, 0.0, 1.0).astype(np.float32)

    text = _failure("05_denoising/hidden_add_gaussian_noise_statistics", uniform)
    assert text == expect(
        language,
        "the noise does not look Gaussian: draw it with rng.standard_normal",
        "noise tidak tampak Gaussian: ambil dengan rng.standard_normal",
    )


def test_07_hidden_a_fixed_code_size(language):
    text = _failure("07_vae/hidden_sample_prior", lambda decoder, n, seed: np.zeros((n, 2), np.float32))
    assert text == expect(
        language,
        "sample_prior fails for a decoder with 3-number codes: read the code size from decoder.input.shape",
        "sample_prior gagal untuk decoder dengan kode 3 angka: baca ukuran kode dari decoder.input.shape",
    )


def test_every_key_the_code_and_notebooks_use_is_in_the_catalogue():
    """A ``message("key")`` with a key the catalogue lacks would fail only when a student meets it: caught here."""
    root = Path(__file__).resolve().parents[1]
    sources = [*root.glob("cae_ref/**/*.py"), *root.glob("grading/hidden/*.py"), *root.glob("solutions/*/*.ipynb")]
    used = {
        (path.name, key)
        for path in sources
        for key in re.findall(r'message\(\\?"(\w+)\\?"', path.read_text(encoding="utf-8"))
    }
    assert {name for name, _ in used} >= {"checks.py", "01_data.py", "08_few_labels.ipynb"}
    missing = sorted((name, key) for name, key in used if key not in messages.MESSAGES["en"])
    assert not missing, f"keys not in cae_ref/grader/messages.py: {missing}"
    assert re.findall(r'message\(\\?"(\w+)\\?"', 'print(checks.message(\\"nb_x\\", n=1))') == ["nb_x"]
