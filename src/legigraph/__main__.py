"""Allow ``python -m legigraph``."""

import sys

from legigraph.cli import main

sys.exit(main())
