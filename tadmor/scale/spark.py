"""The Spark engine: the same pipeline in every executor's Python worker, once per process.

JSONL inputs are cut by the driver into byte ranges that start at line starts
(``plan_tasks``), with the number of the first line of each: each Spark task
reads its ranges itself with tadmor's own reader (``inputs.jsonl_documents``), so lines,
their numbers and fallback ids are exactly those of ``tadmor extract``, and the
JVM neither reads nor ships the text. The ranges shrink towards the end of the
input: most of it in one task per core, then ever smaller tasks, so a core that
finishes early takes a small one instead of idling while the other finishes a
big one. Parquet files are read through ``spark.read.parquet`` with the hidden
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

import mmap
import os
import re
import shutil
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from .batch import DATASETS, BatchStats, ParquetSink, write_documents
from .inputs import RECORD_COLUMNS, InputFile, jsonl_documents, raw_from_record


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
        records = input_rdd(spark, files)
        if partitions:
            records = records.repartition(partitions)
        stats.tasks = records.getNumPartitions()
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


def input_rdd(spark, files: list[InputFile]):
    """One RDD of the inputs: JSONL tasks (each a list of ``Segment``s, one element per partition), then
    Parquet rows ``(path, row, source, record)``."""
    sc = spark.sparkContext
    rdds = []
    tasks = plan_tasks([f for f in files if f.kind == "jsonl"], sc.defaultParallelism)
    if tasks:
        rdds.append(sc.parallelize(tasks, len(tasks)))  # one task a partition, handed out in this order
    for f in files:
        if f.kind == "parquet":
            uri = f.path.resolve().as_uri()  # file:// (run_batch on a cluster: see README.md)
            df = spark.read.parquet(uri)
            cols = [c for c in df.columns if c in RECORD_COLUMNS]
            df = df.select(*cols, df["_metadata.row_index"].alias("__row"))
            rdds.append(df.rdd.map(lambda r, s=f.source, p=str(f.path), c=tuple(cols):
                                   (p, r["__row"] + 1, s, {k: r[k] for k in c})))
    if not rdds:
        return sc.parallelize([], 1)
    return sc.union(rdds) if len(rdds) > 1 else rdds[0]


@dataclass(frozen=True)
class Segment:
    """The lines of ``file`` that start in ``[start, end)``; ``start`` is a line start, numbered ``first_line``."""

    file: InputFile
    start: int
    end: int
    first_line: int

    def documents(self):
        return jsonl_documents(self.file, self.start, self.end, self.first_line)


MAX_TASK_BYTES = 32 << 20  # as Hadoop's local splits: a failed task redoes at most this much
MIN_TASK_BYTES = 4096
SMALLEST_TAIL_TASK = 64 << 10  # about a second of work (220 notes, or 16 long articles): the ends' granularity
FIRST_ROUND = 0.9  # the share of the input in the first round of tasks, one task per core


def task_sizes(total: int, slots: int) -> list[int]:
    """Byte sizes of the JSONL tasks, in the order Spark hands them out (by partition).

    Round by round, one task per core: the first round takes 90 % of the input (in tasks of at most
    ``MAX_TASK_BYTES``), each later round half of what is left, down to tasks of 1/64 of a core's
    share, at least 4 KB and at most 64 KB. A core that finishes early takes the next small task, so
    the cores end within about one small task of each other: with two equal halves, a 10,000-note
    run's two workers ended up to 2.7 s apart (content differs, and so do the cores' speeds). Small
    tasks cost little: 25-60 ms between two tasks, and one Parquet file per month and country each
    holds."""
    slots = max(1, slots)
    smallest = max(MIN_TASK_BYTES, min(SMALLEST_TAIL_TASK, total // (slots * 64)))
    sizes: list[int] = []
    remaining, share = total, FIRST_ROUND
    while remaining > 0:
        want = remaining * share / slots
        size = min(MAX_TASK_BYTES, max(smallest, int(want)))
        if want <= MAX_TASK_BYTES:
            share = 0.5
        for _ in range(slots):
            take = remaining if remaining - size < smallest else size
            sizes.append(take)
            remaining -= take
            if remaining <= 0:
                break
    return sizes


def plan_tasks(files: list[InputFile], slots: int) -> list[list[Segment]]:
    """The JSONL files as tasks of ``task_sizes``: each task a list of line-aligned ranges (a task may
    end one file and start the next). The driver reads every file once, to find line starts and count
    the lines before them; a file it cannot read is still given to a task, whose reader then yields
    the same ``unreadable`` document as ``tadmor extract``."""
    sizes: dict[InputFile, int | None] = {}
    for f in files:
        try:
            sizes[f] = f.path.stat().st_size
        except OSError:
            sizes[f] = None
    targets = iter(task_sizes(sum(n or 0 for n in sizes.values()), slots))
    tasks: list[list[Segment]] = []
    current: list[Segment] = []
    need = 0
    for f in files:
        size = sizes[f]
        if size == 0:  # no lines, no documents (as extract)
            continue
        try:
            if size is None:
                raise OSError
            with f.path.open("rb") as fh:
                mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # ValueError: emptied since
            current.append(Segment(f, 0, 0, 1))
            continue
        with mm:
            size, pos, line = len(mm), 0, 1
            while pos < size:
                if need <= 0:
                    if current:
                        tasks.append(current)
                        current = []
                    need = next(targets, size - pos)  # the plan covers every byte; a file that grew since gets one more
                cut = _line_start(mm, pos + need)
                current.append(Segment(f, pos, cut, line))
                line += mm[pos:cut].count(b"\n")
                need -= cut - pos
                pos = cut
    if current:
        tasks.append(current)
    return tasks


def _line_start(mm: mmap.mmap, pos: int) -> int:
    """The first line start at or after ``pos`` (the end of the file if none)."""
    if pos <= 0:
        return 0
    if pos >= len(mm):
        return len(mm)
    newline = mm.find(b"\n", pos - 1)
    return newline + 1 if newline >= 0 else len(mm)


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
    with ParquetSink(Path(target), prefix=f"part-{task:05d}") as sink:
        totals = write_documents(sink, task_documents(part), pipeline.run)
    yield totals


def task_documents(part):
    """``(source, line or row, RawDoc)`` of a task's inputs: a JSONL task's byte ranges, read here, or Parquet rows."""
    for item in part:
        if type(item) is list:  # a JSONL task: its Segments
            for segment in item:
                yield from segment.documents()
        else:
            path, row, source, record = item
            raw = raw_from_record(record, source, row)
            if raw is not None:
                yield path, row, raw
