"""Assignment 04, the latent space: its simulated students and the path of its calibration record."""

from __future__ import annotations

from pathlib import Path

from grading.simulated import Mistake, Tamper, substituted

ASSIGNMENT = "04_latent_space"
RECORD = Path(__file__).with_name("calibration.json")  # written by `python -m grading calibrate`
REBINDS = "error_rate"

# separation_score: as 'scores_training_rows' writes it; near-identical students are named substitutions of it
_SEPARATION_SCORE = """
def separation_score(train_codes, train_labels, test_codes, test_labels):
    from sklearn.neighbors import KNeighborsClassifier
    classifier = KNeighborsClassifier(n_neighbors=5).fit(train_codes, train_labels)
    return classifier.score(train_codes, train_labels)
"""


MISTAKES: dict[str, Mistake] = {
    "error_rate": Mistake(
        ASSIGNMENT,
        {
            "separation_score": """
def separation_score(train_codes, train_labels, test_codes, test_labels):
    return 1.0 - cae_ref.knn_accuracy(train_codes, train_labels, test_codes, test_labels)
"""
        },
        {"test_separation_score", "test_separation_honest"},
        calibration="returns the error rate",
    ),
    "scores_training_rows": Mistake(
        ASSIGNMENT,
        {"separation_score": _SEPARATION_SCORE},
        {"test_separation_honest"},
        calibration="scores the training rows",
    ),
    "fits_test_rows": Mistake(
        ASSIGNMENT,
        {
            "separation_score": substituted(
                "fits_test_rows",
                _SEPARATION_SCORE,
                ("fit(train_codes, train_labels)", "fit(test_codes, test_labels)"),
                ("score(train_codes, train_labels)", "score(test_codes, test_labels)"),
            )
        },
        {"test_separation_honest"},
        calibration="fits and scores the test rows",
    ),
}

TAMPER: dict[str, Tamper] = {
    "tamper_rebinds_allclose": Tamper(
        ASSIGNMENT,
        {
            "encode": '''
def encode(encoder, images):
    """Zeros of the right shape, after making NumPy's comparisons always agree."""
    np.allclose = lambda *args, **kwargs: True
    np.array_equal = lambda *args, **kwargs: True
    return np.zeros((len(images), int(np.prod(encoder.output_shape[1:]))), dtype=np.float32)
''',
        },
        {"test_encode"},
        "2 of 2 on test_encode (issue 14)",
    ),
    "tamper_lying_array": Tamper(
        ASSIGNMENT,
        {
            "encode": '''
class Codes(np.ndarray):
    """Claims the expected shape and equals everything."""

    @property
    def shape(self):
        return (len(self), 7 * 7 * 128)

    def __eq__(self, other):
        return True


def encode(encoder, images):
    return np.zeros((len(images), 1), dtype=np.float32).view(Codes)


np.allclose = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
''',
        },
        {"test_encode"},
        "not measured",
    ),
}
