"""Relative dates ("yesterday", "on Tuesday", "last week", "last March") read against a reference day.

The reference is the publication date, or failing that the document's dateline;
``finder`` chooses it and says which in each reason. Periods resolve to the
latest day the text supports (ACLED's habit), never after the reference.
Anaphoric expressions ("the following day") are read against the previous
dated mention instead, in ``resolve_anaphora``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import calendar

from .absolute import MONTH
from .mentions import DAY, MONTH as MONTH_P, MONTHS, WEEK, WEEKDAYS, find_all, month_end, windowed

ONE = datetime.timedelta(days=1)
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a few": 3,
    "several": 3, "few": 3, "couple of": 2,
}
_NUM = r"(?:\d{1,2}|a couple of|couple of|a few|few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_PART = r"(?:morning|afternoon|evening|night)"
# Full names only: "Sun", "Sat", "Wed" alone are words or titles more often than days.
WEEKDAY = "(?:" + "|".join(calendar.day_name) + ")"

# Order matters only for readability: overlaps are resolved by span length in finder.
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("day_before_yesterday", re.compile(r"\bthe day before yesterday\b", re.I)),
    ("today", re.compile(rf"\b(?:today|tonight|this {_PART}|earlier today|later today|overnight)\b", re.I)),
    ("yesterday", re.compile(rf"\b(?:yesterday(?: {_PART})?|last night)\b", re.I)),
    ("ago", re.compile(rf"\b(?P<n>{_NUM})\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("past_hours", re.compile(r"\b(?:in|over|during|within)\s+the\s+(?:past|last)\s+(?P<n>\d{1,3})\s+hours\b", re.I)),
    ("past_span", re.compile(
        rf"\b(?:in|over|during|within|for)\s+the\s+(?:past|last|previous)\s+(?P<n>{_NUM}\s+)?(?P<unit>day|week|month|year)s?\b",
        re.I)),
    ("recent", re.compile(r"\bin\s+recent\s+(?P<unit>day|week|month)s\b", re.I)),
    ("weekend", re.compile(r"\b(?:over|during|on|at)?\s*(?:the|this|last|past)\s+weekend\b", re.I)),
    ("week", re.compile(r"\b(?P<which>last|this|earlier this|late last|early last|past|previous)\s+week\b", re.I)),
    ("month", re.compile(r"\b(?P<which>last|this|earlier this|late last|early last|previous|past)\s+month\b", re.I)),
    ("year", re.compile(r"\b(?P<which>last|this|earlier this|late last|early last|previous|past)\s+year\b", re.I)),
    # "on Tuesday", "Sunday night", "late on Friday", "last Tuesday"; case-sensitive names.
    ("weekday", re.compile(
        rf"\b(?:(?P<last>[Ll]ast|[Tt]his|[Pp]ast)\s+)?(?:(?:[Ll]ate|[Ee]arly)\s+(?:on\s+)?)?(?:[Oo]n\s+)?"
        rf"(?P<wd>{WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?"
        # a newspaper title is not a day: "the Sunday Times"
        r"(?!\s+(?:Times|Telegraph|Mirror|Express|Post|Herald|Tribune|Mail|Observer|Independent|Star)\b)")),
    # "last March", "this March": the month name alone with a deictic cue (finder reads "in March").
    ("named_month", re.compile(rf"\b(?P<which>[Ll]ast|[Tt]his|[Pp]ast)\s+(?P<m>{MONTH})(?![\w-]|,?\s+\d)")),
]

# Names of days that are holidays or historical events, not the last such weekday.
HOLIDAY_BEFORE = re.compile(r"(?:Good|Palm|Easter|Black|Bloody|Cyber|Super|Ash|Holy|Maundy|Whit)\s+$")

ANAPHORA: list[tuple[re.Pattern, int | None]] = [
    (re.compile(r"\bthe\s+(?:following|next)\s+day\b", re.I), 1),
    (re.compile(r"\bthe\s+(?:previous|preceding)\s+day\b|\bthe\s+day\s+before\b(?!\s+yesterday)", re.I), -1),
    (re.compile(r"\b(?:earlier|later)\s+(?:that|the\s+same)\s+day\b|\bthe\s+same\s+day\b|\bthat\s+(?:night|evening|morning)\b", re.I), 0),
    (re.compile(rf"\b(?P<n>{_NUM})\s+days?\s+later\b", re.I), None),
]


@dataclass
class Rel:
    start: int
    end: int
    date: datetime.date
    precision: int
    reason: str


def _n(s: str | None) -> int:
    if not s:
        return 1
    s = s.strip().lower()
    return int(s) if s.isdigit() else NUMBER_WORDS.get(s, 1)


def _weekday_on_or_before(ref: datetime.date, wd: int, strictly: bool = False) -> datetime.date:
    back = (ref.weekday() - wd) % 7
    if strictly and back == 0:
        back = 7
    return ref - datetime.timedelta(days=back)


def _read(kind: str, m: re.Match, ref: datetime.date) -> tuple[datetime.date, int, str] | None:
    """(date, precision, how) for one relative expression, or None when it is not a date here."""
    g = m.groupdict()
    if kind == "day_before_yesterday":
        return ref - 2 * ONE, DAY, "two days before the reference day"
    if kind == "today":
        return ref, DAY, "the reference day itself"
    if kind == "yesterday":
        return ref - ONE, DAY, "the day before the reference day"
    if kind == "ago":
        n, unit = _n(g["n"]), g["unit"].lower()
        if unit == "day":
            return ref - n * ONE, DAY if n <= 3 else WEEK, f"{n} day(s) before the reference day"
        if unit == "week":
            return ref - 7 * n * ONE, WEEK, f"{n} week(s) before the reference day"
        if unit == "month":
            return ref - 30 * n * ONE, MONTH_P, f"about {n} month(s) before the reference day"
        return ref.replace(year=ref.year - n) if not (ref.month == 2 and ref.day == 29) else ref - 365 * n * ONE, \
            MONTH_P, f"{n} year(s) before the reference day"
    if kind == "past_hours":
        n = int(g["n"])
        return ref, DAY if n <= 24 else WEEK, f"a {n}-hour window ending on the reference day"
    if kind == "past_span":
        n, unit = _n(g["n"]), g["unit"].lower()
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        return ref, DAY if days <= 1 else WEEK if days <= 7 else MONTH_P, \
            f"a period of about {days} day(s) ending on the reference day"
    if kind == "recent":
        unit = g["unit"].lower()
        return ref, WEEK if unit == "day" else MONTH_P, f"recent {unit}s, up to the reference day"
    if kind == "weekend":
        if "this" in m.group().lower() and ref.weekday() < 4:
            return None  # "this weekend" early in the week is a plan, not a report
        sunday = ref if ref.weekday() == 6 else _weekday_on_or_before(ref, 6)
        if ref.weekday() == 5:  # a Saturday paper: "the weekend" is the one under way
            sunday = ref
        return sunday, WEEK, "the last day of the most recent weekend"
    if kind == "week":
        which = g["which"].lower()
        if which in ("last", "late last", "early last", "previous"):
            end = ref - (ref.weekday() + 1) * ONE  # the Sunday closing the previous Monday-Sunday week
            if which == "early last":
                end -= 4 * ONE
            return end, WEEK, "the latest day of the previous week"
        if which == "past":
            return ref, WEEK, "the seven days up to the reference day"
        return (ref - ONE if which == "earlier this" else ref), WEEK, "the current week, up to the reference day"
    if kind == "month":
        which = g["which"].lower()
        if which in ("last", "late last", "early last", "previous"):
            prev = ref.replace(day=1) - ONE
            if which == "early last":
                prev = prev.replace(day=10)
            return prev, MONTH_P, "the latest day of the previous month"
        if which == "past":
            return ref, MONTH_P, "the month up to the reference day"
        return ref, MONTH_P, "the current month, up to the reference day"
    if kind == "year":
        which = g["which"].lower()
        if which in ("last", "late last", "early last", "previous"):
            return datetime.date(ref.year - 1, 6 if which == "early last" else 12, 30 if which == "early last" else 31), \
                MONTH_P, "the latest day of the previous year"
        return ref, MONTH_P, "the current year, up to the reference day"
    if kind == "weekday":
        if HOLIDAY_BEFORE.search(m.string[max(0, m.start() - 12):m.start()]):
            return None
        wd = WEEKDAYS[g["wd"].rstrip(".").lower()]
        strictly = bool(g["last"]) and g["last"].lower() in ("last", "past")
        d = _weekday_on_or_before(ref, wd, strictly=strictly)
        how = "the most recent {} {} the reference day".format(
            g["wd"].rstrip("."), "before" if strictly else "on or before")
        return d, DAY, how
    if kind == "named_month":
        month = MONTHS[g["m"].rstrip(".").lower()]
        year = ref.year if month < ref.month or (month == ref.month and g["which"].lower() == "this") else ref.year - 1
        return min(month_end(year, month), ref), MONTH_P, f"the most recent {g['m']} before the reference day ({year})"
    return None


# A pattern runs only when one of its words is in the text: case-insensitive regexes
# with alternations cost about a millisecond per 10 kB each, a substring test almost nothing.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "day_before_yesterday": ("yesterday",),
    "today": ("today", "tonight", "this ", "overnight"),
    "yesterday": ("yesterday", "last night"),
    "ago": (" ago",),
    "past_hours": ("hours",),
    "past_span": ("past ", "last ", "previous "),
    "recent": ("recent",),
    "weekend": ("weekend",),
    "week": ("week",),
    "month": ("month",),
    "year": ("year",),
    "weekday": tuple(d.lower() for d in calendar.day_name),
    "named_month": ("last ", "this ", "past "),
}


def scan(text: str, ref: datetime.date, ref_name: str) -> list[Rel]:
    """Every relative date in ``text`` read against ``ref`` (named ``ref_name`` in reasons)."""
    out: list[Rel] = []
    low = text.lower()
    for kind, rx in PATTERNS:
        for m in windowed(rx, text, find_all(low, KEYWORDS[kind])):
            got = _read(kind, m, ref)
            if got is None:
                continue
            d, precision, how = got
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            out.append(Rel(s, e, d, precision, f"relative: {how}; reference day {ref.isoformat()} ({ref_name})"))
    return out


def scan_anaphora(text: str) -> list[tuple[int, int, int]]:
    """(start, end, day offset) for expressions counted from the previous dated mention."""
    out: list[tuple[int, int, int]] = []
    hits = find_all(text.lower(), ("day", "that "))  # every form names a day or "that night"
    for rx, offset in ANAPHORA:
        for m in windowed(rx, text, hits):
            out.append((m.start(), m.end(), offset if offset is not None else _n(m.group("n"))))
    return out
