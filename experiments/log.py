"""How the harness reports progress: one flushed line on stdout (stderr stays for real errors)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def stdout_log(message: str) -> None:
    """Print ``message`` to stdout and flush at once, so a long run shows its progress live."""
    print(message, flush=True)
    sys.stdout.flush()


def command_line(argv: Sequence[str]) -> str:
    """The documented command that reproduces a run with ``argv``."""
    return " ".join(["python -m cae_ref experiments", *argv]).strip()
