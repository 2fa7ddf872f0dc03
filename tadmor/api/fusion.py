"""Cross-source views over the stored documents: clusters with their disagreements, control timelines, places.

The comparison (``tadmor.fuse.compare`` over every canonical stored document) is
computed on first use and again after the store changes (``AppState.snapshot``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from ..model import Cluster
from .errors import ApiError
from .params import Paging, paging, state
from .schemas import MAX_FILTER_CHARS, ClusterDetail, ClusterMember, ControlOut, ControlRow, Page, PlaceRow
from .state import AppState, place_matches

router = APIRouter(prefix="/api", tags=["fusion"])


@router.get("/clusters", response_model=Page[Cluster], summary="Reports of one real event, lined up")
def list_clusters(
    st: AppState = Depends(state),
    page: Paging = Depends(paging),
    min_events: int = Query(2, ge=1, le=1000, description="Only clusters of at least this many reports."),
    disputed: bool = Query(False, description="Only clusters whose sources disagree on some field."),
    place: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Place name or a way texts wrote it."),
    type: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Event type, any case."),
) -> Page[Cluster]:
    snap = st.snapshot()
    places = set(place_matches(snap, place)) if place else None
    chosen = [c for c in snap.comparison.clusters
              if len(c.events) >= min_events
              and (not disputed or c.disagreements)
              and (places is None or c.place in places)
              and (not type or c.event_type.lower() == type.lower())]
    items = chosen[page.offset: page.offset + page.limit + 1]
    items, nxt = page.page(items)
    return Page[Cluster](items=items, limit=page.limit, offset=page.offset, next_offset=nxt)


@router.get("/clusters/{cluster_id}", response_model=ClusterDetail, summary="One cluster, source by source",
            responses={404: {"description": "No such cluster"}})
def get_cluster(
    cluster_id: str = Path(..., pattern=r"^c[0-9]{1,9}$", description="e.g. c12 (ids change when the store does)"),
    st: AppState = Depends(state),
) -> ClusterDetail:
    from ..fuse.cluster import field_values

    snap = st.snapshot()
    cluster = next((c for c in snap.comparison.clusters if c.cluster_id == cluster_id), None)
    if cluster is None:
        raise ApiError(404, "not_found", f"no cluster {cluster_id}")
    members = []
    with st.locked():
        store = st.store()
        for ref in cluster.events:
            key = snap.doc_keys.get(ref.doc_id)
            doc = store.document(key) if key else None
            event = next((e for e in doc.events if e.event_id == ref.event_id), None) if doc else None
            members.append(ClusterMember(
                doc_id=ref.doc_id, doc_key=key, outlet=doc.outlet if doc else None, title=doc.title if doc else None,
                published=doc.published if doc else None, url=doc.url if doc else None, event=event,
                values=field_values(event) if event else {}))
    return ClusterDetail(cluster=cluster, members=members)


@router.get("/control", response_model=ControlOut, summary="Who held a place, from when, on whose word")
def control(
    st: AppState = Depends(state),
    place: str | None = Query(None, max_length=MAX_FILTER_CHARS,
                              description="A place name or a way texts wrote it (Palmyra finds Tadmur); all when empty."),
) -> ControlOut:
    snap = st.snapshot()
    matched = place_matches(snap, place) if place else []
    periods = [p for p in snap.comparison.control if not place or p.place in matched]
    rows = [ControlRow(**p.model_dump(by_alias=True), source_key=snap.doc_keys.get(p.source_doc)) for p in periods]
    return ControlOut(place=place, matched=sorted({p.place for p in periods}) if place else [], periods=rows)


@router.get("/places", response_model=Page[PlaceRow], summary="Event locations, most events first")
def places(
    st: AppState = Depends(state),
    page: Paging = Depends(paging),
    q: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Name or a way texts wrote it."),
    with_control: bool = Query(False, description="Only places with a control timeline."),
) -> Page[PlaceRow]:
    snap = st.snapshot()
    names = set(place_matches(snap, q)) if q else None
    rows = [PlaceRow(**agg, aliases=sorted(snap.aliases.get(name, set()) - {name}))
            for name, agg in snap.places.items()
            if (names is None or name in names) and (not with_control or agg["control_periods"])]
    rows.sort(key=lambda r: (-r.events, r.name))
    items, nxt = page.page(rows[page.offset: page.offset + page.limit + 1])
    return Page[PlaceRow](items=items, limit=page.limit, offset=page.offset, next_offset=nxt)
