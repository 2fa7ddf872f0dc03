"""Exports of stored events: ACLED-format CSV, GeoJSON points, Parquet.

Each takes the same ``EventFilter`` as queries (events of near-duplicate
documents are left out by default, so a syndicated story counts once) and
writes to a path or an open stream.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO

from ..errors import StoreError, UsageError
from . import acled
from .queries import EventFilter, event_sql

FORMATS = ("acled-csv", "geojson", "parquet")


@contextlib.contextmanager
def _open_text(dest: str | os.PathLike | IO):
    if hasattr(dest, "write"):
        if isinstance(dest, io.TextIOBase) or "b" not in getattr(dest, "mode", "w"):
            yield dest
        else:  # a binary stream (sys.stdout.buffer, BytesIO)
            wrapper = io.TextIOWrapper(dest, encoding="utf-8", newline="", write_through=True)
            try:
                yield wrapper
            finally:
                wrapper.detach()
        return
    try:
        with open(dest, "w", encoding="utf-8", newline="") as fh:
            yield fh
    except OSError as exc:
        raise StoreError(f"cannot write {dest}: {exc.strerror or exc}") from exc


def export(store, fmt: str, dest: str | os.PathLike | IO, flt: EventFilter) -> int:
    """Write the events `flt` selects to `dest` in `fmt`; the number of events written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "acled-csv":
        return _acled_csv(store, dest, flt)
    if fmt == "geojson":
        return _geojson(store, dest, flt)
    return _parquet(store, dest, flt)


def acled_events(store, flt: EventFilter):
    """The events an ACLED export holds: not those the text says did not (or did not yet) happen,
    unless a modality filter asks for them."""
    for ev in store.iter_events(flt):
        if flt.modality or ev["modality"] not in acled.NOT_EVENTS:
            yield ev


def _acled_csv(store, dest, flt: EventFilter) -> int:
    n = 0
    with _open_text(dest) as fh:
        writer = csv.DictWriter(fh, fieldnames=acled.COLUMNS, lineterminator="\n")
        writer.writeheader()
        for ev in acled_events(store, flt):
            writer.writerow(acled.row(ev))
            n += 1
    return n


def _json_value(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def feature(ev: dict) -> dict | None:
    """One GeoJSON point (RFC 7946: [longitude, latitude]); None for an event without a location."""
    if ev.get("latitude") is None or ev.get("longitude") is None:
        return None
    props = {k: _json_value(v) for k, v in ev.items()}
    props["notes"] = acled.notes(ev)
    return {"type": "Feature", "id": f"{ev['doc_key']}|{ev['event_id']}",
            "geometry": {"type": "Point", "coordinates": [ev["longitude"], ev["latitude"]]},
            "properties": props}


def _geojson(store, dest, flt: EventFilter) -> int:
    # streamed feature by feature: the FeatureCollection never sits in memory whole
    n = 0
    with _open_text(dest) as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for ev in store.iter_events(flt):
            feat = feature(ev)
            if feat is None:
                continue
            fh.write((",\n" if n else "") + json.dumps(feat, ensure_ascii=False))
            n += 1
        fh.write("\n]}\n")
    return n


def _parquet(store, dest, flt: EventFilter) -> int:
    """DuckDB's own COPY … TO (FORMAT parquet), columns and types as `Store.events()` returns them."""
    import duckdb

    if hasattr(dest, "write"):  # COPY writes files: go through a temporary one for a stream
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "events.parquet"
            n = _parquet(store, path, flt)
            with open(path, "rb") as fh:
                shutil.copyfileobj(fh, getattr(dest, "buffer", dest))
            return n
    sql, params = event_sql(flt)
    try:
        n = store.con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
        # the target as a quoted literal: DuckDB 1.5 binds no parameter there once the query has some
        target = "'" + str(dest).replace("'", "''") + "'"
        store.con.execute(f"COPY ({sql}) TO {target} (FORMAT parquet, COMPRESSION zstd)", params)
    except duckdb.IOException as exc:
        raise StoreError(f"cannot write {dest}: {exc}") from exc
    except duckdb.Error as exc:
        raise StoreError(f"parquet export failed: {exc}") from exc
    return n
