"""The extraction child: ``python -m accounts.resumes._child KIND MAX_PAGES MEMORY_MB CPU_S``.

Reads the file from stdin and writes one JSON object to stdout: ``{"ok": true, "text":
..., "pages": ...}`` or ``{"ok": false, "error": <ResumeReadError payload>}``. Started
only by :mod:`accounts.resumes.isolation`.

The child limits *itself* (``setrlimit`` before it reads the data or imports a parser)
instead of the parent doing it in ``preexec_fn``: ``preexec_fn`` is unsafe when the
parent has threads (a Celery worker or a threaded web server may), and the code that
runs before the limits apply is our own, never the untrusted file.
"""

from __future__ import annotations

import json
import resource
import sys
from typing import Any, Final, cast

from accounts.resumes._extract import Kind, raw_text
from accounts.resumes.errors import (
    CorruptFile,
    ExtractionResourceLimit,
    ResumeReadError,
)

# Raw text beyond this is cut here already; the caller keeps 200k characters after
# clean-up, and a bounded answer keeps the pipe and the JSON parse in the parent small.
MAX_RAW_CHARS: Final = 1_000_000
_KINDS: Final = ("pdf", "docx", "text")


def _limit(memory_mb: int, cpu_s: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # Soft limit -> SIGXCPU (reported as a timeout); the hard limit kills for certain.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _without_cryptography() -> None:
    """Make pypdf fall back to its pure-Python crypto provider instead of ``cryptography``.

    Importing ``cryptography`` is half of pypdf's import time (~60 ms of ~120 ms), and
    only encrypted PDFs need it. Whether a PDF is encrypted is declared by ``/Encrypt`` in
    its trailer, which is never inside a compressed stream, so a file without those bytes
    cannot need it.
    """
    sys.modules["cryptography"] = cast(Any, None)


def _run(kind: Kind, max_pages: int, data: bytes) -> dict[str, Any]:
    try:
        text, pages = raw_text(data, kind=kind, max_pages=max_pages)
    except ResumeReadError as exc:
        return {"ok": False, "error": exc.payload()}
    except (MemoryError, RecursionError) as exc:
        return {"ok": False, "error": ExtractionResourceLimit(type(exc).__name__).payload()}
    except Exception as exc:
        return {"ok": False, "error": CorruptFile(f"{type(exc).__name__}: {exc}"[:500]).payload()}
    return {"ok": True, "text": text[:MAX_RAW_CHARS], "pages": pages}


def main(argv: list[str]) -> int:
    kind, max_pages, memory_mb, cpu_s = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    if kind not in _KINDS:
        raise SystemExit(f"unknown kind {kind!r}")
    _limit(memory_mb, cpu_s)
    data = sys.stdin.buffer.read()
    if kind == "pdf" and b"/Encrypt" not in data:
        _without_cryptography()
    result = _run(cast(Kind, kind), max_pages, data)
    # ASCII JSON: lone surrogates from broken PDF text survive the pipe as escapes.
    sys.stdout.write(json.dumps(result, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
