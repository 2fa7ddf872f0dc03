"""``find_dates``: every date expression in a document, each read as one day with a precision.

Passes, in order: absolute forms (``absolute.scan``), the reference day for
relative forms (publication date, else the dateline), missing years, relative
forms, overlaps (the longest reading wins), qualifiers that change precision
("Around ...", "As reported on ...", "(week of)", "(from 27 - 28 April)"),
anaphora ("the following day"), and paragraph bounds for ``event_date``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace

from . import absolute, relative
from .absolute import Raw
from .mentions import DAY, MONTH, WEEK, DateMention, clamp, month_end, safe_date

APPROX_BEFORE = re.compile(
    r"(?:\b(?:around|about|approximately|roughly|circa|sometime|some time|on or about|on or around|c\.))\s+(?:on\s+|the\s+)?$",
    re.I)
REPORTED_BEFORE = re.compile(r"\b(?:as\s+)?(?:reported|published|announced|dated)\s+(?:on\s+)?$|\bas\s+of\s+$", re.I)
WEEK_OF_BEFORE = re.compile(r"\b(?:the\s+)?week\s+(?:of|starting|beginning)\s+(?:on\s+)?$", re.I)
PAREN_AFTER = re.compile(r"\s*\(([^()\n]{1,80})\)")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
ENTITY_DATE_LIKE = re.compile(
    r"\d[/.-]\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
NEWS_DATELINE_AFTER = re.compile(r"\s*\([A-Z][\w .&-]{1,30}\)\s*[-–—]")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _numeric_order(raws: list[Raw], text: str, published: datetime.date | None) -> tuple[bool | None, str]:
    """Whether "3/12/2016" is day-first in this document, and why (None: decide per date)."""
    firsts = [r.numeric for r in raws if r.numeric]
    if any(a > 12 for a, _ in firsts):
        return True, "day-first, as another numeric date in the document shows"
    if any(b > 12 for _, b in firsts):
        return False, "month-first, as another numeric date in the document shows"
    if published is not None:
        return None, ""
    us = re.search(rf"{absolute.MONTH}\s+{absolute.DAY},\s+{absolute.YEAR}", text)
    if us:
        return False, "month-first, as the document writes dates the American way"
    return True, "day-first by default (ambiguous)"


def _settle_numeric(r: Raw, order: tuple[bool | None, str], published: datetime.date | None) -> str:
    """Fix r.month/r.day for an ambiguous numeric date; return the reason fragment."""
    a, b = r.numeric
    if a > 12:
        return "numeric date, day-first (the first part is over 12)"
    if b > 12:
        r.month, r.day = a, b
        return "numeric date, month-first (the second part is over 12)"
    if a == b:
        return "numeric date"
    dayfirst, why = order
    if dayfirst is None:
        # Both readings are valid: the one nearest before publication is the report's.
        dmy, mdy = safe_date(r.year, b, a), safe_date(r.year, a, b)
        cands = [d for d in (dmy, mdy) if d is not None and d <= published] or [d for d in (dmy, mdy) if d]
        best = max(cands)
        dayfirst = best == dmy
        why = "ambiguous numeric date, read as the reading nearest before publication"
    if not dayfirst:
        r.month, r.day = a, b
    return why


def _year_for(month: int, day: int | None, ref: datetime.date) -> int:
    """The year that puts month/day nearest the reference day; news reports the past more than plans."""
    best, best_cost = ref.year, None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        d = safe_date(y, month, day or 1) or safe_date(y, month, 28)
        delta = (d - ref).days
        cost = delta * 3 if delta > 0 else -delta
        if best_cost is None or cost < best_cost:
            best, best_cost = y, cost
    return best


def _fill_years(raws: list[Raw], ref: datetime.date | None, ref_name: str) -> list[tuple[Raw, str]]:
    """Raws with a year each, with the reason fragment; a raw no year can be found for is dropped."""
    known = [r for r in raws if r.year is not None]
    out: list[tuple[Raw, str]] = []
    for r in raws:
        why = ""
        if r.year is None:
            if ref is not None:
                r.year = _year_for(r.month, r.day, ref)
                why = f"year {r.year} assumed from the {ref_name} ({ref.isoformat()})"
            else:
                before = [k for k in known if k.end <= r.start]
                src = before[-1] if before else min(known, key=lambda k: abs(k.start - r.start), default=None)
                if src is None:
                    continue
                if src.kind == "year":
                    r.year = src.year
                    why = f"year {r.year} assumed from the nearest year named in the text"
                else:
                    # Nearest that date, as with publication: "17 October" beside "3 May 2020" is
                    # last October, "2 January" after "28 December 2019" the next year's.
                    anchor = safe_date(src.year, src.month, src.day or 1) or safe_date(src.year, src.month, 28)
                    r.year = _year_for(r.month, r.day, anchor)
                    why = f"year {r.year} assumed from another date in the document ({anchor.isoformat()})"
        if r.first is not None and r.first[0] is None:
            y1, m1, d1 = r.first
            r.first = (r.year - 1 if m1 > r.month else r.year, m1, d1)
        out.append((r, why))
    return out


def _to_mention(text: str, r: Raw, why: str, published: datetime.date | None) -> DateMention | None:
    reasons = [why] if why else []
    kind, precision = r.kind, DAY
    if r.kind == "absolute":
        d = safe_date(r.year, r.month, r.day)
        if d is None:
            return None
        reasons.insert(0, "absolute date")
        if r.weekday is not None and d.weekday() != r.weekday:
            reasons.append("the weekday written does not match this date")
    elif r.kind == "range":
        d, first = safe_date(r.year, r.month, r.day), safe_date(*r.first)
        if d is None or first is None or first > d:
            return None
        span = (d - first).days
        precision = DAY if span == 0 else WEEK if span <= 7 else MONTH
        reasons.insert(0, f"range {first.isoformat()} to {d.isoformat()}, coded on its last day")
        if published is not None and first <= published < d:
            d = published
            reasons.append("cut at the publication day")
    else:
        if r.kind == "year":
            first = datetime.date(r.year, 1 if r.part != "mid" else 4, 1)
            d = datetime.date(r.year, r.month, 30 if r.month == 6 else month_end(r.year, r.month).day)
        elif r.part in ("early", "mid"):
            first = datetime.date(r.year, r.month, 1 if r.part == "early" else 10)
            d = datetime.date(r.year, r.month, absolute.PART_DAY[r.part])
        else:
            first = datetime.date(r.year, r.month, 1 if r.part != "late" else 20)
            d = month_end(r.year, r.month)
        if r.note == "since" and published is not None:
            d = published
        # A period under way at publication ends, as far as the text can say, on that day;
        # one wholly after it ("by June 2017") is a plan and keeps its own date.
        if published is not None and first <= published:
            d = clamp(d, published)
        precision, kind = MONTH, "period"
        reasons.insert(0, f"{'year' if r.kind == 'year' else 'month'} period, coded on the latest day it supports")
    return DateMention(r.start, r.end, text[r.start:r.end], d, precision, kind, "; ".join(reasons))


def _is_dateline(text: str, start: int, end: int, paras: list[tuple[int, int]]) -> bool:
    """A date standing on a header line ("Global Research, December 13, 2016") or opening a wire story."""
    if NEWS_DATELINE_AFTER.match(text, end) and start < 200:
        return True
    if start > 1500:
        return False  # (before reading the line: in a long run-on text it is the whole text)
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    rest = (text[ls:start] + " " + text[end:le]).replace("[", " ").replace("](#)", " ")
    words = re.findall(r"[A-Za-z]+", rest)
    if len(words) > 6 or rest.rstrip().endswith((".", "!", "?", ":")):
        return False
    # The line must head something: more text follows in the document.
    return bool(text[le:].strip())


def _overlaps(a: DateMention, b: DateMention) -> bool:
    return a.start < b.end and b.start < a.end


def _select(cands: list[tuple[DateMention, int]]) -> list[DateMention]:
    """Non-overlapping mentions, the longest first; ``int`` breaks ties (lower wins)."""
    kept: list[DateMention] = []
    for m, _ in sorted(cands, key=lambda c: (-(c[0].end - c[0].start), c[1], c[0].start)):
        if not any(_overlaps(m, k) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda k: k.start)


def _qualify(text: str, m: DateMention, kept: list[DateMention], published: datetime.date | None) -> DateMention:
    """Apply a qualifier just before or a parenthesis just after the mention."""
    before = text[max(0, m.start - 40):m.start]
    if m.kind in ("absolute", "range", "period"):
        q = APPROX_BEFORE.search(before)
        if q:
            m = replace(m, start=m.start - (len(before) - q.start()), kind="approximate",
                        precision=max(m.precision, WEEK), reason=m.reason + "; approximate ('around')")
        elif REPORTED_BEFORE.search(before):
            # "As reported on 4 March": the day of the report; the event was on or shortly before it.
            m = replace(m, kind="reported", precision=max(m.precision, WEEK),
                        reason=m.reason + "; the date of a report, not of the event itself")
        elif m.kind == "absolute" and WEEK_OF_BEFORE.search(before):
            d = clamp(m.date + datetime.timedelta(days=6), published)
            m = replace(m, date=d, kind="period", precision=WEEK,
                        reason=m.reason + "; the week starting that day, coded on its latest day")
    p = PAREN_AFTER.match(text, m.end)
    if not p or m.kind in ("relative", "dateline"):
        return m
    inner = p.group(1).lower()
    inside = [k for k in kept if p.start(1) <= k.start and k.end <= p.end(1)]
    note, precision, kind = None, m.precision, "approximate" if m.kind == "absolute" else m.kind
    if inside and any(k.kind == "range" for k in inside):
        r = next(k for k in inside if k.kind == "range")
        precision = max(precision, r.precision if r.precision > DAY else WEEK)
        note = f"the parenthesis gives the period ({r.text}); the stated day is kept"
    elif re.search(r"\b(?:beginning|start|end|middle|early|late|mid)[- ]*(?:of\s+(?:the\s+)?)?month\b|\bmonth of\b", inner):
        precision, note = MONTH, "the parenthesis places it only within the month"
    elif re.search(r"\bweek\b|\bmidweek\b|\bweekend\b", inner):
        precision, note = max(precision, WEEK), "the parenthesis places it within a week"
    elif re.search(r"\bor\s+around\b|\baround\b|\bapprox|\babout\b|\bor\s+before\b|\bestimated\b", inner):
        precision, note = max(precision, WEEK), "approximate, by the parenthesis"
    elif re.search(r"\breported\b", inner):
        precision, note, kind = max(precision, WEEK), "the date of a report, by the parenthesis", "reported"
    if note is None:
        return m
    return replace(m, end=p.end(), text=text[m.start:p.end()], precision=precision, kind=kind,
                   reason=m.reason + "; " + note)


def find_dates(text: str, published: datetime.date | None, doc=None) -> list[DateMention]:
    """Every date expression in ``text``, in order, with offsets into ``text``.

    ``doc`` (a spaCy Doc over the same characters) is optional: its DATE
    entities that the regexes missed are tried with ``parse_date``.
    """
    raws = absolute.scan(text)
    paras = _paragraphs(text)
    order = _numeric_order(raws, text, published)
    numeric_why: dict[int, str] = {}
    for r in raws:
        if r.numeric:
            numeric_why[id(r)] = _settle_numeric(r, order, published or datetime.date(r.year, 12, 31))

    # The reference for relative dates: publication, else a dated header line.
    ref, ref_name = published, "publication date"
    dateline_at: set[tuple[int, int]] = set()
    for r in raws:
        if r.kind == "absolute" and _is_dateline(text, r.start, r.end, paras):
            dateline_at.add((r.start, r.end))
            if ref is None and r.year is not None:
                ref, ref_name = safe_date(r.year, r.month, r.day), "dateline"
    cands: list[tuple[DateMention, int]] = []
    for r, why in _fill_years(raws, ref, ref_name):
        why = "; ".join(x for x in (numeric_why.get(id(r), ""), why) if x)
        m = _to_mention(text, r, why, published or ref)
        if m is None:
            continue
        if (r.start, r.end) in dateline_at:
            m = replace(m, kind="dateline", reason=m.reason + "; a dateline (header) date")
        cands.append((m, 2 if r.kind == "period" else 0))
    if ref is not None:
        for rel in relative.scan(text, ref, ref_name):
            m = DateMention(rel.start, rel.end, text[rel.start:rel.end], rel.date, rel.precision, "relative", rel.reason)
            cands.append((m, 1))
    if doc is not None:
        cands.extend((m, 3) for m in _from_entities(doc, text, [c for c, _ in cands]))
    kept = _select(cands)
    # Qualifiers may swallow a parenthesised range: drop whatever the widened mention now covers.
    out: list[DateMention] = []
    for m in kept:
        if out and m.start < out[-1].end:
            continue
        out.append(_qualify(text, m, kept, published or ref))
    out = _anaphora(text, out)
    result = []
    for m in out:
        ps, pe = next(((s, e) for s, e in paras if s <= m.start < max(e, s + 1)), (0, len(text)))
        result.append(replace(m, para_start=ps, para_end=pe))
    return result


def _anaphora(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """"The following day" and the like, counted from the previous dated mention."""
    found = relative.scan_anaphora(text)
    if not found:
        return mentions
    out = list(mentions)
    for s, e, offset in sorted(found):
        if any(m.start < e and s < m.end for m in out):
            continue
        prev = [m for m in out if m.end <= s and m.kind != "dateline"]
        if not prev:
            continue
        p = prev[-1]
        d = p.date + datetime.timedelta(days=offset)
        out.append(DateMention(s, e, text[s:e], d, p.precision, "relative",
                               f"relative: {offset:+d} day(s) from '{p.text}' ({p.date.isoformat()})"))
        out.sort(key=lambda m: m.start)
    return out


def _from_entities(doc, text: str, have: list[DateMention]) -> list[DateMention]:
    """DATE entities the regexes missed, read by ``parse_date`` (cached dateparser fallback)."""
    out = []
    for ent in getattr(doc, "ents", ()):
        # Only what looks like a whole date: dateparser costs milliseconds a string, and
        # "the past 10 years" or "24 hours" can never give a day.
        if ent.label_ != "DATE" or not (ENTITY_DATE_LIKE.search(ent.text) and re.search(r"\d", ent.text)):
            continue
        s, e = ent.start_char, ent.end_char
        if any(h.start < e and s < h.end for h in have):
            continue
        d = absolute.parse_date(text[s:e])
        if d is not None:
            out.append(DateMention(s, e, text[s:e], d, DAY, "absolute", "absolute date, read by dateparser"))
    return out
