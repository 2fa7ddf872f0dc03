"""Query parameters shared by several endpoints, declared once (validated by FastAPI: bad ones are 422)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from fastapi import Query, Request

from ..model import Modality
from .schemas import DEFAULT_PAGE, MAX_FILTER_CHARS, MAX_OFFSET, MAX_PAGE
from .state import AppState


def state(request: Request) -> AppState:
    return request.app.state.tadmor


@dataclass(frozen=True)
class EventFilters:
    place: str | None
    actor: str | None
    type: str | None
    since: dt.date | None
    until: dt.date | None
    modality: str | None
    source: str | None
    include_duplicates: bool

    def kwargs(self) -> dict:
        """Keyword arguments for ``Store.events`` / ``Store.export`` (values travel as bound parameters)."""
        return asdict(self)


def event_filters(
    place: str | None = Query(None, max_length=MAX_FILTER_CHARS,
                              description="Location, admin1 or admin2 containing this (any case)."),
    actor: str | None = Query(None, max_length=MAX_FILTER_CHARS,
                              description="actor1, actor2 or an associated actor containing this (any case)."),
    type: str | None = Query(None, max_length=MAX_FILTER_CHARS,
                             description="An event type or sub-event type, e.g. `Battles` or `Air/drone strike`."),
    since: dt.date | None = Query(None, description="Events on or after this date (YYYY-MM-DD)."),
    until: dt.date | None = Query(None, description="Events on or before this date (YYYY-MM-DD)."),
    modality: Modality | None = Query(None),
    source: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="The ingest source label."),
    include_duplicates: bool = Query(False, description="Also events of documents linked as near-duplicates."),
) -> EventFilters:
    return EventFilters(place or None, actor or None, type or None, since, until, modality, source or None,
                        include_duplicates)


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int

    def page(self, rows: list) -> tuple[list, int | None]:
        """Rows fetched with ``limit + 1``: this page's rows and the next offset (None on the last page)."""
        more = len(rows) > self.limit
        return rows[: self.limit], (self.offset + self.limit if more else None)


def paging(
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"Page size, 1 to {MAX_PAGE}."),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Paging:
    return Paging(limit, offset)

