"""`python -m focusguard` is the `focusguard` command."""

import sys

from focusguard.cli import main

sys.exit(main())
