"""The course's stderr rule, and how TensorFlow's log lines are kept off stderr.

The rule (``STDERR_RULE``), word for word as students read it in every
notebook and in chapter 10:

    A warning costs nothing: a graded cell loses its points only when a check
    fails or your code raises an error, and whatever your code writes to
    stderr (a warning, a log line) is not graded.

nbgrader itself scores a test cell 0 as soon as anything reaches stderr in
it, so the rule holds only because the course keeps stderr out of test
cells, in three places:

1. **At the import.** ``cae_ref._tf`` imports TensorFlow once, with the log
   levels lowered (``quiet_tensorflow_logging``) and file descriptor 2
   redirected (``suppress_stderr``); every cae_ref module takes ``tf`` and
   ``keras`` from there, and each notebook's setup cell imports
   ``cae_ref.grader.checks`` before ``keras``, so a fresh kernel's setup cell writes
   nothing to stderr. Measured with TensorFlow 2.21 on CPU: after that import,
   building, training, predicting, saving and loading write nothing to stderr,
   so library calls carry no wrapper of their own.
2. **At the grading boundary.** Every call a check makes into the student's
   code goes through ``cae_ref.grader.checks.quiet`` (``graded_call`` and its
   siblings): file descriptor 2, ``sys.stderr`` and Python warnings are
   silenced for the call, so a NumPy ``RuntimeWarning``, ``warnings.warn`` or
   ``print(..., file=sys.stderr)`` inside it costs nothing, while an exception
   propagates and fails the check. nbgrader's ``IgnorePattern``
   (``nbgrader_config.py``) drops TensorFlow's known log lines elsewhere.
3. **At the page.** The book drops any stderr that remains
   (``stderr_output: remove``).

Nothing else silences stderr: a Python exception always propagates, and the
CLI reports a user's error as one line on stderr.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Iterator

STDERR_RULE = (
    "A warning costs nothing: a graded cell loses its points only when a "
    "check fails or your code raises an error, and whatever your code writes "
    "to stderr (a warning, a log line) is not graded."
)


def quiet_tensorflow_logging() -> None:
    """Ask TensorFlow, absl and Keras to log errors only (best before importing TensorFlow)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)


@contextlib.contextmanager
def suppress_stderr() -> Iterator[str]:
    """Send file descriptor 2 to a temporary file while the block runs.

    Yields nothing useful during the block; Python exceptions still propagate normally,
    so a real error is never hidden, only C++ log lines and warnings written meanwhile.
    """
    sys.stderr.flush()
    saved_fd = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield ""
        finally:
            sys.stderr.flush()
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
