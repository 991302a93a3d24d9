"""Assignment 05, denoising: its simulated students and the path of its calibration record."""

from __future__ import annotations

from pathlib import Path

from grading.simulated import Mistake, Tamper, substituted

ASSIGNMENT = "05_denoising"
RECORD = Path(__file__).with_name("calibration.json")  # written by `python -m grading calibrate`
REBINDS = "psnr_peak_255"

_PADDED_05 = '''
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    """One epoch on 64 pairs, then a History padded to the right number of epochs."""
    history = model.fit(
        x_train_noisy[:64], x_train[:64], validation_data=(x_val_noisy, x_val), epochs=1, batch_size=32, verbose=0
    )
    for key in ("loss", "val_loss"):
        history.history[key] = history.history[key] * epochs
    return history
'''

# train_denoiser: as 'clean_inputs' writes it; near-identical students are named substitutions of it
_TRAIN_DENOISER = """
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    return model.fit(x_train, x_train, validation_data=(x_val_noisy, x_val), epochs=epochs, batch_size=batch_size,
                     verbose=0)
"""


MISTAKES: dict[str, Mistake] = {
    "noise_not_clipped": Mistake(
        ASSIGNMENT,
        {
            "add_gaussian_noise": """
def add_gaussian_noise(images, noise_factor, seed):
    rng = np.random.default_rng(seed)
    return (images + noise_factor * rng.standard_normal(images.shape)).astype(np.float32)
"""
        },
        {"test_add_gaussian_noise"},
    ),
    "psnr_peak_255": Mistake(
        ASSIGNMENT,
        {
            "psnr": """
def psnr(clean, other):
    mse = np.mean((clean - other) ** 2, axis=(1, 2, 3))
    return float(np.mean(10 * np.log10(255.0 ** 2 / mse)))
"""
        },
        {"test_psnr"},
    ),
    "noisy_noisy": Mistake(
        ASSIGNMENT,
        {
            "train_denoiser": """
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    return model.fit(x_train_noisy, x_train_noisy, validation_data=(x_val_noisy, x_val_noisy), epochs=epochs,
                     batch_size=batch_size, verbose=0)
"""
        },
        {"test_denoising_gain", "test_denoiser_validation"},
        calibration="trains on (noisy, noisy)",
    ),
    # Gains 3.5 to 4.3 dB (calibration, every design; threshold 3.3), so the gain alone cannot catch it: the gain
    # test also checks what model.fit trained on (recorded by the grader, issue 14), and the validation test too.
    "clean_clean": Mistake(
        ASSIGNMENT,
        {
            "train_denoiser": substituted(
                "clean_clean",
                _TRAIN_DENOISER,
                ("(x_val_noisy,", "(x_val,"),
            )
        },
        {"test_denoising_gain", "test_denoiser_validation"},
        calibration="trains on (clean, clean)",
    ),
    # Clean inputs, right validation pairs (issue 14): it scored 11 of 11; the recorded fit pairs cost it the gain
    # (measured on every design: grading/calibration.md, "Trained on the task's pairs").
    "clean_inputs": Mistake(
        ASSIGNMENT,
        {"train_denoiser": _TRAIN_DENOISER},
        {"test_denoising_gain"},
    ),
}

TAMPER: dict[str, Tamper] = {
    "tamper_mixes_clean_pairs": Tamper(
        ASSIGNMENT,
        {
            "train_denoiser": '''
def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    """Half of the training inputs are clean images."""
    inputs = np.concatenate([x_train_noisy, x_train])
    targets = np.concatenate([x_train, x_train])
    return model.fit(inputs, targets, validation_data=(x_val_noisy, x_val), epochs=epochs, batch_size=batch_size,
                     verbose=0)
''',
        },
        {"test_denoising_gain"},
        "not measured",
    ),
    # Clean inputs, with the grader's own pair check rebound at cell level (the reload puts it back).
    "tamper_patches_fit_record": Tamper(
        ASSIGNMENT,
        {
            "train_denoiser": """
import cae_ref.grader.fit_record


def train_denoiser(model, x_train_noisy, x_train, x_val_noisy, x_val, epochs, batch_size):
    return model.fit(x_train, x_train, validation_data=(x_val_noisy, x_val), epochs=epochs, batch_size=batch_size,
                     verbose=0)


cae_ref.grader.fit_record.fitted_on = lambda *args, **kwargs: ""
""",
        },
        {"test_denoising_gain"},
        "not measured (the pair check is new)",
    ),
    "history_padded_05": Tamper(
        ASSIGNMENT,
        {"train_denoiser": _PADDED_05},
        {"test_train_denoiser_history", "test_denoising_gain"},
        "+1 (the history test passed)",
    ),
}
