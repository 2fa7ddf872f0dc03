"""``tadmor demo --serve``: the bundled sample articles (and ``../shared/seeds`` when present) in a store,
served with the web app."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def demo_paths(seeds: Path | None = SEEDS) -> list[Path]:
    from ..demo import sample_paths

    paths = list(sample_paths())
    if seeds is not None and seeds.is_dir():
        paths += sorted(seeds.glob("*.txt"))
    return paths


def build_demo_store(db: str, paths: list[Path], pipeline=None):
    """Extract ``paths`` and store them in ``db`` (source ``demo``); returns (pipeline, IngestStats)."""
    from ..ingest import read_file
    from ..pipeline import Pipeline
    from ..store import Store

    pipeline = pipeline or Pipeline().warm_up()
    docs = pipeline.run(raw for p in paths for raw in read_file(str(p)))
    with Store(db) as store:
        stats = store.ingest(docs, "demo")
    return pipeline, stats


def serve_demo(host: str = "127.0.0.1", port: int = 8000, db: str | None = None) -> None:
    """Ingest the samples (and seeds) into ``db`` (a temporary store by default), then serve until interrupted."""
    from ..api.app import create_app
    from ..api.server import serve

    with tempfile.TemporaryDirectory(prefix="tadmor-demo-") as tmp:
        db = db or str(Path(tmp) / "tadmor-demo.duckdb")
        paths = demo_paths()
        sys.stderr.write(f"tadmor: extracting {len(paths)} articles into {db} (loading the models first)…\n")
        pipeline, stats = build_demo_store(db, paths)
        sys.stderr.write(f"tadmor: {stats.summary()}\n")
        serve(db, host, port, app=create_app(db, pipeline=pipeline))
