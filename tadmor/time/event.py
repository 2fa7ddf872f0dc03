"""``event_date``: which of a document's date mentions dates one event.

Order of preference (each branch records its reason):
1. a date inside the evidence: the first day- or week-precise one, else the
   first of any kind (a month-or-vaguer date is often a background clause);
2. the nearest preceding day- or week-precise date in the same paragraph
   ("On 2 May ... . The next attack ..."); month-or-vaguer dates ("last March")
   frame a background clause, not the narrative after it, so they are not carried;
3. the dateline, else the publication day, at precision 2: a report with no
   date of its own ("ISIS has retaken Palmyra") tells of something that
   happened on or shortly before the day it was published.
``historical`` is set when the day falls more than ``historical_days`` before
publication (ACLED's background events; CONTRACT.md).
"""

from __future__ import annotations

import datetime
import re

from .mentions import MONTH, WEEK, DateMention, EventDate

# ACLED codes the discovery of a body at precision 2 or more: the day it was found
# is not the day of the killing.
BODY_FOUND = re.compile(
    r"\b(?:body|bodies|corpses?|remains|head)\b[^.;]{0,60}?\b(?:was|were|been|is|are)\s+(?:\w+\s+)?(?:found|discovered|recovered)\b"
    r"|\b(?:found|discovered)\s+(?:dead|killed|murdered|beheaded|shot dead|hanged|lifeless|burned|decapitated)\b",
    re.I)
BODY_FOUND_CAUSE = re.compile(r"\b(?:after|following|when|over|since)\s+(?:\w+\s+){0,2}$", re.I)


def _published_like(mentions: list[DateMention], published: datetime.date | None) -> tuple[datetime.date | None, str]:
    if published is not None:
        return published, "publication date"
    for m in mentions:
        if m.kind == "dateline":
            return m.date, "dateline"
    return None, ""


def _result(m: DateMention, precision: int, ref: datetime.date | None, ref_name: str,
            historical_days: int, why: str) -> EventDate:
    historical = ref is not None and (ref - m.date).days > historical_days
    if historical:
        why += f"; more than {historical_days} days before the {ref_name} ({ref.isoformat()}): historical"
    return EventDate(m.date.isoformat(), precision, historical, m, why)


def event_date(mentions: list[DateMention], start: int, end: int,
               published: datetime.date | None, historical_days: int = 30,
               text: str | None = None) -> EventDate:
    """The date for an event whose evidence is text[start:end].

    ``text`` (the document text) is optional; with it, an event read from the
    finding of a body is coded at precision 2 at least.
    """
    ref, ref_name = _published_like(mentions, published)
    dated = [m for m in mentions if m.kind != "dateline"]
    if ref is not None:
        # A date after publication is a plan or a forecast, never the day of a reported event.
        dated = [m for m in dated if m.date <= ref + datetime.timedelta(days=1)]

    inside = [m for m in dated if start <= m.start < end]
    if inside:
        # The first day- or week-precise date leads, even a report's date: a summary opens with
        # the event's date, and a later date in the same sentence is usually background
        # ("... after a clash on 3 May").
        best = min(inside, key=lambda m: (m.precision >= MONTH, m.start))
        precision, why = best.precision, f"date in the evidence: '{best.text}' ({best.reason})"
        if text is not None and precision < WEEK:
            ev = text[start:end]
            hit = BODY_FOUND.search(ev)
            if hit and not BODY_FOUND_CAUSE.search(ev[max(0, hit.start() - 25):hit.start()]):
                precision, why = WEEK, why + "; the day a body was found, not of the killing: precision 2"
        return _result(best, precision, ref, ref_name, historical_days, why)

    before = [m for m in dated if m.end <= start and m.para_start <= start < max(m.para_end, m.para_start + 1)
              and m.precision <= WEEK]
    if before:
        best = before[-1]
        return _result(best, best.precision, ref, ref_name, historical_days,
                       f"nearest earlier date in the same paragraph: '{best.text}' ({best.reason})")

    for m in mentions:
        if m.kind == "dateline" and m.start < start:
            return _result(m, WEEK, ref, ref_name, historical_days,
                           f"no date in the text for it: the dateline '{m.text}', at precision 2")
    if published is not None:
        return EventDate(published.isoformat(), WEEK, False, None,
                         "no date in the text for it: the publication day, at precision 2 "
                         "(a report tells of something on or shortly before publication)")
    return EventDate(None, MONTH, False, None, "no date in the text and no publication date")
