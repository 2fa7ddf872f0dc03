"""Dates: absolute and relative date expressions, ACLED precision, and the date of an event.

    from tadmor.time import find_dates, event_date, parse_date

Fast regexes read the common forms; dateparser is imported only inside
``parse_date``'s fallback, on whole candidate strings, through a cache. Nothing
reads the machine's clock: relative dates are read against the publication
date (or the dateline), so the same input always gives the same dates.
"""

from __future__ import annotations

from .absolute import parse_date
from .event import event_date
from .finder import find_dates
from .mentions import DateMention, EventDate

__all__ = ["DateMention", "EventDate", "event_date", "find_dates", "parse_date"]
