"""The Spark engine: the same pipeline in every executor's Python worker, once per process.

Inputs become one RDD of ``(source, line, json_line_bytes | None, record | None)``:
JSONL files through ``textFile(use_unicode=False)`` (bytes, so tadmor's own
decoding and its ``invalid_utf8`` error apply, exactly as ``tadmor extract``)
numbered with ``zipWithIndex`` per file (its partitions follow the file's
order); Parquet files through ``spark.read.parquet`` with the hidden
``_metadata.row_index``, so a record's fallback id never depends on how Spark
split the file. ``mapPartitions`` runs ``tadmor.pipeline._worker_pipeline`` (an
``lru_cache``: one Pipeline per Python worker, reused across tasks since Spark
reuses its Python workers) and yields one row per document with its events
nested; the result is persisted and written twice: ``documents/`` without the
events, ``events/`` exploded from them.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from pathlib import Path

from ..config import Config
from .batch import BatchStats
from .inputs import RECORD_COLUMNS, InputFile, raw_from_line, raw_from_record
from .tables import PARTITIONS, document_row, event_rows, schemas, spark_schema


def spark_session(master: str):
    """A session for ``master``; in local mode the Python workers run this interpreter (the venv's)."""
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master(master).appName("tadmor batch")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.python.worker.reuse", "true"))  # keeps each worker's loaded pipeline
    if master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        # PySpark reads the workers' interpreter from this variable when the context starts; without it
        # local workers run whatever `python3` is on PATH, which need not have tadmor installed
        os.environ["PYSPARK_PYTHON"] = sys.executable
    return builder.getOrCreate()


def run_spark(files: list[InputFile], out: Path, *, config: Config, master: str = "local[*]",
              partitions: int | None = None) -> BatchStats:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    stats = BatchStats(engine="spark", files=[str(f.path) for f in files])
    t0 = time.perf_counter()
    spark = spark_session(master)
    stats.startup_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    try:
        records = input_rdd(spark, files)
        if partitions:
            records = records.repartition(partitions)
        doc_schema, event_schema = schemas()
        from pyspark.sql import types as T

        nested = T.ArrayType(spark_schema(event_schema), True)
        schema = spark_schema(doc_schema, {"events": nested})
        rows = records.mapPartitions(lambda part: extract_partition(part, config))
        df = spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            (df.drop("events").write.mode("overwrite").partitionBy(*PARTITIONS)
             .parquet((out / "documents").resolve().as_uri()))
            (df.select(F.explode("events").alias("e")).select("e.*").write.mode("overwrite")
             .partitionBy(*PARTITIONS).parquet((out / "events").resolve().as_uri()))
            totals = df.agg(F.count(F.lit(1)).alias("docs"), F.sum("n_events").alias("events"),
                            F.sum(F.when(F.size("errors") > 0, 1).otherwise(0)).alias("errs")).first()
        finally:
            df.unpersist()
        stats.documents, stats.events, stats.with_errors = totals["docs"], totals["events"] or 0, totals["errs"] or 0
    finally:
        stats.run_s = time.perf_counter() - t1
    return stats


def input_rdd(spark, files: list[InputFile]):
    sc = spark.sparkContext
    rdds = []
    for f in files:
        uri = f.path.resolve().as_uri()  # file:// (run_batch on a cluster: see README.md)
        source, shown = f.source, str(f.path)
        if f.kind == "jsonl":
            lines = sc.textFile(uri, use_unicode=False).zipWithIndex()
            rdds.append(lines.map(lambda t, s=source, p=shown: (p, t[1] + 1, s, bytes(t[0]), None)))
        else:
            df = spark.read.parquet(uri)
            cols = [c for c in df.columns if c in RECORD_COLUMNS]
            df = df.select(*cols, df["_metadata.row_index"].alias("__row"))
            rdds.append(df.rdd.map(lambda r, s=source, p=shown, c=tuple(cols):
                                   (p, r["__row"] + 1, s, None, {k: r[k] for k in c})))
    return sc.union(rdds) if len(rdds) > 1 else rdds[0]


def extract_partition(part, config: Config):
    """Executor side: one partition of inputs to document rows (events nested), in order."""
    from ..pipeline import _worker_pipeline

    pipeline = _worker_pipeline(config)  # once per Python worker process
    doc_schema, event_schema = schemas()
    doc_cols, event_cols = doc_schema.names, event_schema.names
    where: deque[tuple[str, int]] = deque()  # (source, line) of the documents in flight

    def raws():
        for path, line, source, data, record in part:
            raw = raw_from_line(data, source, line) if data is not None else raw_from_record(record, source, line)
            if raw is not None:
                where.append((path, line))
                yield raw

    for doc in pipeline.run(raws()):
        path, line = where.popleft()
        row = document_row(doc, path, line)
        row["errors"] = [(e["code"], e["message"]) for e in row["errors"]]
        events = [tuple(e[c] for c in event_cols) for e in event_rows(doc)]
        yield tuple(row[c] for c in doc_cols) + (events,)
