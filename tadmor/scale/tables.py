"""The two Parquet datasets of a batch: their schema, and contract ``Document``s to rows and back.

One schema, written here once (as pyarrow types); the Spark engine derives its
``StructType`` from it, so both engines write the same columns.

Layout (``README.md`` beside this file has the column list):

- ``documents/``: one row per input document, with its ``errors``;
- ``events/``: one row per event, with its ``doc_id``;

both Hive-partitioned by ``month`` (``YYYY-MM``) and ``country`` (ISO2). The
coded fields are flat columns for querying; every nested part of the contract
(spans, sections, places, actor lists, quantities, the whole event) is kept as
a JSON string of the contract's own shape, so a batch result rebuilds the exact
``Document`` that ``tadmor extract`` prints (``read.documents_from_parquet``).
JSON rather than nested structs because the contract's nesting is deep
(event → quantity → span) and still growing: a JSON column never breaks an old
dataset when a field is added, and DuckDB/Spark/pandas all read it
(``json_extract(event, '$.evidence.text')``).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache

from ..model import Document, ErrorInfo, Event, to_json_line

PARTITIONS = ("month", "country")


@lru_cache(maxsize=1)
def schemas():
    """``(documents, events)`` pyarrow schemas, partition columns last."""
    import pyarrow as pa

    s, i32, i64, f64, b = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.bool_()
    documents = pa.schema([
        ("source", s), ("line", i64),  # where the document came from: input file and 1-based line (or row)
        ("doc_id", s), ("title", s), ("outlet", s), ("author", s), ("published", s), ("url", s),
        ("text", s), ("clean_text", s),
        ("original_source", s), ("relays", pa.list_(s)),
        ("sections", s), ("actors", s), ("places", s), ("quantities", s),  # JSON arrays, contract shape
        ("errors", pa.list_(pa.struct([("code", s), ("message", s)]))),
        ("n_events", i32),
        ("month", s), ("country", s),
    ])
    events = pa.schema([
        ("doc_id", s), ("event_id", s), ("seq", i32),
        ("event_type", s), ("sub_event_type", s), ("date", s), ("time_precision", i32),
        ("actor1", s), ("inter1", i32), ("actor2", s), ("inter2", i32), ("assoc_actors", pa.list_(s)),
        ("location", s), ("admin1", s), ("admin2", s), ("latitude", f64), ("longitude", f64),
        ("geonameid", i64), ("geo_precision", i32),
        ("fatalities", i32), ("fatalities_modality", s),
        ("modality", s), ("claimed_by", s), ("section", s), ("historical", b), ("confidence", f64),
        ("evidence_start", i32), ("evidence_end", i32), ("evidence_text", s),
        ("event", s),  # the whole contract Event as JSON (spans, quantities, reasons)
        ("month", s), ("country", s),
    ])
    return documents, events


def _json_list(items) -> str:
    return "[" + ",".join(to_json_line(x) for x in items) + "]"


def document_month(doc: Document) -> str | None:
    """``YYYY-MM`` of publication, else of the first dated event."""
    if doc.published and len(doc.published) >= 7:
        return doc.published[:7]
    for e in doc.events:
        if e.date:
            return e.date[:7]
    return None


def document_country(doc: Document) -> str | None:
    """The country most of the document's events are in, else of its literal places."""
    votes = Counter(e.location.country for e in doc.events if e.location and e.location.country)
    if not votes:
        votes = Counter(p.country for p in doc.places if p.country and p.role == "literal")
    return votes.most_common(1)[0][0] if votes else None


def document_row(doc: Document, source: str | None, line: int | None) -> dict:
    return {
        "source": source, "line": line,
        "doc_id": doc.doc_id, "title": doc.title, "outlet": doc.outlet, "author": doc.author,
        "published": doc.published, "url": doc.url, "text": doc.text, "clean_text": doc.clean_text,
        "original_source": to_json_line(doc.original_source) if doc.original_source else None,
        "relays": list(doc.relays),
        "sections": _json_list(doc.sections), "actors": _json_list(doc.actors),
        "places": _json_list(doc.places), "quantities": _json_list(doc.quantities),
        "errors": [{"code": e.code, "message": e.message} for e in doc.errors],
        "n_events": len(doc.events),
        "month": document_month(doc), "country": document_country(doc),
    }


def event_rows(doc: Document) -> list[dict]:
    month = document_month(doc)
    rows = []
    for seq, e in enumerate(doc.events):
        loc, fat = e.location, e.fatalities
        rows.append({
            "doc_id": doc.doc_id, "event_id": e.event_id, "seq": seq,
            "event_type": e.event_type, "sub_event_type": e.sub_event_type, "date": e.date,
            "time_precision": e.time_precision,
            "actor1": e.actor1.name if e.actor1 else None, "inter1": e.actor1.inter if e.actor1 else None,
            "actor2": e.actor2.name if e.actor2 else None, "inter2": e.actor2.inter if e.actor2 else None,
            "assoc_actors": [a.name for a in e.assoc_actors],
            "location": loc.name if loc else None, "admin1": loc.admin1 if loc else None,
            "admin2": loc.admin2 if loc else None, "latitude": loc.lat if loc else None,
            "longitude": loc.lon if loc else None, "geonameid": loc.geonameid if loc else None,
            "geo_precision": loc.geo_precision if loc else None,
            "fatalities": fat.count if fat else None, "fatalities_modality": fat.modality if fat else None,
            "modality": e.modality, "claimed_by": e.claimed_by, "section": e.section,
            "historical": e.historical, "confidence": e.confidence,
            "evidence_start": e.evidence.start, "evidence_end": e.evidence.end, "evidence_text": e.evidence.text,
            "event": to_json_line(e),
            "month": e.date[:7] if e.date else month, "country": loc.country if loc else None,
        })
    return rows


def rebuild(doc_row: dict, events: list[dict]) -> Document:
    """The contract ``Document`` from its ``documents`` row and its ``events`` rows (any order)."""
    def parsed(key: str) -> list:
        value = doc_row.get(key)
        return json.loads(value) if value else []

    original = doc_row.get("original_source")
    return Document(
        doc_id=doc_row["doc_id"], text=doc_row.get("text") or "", clean_text=doc_row.get("clean_text") or "",
        title=doc_row.get("title"), outlet=doc_row.get("outlet"), author=doc_row.get("author"),
        published=doc_row.get("published"), url=doc_row.get("url"),
        original_source=json.loads(original) if original else None,
        relays=list(doc_row.get("relays") or []), sections=parsed("sections"),
        events=[Event.model_validate_json(r["event"]) for r in sorted(events, key=lambda r: r["seq"])],
        actors=parsed("actors"), places=parsed("places"), quantities=parsed("quantities"),
        errors=[ErrorInfo(**e) for e in doc_row.get("errors") or []],
    )
