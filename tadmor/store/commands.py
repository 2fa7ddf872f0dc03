"""Typer command functions for the store; the main app registers them (``app.command()(commands.ingest)``).

Thin shells: open the database, call one Store method, print. Errors are raised
as StoreError / UsageError and the CLI turns them into one-line messages.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import Optional

import typer

from ..errors import UsageError

DB_HELP = "The DuckDB database file."
TABLE_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "admin1",
                 "fatalities", "modality", "event_id")
CSV_COLUMNS = ("doc_key", "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
               "inter1", "actor2", "inter2", "assoc_actors", "location", "admin1", "admin2", "country", "latitude",
               "longitude", "geo_precision", "fatalities", "fatalities_modality", "modality", "claimed_by",
               "confidence", "outlet", "url")


def ingest(
    paths: list[str] = typer.Argument(None, help="Articles: text, Markdown, HTML or .jsonl files; `-` reads JSON lines from stdin."),
    jsonl: Optional[str] = typer.Option(None, "--jsonl", help="A JSON-lines file, one document a line. `-` for stdin."),
    db: str = typer.Option("tadmor.duckdb", "--db", help=DB_HELP),
    source: str = typer.Option("local", "--source", help="A label for this collection: with the doc_id it identifies documents that have no url."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, max=10_000, help="Documents per transaction (and per spaCy batch)."),
    force: bool = typer.Option(False, "--force", help="Re-store unchanged documents too (after the extractor changed)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="A progress bar on stderr."),
    from_parquet: Optional[str] = typer.Option(None, "--from-parquet", help="Load a `tadmor batch` result folder (documents/ and events/) instead of extracting."),
):
    """Extract events from documents and store them in a DuckDB database.

    Re-running on the same input adds nothing; a changed document replaces its old
    version; a near-duplicate (a syndicated copy) is linked to the first one seen.
    An interrupted run leaves whole batches only; run it again to finish.

    Examples:

        tadmor ingest article.txt page.html --db events.duckdb

        tadmor ingest --jsonl feed.jsonl --source feed-a

        tadmor ingest --from-parquet batch-out/
    """
    if not paths and not jsonl and not from_parquet:
        raise UsageError("give at least one FILE, `-` for stdin, --jsonl FILE, or --from-parquet DIR")
    from dataclasses import replace

    from ..config import DEFAULT
    from ..ingest import read_inputs
    from ..pipeline import Pipeline
    from .store import Store

    if from_parquet:
        from ..scale import documents_from_parquet

        docs = documents_from_parquet(from_parquet)  # already extracted by `tadmor batch`
    else:
        pipeline = Pipeline(replace(DEFAULT, batch_size=batch_size))
        docs = pipeline.run(read_inputs(paths or [], jsonl, stdin=sys.stdin.buffer))
    with Store(db, batch_size=batch_size) as store, _progress(progress) as tick:
        stats = store.ingest(_ticking(docs, tick), source, force=force)
    for doc_id, why in stats.failures[:10]:
        typer.echo(f"not stored: {doc_id}: {why}", err=True)
    typer.echo(f"{db}: {stats.summary()}")


def events(
    db: str = typer.Option("tadmor.duckdb", "--db", help=DB_HELP),
    place: Optional[str] = typer.Option(None, "--place", help="Location, admin1 or admin2 containing this (any case)."),
    actor: Optional[str] = typer.Option(None, "--actor", help="actor1, actor2 or an associated actor containing this (any case)."),
    type: Optional[str] = typer.Option(None, "--type", help="An event type or sub-event type, e.g. Battles or 'Air/drone strike'."),
    since: Optional[str] = typer.Option(None, "--since", help="Events on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Events on or before this date (YYYY-MM-DD)."),
    modality: Optional[str] = typer.Option(None, "--modality", help="asserted, claimed, reported, uncertain, hypothetical, future or negated."),
    fmt: str = typer.Option("table", "--format", help="table, json (one JSON object a line) or csv."),
    limit: Optional[int] = typer.Option(None, "--limit", min=0, help="At most this many events."),
    duplicates: bool = typer.Option(False, "--duplicates", help="Also list events of documents linked as near-duplicates."),
    near: Optional[str] = typer.Option(None, "--near", help="Events around a point, nearest first: 'LAT,LON' or a place name (its best-known sense)."),
    within: float = typer.Option(50.0, "--within", min=0.001, help="With --near: the radius in km."),
):
    """List stored events, by date, filtered; or around a point with --near.

    Distances are great-circle km, computed by DuckDB's spatial extension
    (installed from PyPI, never downloaded) or, without it, the haversine formula.

    Examples:

        tadmor events --place homs --since 2016-12-01

        tadmor events --actor "islamic state" --type Battles --format json

        tadmor events --near Palmyra --within 60

        tadmor events --near 34.52,37.63 --within 10 --type 'Air/drone strike'
    """
    if fmt not in ("table", "json", "csv"):
        raise UsageError("--format is table, json or csv")
    from .store import Store

    with Store(db, read_only=True) as store:
        flt = dict(place=place, actor=actor, type=type, since=since, until=until, modality=modality)
        if near:
            lat, lon = _point(near)
            rows = store.near(lat, lon, within, limit=limit, **flt, include_duplicates=duplicates)
        else:
            rows = store.events(**flt, limit=limit, include_duplicates=duplicates)
    out = sys.stdout
    if fmt == "json":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow(["; ".join(r[c]) if c == "assoc_actors" else _cell(r[c]) for c in CSV_COLUMNS])
    else:
        from rich.console import Console
        from rich.table import Table

        columns = TABLE_COLUMNS + (("distance_km",) if near else ())
        table = Table(title=f"{len(rows)} events" + (f" within {within:g} km of {near}" if near else ""))
        for col in columns:
            table.add_column(col)
        for r in rows:
            table.add_row(*(_cell(round(r[c], 1) if c == "distance_km" else r[c]) for c in columns))
        Console().print(table)


def _point(near: str) -> tuple[float, float]:
    """'34.5,37.6' as given; a name at its best-known sense (a country, a division, the most populous town)."""
    parts = near.split(",")
    if len(parts) == 2:
        try:
            return float(parts[0]), float(parts[1])
        except ValueError:
            pass
    from ..geo.gazetteer import load

    hits = load().lookup(near)
    if not hits:
        raise UsageError(f"--near: no place called {near!r} is known; give 'LAT,LON'")
    # "Palmyra" is Tadmur (51,000 people) before Palmyra, Pennsylvania: the most populous sense
    best = max(hits, key=lambda h: (h.entry.kind == "country", h.entry.pop)).entry
    return best.lat, best.lon


def export(
    db: str = typer.Option("tadmor.duckdb", "--db", help=DB_HELP),
    fmt: str = typer.Option("acled-csv", "--format", help="acled-csv, geojson or parquet."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="The file to write; stdout when omitted (not for parquet)."),
    place: Optional[str] = typer.Option(None, "--place"),
    actor: Optional[str] = typer.Option(None, "--actor"),
    type: Optional[str] = typer.Option(None, "--type"),
    since: Optional[str] = typer.Option(None, "--since"),
    until: Optional[str] = typer.Option(None, "--until"),
    modality: Optional[str] = typer.Option(None, "--modality"),
):
    """Export stored events as ACLED-format CSV, GeoJSON (QGIS, Leaflet) or Parquet (pandas, DuckDB).

    Events of near-duplicate documents are counted once; in `acled-csv`, claimed
    fatalities are written as 0 and events that did not happen are left out, as ACLED does.

    Examples:

        tadmor export --format acled-csv -o events.csv

        tadmor export --format geojson --place aleppo > aleppo.geojson
    """
    from .export import FORMATS
    from .store import Store

    if fmt not in FORMATS:
        raise UsageError(f"--format is one of {', '.join(FORMATS)}")
    if fmt == "parquet" and not output:
        raise UsageError("parquet is binary: give --output FILE")
    with Store(db, read_only=True) as store:
        n = store.export(fmt, output or sys.stdout, place=place, actor=actor, type=type, since=since, until=until,
                         modality=modality)
    if output:
        typer.echo(f"{n} events written to {output}", err=True)


def _cell(value) -> str:
    return "" if value is None else str(value)


def _ticking(docs, tick):
    for doc in docs:
        yield doc
        tick()


class _progress:
    """A rich progress display with a count on stderr (the total is unknown while reading streams)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.progress = None

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(SpinnerColumn(), TextColumn("{task.completed} documents"), BarColumn(),
                                 TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self.progress.start()
        task = self.progress.add_task("ingest", total=None)
        return lambda: self.progress.advance(task)

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()
        return False
