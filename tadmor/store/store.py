"""``Store``: the DuckDB database of documents and events — ingest (idempotent, atomic per batch), queries.

One batch (default 64 documents) is one transaction: rows for a batch are
built in Python first (where a bad document fails alone), then written between
an explicit BEGIN and COMMIT. A crash or kill -9 loses at most the open batch;
DuckDB's WAL never exposes half of one, and a re-run skips what was committed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO

from ..errors import StoreError, UsageError
from ..model import Document
from . import dedup
from . import schema as S
from .queries import DOCUMENT_SELECT, EventFilter, as_date, distance_sql, event_sql
from .rows import DocMeta, Rows, add_document, build_document, doc_key

log = logging.getLogger(__name__)

DEFAULT_BATCH = 64
MAX_FAILURES_KEPT = 100


@dataclass
class IngestStats:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    near_duplicates: int = 0  # of the added/updated documents, how many were linked to an earlier one
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, why), the first 100

    def merge(self, other: "IngestStats") -> None:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.near_duplicates += other.near_duplicates
        self.failed += other.failed
        room = MAX_FAILURES_KEPT - len(self.failures)
        self.failures.extend(other.failures[:max(0, room)])

    def fail(self, doc_id: str, why: str) -> None:
        self.failed += 1
        if len(self.failures) < MAX_FAILURES_KEPT:
            self.failures.append((doc_id, why))

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + self.failed

    def summary(self) -> str:
        return (f"{self.total} documents: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.near_duplicates} near-duplicates linked, {self.failed} failed")


@dataclass
class _Item:
    doc: Document
    key: str
    hash: str
    source: str
    status: str = ""  # "added" | "updated"
    ingested_at: dt.datetime | None = None
    seq: int | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # TIMESTAMP columns hold naive UTC


class Store:
    """A DuckDB file (or ":memory:") holding tadmor documents; use as a context manager."""

    def __init__(self, path: str | os.PathLike = "tadmor.duckdb", *, read_only: bool = False,
                 batch_size: int = DEFAULT_BATCH):
        if batch_size < 1:
            raise UsageError("batch_size must be at least 1")
        self.path = str(path)
        self.read_only = read_only
        self.batch_size = batch_size
        self._spatial: bool | None = None
        self.con = self._connect()

    # ---- connection -----------------------------------------------------------------------------

    def _connect(self):
        import duckdb

        if self.read_only and self.path != ":memory:" and not Path(self.path).is_file():
            raise StoreError(f"no database at {self.path}; run `tadmor ingest` first")
        # no extension is ever fetched at run time: tadmor runs offline
        config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        try:
            con = duckdb.connect(self.path, read_only=self.read_only, config=config)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        try:
            self._init_schema(con)
        except BaseException:
            con.close()
            raise
        return con

    def _init_schema(self, con) -> None:
        import duckdb

        have = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
        if "meta" in have:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("schema_version") != S.SCHEMA_VERSION:
                raise StoreError(f"{self.path} has store schema {meta.get('schema_version')!r}; this tadmor "
                                 f"reads {S.SCHEMA_VERSION!r}. Ingest into a new database.")
            return
        if have:
            raise StoreError(f"{self.path} is a DuckDB database but not a tadmor store")
        if self.read_only:
            raise StoreError(f"{self.path} is not a tadmor store")
        try:
            con.execute("BEGIN TRANSACTION")
            for table in S.ALL_TABLES:
                con.execute(table.ddl())
            con.execute("INSERT INTO meta VALUES (?, ?), (?, ?)",
                        ["schema_version", S.SCHEMA_VERSION, "minhash_scheme", S.MINHASH_SCHEME])
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"cannot create the store schema in {self.path}: {exc}") from exc

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> bool:
        self.close()
        return False

    def _rows(self, sql: str, params: list | tuple = ()) -> list[dict]:
        import duckdb

        try:
            cur = self.con.execute(sql, list(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {exc}") from exc

    # ---- ingest ---------------------------------------------------------------------------------

    def ingest(self, documents: Iterable[Document], source: str, *, force: bool = False,
               on_commit: Callable[[IngestStats], None] | None = None) -> IngestStats:
        """Store documents; one transaction per batch. Returns what happened to each input.

        A document is identified by its url, else by ``source:doc_id``; a changed text
        (sha256 of the normalised text) replaces the stored version, an unchanged one is
        skipped (``force`` rewrites it anyway, e.g. after the extractor improved).
        """
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only")
        if not source or not isinstance(source, str):
            raise UsageError("source must be a non-empty string (it identifies documents without a url)")
        stats = IngestStats()
        it = iter(documents)
        while batch := list(islice(it, self.batch_size)):
            stats.merge(self._ingest_batch(batch, source, force))
            if on_commit is not None:
                on_commit(stats)
        return stats

    def _ingest_batch(self, batch: list[Document], source: str, force: bool) -> IngestStats:
        import duckdb

        stats = IngestStats()
        items: list[_Item] = []
        for doc in batch:
            try:
                body = doc.text or doc.clean_text
                if not body.strip():
                    why = "; ".join(f"{e.code}: {e.message}" for e in doc.errors) or "the document has no text"
                    stats.fail(doc.doc_id, why)
                    continue
                items.append(_Item(doc, doc_key(doc, source), dedup.content_hash(body), source))
            except Exception as exc:  # a malformed record fails alone
                stats.fail(getattr(doc, "doc_id", "?"), f"{type(exc).__name__}: {exc}")
        try:
            self._write(items, stats, force)
            return stats
        except (duckdb.ConstraintException, duckdb.ConversionException, duckdb.InvalidInputException,
                duckdb.OutOfRangeException, duckdb.TypeMismatchException, ValueError, TypeError) as exc:
            if len(items) <= 1:
                for item in items:
                    stats.fail(item.doc.doc_id, f"{type(exc).__name__}: {exc}")
                return stats
        # one document spoilt the batch: store the others one by one, each in its own transaction
        log.warning("batch failed; retrying its %d documents one at a time", len(items))
        for item in items:
            one = IngestStats()
            try:
                self._write([_Item(item.doc, item.key, item.hash, item.source)], one, force)
            except (duckdb.Error, ValueError, TypeError) as exc:
                one = IngestStats()
                one.fail(item.doc.doc_id, f"{type(exc).__name__}: {exc}")
            stats.merge(one)
        return stats

    def _write(self, items: list[_Item], stats: IngestStats, force: bool) -> None:
        """Classify, link near-duplicates and write `items` in one transaction; rolled back whole on any error."""
        import duckdb

        if not items:
            return
        con = self.con
        local = IngestStats()
        try:
            con.execute("BEGIN TRANSACTION")
            keys = list(dict.fromkeys(i.key for i in items))
            stored = {r[0]: (r[1], r[2], r[3]) for r in con.execute(
                "SELECT doc_key, content_hash, ingested_at, seq FROM documents WHERE list_contains(?, doc_key)",
                [keys]).fetchall()}
            todo: dict[str, _Item] = {}  # the last version of each key in this batch wins
            for item in items:
                prev = todo.get(item.key)
                old_hash, ingested, seq = stored.get(item.key, (None, None, None))
                if prev is not None:
                    if prev.hash == item.hash and not force:
                        local.unchanged += 1
                        continue
                    item.status, item.ingested_at, item.seq = "updated", prev.ingested_at, prev.seq
                elif old_hash is None:
                    item.status = "added"
                elif old_hash == item.hash and not force:
                    local.unchanged += 1
                    continue
                else:
                    item.status, item.ingested_at, item.seq = "updated", ingested, seq
                todo[item.key] = item
                setattr(local, item.status, getattr(local, item.status) + 1)
            if todo:
                rows = self._rows_for(list(todo.values()), local)
                replaced = [k for k in todo if k in stored]
                if replaced:
                    for table in (*S.CHILD_TABLES, S.DOCUMENTS):
                        con.execute(f"DELETE FROM {table.name} WHERE list_contains(?, doc_key)", [replaced])
                for table in S.DATA_TABLES:
                    cols = rows.columns(table)
                    if cols:
                        _insert(con, table, cols)
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise
        stats.merge(local)

    def _rows_for(self, items: list[_Item], local: IngestStats) -> Rows:
        """Rows for the documents to write, each signed and, when it repeats an earlier one, linked to it."""
        con = self.con
        texts = [i.doc.clean_text or i.doc.text for i in items]
        sigs = [dedup.signature(t) for t in texts]
        writing = [i.key for i in items]
        # a document others point to stays canonical, so links never form chains
        pointed_to = {r[0] for r in con.execute(
            "SELECT DISTINCT near_duplicate_of FROM documents WHERE list_contains(?, near_duplicate_of)",
            [writing]).fetchall()}
        qi, qband, qbucket = [], [], []
        for n, sig in enumerate(sigs):
            for band, bucket in sig.bands():
                qi.append(n), qband.append(band), qbucket.append(bucket)
        candidates: dict[int, set[str]] = {}
        found: dict[str, tuple[dedup.Signature, int, str]] = {}
        if qi:
            import pyarrow as pa

            bands = pa.table({"i": pa.array(qi, pa.int32()), "band": pa.array(qband, pa.int16()),
                              "bucket": pa.array(qbucket, pa.int64())})
            with _arrow_view(con, "__tadmor_q", bands):
                hits = con.execute(
                    "WITH c AS (SELECT DISTINCT q.i, b.doc_key FROM __tadmor_q q"
                    " JOIN minhash_bands b ON b.band = q.band AND b.bucket = q.bucket)"
                    " SELECT c.i, d.doc_key, d.minhash, d.shingles, d.seq, coalesce(nullif(d.clean_text, ''), d.text)"
                    " FROM c JOIN documents d USING (doc_key)"
                    " WHERE d.near_duplicate_of IS NULL AND NOT list_contains(?, d.doc_key)",
                    [writing],
                ).fetchall()
            for n, key, minhash, count, seq, text in hits:
                candidates.setdefault(n, set()).add(key)
                found[key] = (dedup.Signature(tuple(minhash), count), seq, text)
        now = _now()
        next_seq = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM documents").fetchone()[0]
        for item in items:
            if item.seq is None:
                item.seq, next_seq = next_seq, next_seq + 1
        rows = Rows()
        batch_buckets: dict[tuple[int, int], list[int]] = {}  # roots written earlier in this batch
        for n, (item, sig) in enumerate(zip(items, sigs)):
            best: tuple[float, str] | None = None
            if item.key not in pointed_to:
                pool = [(k, *found[k]) for k in candidates.get(n, ())]
                seen = {m for b in sig.bands() for m in batch_buckets.get(b, ())}
                pool += [(items[m].key, sigs[m], items[m].seq, texts[m]) for m in sorted(seen)]
                for key, other, _, other_text in sorted(pool, key=lambda c: c[2]):  # earliest stored wins a tie
                    near, sim = dedup.is_near_duplicate(sig, other, texts[n], other_text)
                    if near and (best is None or sim > best[0]):
                        best = (sim, key)
            if best is None:
                for b in sig.bands():
                    batch_buckets.setdefault(b, []).append(n)
            else:
                local.near_duplicates += 1
            meta = DocMeta(doc_key=item.key, seq=item.seq, source=item.source, content_hash=item.hash,
                           minhash=sig.minhash, shingles=sig.count,
                           near_duplicate_of=best[1] if best else None, similarity=best[0] if best else None,
                           ingested_at=item.ingested_at or now, updated_at=now)
            add_document(rows, item.doc, meta)
        return rows

    # ---- queries --------------------------------------------------------------------------------

    def events(self, place: str | None = None, actor: str | None = None, type: str | None = None,
               since: str | dt.date | None = None, until: str | dt.date | None = None,
               modality: str | None = None, limit: int | None = None, offset: int = 0, *,
               source: str | None = None, include_duplicates: bool = False) -> list[dict]:
        """Events as flat dicts (the SQL edge), by date; events of near-duplicate documents are left out."""
        flt = EventFilter.make(place=place, actor=actor, type=type, since=since, until=until, modality=modality,
                               source=source, include_duplicates=include_duplicates)
        return self.query_events(flt, limit=limit, offset=offset)

    def query_events(self, flt: EventFilter, *, limit: int | None = None, offset: int = 0) -> list[dict]:
        sql, params = event_sql(flt, limit=limit, offset=offset)
        return self._rows(sql, params)

    def iter_events(self, flt: EventFilter, chunk: int = 2000) -> Iterator[dict]:
        """The same as query_events, fetched in chunks (exports of a large store stay in bounded memory)."""
        import duckdb

        sql, params = event_sql(flt)
        try:
            cur = self.con.cursor()  # its own cursor, so other queries may run while this one streams
            cur.execute(sql, params)
            names = [d[0] for d in cur.description]
            while rows := cur.fetchmany(chunk):
                yield from (dict(zip(names, r)) for r in rows)
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def near(self, lat: float, lon: float, km: float, *, limit: int | None = None, **filters) -> list[dict]:
        """Events within `km` great-circle kilometres of (lat, lon), nearest first, with `distance_km`."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UsageError(f"({lat}, {lon}) is not a latitude, longitude pair")
        if not km > 0:
            raise UsageError("km must be positive")
        flt = EventFilter.make(**filters)
        expr, dparams = distance_sql(lat, lon, self.spatial)
        inner, params = event_sql(flt, extra=f", {expr} AS distance_km", extra_params=dparams)
        # a latitude band first: cheap, and never excludes a point within km (1° of latitude ≥ 110.5 km)
        sql = (f"SELECT * FROM ({inner}) WHERE latitude BETWEEN ? AND ? AND distance_km <= ? "
               "ORDER BY distance_km, doc_key, event_id")
        params += [lat - km / 110.5, lat + km / 110.5, km]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._rows(sql, params)

    @property
    def spatial(self) -> bool:
        """Whether DuckDB's spatial extension is loaded (from a local install only; never downloaded)."""
        if self._spatial is None:
            self._spatial = _load_spatial(self.con)
        return self._spatial

    def documents(self, source: str | None = None, outlet: str | None = None,
                  since: str | dt.date | None = None, until: str | dt.date | None = None,
                  limit: int | None = None, offset: int = 0, *, include_duplicates: bool = True) -> list[dict]:
        """Stored documents (metadata, counts and near-duplicate links), in ingest order."""
        clauses, params = ["TRUE"], []
        if source:
            clauses.append("d.source = ?"), params.append(source)
        if outlet:
            clauses.append("contains(lower(d.outlet), lower(?))"), params.append(outlet)
        if (s := as_date(since, "since")) is not None:
            clauses.append("d.published_date >= ?"), params.append(s)
        if (u := as_date(until, "until")) is not None:
            clauses.append("d.published_date <= ?"), params.append(u)
        if not include_duplicates:
            clauses.append("d.near_duplicate_of IS NULL")
        sql = DOCUMENT_SELECT.format(where=" AND ".join(clauses))
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        return self._rows(sql, params)

    def document(self, key: str) -> Document | None:
        """One contract Document by its doc_key (url or source:doc_id), or by doc_id when that is unambiguous."""
        keys = [r["doc_key"] for r in self._rows("SELECT doc_key FROM documents WHERE doc_key = ?", [key])]
        if not keys:
            keys = [r["doc_key"] for r in self._rows("SELECT doc_key FROM documents WHERE doc_id = ? LIMIT 2", [key])]
        if len(keys) != 1:
            return None
        return next(self._build(keys))

    def all_documents(self, *, include_duplicates: bool = True, source: str | None = None,
                      chunk: int = 256) -> Iterator[Document]:
        """Every stored document rebuilt as a contract Document, in ingest order, `chunk` at a time."""
        where, params = ["TRUE"], []
        if not include_duplicates:
            where.append("near_duplicate_of IS NULL")
        if source:
            where.append("source = ?"), params.append(source)
        keys = [r["doc_key"] for r in self._rows(
            f"SELECT doc_key FROM documents WHERE {' AND '.join(where)} ORDER BY seq", params)]
        for i in range(0, len(keys), chunk):
            yield from self._build(keys[i:i + chunk])

    def _build(self, keys: list[str]) -> Iterator[Document]:
        docs = {r["doc_key"]: r for r in self._rows("SELECT * FROM documents WHERE list_contains(?, doc_key)", [keys])}
        children: dict[str, dict[str, list[dict]]] = {k: {} for k in keys}
        for table in S.CHILD_TABLES:
            if table is S.MINHASH_BANDS:
                continue
            order = ", ".join(c for c in table.key if c != "doc_key")
            for r in self._rows(f"SELECT * FROM {table.name} WHERE list_contains(?, doc_key) ORDER BY doc_key, {order}",
                                [keys]):
                children[r["doc_key"]].setdefault(table.name, []).append(r)
        for k in keys:
            if k in docs:
                yield build_document(docs[k], children[k])

    def counts(self) -> dict[str, int]:
        """Rows per data table (what idempotency is checked against)."""
        return {t.name: self._rows(f"SELECT count(*) AS n FROM {t.name}")[0]["n"] for t in S.DATA_TABLES}

    def export(self, fmt: str, dest: str | os.PathLike | IO, **filters) -> int:
        """Write the filtered events as `acled-csv`, `geojson` or `parquet`; returns the number of events written."""
        from .export import export

        return export(self, fmt, dest, EventFilter.make(**filters))


@contextmanager
def _arrow_view(con, name: str, data):
    """An Arrow table DuckDB reads in place as ``name`` for the block. Batches go to DuckDB this way,
    not as list parameters: DuckDB 1.5 converts those value by value (5x slower)."""
    con.register(name, data)
    try:
        yield name
    finally:
        con.unregister(name)


def _insert(con, table, cols: list[list]) -> None:
    """A batch of rows, column by column, cast to the table's types in SQL."""
    import pyarrow as pa

    data = pa.table({name: pa.array(values) if any(v is not None for v in values) else pa.nulls(len(values))
                     for name, values in zip(table.names, cols)})
    with _arrow_view(con, f"__tadmor_{table.name}", data) as view:
        sel = ", ".join(f"{name}::{t.split()[0]}" for name, t in table.columns)
        con.execute(f"INSERT INTO {table.name} ({', '.join(table.names)}) SELECT {sel} FROM {view}")


def _load_spatial(con) -> bool:
    """LOAD spatial from DuckDB's local extension directory or from an installed `duckdb-extension-spatial`
    wheel built for this DuckDB version. Never INSTALL (that downloads). False → haversine fallback."""
    import importlib.util

    import duckdb

    try:
        con.execute("LOAD spatial")
        return True
    except duckdb.Error:
        pass
    spec = importlib.util.find_spec("duckdb_extension_spatial")
    if spec is None or not spec.submodule_search_locations:
        log.info("spatial extension not installed for DuckDB %s; distances use the haversine formula",
                 duckdb.__version__)
        return False
    version = "v" + duckdb.__version__.lstrip("v")
    for base in spec.submodule_search_locations:
        path = Path(base) / "extensions" / version / "spatial.duckdb_extension"
        if path.is_file():
            try:
                # LOAD takes no bound parameter; the path is our installed package's, quoted as a literal
                con.execute("LOAD '" + str(path).replace("'", "''") + "'")
                return True
            except duckdb.Error as exc:
                log.info("cannot load %s: %s; distances use the haversine formula", path, exc)
    return False
