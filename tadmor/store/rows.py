"""Contract ``Document`` ⇄ table rows. Rows are tuples in the column order of ``schema``; nothing here touches SQL.

The mapping is lossless: ``from_rows(to_rows(doc))`` equals ``doc`` (tests/test_store.py
checks it), so the store can hand back contract Documents for cross-source comparison.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from ..model import (ActorEntry, AssocActor, Document, ErrorInfo, Event, EventActor, Fatalities, Location,
                     OriginalSource, Place, Quantity, Section, Span)
from . import schema as S


@dataclass
class DocMeta:
    """What the store adds to a document: its identity, its fingerprint and its near-duplicate link."""

    doc_key: str
    seq: int  # ingest order: kept when a document is updated
    source: str
    content_hash: str
    minhash: tuple[int, ...]
    shingles: int
    near_duplicate_of: str | None
    similarity: float | None
    ingested_at: dt.datetime
    updated_at: dt.datetime


@dataclass
class Rows:
    """One batch's rows, per table name, as lists of tuples in schema column order."""

    tables: dict[str, list[tuple]] = field(default_factory=lambda: {t.name: [] for t in S.DATA_TABLES})

    def columns(self, table: S.Table) -> list[list]:
        rows = self.tables[table.name]
        return [list(col) for col in zip(*rows)] if rows else []


def doc_key(doc: Document, source: str) -> str:
    """A document's identity: its url when it has one (the same article from any feed), else source:doc_id."""
    return doc.url if doc.url else f"{source}:{doc.doc_id}"


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _sp(span: Span | None) -> tuple:
    return (span.start, span.end, span.text) if span is not None else (None, None, None)


def add_document(rows: Rows, doc: Document, meta: DocMeta) -> None:
    k = meta.doc_key
    t = rows.tables
    orig = doc.original_source
    t["documents"].append((
        k, meta.seq, meta.source, doc.doc_id, doc.url, doc.title, doc.outlet, doc.author, doc.published, _date(doc.published),
        orig is not None, orig.outlet if orig else None, orig.published if orig else None, orig.author if orig else None,
        list(doc.relays), doc.text, doc.clean_text,
        json.dumps([e.model_dump() for e in doc.errors], ensure_ascii=False),
        meta.content_hash, list(meta.minhash), meta.shingles, meta.near_duplicate_of, meta.similarity,
        meta.ingested_at, meta.updated_at,
    ))
    for i, s in enumerate(doc.sections):
        t["sections"].append((k, i, s.kind, s.start, s.end))
    for i, a in enumerate(doc.actors):
        t["actors"].append((k, i, a.name, a.inter, list(a.aliases_seen)))
        t["spans"].extend((k, "actor", i, j, *_sp(m)) for j, m in enumerate(a.mentions))
    for i, p in enumerate(doc.places):
        t["places"].append((k, i, p.name, p.lat, p.lon, p.country, p.admin1, p.geonameid, p.feature, p.role,
                            p.reason, p.score))
        t["spans"].extend((k, "place", i, j, *_sp(m)) for j, m in enumerate(p.mentions))
    quantities = list(doc.quantities)
    in_document = len(quantities)
    for i, e in enumerate(doc.events):
        t["events"].append(_event_row(k, i, e))
        t["event_actors"].extend((k, i, j, a.name, a.inter) for j, a in enumerate(e.assoc_actors))
        for j, q in enumerate(e.quantities):
            try:
                qi = quantities.index(q)  # the same quantity as in Document.quantities: store it once
            except ValueError:
                quantities.append(q)
                qi = len(quantities) - 1
            t["event_quantities"].append((k, i, j, qi))
    for i, q in enumerate(quantities):
        t["quantities"].append((k, i, _int64(q.value), q.qualifier, q.unit, q.about_actor, q.modality, q.claimed_by,
                                *_sp(q.span), i < in_document))
    t["minhash_bands"].extend((k, band, bucket) for band, bucket in _bands(meta))


def _int64(n: int | None) -> int | None:
    """A count as a BIGINT; one beyond its range ("99999999999999999999999999999 soldiers") is no usable count and
    is stored as unknown (NULL) rather than costing the whole document its place in the store."""
    return n if n is None or -(2**63) <= n < 2**63 else None


def _bands(meta: DocMeta):
    from .dedup import Signature

    return Signature(meta.minhash, meta.shingles).bands()


def _event_row(k: str, i: int, e: Event) -> tuple:
    a1, a2, loc, fat = e.actor1, e.actor2, e.location, e.fatalities
    return (
        k, i, e.event_id, e.event_type, e.sub_event_type, e.date, _date(e.date), e.time_precision,
        a1.name if a1 else None, a1.inter if a1 else None, *_sp(a1.mention if a1 else None),
        a2.name if a2 else None, a2.inter if a2 else None, *_sp(a2.mention if a2 else None),
        *((loc.name, loc.lat, loc.lon, loc.country, loc.admin1, loc.admin2, loc.geonameid, loc.geo_precision)
          if loc else (None,) * 8),
        *_sp(loc.mention if loc else None), loc.reason if loc else None,
        fat is not None, _int64(fat.count) if fat else None, fat.modality if fat else None, fat.claimed_by if fat else None,
        *_sp(fat.span if fat else None),
        e.modality, e.claimed_by, e.section, e.historical, e.confidence, *_sp(e.evidence), *_sp(e.trigger),
        list(e.reasons),
    )


# ---- rows → Document -------------------------------------------------------------------------

def _span_of(r: dict, prefix: str) -> Span | None:
    if r[f"{prefix}_start"] is None:
        return None
    return Span(start=r[f"{prefix}_start"], end=r[f"{prefix}_end"], text=r[f"{prefix}_text"] or "")


def build_document(d: dict, children: dict[str, list[dict]]) -> Document:
    """One Document from its `documents` row and its child rows (each list in `ord` order)."""
    spans: dict[tuple[str, int], list[Span]] = {}
    for r in children.get("spans", []):
        spans.setdefault((r["owner"], r["owner_ord"]), []).append(
            Span(start=r["start_char"], end=r["end_char"], text=r["text"]))
    quantities = [Quantity(value=r["value"], qualifier=r["qualifier"], unit=r["unit"], about_actor=r["about_actor"],
                           modality=r["modality"], claimed_by=r["claimed_by"], span=_span_of(r, "span"))
                  for r in children.get("quantities", [])]
    in_doc = [r["in_document"] for r in children.get("quantities", [])]
    assoc: dict[int, list[AssocActor]] = {}
    for r in children.get("event_actors", []):
        assoc.setdefault(r["event_ord"], []).append(AssocActor(name=r["name"], inter=r["inter"]))
    equant: dict[int, list[Quantity]] = {}
    for r in children.get("event_quantities", []):
        equant.setdefault(r["event_ord"], []).append(quantities[r["quantity_ord"]])
    orig = None
    if d["has_original"]:
        orig = OriginalSource(outlet=d["original_outlet"], published=d["original_published"],
                              author=d["original_author"])
    return Document(
        doc_id=d["doc_id"], text=d["text"] or "", clean_text=d["clean_text"] or "", title=d["title"],
        outlet=d["outlet"], author=d["author"], published=d["published"], url=d["url"], original_source=orig,
        relays=list(d["relays"] or []),
        sections=[Section(kind=r["kind"], start=r["start_char"], end=r["end_char"]) for r in children.get("sections", [])],
        events=[_event(r, assoc.get(r["ord"], []), equant.get(r["ord"], [])) for r in children.get("events", [])],
        actors=[ActorEntry(name=r["name"], inter=r["inter"], aliases_seen=list(r["aliases_seen"] or []),
                           mentions=spans.get(("actor", r["ord"]), [])) for r in children.get("actors", [])],
        places=[Place(name=r["name"], lat=r["lat"], lon=r["lon"], country=r["country"], admin1=r["admin1"],
                      geonameid=r["geonameid"], feature=r["feature"], role=r["role"],
                      mentions=spans.get(("place", r["ord"]), []), reason=r["reason"], score=r["score"])
                for r in children.get("places", [])],
        quantities=[q for q, keep in zip(quantities, in_doc) if keep],
        errors=[ErrorInfo(**e) for e in json.loads(d["errors"] or "[]")],
    )


def _event(r: dict, assoc: list[AssocActor], quantities: list[Quantity]) -> Event:
    a1 = EventActor(name=r["actor1"], inter=r["inter1"], mention=_span_of(r, "actor1")) if r["actor1"] is not None else None
    a2 = EventActor(name=r["actor2"], inter=r["inter2"], mention=_span_of(r, "actor2")) if r["actor2"] is not None else None
    loc = None
    if r["location"] is not None:
        loc = Location(name=r["location"], lat=r["latitude"], lon=r["longitude"], country=r["country"],
                       admin1=r["admin1"], admin2=r["admin2"], geonameid=r["geonameid"],
                       geo_precision=r["geo_precision"], mention=_span_of(r, "location"), reason=r["location_reason"])
    fat = None
    if r["has_fatalities"]:
        fat = Fatalities(count=r["fatalities"], modality=r["fatalities_modality"],
                         claimed_by=r["fatalities_claimed_by"], span=_span_of(r, "fatalities"))
    return Event(
        event_id=r["event_id"], event_type=r["event_type"], sub_event_type=r["sub_event_type"], date=r["date"],
        time_precision=r["time_precision"], actor1=a1, actor2=a2, assoc_actors=assoc, location=loc, fatalities=fat,
        quantities=quantities, modality=r["modality"], claimed_by=r["claimed_by"], section=r["section"],
        historical=r["historical"], confidence=r["confidence"], evidence=_span_of(r, "evidence"),
        trigger=_span_of(r, "trigger"), reasons=list(r["reasons"] or []),
    )
