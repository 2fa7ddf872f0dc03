"""Event and document queries: filters become a WHERE clause of `?` placeholders and a parameter list.

User values only ever travel as bound parameters; the SQL text is assembled
from fixed fragments. Substring filters use ``contains(lower(..), lower(?))``
rather than LIKE, so `%` and `_` in a user's string mean themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import UsageError
from ..model import MODALITIES

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def as_date(value: str | dt.date | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from None


@dataclass(frozen=True)
class EventFilter:
    """The filters every event query, export and command shares (one definition, not three)."""

    place: str | None = None  # substring, case-insensitive, of the location name, admin1 or admin2
    actor: str | None = None  # substring, case-insensitive, of actor1, actor2 or an associated actor
    type: str | None = None  # event_type or sub_event_type, case-insensitive equality
    since: dt.date | None = None
    until: dt.date | None = None
    modality: str | None = None
    source: str | None = None  # the ingest source label, equality
    include_duplicates: bool = False  # events of documents linked as near-duplicates are hidden by default

    @classmethod
    def make(cls, *, since=None, until=None, modality=None, **kw) -> "EventFilter":
        since, until = as_date(since, "since"), as_date(until, "until")
        if since and until and since > until:
            raise UsageError(f"since ({since}) is after until ({until})")
        if modality is not None and modality not in MODALITIES:
            raise UsageError(f"modality must be one of {', '.join(MODALITIES)}, not {modality!r}")
        return cls(since=since, until=until, modality=modality, **kw)

    def where(self) -> tuple[str, list]:
        clauses, params = ["TRUE"], []
        if not self.include_duplicates:
            clauses.append("d.near_duplicate_of IS NULL")
        if self.place:
            clauses.append("(contains(lower(e.location), lower(?)) OR contains(lower(e.admin1), lower(?))"
                           " OR contains(lower(e.admin2), lower(?)))")
            params += [self.place] * 3
        if self.actor:
            clauses.append("(contains(lower(e.actor1), lower(?)) OR contains(lower(e.actor2), lower(?))"
                           " OR EXISTS (SELECT 1 FROM event_actors x WHERE x.doc_key = e.doc_key"
                           " AND x.event_ord = e.ord AND contains(lower(x.name), lower(?))))")
            params += [self.actor] * 3
        if self.type:
            clauses.append("(lower(e.event_type) = lower(?) OR lower(e.sub_event_type) = lower(?))")
            params += [self.type] * 2
        if self.since:
            clauses.append("e.event_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.event_date <= ?")
            params.append(self.until)
        if self.modality:
            clauses.append("e.modality = ?")
            params.append(self.modality)
        if self.source:
            clauses.append("d.source = ?")
            params.append(self.source)
        return " AND ".join(clauses), params


# The flat event record of queries and exports (parquet gets exactly these columns).
EVENT_SELECT = """
WITH assoc AS (
  SELECT doc_key, event_ord, list(name ORDER BY ord) AS names, list(inter ORDER BY ord) AS inters
  FROM event_actors GROUP BY doc_key, event_ord
), dups AS (
  SELECT near_duplicate_of AS doc_key, list(doc_key ORDER BY doc_key) AS keys,
         list(DISTINCT outlet) FILTER (WHERE outlet IS NOT NULL) AS outlets
  FROM documents WHERE near_duplicate_of IS NOT NULL GROUP BY near_duplicate_of
)
SELECT e.doc_key, d.doc_id, d.source, e.event_id, e.event_type, e.sub_event_type,
       e.event_date, e.time_precision,
       e.actor1, e.inter1, e.actor2, e.inter2,
       coalesce(a.names, []) AS assoc_actors, coalesce(a.inters, []) AS assoc_inters,
       e.location, e.latitude, e.longitude, e.country, e.admin1, e.admin2, e.geonameid, e.geo_precision,
       e.fatalities, e.fatalities_modality, e.fatalities_claimed_by,
       e.modality, e.claimed_by, e.section, e.historical, e.confidence, e.evidence_text AS evidence,
       d.title, d.outlet, d.url, d.published_date AS published, d.near_duplicate_of,
       coalesce(x.keys, []) AS duplicates, coalesce(x.outlets, []) AS duplicate_outlets,
       d.relays, d.updated_at{extra}
FROM events e
JOIN documents d ON d.doc_key = e.doc_key
LEFT JOIN assoc a ON a.doc_key = e.doc_key AND a.event_ord = e.ord
LEFT JOIN dups x ON x.doc_key = e.doc_key
WHERE {where}
ORDER BY {order}
"""

DEFAULT_ORDER = "e.event_date NULLS LAST, d.seq, e.ord"


def event_sql(flt: EventFilter, *, extra: str = "", extra_params: list | tuple = (), order: str = DEFAULT_ORDER,
              limit: int | None = None, offset: int = 0) -> tuple[str, list]:
    """The flat event SELECT; `extra` adds computed columns (", <expr> AS name") whose parameters come first."""
    where, params = flt.where()
    sql = EVENT_SELECT.format(extra=extra, where=where, order=order)
    params = list(extra_params) + params
    if limit is not None:
        if limit < 0 or offset < 0:
            raise UsageError("limit and offset must be non-negative")
        sql += " LIMIT ? OFFSET ?"
        params = params + [int(limit), int(offset)]
    elif offset:
        sql += " OFFSET ?"
        params = params + [int(offset)]
    return sql, params


def distance_sql(lat: float, lon: float, spatial: bool) -> tuple[str, list]:
    """Great-circle km from (lat, lon) to each event: the spatial extension's ST_Distance_Sphere when it is
    loaded (it reads points as (lat, lon) and answers in metres), else the haversine formula."""
    if spatial:
        return "ST_Distance_Sphere(ST_Point(e.latitude, e.longitude), ST_Point(?, ?)) / 1000.0", [lat, lon]
    return (f"2 * {EARTH_RADIUS_KM} * asin(sqrt(pow(sin(radians(e.latitude - ?) / 2), 2)"
            " + cos(radians(?)) * cos(radians(e.latitude)) * pow(sin(radians(e.longitude - ?) / 2), 2)))",
            [lat, lat, lon])


DOCUMENT_SELECT = """
SELECT d.doc_key, d.doc_id, d.source, d.url, d.title, d.outlet, d.author, d.published_date AS published,
       d.near_duplicate_of, d.similarity, d.content_hash, d.ingested_at, d.updated_at,
       (SELECT count(*) FROM events e WHERE e.doc_key = d.doc_key) AS n_events,
       (SELECT count(*) FROM documents x WHERE x.near_duplicate_of = d.doc_key) AS n_duplicates
FROM documents d
WHERE {where}
ORDER BY d.seq
"""
