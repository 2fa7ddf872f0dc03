"""The Spark engine: the same pipeline in every executor's Python worker, once per process.

Inputs become one RDD of ``(source, line, json_line_bytes | None, record | None)``:
JSONL files through ``textFile(use_unicode=False)`` (bytes, so tadmor's own
decoding and its ``invalid_utf8`` error apply, exactly as ``tadmor extract``)
numbered per file as ``zipWithIndex`` numbers them (``numbered``: its partitions
follow the file's order, and its counting pass also starts each worker loading its
pipeline); Parquet files through ``spark.read.parquet`` with the hidden
``_metadata.row_index``, so a record's fallback id never depends on how Spark
split the file. ``mapPartitionsWithIndex`` runs ``tadmor.pipeline._worker_pipeline``
(one Pipeline per Python worker, reused across tasks since Spark reuses its Python
workers), and each task writes its documents and events
with pyarrow, exactly as the local engine does, under a staging directory of
the output. Once every task has finished, the two datasets are renamed into
place: a failed job leaves no partial ``documents/`` or ``events/`` behind.
Only three counts per task travel back to the driver.

Why not Spark's own Parquet writer: it first converts every row into the JVM,
and Hadoop's local file system forks a ``chmod`` process for each file and
directory it creates; with output partitioned by month and country that was a
fifth of the whole run on two cores (``bench/PROFILE.md``).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
import uuid
from collections import deque
from itertools import accumulate
from pathlib import Path

from ..config import Config
from .batch import DATASETS, BatchStats, ParquetSink
from .inputs import RECORD_COLUMNS, InputFile, raw_from_line, raw_from_record


def spark_session(master: str):
    """A session for ``master``; in local mode the Python workers run this interpreter (the venv's)."""
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master(master).appName("tadmor batch")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.python.worker.reuse", "true"))  # keeps each worker's loaded pipeline
    if master.startswith("local"):
        # PySpark's daemon, run from the installed and compiled PySpark (daemon.py). Locally only: there the
        # workers run an interpreter that has tadmor; a cluster opts in with the same setting (README.md)
        builder = builder.config("spark.python.daemon.module", "tadmor.scale.daemon")
        if not driver_java_options_given():
            # the local JVM only schedules and ships bytes; its optimising compiler (C2) burnt 1.0-1.5
            # CPU-s during a 10,000-note run, taken from the two Python workers (bench/PROFILE.md)
            builder = builder.config("spark.driver.extraJavaOptions", LOCAL_JAVA_OPTIONS)
        if not os.environ.get("PYSPARK_PYTHON"):
            # PySpark reads the workers' interpreter from this variable when the context starts; without it
            # local workers run whatever `python3` is on PATH, which need not have tadmor installed
            os.environ["PYSPARK_PYTHON"] = sys.executable
    return builder.getOrCreate()


LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"  # the quick compiler (C1) only


def driver_java_options_given(environ=os.environ) -> bool:
    """Has the user set the driver JVM's options (``PYSPARK_SUBMIT_ARGS``, ``spark-defaults.conf``)? Then
    tadmor leaves them be: a ``spark.driver.extraJavaOptions`` of its own would replace theirs."""
    args = environ.get("PYSPARK_SUBMIT_ARGS", "")
    if "driver-java-options" in args or "spark.driver.extraJavaOptions" in args:
        return True
    conf_dir = environ.get("SPARK_CONF_DIR")
    if not conf_dir:
        home = environ.get("SPARK_HOME")
        if not home:
            import pyspark

            home = os.path.dirname(pyspark.__file__)  # a pip-installed PySpark is its own Spark home
        conf_dir = os.path.join(home, "conf")
    try:
        with open(os.path.join(conf_dir, "spark-defaults.conf"), encoding="utf-8", errors="replace") as fh:
            # a Java properties file: "key value", "key=value" or "key: value"
            return any(re.match(r"\s*spark\.driver\.extraJavaOptions\s*[=:\s]", line) for line in fh)
    except OSError:
        return False


def run_spark(files: list[InputFile], out: Path, *, config: Config, master: str = "local[*]",
              partitions: int | None = None) -> BatchStats:
    stats = BatchStats(engine="spark", files=[str(f.path) for f in files])
    t0 = time.perf_counter()
    spark = spark_session(master)
    stats.startup_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    staging = out / f"_staging-{uuid.uuid4().hex}"  # "_": never read back as input
    try:
        records = input_rdd(spark, files, config)
        if partitions:
            records = records.repartition(partitions)
        target = str(staging.resolve())
        totals = records.mapPartitionsWithIndex(
            lambda task, part: write_partition(task, part, config, target)).collect()
        publish(staging, out)
        stats.documents, stats.events, stats.with_errors = (sum(t[k] for t in totals) for k in range(3))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        stats.run_s = time.perf_counter() - t1
    return stats


def publish(staging: Path, out: Path) -> None:
    """The finished datasets into place: one directory rename each, once every task has written."""
    for name in DATASETS:
        (staging / name).mkdir(parents=True, exist_ok=True)  # no rows anywhere: still a dataset to open
        (staging / name).rename(out / name)


def input_rdd(spark, files: list[InputFile], config: Config):
    sc = spark.sparkContext
    rdds = []
    for f in files:
        uri = f.path.resolve().as_uri()  # file:// (run_batch on a cluster: see README.md)
        source, shown = f.source, str(f.path)
        if f.kind == "jsonl":
            lines = numbered(sc.textFile(uri, use_unicode=False), config)
            rdds.append(lines.map(lambda t, s=source, p=shown: (p, t[1] + 1, s, bytes(t[0]), None)))
        else:
            df = spark.read.parquet(uri)
            cols = [c for c in df.columns if c in RECORD_COLUMNS]
            df = df.select(*cols, df["_metadata.row_index"].alias("__row"))
            rdds.append(df.rdd.map(lambda r, s=source, p=shown, c=tuple(cols):
                                   (p, r["__row"] + 1, s, None, {k: r[k] for k in c})))
    return sc.union(rdds) if len(rdds) > 1 else rdds[0]


def numbered(lines, config: Config):
    """``(line, index)`` in the file's order, as PySpark's ``zipWithIndex`` numbers them: a first job
    counts each partition's lines, and each partition then numbers its own from the counts before
    it. Each Python worker that counts also starts loading its pipeline (``preload``), so that
    ~2 s overlaps Spark's own work between the two jobs."""
    counts = lines.mapPartitions(lambda part, c=config: _count_and_preload(part, c)).collect()
    starts = list(accumulate(counts[:-1], initial=0))
    return lines.mapPartitionsWithIndex(lambda k, part, s=starts: ((line, i) for i, line in enumerate(part, s[k])))


def _count_and_preload(part, config: Config):
    from ..heap import tune_malloc
    from ..pipeline import preload

    tune_malloc()  # before the models load: as the command line does (tadmor/heap.py)
    preload(config)
    yield sum(1 for _ in part)


def write_partition(task: int, part, config: Config, target: str):
    """Executor side: one partition of inputs extracted and written as Parquet under ``target``.

    Written by pyarrow in the Python worker, as the local engine writes (``ParquetSink``): no rows
    cross into the JVM, and Hadoop's local file system, which forks a ``chmod`` for every file and
    directory it creates, is not involved. File names are ``part-<task>-<chunk>-<i>``: a retried
    task writes the same names again, so a retry never duplicates rows. Yields one
    ``(documents, events, with_errors)``.
    """
    from ..heap import tune_malloc
    from ..pipeline import _worker_pipeline

    tune_malloc()  # as the command line does (tadmor/heap.py); once per Python worker process
    pipeline = _worker_pipeline(config)  # once per Python worker process
    where: deque[tuple[str, int]] = deque()  # (source, line) of the documents in flight

    def raws():
        for path, line, source, data, record in part:
            raw = raw_from_line(data, source, line) if data is not None else raw_from_record(record, source, line)
            if raw is not None:
                where.append((path, line))
                yield raw

    docs = events = with_errors = 0
    with ParquetSink(Path(target), prefix=f"part-{task:05d}") as sink:
        for doc in pipeline.run(raws()):
            path, line = where.popleft()
            sink.add(doc, path, line)
            docs, events, with_errors = docs + 1, events + len(doc.events), with_errors + bool(doc.errors)
            if sink.full:
                sink.flush()
    yield docs, events, with_errors
