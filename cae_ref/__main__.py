"""Entry point for ``python -m cae_ref``."""

import sys

from cae_ref.cli import main

sys.exit(main())
