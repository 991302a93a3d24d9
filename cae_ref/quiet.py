"""Keep TensorFlow's log lines off stderr.

nbgrader scores a test cell 0 when it writes anything to stderr, and TensorFlow writes
startup and device messages there from C++, below Python's ``sys.stderr``.
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
