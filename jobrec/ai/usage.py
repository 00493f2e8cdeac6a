"""What one provider object has spent, added to from several threads at once."""

from __future__ import annotations

import threading

from jobrec.ai.interfaces import Usage

__all__ = ["UsageMeter"]


class UsageMeter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = Usage()

    @property
    def total(self) -> Usage:
        with self._lock:
            return self._total

    def add(self, spent: Usage) -> None:
        with self._lock:
            self._total = self._total + spent
