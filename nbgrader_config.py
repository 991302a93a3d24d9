"""nbgrader configuration of the course (read from the current directory: run nbgrader from the repo root).

solutions/<assignment>/ holds the source notebooks, exercises/<assignment>/ the student versions
that `nbgrader generate_assignment` writes. submitted/, autograded/, feedback/ and gradebook.db
are git-ignored. See INSTRUCTORS.md for the workflow.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (nbgrader provides get_config)

COURSE_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.root = "."
c.CourseDirectory.course_id = "cae-fashion-mnist"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# A submission folder may not bring its own copy of the course package or caches.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "cae_ref", ".git"]

# Grade against this checkout's cae_ref: the kernels inherit PYTHONPATH from nbgrader.
_paths = [str(COURSE_ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(_paths))
# TensorFlow's C++ start-up lines; cae_ref sets this too, this covers a student's own import.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# Per-cell limit. The slowest cell of the reference (a few seconds of training at the grading
# budget) takes under 15 s on 2 busy cores; 90 s leaves room for slower valid designs and
# bounds the cost of an infinite loop. A timed-out cell is interrupted and scores 0.
c.Execute.timeout = 90
c.Execute.interrupt_on_timeout = True
c.Execute.startup_timeout = 120

# Known noise on stderr that must not cost a test cell its points (nbgrader scores any stderr 0).
# Only TensorFlow/absl/oneDNN/CUDA log lines match; a student's own stderr output is kept.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = (
    r"(?m)^(WARNING: All log messages before absl::InitializeLog|I0000 |W0000 |E0000 "
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWE] (tensorflow|external/local_xla)/"
    r"|.*oneDNN custom operations are on"
    r"|.*failed call to cuInit"
    r"|.*Unable to register cu(DNN|FFT|BLAS) factory"
    r"|.*TF-TRT Warning)"
)


def _warn_course_version(**kwargs):
    """Before grading a submission, warn if it was made against another course version (grading/classroom/versions)."""
    import sys

    if str(COURSE_ROOT) not in sys.path:
        sys.path.insert(0, str(COURSE_ROOT))
    from grading.classroom.versions import nbgrader_pre_convert_hook

    nbgrader_pre_convert_hook(**kwargs)


c.Autograde.pre_convert_hook = _warn_course_version

# A deleted, blanked or edited locked cell is put back from the release and run, so deleting it gains nothing
# (issue 25): RepairCells (grading/classroom/repair.py) runs before OverwriteCells, which then restores the hidden tests
# from the gradebook. nbgrader's own add_missing_cells raises KeyError when a locked cell without points
# precedes the deleted one (upstream #1682); it stays on for anything the repair leaves (nothing, in the tests).
if str(COURSE_ROOT) not in sys.path:
    sys.path.insert(0, str(COURSE_ROOT))
try:
    from grading.classroom.repair import RepairCells
except ImportError as error:  # a copy of this file without the repository's grading/: nbgrader's own behaviour
    print(f"nbgrader_config.py: no repair of deleted test cells ({error})", file=sys.stderr)
else:
    from nbgrader.preprocessors import (
        CheckCellMetadata,
        ClearOutput,
        DeduplicateIds,
        OverwriteCells,
        OverwriteKernelspec,
    )

    c.Autograde.sanitize_preprocessors = [
        ClearOutput,
        DeduplicateIds,
        OverwriteKernelspec,
        RepairCells,
        OverwriteCells,
        CheckCellMetadata,
    ]
    c.RepairCells.release_directory = str(COURSE_ROOT / c.CourseDirectory.release_directory)

c.OverwriteCells.add_missing_cells = True

# Long tracebacks from Keras are cut to the informative ends.
c.LimitOutput.max_lines = 300
c.LimitOutput.max_traceback = 60

# Feedback without the key (issue 25): hidden blocks removed from the returned HTML and a hidden
# check's traceback cut to its message (grading/classroom/feedback.py); points, outcome and message stay.
# Named as a string: imported when feedback is generated (it fails there, loudly, without grading/).
import sys  # noqa: E402

if str(COURSE_ROOT) not in sys.path:
    sys.path.insert(0, str(COURSE_ROOT))
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = [
    GetGrades,
    CSSHTMLHeaderPreprocessor,
    "grading.classroom.feedback.HiddenTestFeedback",
]
