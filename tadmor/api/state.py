"""What one API process holds: the open store, the pipeline (loaded on first use), and the cross-source
comparison of the stored documents (computed on first use, again after the store changes).

DuckDB serves one connection from many threads badly, and spaCy is not meant for concurrent calls on one
pipeline, so each has a lock; FastAPI runs the (synchronous) endpoints in a thread pool.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Comparison, Document
    from ..pipeline import Pipeline
    from ..store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    max_body: int = 2 * 1024 * 1024  # bytes of a request body
    max_page: int = 500


@dataclass
class Snapshot:
    """The comparison of every canonical stored document, and what the views need to join it back."""

    generation: int
    comparison: "Comparison"
    doc_keys: dict[str, str] = field(default_factory=dict)  # doc_id → doc_key (first stored wins)
    meta: dict[str, dict] = field(default_factory=dict)  # doc_id → {outlet, title, published, url}
    aliases: dict[str, set[str]] = field(default_factory=dict)  # place name → how the texts wrote it
    places: dict[str, dict] = field(default_factory=dict)  # event location name → aggregate


class AppState:
    def __init__(self, db: str, *, pipeline: "Pipeline | None" = None,
                 pipeline_factory: Callable[[], "Pipeline"] | None = None, limits: Limits = Limits()):
        self.db = db
        self.limits = limits
        self._store: "Store | None" = None
        self._store_lock = threading.RLock()
        self._pipeline = pipeline
        self._pipeline_factory = pipeline_factory
        self._pipeline_lock = threading.Lock()
        self._generation = 0
        self._snapshot: Snapshot | None = None
        self._snapshot_lock = threading.Lock()

    # ---- store ----------------------------------------------------------------------------------

    def store(self) -> "Store":
        """The open store; callers hold ``self.locked()`` while they use it."""
        if self._store is None:
            from ..store import Store

            self._store = Store(self.db)
        return self._store

    def locked(self):
        return self._store_lock

    def changed(self) -> None:
        """The store was written: the next comparison is computed afresh."""
        with self._store_lock:
            self._generation += 1

    def close(self) -> None:
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    # ---- pipeline -------------------------------------------------------------------------------

    @property
    def pipeline_loaded(self) -> bool:
        return self._pipeline is not None

    def extract(self, raw) -> "Document":
        """One RawDoc through the pipeline; the models load on the first call of the process."""
        with self._pipeline_lock:
            if self._pipeline is None:
                if self._pipeline_factory is not None:
                    self._pipeline = self._pipeline_factory()
                else:
                    from ..pipeline import Pipeline

                    log.info("loading the extraction pipeline")
                    self._pipeline = Pipeline().warm_up()
            return next(self._pipeline.run([raw]))

    # ---- comparison -----------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        with self._snapshot_lock:
            gen = self._generation
            if self._snapshot is None or self._snapshot.generation != gen:
                with self._store_lock:
                    store = self.store()
                    docs = list(store.all_documents(include_duplicates=False))
                    rows = store.documents(include_duplicates=False)
                snap = build_snapshot(gen, docs)
                for r in rows:
                    snap.doc_keys.setdefault(r["doc_id"], r["doc_key"])
                self._snapshot = snap
            return self._snapshot


def build_snapshot(generation: int, docs: list["Document"]) -> Snapshot:
    from ..fuse import compare

    comparison = compare(docs)
    snap = Snapshot(generation=generation, comparison=comparison)
    for d in docs:
        snap.meta.setdefault(d.doc_id, {"outlet": d.outlet, "title": d.title, "published": d.published,
                                        "url": d.url})
        for p in d.places:
            if p.role == "literal":
                names = snap.aliases.setdefault(p.name, set())
                names.update(m.text.strip() for m in p.mentions if m.text.strip())
        for e in d.events:
            loc = e.location
            if loc is None:
                continue
            if loc.mention is not None and loc.mention.text.strip():
                snap.aliases.setdefault(loc.name, set()).add(loc.mention.text.strip())
            agg = snap.places.setdefault(loc.name, {"name": loc.name, "country": loc.country, "admin1": loc.admin1,
                                                    "lat": loc.lat, "lon": loc.lon, "events": 0,
                                                    "first": None, "last": None, "control_periods": 0})
            agg["events"] += 1
            if e.date:
                agg["first"] = min(filter(None, (agg["first"], e.date)))
                agg["last"] = max(filter(None, (agg["last"], e.date)))
    for period in comparison.control:
        if period.place in snap.places:
            snap.places[period.place]["control_periods"] += 1
    return snap


def place_matches(snapshot: Snapshot, query: str) -> list[str]:
    """Place names whose name, or a way a text wrote it, contains ``query`` (any case): "Palmyra" → Tadmur."""
    q = query.strip().lower()
    if not q:
        return []
    names = set(snapshot.places) | set(snapshot.aliases) | {p.place for p in snapshot.comparison.control}
    return sorted(n for n in names if q in n.lower() or any(q in a.lower() for a in snapshot.aliases.get(n, ())))
