"""Read an uploaded file in a throw-away child process with memory and CPU limits.

PDF and DOCX parsers are large C-and-Python code bases fed with untrusted bytes: a
decompression bomb, a pathological content stream or a 500-page file must never take
the caller (a Celery worker) down with it, make it swap, or block it for minutes. So:

* size and type are checked here first (cheap, no parser involved);
* plain text and Markdown are read in-process: decoding and the bounded Markdown
  patterns are linear in the (size-limited) input, and a child would only add ~40 ms;
* PDF and DOCX go to ``python -m accounts.resumes._child``, which sets ``RLIMIT_AS``
  (memory), ``RLIMIT_CPU`` and no core dumps on itself before touching the data, reads
  the file from stdin and answers with JSON on stdout. A wall-clock timeout here kills
  it. Whatever happens inside, the caller gets an :class:`ExtractedText` or one of the
  :mod:`accounts.resumes.errors` exceptions.

The child is started with ``sys.executable`` from the repository root (so that
``accounts`` is importable), which is the project's virtualenv interpreter in the web
and worker processes alike.
"""

from __future__ import annotations

import json
import math
import signal
import subprocess
import sys
from pathlib import Path
from typing import Final

from accounts.resumes.errors import (
    ExtractionResourceLimit,
    ExtractionTimeout,
    FileTooLarge,
    ResumeReadError,
    error_from_payload,
)
from accounts.resumes.reading import ExtractedText, extract_text, finish, sniff_kind

__all__ = ["extract_text_isolated"]

_REPO_ROOT: Final = Path(__file__).resolve().parents[2]
_CHILD_MODULE: Final = "accounts.resumes._child"


def extract_text_isolated(
    data: bytes, *, max_pages: int, max_bytes: int, timeout_s: float, memory_mb: int
) -> ExtractedText:
    """The text of an uploaded resume file, extracted under resource limits.

    ``memory_mb`` caps the child's address space (the interpreter with pypdf loaded takes
    ~50 MB of it); ``timeout_s`` is wall-clock time for the whole child, including its
    start (~0.15 s). Raises a :class:`ResumeReadError` subclass for every failure.
    """
    if len(data) > max_bytes:
        raise FileTooLarge(len(data), max_bytes)
    kind = sniff_kind(data)
    if kind == "text":
        return extract_text(data, kind=kind, max_pages=max_pages)
    # The CPU limit is a backstop for when this process dies and cannot enforce the
    # wall-clock timeout; normally the timeout fires first.
    cpu_s = max(1, math.ceil(timeout_s)) + 1
    command = [sys.executable, "-m", _CHILD_MODULE, kind, str(max_pages), str(memory_mb)]
    try:
        completed = subprocess.run(  # noqa: S603 - our interpreter and module, fixed args
            [*command, str(cpu_s)],
            input=data,
            capture_output=True,
            timeout=timeout_s,
            cwd=_REPO_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionTimeout(f"no answer from the extraction child after {timeout_s}s") from exc
    answer = _answer(completed)
    if not answer.get("ok"):
        error = answer.get("error")
        raise error_from_payload(error if isinstance(error, dict) else {})
    text, pages = answer.get("text"), answer.get("pages")
    if not isinstance(text, str) or not (pages is None or isinstance(pages, int)):
        raise ResumeReadError(f"malformed answer from the extraction child: {answer!r:.200}")
    return finish(text, kind=kind, pages=pages)


def _answer(completed: subprocess.CompletedProcess[bytes]) -> dict[str, object]:
    try:
        answer = json.loads(completed.stdout)
    except ValueError:
        answer = None
    if isinstance(answer, dict):
        return answer
    stderr = completed.stderr.decode("utf-8", "replace")[-500:]
    if completed.returncode == -signal.SIGXCPU:
        raise ExtractionTimeout(f"CPU limit reached: {stderr}")
    # Without an answer the child died: a failed allocation under RLIMIT_AS can abort the
    # interpreter or segfault inside a C extension instead of raising MemoryError.
    raise ExtractionResourceLimit(f"extraction child exited with {completed.returncode}: {stderr}")
