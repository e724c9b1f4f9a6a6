"""``python -m jettui.cli``."""

import sys

from jettui.cli import main

sys.exit(main())
