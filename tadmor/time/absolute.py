"""Absolute dates: fast regexes for the common written forms, dateparser only as a fallback.

The scanner returns ``Raw`` readings whose year (and for ranges, month) may be
missing; ``finder`` fills them from the publication date or the document,
because that needs the whole document. ``parse_date`` is the one-string entry
point and is the only place that may call dateparser (slow: milliseconds per
call, and a heavy import), on whole candidate strings and through a cache.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from .mentions import MONTHS, WEEKDAYS, plausible, safe_date, windowed


def _names(words: list[str], full: set[str]) -> str:
    # Capitalised or upper-case only: "may"/"march" in lower case are verbs far more often than dates.
    # Only a short form takes a full stop ("Dec."), so "in March." does not swallow the sentence's.
    alts = {v for w in words for v in (w.capitalize(), w.upper())}
    alts |= {v + r"\." for w in words if w not in full for v in (w.capitalize(), w.upper())}
    return "|".join(sorted(alts, key=len, reverse=True))


MONTH = rf"(?:{_names(list(MONTHS), {m.lower() for m in calendar.month_name[1:]})})"
WEEKDAY = rf"(?:{_names(list(WEEKDAYS), {d.lower() for d in calendar.day_name})})"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
YEAR = r"(?:19|20)\d{2}(?!\d)"
DASH = r"\s*(?:-|–|—|to|until|till|through|and)\s*"

# One day: "Sunday, December 11, 2016", "11 December 2016", "the 3rd of May", "Dec. 3", "29 April, 2020".
_DMY = rf"(?P<d1>{DAY})(?:\s+of)?\s+(?P<m1>{MONTH})(?:,?\s+(?P<y1>{YEAR}))?"
_MDY = rf"(?P<m2>{MONTH})\s+(?:the\s+)?(?P<d2>{DAY})(?:,?\s+(?P<y2>{YEAR}))?"
_ISO = r"(?P<iy>(?:19|20)\d{2})(?P<isep>[-/.])(?P<im>0?[1-9]|1[0-2])(?P=isep)(?P<id>[12]\d|3[01]|0?[1-9])(?!\d)"
_NUM = r"(?P<n1>\d{1,2})(?P<nsep>[/.-])(?P<n2>\d{1,2})(?P=nsep)(?P<ny>(?:19|20)\d{2}|\d{2})(?![\d/.-]\d)"
SINGLE_RE = re.compile(
    # The lookahead is only for speed: every form starts with a digit or a capital.
    rf"\b(?=[A-Z0-9])(?:(?P<wd>{WEEKDAY}),?\s+(?:the\s+)?)?(?:{_DMY}|{_MDY}|{_ISO}|{_NUM})",
)

# Ranges: "between 24 April and 8 May", "from 27 - 28 April", "3-4 May 2020", "May 3-5, 2020".
_END_DM = rf"(?P<d2>{DAY})\s+(?P<m2>{MONTH})(?:,?\s+(?P<y2>{YEAR}))?"
RANGE_DM_RE = re.compile(
    rf"\b(?=[bBfF0-9])(?P<cue>(?i:between|from))?\s*(?P<d1>{DAY})(?:\s+(?P<m1>{MONTH})(?:,?\s+(?P<y1>{YEAR}))?)?{DASH}{_END_DM}"
)
RANGE_MD_RE = re.compile(
    rf"\b(?=[bfA-Z])(?P<cue>(?i:between|from))?\s*(?P<m1>{MONTH})\s+(?P<d1>{DAY}){DASH}(?:(?P<m2>{MONTH})\s+)?(?P<d2>{DAY})"
    rf"(?:,?\s+(?P<y2>{YEAR}))?"
)

# A month without a day: "in March", "last March", "early May", "mid-May", "March 2020", "end of May".
# Found from the month name, then the cue is read backwards from it (much faster than
# trying the optional cue at every word).
MONTH_WORD_RE = re.compile(rf"\b(?=[A-Z])(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?(?![\w-])")
MONTH_CUE_BEFORE = re.compile(
    r"(?:\b(?P<cue>in|since|during|until|by|throughout|last|this|past|of)\s+)?"
    r"(?:\b(?P<part>early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)[-\s]+|(?<=\s))\Z",
    re.I)
# Not a count: "a force of 2000 fighters" is no year.
YEAR_WORD_RE = re.compile(
    rf"\b(?=[12])(?<![\d/.-])(?P<y>{YEAR})(?![-/.]?\d)"
    r"(?!\s+(?:(?!(?:was|has|is|this|its|his|as|thus|across|towards|afterwards|whereas|unless)\b)[a-z]+s"
    r"|people|men|women|police|children|personnel|strong|more|other)\b)")
YEAR_CUE_BEFORE = re.compile(
    r"\b(?P<cue>in|since|during|until|throughout|early|late|mid|of|(?:beginning|end|start) of)[-\s]+\Z", re.I)

DIGITS_RE = re.compile(r"\d+")
PART_DAY = {"early": 10, "beginning": 10, "start": 10, "mid": 20, "middle": 20}


@dataclass
class Raw:
    """An absolute date as written; missing parts are None until ``finder`` fills them."""

    start: int
    end: int
    year: int | None
    month: int
    day: int | None  # None: the whole month (``part`` may narrow it)
    kind: str = "absolute"
    part: str | None = None  # "early" | "mid" | "late" for month periods
    # For ranges, the first day (the reading above is the last, as ACLED codes a period).
    first: tuple[int | None, int, int] | None = None
    weekday: int | None = None
    numeric: tuple[int, int] | None = None  # the two leading numbers of "3/12/2016", still ambiguous
    note: str = ""


def _month(s: str) -> int:
    return MONTHS[s.rstrip(".").lower()]


def _day(s: str) -> int:
    return int(re.match(r"\d+", s).group())


def _year(s: str | None) -> int | None:
    return int(s) if s else None


def scan(text: str) -> list[Raw]:
    """Every absolute date, range and month/year period in ``text``; overlaps are kept."""
    out: list[Raw] = []
    # Every day-precise form and every year has a digit: search only near digits.
    digits = [m.span() for m in DIGITS_RE.finditer(text)]
    for m in windowed(SINGLE_RE, text, digits, pad=60):
        g = m.groupdict()
        wd = WEEKDAYS[g["wd"].rstrip(".").lower()] if g["wd"] else None
        if g["d1"]:
            out.append(Raw(m.start(), m.end(), _year(g["y1"]), _month(g["m1"]), _day(g["d1"]), weekday=wd))
        elif g["m2"]:
            out.append(Raw(m.start(), m.end(), _year(g["y2"]), _month(g["m2"]), _day(g["d2"]), weekday=wd))
        elif g["iy"]:
            out.append(Raw(m.start(), m.end(), int(g["iy"]), int(g["im"]), int(g["id"]), weekday=wd,
                           note="year-first numeric date"))
        else:
            y = int(g["ny"])
            if y < 100:
                # A two-digit year only in slashed form, read in this century: "3/12/16".
                if g["nsep"] != "/":
                    continue
                y += 2000
            a, b = int(g["n1"]), int(g["n2"])
            if not (1 <= a <= 31 and 1 <= b <= 31) or (a > 12 and b > 12):
                continue
            # Provisionally day-first; finder settles the order per document.
            out.append(Raw(m.start(), m.end(), y, b, a, weekday=wd, numeric=(a, b)))
    for rx in (RANGE_DM_RE, RANGE_MD_RE):
        for m in windowed(rx, text, digits, pad=60):
            g = m.groupdict()
            sep = text[m.start("d1"):m.start("d2")]
            if "and" in sep and not g["cue"]:
                continue  # "3 and 4 May" alone is a list of days; only "between ... and" is a period
            m2 = _month(g["m2"] or g["m1"])
            m1 = _month(g["m1"]) if g["m1"] else m2
            y2 = _year(g["y2"])
            y1 = _year(g.get("y1"))
            start = m.start("cue") if g["cue"] else m.start("d1") if rx is RANGE_DM_RE else m.start("m1")
            out.append(Raw(start, m.end(), y2, m2, _day(g["d2"]), kind="range",
                           first=(y1, m1, _day(g["d1"]))))
    for m in MONTH_WORD_RE.finditer(text):
        b = MONTH_CUE_BEFORE.search(text, max(0, m.start() - 40), m.start())
        cue = ((b and b.group("cue")) or "").lower()
        part = ((b and b.group("part")) or "").lower()
        key = next((k for k in ("early", "beginning", "start", "mid", "middle", "late", "end") if k in part), None)
        if not (cue or key or m.group("y")):
            continue  # a bare month name is a name or a verb as often as a date
        if cue == "of" and not (m.group("y") or key):
            continue  # "the Ides of March", "Mothers of May": "of" cues only "of March 2020"
        start = b.start() if b and (cue or key) else m.start()
        out.append(Raw(start, m.end(), _year(m.group("y")), _month(m.group("m")), None, kind="period",
                       part={"beginning": "early", "start": "early", "middle": "mid", "end": "late"}.get(key, key),
                       note=cue))
    for m in windowed(YEAR_WORD_RE, text, digits, pad=30):
        b = YEAR_CUE_BEFORE.search(text, max(0, m.start() - 20), m.start())
        if not b:
            continue
        cue = " ".join(b.group("cue").lower().split())
        part = "early" if cue in ("early", "beginning of", "start of") else "mid" if cue == "mid" else None
        out.append(Raw(b.start(), m.end(), int(m.group("y")), 12 if part is None else 6 if part == "mid" else 3,
                       None, kind="year", part=part, note=cue))
    return out


@functools.lru_cache(maxsize=4096)
def _dateparser(s: str) -> datetime.date | None:
    import dateparser  # heavy import; only for strings the fast path cannot read

    settings = {
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        # Never the machine's clock: a fixed base makes the answer the same on every run.
        "RELATIVE_BASE": datetime.datetime(2000, 1, 1),
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        got = dateparser.parse(s, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return plausible(got.date()) if got else None


def load_fallback() -> None:
    """Import dateparser and build its English tables now (a long run would otherwise pay the
    ~0.2 s and the few megabytes at its first unusual date, wherever that falls)."""
    _dateparser("the 3rd of December, 2016 10:00 EST")


def parse_date(s: str, dayfirst: bool = True) -> datetime.date | None:
    """One absolute date string ("Sunday, December 11, 2016", "3/12/2016") as a date.

    A string without a year, or that is not one date, gives None. "3/12/2016"
    is 3 December unless ``dayfirst=False``; a leading part over 12 settles it.
    """
    s = " ".join(s.strip().strip(".,;").split())
    if not s:
        return None
    m = SINGLE_RE.fullmatch(s)
    if m:
        raws = [r for r in scan(s) if r.kind == "absolute" and r.start == 0 and r.end == len(s)]
        if raws:
            r = raws[0]
            if r.year is None:
                return None
            if r.numeric and not dayfirst and r.numeric[1] <= 12 and r.numeric[0] <= 12:
                return safe_date(r.year, r.numeric[0], r.numeric[1])
            if r.numeric and r.numeric[0] <= 12 < r.numeric[1]:
                return safe_date(r.year, r.numeric[0], r.numeric[1])
            return safe_date(r.year, r.month, r.day)
    if not re.search(r"\d", s) or len(s) > 60:
        return None
    got = _dateparser(s)
    if got is not None and not dayfirst and re.fullmatch(r"\d{1,2}\D\d{1,2}\D\d{2,4}", s):
        got = safe_date(got.year, got.day, got.month) or got
    return got
