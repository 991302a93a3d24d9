"""Keep TensorFlow's log lines off stderr: the course's one stderr policy.

nbgrader scores a test cell 0 when it writes anything to stderr, and TensorFlow writes
start-up and device messages there from C++, below Python's ``sys.stderr``.

Policy: stderr is for real errors; noise is silenced where it arises, and at one boundary.

1. **At the import.** ``cae_ref._tf`` imports TensorFlow once, with the log levels lowered
   (``quiet_tensorflow_logging``) and file descriptor 2 redirected (``suppress_stderr``); every
   cae_ref module takes ``tf``/``keras`` from there. Measured with TensorFlow 2.21 on CPU: after
   that import, building, training, predicting, saving and loading write nothing to stderr, so
   library calls (``reconstruct``, ``encode_flat``, the VAE helpers, the experiments, the CLI)
   carry no wrapper of their own. ``train_autoencoder(quiet=True)`` only turns off the
   progress bar and Python warnings.
2. **At the grading boundary.** A test cell runs the student's code, which may warn or print
   to stderr, so every call into it goes through ``cae_ref.checks.quiet`` (fd 2, ``sys.stderr``
   and warnings). nbgrader's ``IgnorePattern`` (``nbgrader_config.py``) is the net behind it.
3. **At the page.** The book drops any stderr that remains (``stderr_output: remove``).

Nothing else silences stderr: a Python exception always propagates, and the CLI reports a
user's error as one line on stderr.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Iterator


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
