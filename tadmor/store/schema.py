"""The store's tables, declared once: the DDL, the bulk inserts and SCHEMA.md all follow this list.

Every child table carries ``doc_key`` so that replacing a document is one
``DELETE … WHERE doc_key = ?`` per table, and rows are ordered by ``ord``
(the position in the contract list) so a ``Document`` is rebuilt exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = "1"
# The near-duplicate signature scheme; stored in `meta` so a future change is noticed, not silently mixed.
MINHASH_SCHEME = "minhash-v1:words3:128:blake2b:bands32x4"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type)
    key: tuple[str, ...]  # unique per row; the sort order of a document's rows
    enforce_key: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)

    def ddl(self) -> str:
        cols = ",\n  ".join(f"{c} {t}" for c, t in self.columns)
        # Only `documents` and `meta` get a PRIMARY KEY: DuckDB maintains an ART index per key, which
        # costs more than the whole insert of a child table; the child rows' keys are unique by
        # construction (a document's rows are always deleted whole before it is written again).
        key = f",\n  PRIMARY KEY ({', '.join(self.key)})" if self.enforce_key else ""
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}{key}\n)"


def _span(prefix: str) -> tuple[tuple[str, str], ...]:
    return ((f"{prefix}_start", "INTEGER"), (f"{prefix}_end", "INTEGER"), (f"{prefix}_text", "VARCHAR"))


DOCUMENTS = Table("documents", (
    ("doc_key", "VARCHAR"), ("seq", "BIGINT"), ("source", "VARCHAR"), ("doc_id", "VARCHAR"), ("url", "VARCHAR"),
    ("title", "VARCHAR"), ("outlet", "VARCHAR"), ("author", "VARCHAR"),
    ("published", "VARCHAR"), ("published_date", "DATE"),
    ("has_original", "BOOLEAN"), ("original_outlet", "VARCHAR"), ("original_published", "VARCHAR"),
    ("original_author", "VARCHAR"), ("relays", "VARCHAR[]"),
    ("text", "VARCHAR"), ("clean_text", "VARCHAR"), ("errors", "VARCHAR"),
    ("content_hash", "VARCHAR"), ("minhash", "UINTEGER[]"), ("shingles", "INTEGER"),
    ("near_duplicate_of", "VARCHAR"), ("similarity", "DOUBLE"),
    ("ingested_at", "TIMESTAMP"), ("updated_at", "TIMESTAMP"),
), ("doc_key",), enforce_key=True)

SECTIONS = Table("sections", (
    ("doc_key", "VARCHAR"), ("ord", "INTEGER"), ("kind", "VARCHAR"), ("start_char", "INTEGER"), ("end_char", "INTEGER"),
), ("doc_key", "ord"))

EVENTS = Table("events", (
    ("doc_key", "VARCHAR"), ("ord", "INTEGER"), ("event_id", "VARCHAR"),
    ("event_type", "VARCHAR"), ("sub_event_type", "VARCHAR"),
    ("date", "VARCHAR"), ("event_date", "DATE"), ("time_precision", "SMALLINT"),
    ("actor1", "VARCHAR"), ("inter1", "SMALLINT"), *_span("actor1"),
    ("actor2", "VARCHAR"), ("inter2", "SMALLINT"), *_span("actor2"),
    ("location", "VARCHAR"), ("latitude", "DOUBLE"), ("longitude", "DOUBLE"), ("country", "VARCHAR"),
    ("admin1", "VARCHAR"), ("admin2", "VARCHAR"), ("geonameid", "BIGINT"), ("geo_precision", "SMALLINT"),
    *_span("location"), ("location_reason", "VARCHAR"),
    ("has_fatalities", "BOOLEAN"), ("fatalities", "INTEGER"), ("fatalities_modality", "VARCHAR"),
    ("fatalities_claimed_by", "VARCHAR"), *_span("fatalities"),
    ("modality", "VARCHAR"), ("claimed_by", "VARCHAR"), ("section", "VARCHAR"), ("historical", "BOOLEAN"),
    ("confidence", "DOUBLE"), *_span("evidence"), *_span("trigger"), ("reasons", "VARCHAR[]"),
), ("doc_key", "ord"))

EVENT_ACTORS = Table("event_actors", (  # an event's associated actors (assoc_actors), in order
    ("doc_key", "VARCHAR"), ("event_ord", "INTEGER"), ("ord", "INTEGER"), ("name", "VARCHAR"), ("inter", "SMALLINT"),
), ("doc_key", "event_ord", "ord"))

QUANTITIES = Table("quantities", (
    ("doc_key", "VARCHAR"), ("ord", "INTEGER"), ("value", "BIGINT"), ("qualifier", "VARCHAR"), ("unit", "VARCHAR"),
    ("about_actor", "VARCHAR"), ("modality", "VARCHAR"), ("claimed_by", "VARCHAR"), *_span("span"),
    # False for a quantity that an event lists but Document.quantities does not (the contract says
    # it should not happen; kept so the rebuild is exact anyway)
    ("in_document", "BOOLEAN"),
), ("doc_key", "ord"))

EVENT_QUANTITIES = Table("event_quantities", (
    ("doc_key", "VARCHAR"), ("event_ord", "INTEGER"), ("ord", "INTEGER"), ("quantity_ord", "INTEGER"),
), ("doc_key", "event_ord", "ord"))

ACTORS = Table("actors", (
    ("doc_key", "VARCHAR"), ("ord", "INTEGER"), ("name", "VARCHAR"), ("inter", "SMALLINT"), ("aliases_seen", "VARCHAR[]"),
), ("doc_key", "ord"))

PLACES = Table("places", (
    ("doc_key", "VARCHAR"), ("ord", "INTEGER"), ("name", "VARCHAR"), ("lat", "DOUBLE"), ("lon", "DOUBLE"),
    ("country", "VARCHAR"), ("admin1", "VARCHAR"), ("geonameid", "BIGINT"), ("feature", "VARCHAR"),
    ("role", "VARCHAR"), ("reason", "VARCHAR"), ("score", "DOUBLE"),
), ("doc_key", "ord"))

SPANS = Table("spans", (  # mentions of an actor or place: owner 'actor' | 'place', owner_ord its position
    ("doc_key", "VARCHAR"), ("owner", "VARCHAR"), ("owner_ord", "INTEGER"), ("ord", "INTEGER"),
    ("start_char", "INTEGER"), ("end_char", "INTEGER"), ("text", "VARCHAR"),
), ("doc_key", "owner", "owner_ord", "ord"))

MINHASH_BANDS = Table("minhash_bands", (  # LSH buckets: documents sharing a bucket are near-duplicate candidates
    ("doc_key", "VARCHAR"), ("band", "SMALLINT"), ("bucket", "BIGINT"),
), ("doc_key", "band"))

META = Table("meta", (("key", "VARCHAR"), ("value", "VARCHAR")), ("key",), enforce_key=True)

# Child tables first: the order rows are deleted in when a document is replaced.
CHILD_TABLES: tuple[Table, ...] = (SECTIONS, EVENT_ACTORS, EVENT_QUANTITIES, EVENTS, QUANTITIES, SPANS, ACTORS,
                                   PLACES, MINHASH_BANDS)
DATA_TABLES: tuple[Table, ...] = (DOCUMENTS, *CHILD_TABLES)
ALL_TABLES: tuple[Table, ...] = (*DATA_TABLES, META)
