"""Progress bars for management commands: shown on a terminal, silent otherwise."""

from __future__ import annotations

import sys
from typing import IO, Any

from tqdm import tqdm


def progress_bar(*, total: int | None, desc: str, unit: str, stream: IO[str] | None = None) -> Any:
    out = stream or sys.stderr
    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        file=out,
        disable=not (hasattr(out, "isatty") and out.isatty()),
        dynamic_ncols=True,
    )
