"""`python -m bot`."""

import gc
import sys

# Importing allocates tens of thousands of long-lived objects and no garbage worth collecting; bot.cli.main turns
# the collector back on.
gc.disable()

from bot.cli import main  # noqa: E402

sys.exit(main())
