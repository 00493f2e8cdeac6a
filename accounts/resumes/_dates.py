"""Date ranges in resumes ("Jan 2018 – Present", "2015 - 2019", "06/2017 to 08/2019") and
the total time they cover.

Months are counted the way LinkedIn and most resume templates print durations (RenderCV:
"May 2022 – Aug 2022, 4 months"): a range given in months includes its last month. A
range given in years only ("2015 - 2019") counts whole years, 4 here, because the
months are unknown and counting both ends would add a year to every such entry.
"Present", "Current", "Now", "Till date" mean ``today`` and include its month. Years
outside 1950..next year are not dates (they are amounts, street numbers, ...).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

__all__ = ["DateRange", "find_dates", "find_ranges", "total_years"]

_MONTHS: Final[dict[str, int]] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    # Seasons (student resumes: "Fall 2013 - Spring 2014"): the month they start in.
    "spr": 3, "sum": 6, "fal": 9, "aut": 9, "win": 1,
}  # fmt: skip
_MONTH: Final = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|spring|summer|fall|autumn|winter)"
)
_YEAR: Final = r"(?:19|20)\d{2}"


def _date(tag: str) -> str:
    return (
        rf"(?:(?P<{tag}mon>{_MONTH})\.?,?[ \t]{{0,2}}"
        rf"(?:(?P<{tag}y1>{_YEAR})|['’](?P<{tag}y2>\d{{2}}))"
        rf"|(?P<{tag}m1>0?[1-9]|1[0-2])[ \t]?[/.-][ \t]?(?P<{tag}y3>{_YEAR})"
        rf"|(?P<{tag}y4>{_YEAR})[/.-](?P<{tag}m2>0[1-9]|1[0-2])(?!\d)"
        rf"|(?P<{tag}y5>{_YEAR}))"
    )


_CURRENT: Final = r"(?P<current>present|current(?:ly)?|now|today|ongoing|date)"
_CONNECTOR: Final = r"(?:[-–—~]|to|till|until|through|thru|up[ \t]?to)"
# Between the connector and the end: a few spaces, or the rest of the line and a line
# break when the dates are a narrow left column wrapped over two lines
# ("2021 –\tMachine Learning Engineer, OpenAI\nPresent\tLeading a team ...").
_BRIDGE: Final = r"(?P<bridge>[ \t]{0,3}|[ \t]{0,3}(?:\t[^\n]{0,200})?\n[ \t]{0,3})"
_RANGE_RE: Final = re.compile(
    rf"(?<![\w/.-]){_date('s')}[ \t]{{0,3}}{_CONNECTOR}{_BRIDGE}(?:{_date('e')}|{_CURRENT})"
    r"(?![\w/])",
    re.IGNORECASE,
)
_SINCE_RE: Final = re.compile(rf"(?<![\w/.-])since[ \t]{{1,3}}{_date('s')}(?![\w/])", re.I)
_DATE_RE: Final = re.compile(rf"(?<![\w/.-]){_date('s')}(?![\w/])", re.IGNORECASE)
_MAX_RANGE_MONTHS: Final = 50 * 12
_MIN_YEAR: Final = 1950


@dataclass(frozen=True, slots=True)
class DateRange:
    """Months as ``year * 12 + month - 1``; ``end`` is exclusive. ``spans`` are the
    character offsets of the dates in the text: one span, or two when the range is
    wrapped over two lines (the text between them is not part of the range)."""

    first: int
    end: int
    spans: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.spans[0][0]


def _year(match: re.Match[str], tag: str, today: datetime.date) -> int | None:
    for group in ("y1", "y3", "y4", "y5"):
        value = match.group(tag + group)
        if value:
            return int(value)
    short = match.group(tag + "y2")
    if short:
        year = 2000 + int(short)
        return year if year <= today.year + 1 else year - 100
    return None


def _month(match: re.Match[str], tag: str) -> int | None:
    name = match.group(tag + "mon")
    if name:
        return _MONTHS[name[:3].lower()]
    number = match.group(tag + "m1") or match.group(tag + "m2")
    return int(number) if number else None


def _point(match: re.Match[str], tag: str, today: datetime.date) -> tuple[int, int | None] | None:
    year = _year(match, tag, today)
    if year is None or not _MIN_YEAR <= year <= today.year + 1:
        return None
    return year, _month(match, tag)


def find_ranges(text: str, *, today: datetime.date) -> list[DateRange]:
    """Every date range in ``text``, in order; impossible ones (end before start) dropped."""
    now = today.year * 12 + today.month - 1
    ranges: list[DateRange] = []
    for match in _RANGE_RE.finditer(text):
        start = _point(match, "s", today)
        if start is None:
            continue
        first = start[0] * 12 + (start[1] or 1) - 1
        if match.group("current"):
            end = now + 1
        else:
            stop = _point(match, "e", today)
            if stop is None:
                continue
            end = stop[0] * 12 + stop[1] if stop[1] else stop[0] * 12
        end = min(end, now + 1)
        if first < end and end - first <= _MAX_RANGE_MONTHS:
            bridge = match.group("bridge")
            spans = (
                ((match.start(), match.start("bridge")), (match.end("bridge"), match.end()))
                if "\n" in bridge
                else ((match.start(), match.end()),)
            )
            ranges.append(DateRange(first, end, spans))
    for match in _SINCE_RE.finditer(text):
        start = _point(match, "s", today)
        if start is not None:
            first = start[0] * 12 + (start[1] or 1) - 1
            if first <= now:
                ranges.append(DateRange(first, now + 1, ((match.start(), match.end()),)))
    return sorted(ranges, key=lambda r: r.start)


def find_dates(text: str, *, today: datetime.date) -> list[int]:
    """Single dates (as month numbers) in ``text``, for ordering entries without a range."""
    months: list[int] = []
    for match in _DATE_RE.finditer(text):
        point = _point(match, "s", today)
        if point is not None:
            months.append(point[0] * 12 + (point[1] or 12) - 1)
    return months


def total_years(ranges: Iterable[DateRange]) -> float | None:
    """Years covered by the union of ``ranges`` (overlaps counted once), one decimal."""
    intervals = sorted((r.first, r.end) for r in ranges)
    if not intervals:
        return None
    months = 0
    current_start, current_end = intervals[0]
    for first, end in intervals[1:]:
        if first > current_end:
            months += current_end - current_start
            current_start, current_end = first, end
        else:
            current_end = max(current_end, end)
    months += current_end - current_start
    return round(months / 12, 1)
