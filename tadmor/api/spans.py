"""The date mention behind each event's date, for highlighting.

The contract records a span for actors, place, fatalities and quantities but
not for the date; the event's ``reasons`` name the date text it was read
from ("date: date in the evidence: 'on Thursday' (…)"). This finds that
mention again with ``tadmor.time.find_dates`` over the same text, keeping only
a mention that gives the event's date, nearest the evidence.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from ..model import Document, Event, Span

log = logging.getLogger(__name__)

_QUOTED = re.compile(r"'([^']{1,120})'")


def _published(doc: Document) -> dt.date | None:
    try:
        return dt.date.fromisoformat(doc.published[:10]) if doc.published else None
    except ValueError:
        return None


def _quoted(event: Event) -> str | None:
    for r in event.reasons:
        if r.startswith("date:"):
            m = _QUOTED.search(r)
            return m.group(1) if m else None
    return None


def date_spans(doc: Document) -> dict[str, Span]:
    """event_id → the span of the date mention its date came from (events whose date has no mention are left out)."""
    dated = [e for e in doc.events if e.date]
    if not dated or not doc.text:
        return {}
    try:
        from ..time import find_dates

        mentions = find_dates(doc.text, _published(doc))
    except Exception:  # a view helper: never fail a page for it
        log.debug("find_dates failed for %s", doc.doc_id, exc_info=True)
        return {}
    out: dict[str, Span] = {}
    for e in dated:
        quoted = _quoted(e)
        same = [m for m in mentions if m.date.isoformat() == e.date and (quoted is None or m.text == quoted)]
        if not same and quoted is not None:
            same = [m for m in mentions if m.text == quoted]
        if not same:
            continue
        s0, s1 = e.evidence.start, e.evidence.end

        def distance(m) -> tuple[int, int]:
            if s0 <= m.start and m.end <= s1:
                return (0, m.start - s0)
            if m.end <= s0:
                return (1, s0 - m.end)  # an earlier date in the paragraph, or the dateline
            return (2, m.start - s1)

        best = min(same, key=distance)
        if doc.text[best.start:best.end] == best.text:
            out[e.event_id] = Span.of(doc.text, best.start, best.end)
    return out
