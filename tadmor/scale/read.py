"""Rebuild contract ``Document``s from a batch result (for ``tadmor ingest --from-parquet``).

Streams: documents are read in chunks, ordered by ``(source, line)`` within
the result, and each chunk's events are fetched with a filter on ``doc_id``
(only the ``doc_id``, ``seq`` and ``event`` columns are read), so memory holds
one chunk, not the whole result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from ..errors import UsageError
from ..model import Document
from .tables import rebuild

DOC_COLUMNS = ("source", "line", "doc_id", "title", "outlet", "author", "published", "url", "text", "clean_text",
               "original_source", "relays", "sections", "actors", "places", "quantities", "errors")


def _dataset(path: Path):
    import pyarrow.dataset as ds

    return ds.dataset(path, format="parquet", partitioning="hive",
                      exclude_invalid_files=True, ignore_prefixes=[".", "_"])


def documents_from_parquet(directory: str | Path, chunk: int = 5000) -> Iterator[Document]:
    import pyarrow.compute as pc

    root = Path(directory)
    if not (root / "documents").is_dir():
        raise UsageError(f"{directory} is not a tadmor batch result (no documents/ inside)")
    # sorting needs the keys of every row; only these two small columns are read whole
    keys = _dataset(root / "documents").to_table(columns=["source", "line", "doc_id"])
    order = keys.sort_by([("source", "ascending"), ("line", "ascending")])["doc_id"].to_pylist()
    docs_ds = _dataset(root / "documents")
    events_ds = _dataset(root / "events") if (root / "events").is_dir() and any((root / "events").rglob("*.parquet")) else None
    for start in range(0, len(order), chunk):
        ids = order[start:start + chunk]
        flt = pc.field("doc_id").isin(ids)
        rows = {r["doc_id"]: r for r in docs_ds.to_table(columns=list(DOC_COLUMNS), filter=flt).to_pylist()}
        events: dict[str, list[dict]] = defaultdict(list)
        if events_ds is not None:
            for r in events_ds.to_table(columns=["doc_id", "seq", "event"], filter=flt).to_pylist():
                events[r["doc_id"]].append(r)
        for doc_id in dict.fromkeys(ids):  # doc_ids key the store; a repeated one is yielded once
            yield rebuild(rows[doc_id], events.get(doc_id, []))
