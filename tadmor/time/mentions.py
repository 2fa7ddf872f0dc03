"""The records the time stage hands to the rest of tadmor, and small calendar helpers."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

# ACLED time_precision: 1 the exact day, 2 within a week or so, 3 the month or vaguer.
DAY, WEEK, MONTH = 1, 2, 3

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name[1:], start=1):
    MONTHS[_name.lower()] = _i
    MONTHS[_name[:3].lower()] = _i
MONTHS["sept"] = 9

WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(calendar.day_name):
    WEEKDAYS[_name.lower()] = _i
    WEEKDAYS[_name[:3].lower()] = _i
WEEKDAYS.update({"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})


@dataclass(frozen=True)
class DateMention:
    """One date expression in the text, read as a single day.

    ``date`` follows ACLED's habit: for a period it is the latest day the text
    supports (never later than the publication day when that is known).
    ``para_start``/``para_end`` bound the paragraph the mention sits in, so that
    ``event_date`` can tell whether a preceding date still frames an event
    without needing the text again.
    """

    start: int
    end: int
    text: str
    date: datetime.date
    precision: int
    kind: str  # "absolute" | "relative" | "range" | "period" | "approximate" | "reported" | "dateline"
    reason: str
    para_start: int = 0
    para_end: int = 0


@dataclass
class EventDate:
    date: str | None
    precision: int
    historical: bool
    mention: DateMention | None
    reason: str


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


# The years a news date can fall in. Outside them a "date" is a typo or a placeholder ("9999-12-31"), and
# reading "the following day" or "last week" against it would step off the calendar.
FIRST_YEAR, LAST_YEAR = 1800, 2999


def plausible(d: datetime.date | None) -> datetime.date | None:
    """``d`` when its year is one news can carry, else None."""
    return d if d is not None and FIRST_YEAR <= d.year <= LAST_YEAR else None


def safe_date(year: int, month: int, day: int) -> datetime.date | None:
    """A date, or None when the parts do not make one (31 April, 29 February 2019, 31 December 9999)."""
    try:
        return plausible(datetime.date(year, month, day))
    except ValueError:
        return None


def clamp(d: datetime.date, published: datetime.date | None) -> datetime.date:
    """The latest day of a period that the text supports is never after publication."""
    return min(d, published) if published is not None else d


def find_all(low: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of each word in the lower-cased text."""
    out = []
    for w in words:
        i = low.find(w)
        while i >= 0:
            out.append((i, i + len(w)))
            i = low.find(w, i + 1)
    return out


def windowed(rx: re.Pattern, text: str, hits: list[tuple[int, int]], pad: int = 80) -> Iterator[re.Match]:
    """rx's matches, searched only within ``pad`` characters of a hit.

    For speed: Python's regexes with leading alternations cost about a millisecond per
    10 kB each, a substring search almost nothing. Every match of rx must contain a
    hit and be shorter than ``pad``, so that no match is lost.
    """
    if not hits:
        return
    if len(text) < 1500:  # a short note: one pass is cheaper than the bookkeeping
        yield from rx.finditer(text)
        return
    merged: list[list[int]] = []
    for a, b in sorted((max(0, s - pad), min(len(text), e + pad)) for s, e in hits):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    seen: set[tuple[int, int]] = set()
    for a, b in merged:
        for m in rx.finditer(text, a, b):
            if m.span() not in seen:
                seen.add(m.span())
                yield m
