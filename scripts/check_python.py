"""Fail early, with a clear message, on a Python older than jobrec supports."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - this script runs on any Python
    sys.exit(
        f"jobrec needs Python 3.11 or newer; {sys.executable} is "
        f"{sys.version.split()[0]}. Run with PYTHON=/path/to/python3.11 make ..."
    )
