"""``python -m experiments``: the same entry as ``python -m cae_ref experiments``."""

import sys

from experiments import main

sys.exit(main())
