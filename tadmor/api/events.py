"""Stored events (the store's filters, paginated) and exports of them as files."""

from __future__ import annotations

import os
import tempfile

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from .params import EventFilters, Paging, event_filters, paging, state
from .schemas import EventRow, ExportFormat, Page
from .state import AppState

router = APIRouter(tags=["events"])

EXPORTS: dict[str, tuple[str, str]] = {  # format → (media type, file name)
    "acled-csv": ("text/csv; charset=utf-8", "tadmor-events.csv"),
    "geojson": ("application/geo+json", "tadmor-events.geojson"),
    "parquet": ("application/vnd.apache.parquet", "tadmor-events.parquet"),
}


@router.get("/api/events", response_model=Page[EventRow], summary="Stored events, by date, filtered")
def list_events(
    st: AppState = Depends(state),
    flt: EventFilters = Depends(event_filters),
    page: Paging = Depends(paging),
) -> Page[EventRow]:
    """Events of near-duplicate documents are left out unless ``include_duplicates``; undated events come last."""
    with st.locked():
        rows = st.store().events(**flt.kwargs(), limit=page.limit + 1, offset=page.offset)
    rows, nxt = page.page(rows)
    return Page[EventRow](items=[EventRow.model_validate(r) for r in rows], limit=page.limit,
                          offset=page.offset, next_offset=nxt)


@router.get("/api/exports/{fmt}", tags=["exports"], summary="Download the filtered events as a file",
            response_class=FileResponse,
            responses={200: {"content": {"text/csv": {}, "application/geo+json": {}, "application/vnd.apache.parquet": {}},
                             "description": "The export file"}})
def export(fmt: ExportFormat, st: AppState = Depends(state), flt: EventFilters = Depends(event_filters)):
    """``acled-csv``: ACLED's columns and habits; ``geojson``: a FeatureCollection of points; ``parquet``:
    the columns of the events query. Built in a temporary file, removed once sent."""
    media, name = EXPORTS[fmt]
    fd, path = tempfile.mkstemp(prefix="tadmor-export-", suffix=os.path.splitext(name)[1])
    os.close(fd)
    try:
        with st.locked():
            st.store().export(fmt, path, **flt.kwargs())
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(path, media_type=media, filename=name, background=BackgroundTask(os.unlink, path))
