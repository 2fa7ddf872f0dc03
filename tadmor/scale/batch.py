"""``tadmor batch``: run the pipeline over JSONL/Parquet inputs and write the two Parquet datasets.

The ``local`` engine runs here (``Pipeline.run``, or ``run_parallel`` across
``workers`` processes) and writes with pyarrow, a chunk of documents at a time,
so memory stays bounded however long the input. The ``spark`` engine is in
``spark.py``.
"""

from __future__ import annotations

import shutil
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import DEFAULT, Config
from ..errors import UsageError
from ..ingest.readers import RawDoc
from .inputs import InputFile, input_files, iter_raws
from .tables import PARTITIONS, document_row, event_rows, schemas

ENGINES = ("local", "spark")
DATASETS = ("documents", "events")
# Rows are buffered up to CHUNK documents or CHUNK_BYTES of their text and JSON, whichever comes first:
# memory stays flat however long the input, and each write covers many documents, since a write makes
# one file per month and country present (~1 ms each; 2,000 dev notes span 150 such pairs)
CHUNK = 10_000
CHUNK_BYTES = 32 << 20


@dataclass
class BatchStats:
    engine: str
    documents: int = 0
    events: int = 0
    with_errors: int = 0
    startup_s: float = 0.0  # Spark session (and executors) up; model loading counts in run_s
    run_s: float = 0.0
    tasks: int = 0  # Spark tasks
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.documents} documents ({self.with_errors} with errors), {self.events} events "
                f"in {self.run_s:.1f} s ({self.engine}"
                + (f", {self.tasks} tasks" if self.tasks else "")
                + (f", start-up {self.startup_s:.1f} s" if self.startup_s else "") + ")")


def run_batch(inputs: list[str], output: str, *, engine: str = "local", workers: int = 1, batch_size: int = 64,
              master: str = "local[*]", partitions: int | None = None, overwrite: bool = False,
              config: Config = DEFAULT, chunk: int = CHUNK) -> BatchStats:
    if engine not in ENGINES:
        raise UsageError(f"--engine is one of {', '.join(ENGINES)}")
    if not inputs:
        raise UsageError("give --input FILE or DIR")
    files = input_files(inputs)
    out = prepare_output(output, overwrite)
    config = replace(config, batch_size=batch_size, workers=workers)
    if engine == "spark":
        from .spark import run_spark

        return run_spark(files, out, config=config, master=master, partitions=partitions)
    return run_local(files, out, config=config, workers=workers, chunk=chunk)


def prepare_output(output: str, overwrite: bool) -> Path:
    """The output directory, refusing to mix a new result into an old one unless told to replace it."""
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--output {output} is a file, not a directory")
    for name in DATASETS:
        target = out / name
        if target.exists():
            if not overwrite:
                raise UsageError(f"{target} exists; pass --overwrite to replace it")
            shutil.rmtree(target)
    out.mkdir(parents=True, exist_ok=True)
    return out


def run_local(files: list[InputFile], out: Path, *, config: Config, workers: int, chunk: int = CHUNK) -> BatchStats:
    from ..pipeline import Pipeline

    stats = BatchStats(engine="local", files=[str(f.path) for f in files])
    t0 = time.perf_counter()
    pipeline = Pipeline(config)
    with ParquetSink(out, max_docs=chunk) as sink:
        stats.documents, stats.events, stats.with_errors = write_documents(
            sink, iter_raws(files), lambda raws: pipeline.run_parallel(raws, workers))
    stats.run_s = time.perf_counter() - t0
    return stats


def write_documents(sink: ParquetSink, items: Iterable[tuple[str, int, RawDoc]], extract) -> tuple[int, int, int]:
    """Every ``(source, line, RawDoc)`` of ``items`` through ``extract`` (RawDocs in, their Documents out,
    in order) into ``sink``, written whenever it is full. Both engines' tasks run this; returns
    ``(documents, events, with_errors)``."""
    where: deque[tuple[str, int]] = deque()  # (source, line) of the documents in flight, in order

    def raws():
        for source, line, raw in items:
            where.append((source, line))
            yield raw

    docs = events = with_errors = 0
    for doc in extract(raws()):
        source, line = where.popleft()
        sink.add(doc, source, line)
        docs, events, with_errors = docs + 1, events + len(doc.events), with_errors + bool(doc.errors)
        if sink.full:
            sink.flush()
    return docs, events, with_errors


class ParquetSink:
    """Buffers document and event rows and writes them as Hive-partitioned Parquet, a chunk at a time
    (``full``: ``max_docs`` documents or ``max_bytes`` of their text and JSON)."""

    def __init__(self, out: Path, prefix: str = "part", max_docs: int = CHUNK, max_bytes: int = CHUNK_BYTES):
        self.out = out
        self.prefix = prefix  # Spark tasks write side by side: each its own file names
        self.max_docs, self.max_bytes = max_docs, max_bytes
        self.docs: list[dict] = []
        self.events: list[dict] = []
        self.size = 0  # characters of text and JSON buffered
        self.part = 0

    @property
    def full(self) -> bool:
        return len(self.docs) >= self.max_docs or self.size >= self.max_bytes

    def add(self, doc, source: str, line: int) -> None:
        row, events = document_row(doc, source, line), event_rows(doc)
        self.docs.append(row)
        self.events.extend(events)
        self.size += row_size(row) + sum(row_size(e) for e in events)

    def flush(self) -> None:
        doc_schema, event_schema = schemas()
        for name, rows, schema in (("documents", self.docs, doc_schema), ("events", self.events, event_schema)):
            write_rows(self.out / name, rows, schema, f"{self.prefix}-{self.part:05d}-{{i}}.parquet")
        self.docs, self.events, self.size = [], [], 0
        self.part += 1

    def __enter__(self) -> "ParquetSink":
        return self

    def __exit__(self, exc_type, *exc) -> bool:
        if exc_type is None:
            self.flush()
        return False


def row_size(row: dict) -> int:
    """Characters in a row's strings: what its buffering costs, near enough (text, clean text, JSON)."""
    return sum(len(v) for v in row.values() if type(v) is str)


def write_rows(target: Path, rows: Iterable[dict], schema, basename_template: str) -> None:
    import pyarrow as pa
    import pyarrow.dataset as ds

    rows = list(rows)
    target.mkdir(parents=True, exist_ok=True)  # an empty dataset is still a directory readers can open
    if not rows:
        return
    table = pa.Table.from_pylist(rows, schema=schema)
    part_schema = pa.schema([schema.field(p) for p in PARTITIONS])
    ds.write_dataset(table, target, format="parquet", basename_template=basename_template,
                     partitioning=ds.partitioning(part_schema, flavor="hive"),
                     existing_data_behavior="overwrite_or_ignore")

