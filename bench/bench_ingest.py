"""Throughput and idempotency of ``Store.ingest``: the same documents stored twice into a temporary database.

    .venv/bin/python bench/bench_ingest.py [--n 3347] [--data ../shared/data/dev/acled.jsonl]
                                           [--documents pipeline|gold] [--batch-size 64]

`--documents pipeline` (default) runs the real pipeline once over the texts
(timed apart) and stores its Documents; `--documents gold` builds one Event
per line from the line's own coded answer, to time the store alone when the
pipeline is not at hand. The data file is read at run time only; nothing from
it is kept. Prints docs/s for each run, the rows the second run added (must be
0) and the database size; asserts nothing but that 0.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dev" / "acled.jsonl"


def read_lines(path: Path, n: int) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
                if len(rows) >= n:
                    break
    return rows


def gold_documents(rows: list[dict]):
    """A Document per line with one Event from the line's coded fields (store load without the pipeline)."""
    from tadmor.model import AssocActor, Document, Event, EventActor, Fatalities, Location, Span

    for r in rows:
        g, text = r.get("gold") or {}, r["text"]
        ev = Event(
            event_id=f"{r['id']}#1", event_type=g.get("event_type") or "Strategic developments",
            sub_event_type=g.get("sub_event_type") or "Other", date=g.get("event_date"),
            time_precision=g.get("time_precision") or 3,
            actor1=EventActor(name=g["actor1"], inter=g.get("inter1") or 0) if g.get("actor1") else None,
            actor2=EventActor(name=g["actor2"], inter=g.get("inter2") or 0) if g.get("actor2") else None,
            assoc_actors=[AssocActor(name=a, inter=g.get("inter1") or 0)
                          for a in (g.get("assoc_actor_1") or "").split("; ") if a],
            location=Location(name=g.get("location") or "", lat=g.get("latitude") or 0.0,
                              lon=g.get("longitude") or 0.0, admin1=g.get("admin1"), admin2=g.get("admin2"),
                              geo_precision=g.get("geo_precision") or 3) if g.get("location") else None,
            fatalities=Fatalities(count=g.get("fatalities")), evidence=Span.of(text, 0, min(len(text), 400)),
        )
        yield Document(doc_id=r["id"], text=text, clean_text=text, outlet=g.get("source"), events=[ev])


def pipeline_documents(rows: list[dict], batch_size: int) -> tuple[list, float]:
    from dataclasses import replace

    from tadmor.config import DEFAULT
    from tadmor.ingest.readers import RawDoc
    from tadmor.pipeline import Pipeline

    pipeline = Pipeline(replace(DEFAULT, batch_size=batch_size)).warm_up()
    t0 = time.perf_counter()
    docs = list(pipeline.run(RawDoc(doc_id=r["id"], text=r["text"], published=r.get("published")) for r in rows))
    return docs, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10**9, help="at most this many lines (default: all)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--documents", choices=("pipeline", "gold"), default="pipeline")
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()

    rows = read_lines(args.data, args.n)
    if args.documents == "gold":
        docs = list(gold_documents(rows))
        print(f"{len(docs)} documents built from the coded answers")
    else:
        docs, secs = pipeline_documents(rows, args.batch_size)
        print(f"pipeline: {len(docs)} documents in {secs:.1f} s ({len(docs) / secs:.1f} docs/s), "
              f"{sum(len(d.events) for d in docs)} events")

    from tadmor.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Store(path, batch_size=args.batch_size) as store:
            t0 = time.perf_counter()
            first = store.ingest(docs, "bench")
            t1 = time.perf_counter()
            counts = store.counts()
            second = store.ingest(docs, "bench")
            t2 = time.perf_counter()
            added = {k: v - counts[k] for k, v in store.counts().items()}
            t3 = time.perf_counter()
            n_events = len(store.events())
            t4 = time.perf_counter()
            export = Path(tmp) / "events.csv"
            store.export("acled-csv", export)
            t5 = time.perf_counter()
        size = path.stat().st_size + sum(p.stat().st_size for p in Path(tmp).glob("bench.duckdb.wal"))
        print(f"first ingest:  {first.summary()}; {len(docs) / (t1 - t0):.0f} docs/s")
        print(f"second ingest: {second.summary()}; {len(docs) / (t2 - t1):.0f} docs/s")
        print(f"rows added by the second run: {sum(added.values())} ({', '.join(f'{k} {v}' for k, v in added.items())})")
        print(f"rows stored: {', '.join(f'{k} {v}' for k, v in counts.items())}")
        print(f"database size: {size / 1e6:.1f} MB ({size / max(1, len(docs)) / 1e3:.1f} kB/doc)")
        print(f"events query (all {n_events}): {t4 - t3:.2f} s; acled-csv export: {t5 - t4:.2f} s")
        if sum(added.values()) != 0:
            raise SystemExit("FAIL: the second run added rows")


if __name__ == "__main__":
    main()
