"""Assignment 08, few labels: its simulated students and the path of its calibration record."""

from __future__ import annotations

from pathlib import Path

from grading.simulated import Mistake, Tamper, substituted

ASSIGNMENT = "08_few_labels"
RECORD = Path(__file__).with_name("calibration.json")  # written by `python -m grading calibrate`
REBINDS = "encode_not_flattened"

_LYING_ARRAY_08 = '''
class Agrees(np.ndarray):
    """An array whose comparisons always agree."""

    def __eq__(self, other):
        return np.ones(np.shape(self), bool).view(np.ndarray)

    def __array_function__(self, func, types, args, kwargs):
        if func in (np.allclose, np.array_equal, np.array_equiv):
            return True
        return super().__array_function__(func, types, args, kwargs)


def encode(encoder, images):
    """Zeros of the right shape, dressed as an array that agrees with everything."""
    width = int(np.prod(encoder.output.shape[1:]))
    return np.zeros((len(images), width), np.float32).view(Agrees)
'''

# few_label_accuracies: as 'pixels_not_flattened' writes it; near-identical students are named substitutions of it
_FEW_LABEL_ACCURACIES = """
def few_label_accuracies(fit, encoder, x_pool, y_pool, x_test, y_test, counts, seed):
    features = {
        "codes": (encode(encoder, x_pool), encode(encoder, x_test)),
        "pixels": (x_pool, x_test.reshape(len(x_test), -1)),
    }
    result = {}
    for count in counts:
        labelled = pick_labelled(y_pool, count, seed)
        for name, (pool, test) in features.items():
            classifier = fit(pool, y_pool, labelled)
            result[(name, count)] = float(np.mean(classifier.predict(test) == y_test))
    return result
"""

# fit_on_labelled: as 'labels_misaligned' writes it; near-identical students are named substitutions of it
_FIT_ON_LABELLED = """
def fit_on_labelled(features, labels, labelled):
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=5).fit(features[labelled], labels[: len(labelled)])
"""


MISTAKES: dict[str, Mistake] = {
    "first_rows_per_class": Mistake(
        ASSIGNMENT,
        {
            "pick_labelled": """
def pick_labelled(labels, per_class, seed):
    return np.concatenate([np.flatnonzero(labels == label)[:per_class] for label in np.unique(labels)])
"""
        },
        {"test_pick_labelled_seeded"},
    ),
    "unbalanced_pick": Mistake(
        ASSIGNMENT,
        {
            "pick_labelled": """
def pick_labelled(labels, per_class, seed):
    return np.random.default_rng(seed).choice(len(labels), size=per_class * len(np.unique(labels)), replace=False)
"""
        },
        {"test_pick_labelled"},
    ),
    # few_label_accuracies labels the first rows of the pool, not the balanced pick of pick_labelled (issue 25):
    # as many rows as a balanced pick, all distinct, but not count rows of every class.
    "few_labels_first_rows": Mistake(
        ASSIGNMENT,
        {
            "few_label_accuracies": substituted(
                "few_labels_first_rows",
                _FEW_LABEL_ACCURACIES,
                ("(x_pool,", "(x_pool.reshape(len(x_pool), -1),"),
                ("pick_labelled(y_pool, count, seed)", "np.arange(count * 10)  # the first rows of the pool"),
            )
        },
        {"test_few_label_accuracies_honest"},
    ),
    "pick_without_seed": Mistake(
        ASSIGNMENT,
        {
            "pick_labelled": """
def pick_labelled(labels, per_class, seed):
    rng = np.random.default_rng()
    chosen = [rng.choice(np.flatnonzero(labels == label), per_class, replace=False) for label in np.unique(labels)]
    return np.concatenate(chosen)
"""
        },
        {"test_pick_labelled_seeded"},
    ),
    # Fitted on every pool row's label: the scrambled labels change it (the agreement margin is not meant for it).
    "fits_every_row": Mistake(
        ASSIGNMENT,
        {
            "fit_on_labelled": substituted(
                "fits_every_row",
                _FIT_ON_LABELLED,
                ("features[labelled], labels[: len(labelled)]", "features, labels"),
            )
        },
        {"test_fit_on_labelled_honest"},
        calibration="fits on every pool row",
    ),
    "labels_misaligned": Mistake(
        ASSIGNMENT,
        {"fit_on_labelled": _FIT_ON_LABELLED},
        {"test_fit_on_labelled_honest", "test_fit_on_labelled_agreement"},
        calibration="labels of other rows",
    ),
    "majority_class": Mistake(
        ASSIGNMENT,
        {
            "fit_on_labelled": substituted(
                "majority_class",
                _FIT_ON_LABELLED,
                (
                    "5).fit(features[labelled], labels[: len(labelled)",
                    "len(labelled)).fit(features[labelled], labels[labelled",
                ),
            )
        },
        {"test_fit_on_labelled_agreement"},
        calibration="k = all labelled rows (majority vote)",
    ),
    "encode_not_flattened": Mistake(
        ASSIGNMENT,
        {
            "encode": """
def encode(encoder, images):
    return np.asarray(encoder.predict(images, verbose=0))
"""
        },
        {"test_encode"},
    ),
    "few_label_scores_training_rows": Mistake(
        ASSIGNMENT,
        {
            "few_label_accuracies": substituted(
                "few_label_scores_training_rows",
                _FEW_LABEL_ACCURACIES,
                ("(x_pool,", "(x_pool.reshape(len(x_pool), -1),"),
                ("test) == y_test", "pool[labelled]) == y_pool[labelled]"),
            )
        },
        {"test_few_label_accuracies_honest"},
    ),
    "pixels_not_flattened": Mistake(
        ASSIGNMENT,
        {"few_label_accuracies": _FEW_LABEL_ACCURACIES},
        {"test_few_label_accuracies", "test_few_label_accuracies_honest"},
    ),
}

TAMPER: dict[str, Tamper] = {
    "lying_array_08": Tamper(
        ASSIGNMENT,
        {"encode": _LYING_ARRAY_08},
        {"test_encode", "test_few_label_accuracies_honest"},
        "+1 (test_encode passed with zeros)",
    ),
}
