"""``tadmor batch``: both engines write the same Parquet datasets, equal to ``tadmor extract`` on the same input.

Real parts only: the real pipeline, real Parquet files in tmp_path, a real
local Spark (skipped when pyspark or Java is missing), a real DuckDB store.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tadmor.errors import UsageError
from tadmor.ingest import read_inputs
from tadmor.model import to_json_line
from tadmor.scale import documents_from_parquet, run_batch

from .conftest import run_cli, sample_files

NOTES = [
    ("note-1", "On 11 December 2016, Islamic State fighters took Palmyra from the Syrian army; 12 soldiers were killed.", "2016-12-12"),
    ("note-2", "Protesters gathered in Lagos on 20 October 2020 against police brutality; security forces fired on them.", None),
    ("note-3", "A roadside bomb killed three Afghan soldiers in Kunduz on 14 September 2020.", "2020-09-14"),
    ("note-4", "Clashes between government troops and Houthi fighters in Marib left five dead, residents said.", "2021-02-10"),
    ("note-5", "Unidentified gunmen kidnapped 8 farmers near Zamfara on Tuesday.", "2021-01-05"),
    ("note-6", "Police arrested 30 demonstrators in Khartoum during a peaceful march on 3 June 2019.", None),
]


def _jsonl_lines() -> list[str]:
    """The samples, some notes, and records that must still get their row with errors."""
    lines = []
    for p in sample_files():
        key = "html" if p.suffix == ".html" else "text"
        lines.append(json.dumps({"id": p.name, key: p.read_text(encoding="utf-8")}))
    for doc_id, text, published in NOTES[:3]:
        lines.append(json.dumps({"id": doc_id, "text": text, "published": published}))
    # a carriage return alone is not a line end (Hadoop's line reader, and so Spark's textFile, took it for one)
    lines.append('{"id": "cr", "text": "a carriage\rreturn inside a line"}')
    lines.append(json.dumps({"text": "No id here: fighting in Homs killed 3 soldiers on 2 May 2016."}))
    lines.append("")  # a blank line: no document, but it counts for the line numbers after it
    lines.append(json.dumps({"id": "empty", "text": ""}))
    lines.append("this line is not JSON")
    lines.append(json.dumps({"id": "no-text", "title": "a record without text"}))
    return lines


def _parquet_records() -> list[dict]:
    return [{"id": d, "text": t, "published": p, "outlet": "Wire"} for d, t, p in NOTES[3:]]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """``batch/`` holds a.jsonl and b.parquet; ``b.jsonl`` (outside it) is b.parquet as JSON lines."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("scale")
    batch = root / "batch"
    batch.mkdir()
    (batch / "a.jsonl").write_text("\n".join(_jsonl_lines()) + "\n", encoding="utf-8")
    records = _parquet_records()
    pq.write_table(pa.Table.from_pylist(records), batch / "b.parquet")
    (root / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return {"dir": batch, "a": batch / "a.jsonl", "b_jsonl": root / "b.jsonl", "root": root}


@pytest.fixture(scope="module")
def expected(inputs, pipeline) -> list[str]:
    """What `tadmor extract --jsonl` prints for the same records (read_inputs + Pipeline.run, as the CLI does)."""
    lines = [to_json_line(d) for d in pipeline.run(read_inputs([], str(inputs["a"])))]
    lines += [to_json_line(d) for d in pipeline.run(read_inputs([], str(inputs["b_jsonl"])))]
    return lines


@pytest.fixture(scope="module")
def local_result(inputs, pipeline) -> Path:
    out = inputs["root"] / "out-local"
    stats = run_batch([str(inputs["dir"])], str(out), chunk=5)  # several chunks, several part files
    assert stats.documents == len(_jsonl_lines()) - 1 + len(NOTES[3:])
    return out


def _lines(out: Path) -> list[str]:
    return [to_json_line(d) for d in documents_from_parquet(out)]


def test_local_batch_equals_extract(local_result, expected):
    assert _lines(local_result) == expected


def test_layout_one_row_per_document_and_per_event(local_result, expected):
    import pyarrow.dataset as ds

    docs = ds.dataset(local_result / "documents", partitioning="hive").to_table().to_pylist()
    events = ds.dataset(local_result / "events", partitioning="hive").to_table().to_pylist()
    extracted = [json.loads(line) for line in expected]
    assert sorted(d["doc_id"] for d in docs) == sorted(d["doc_id"] for d in extracted)
    assert sorted(e["event_id"] for e in events) == sorted(e["event_id"] for d in extracted for e in d["events"])
    by_id = {d["doc_id"]: d for d in docs}
    assert by_id["empty"]["errors"] == [{"code": "empty", "message": "the record's text is empty"}]
    bad = _jsonl_lines().index("this line is not JSON") + 1  # line numbers count the blank line too
    assert by_id[f"a.jsonl:{bad}"]["errors"][0]["code"] == "bad_json"
    assert by_id[f"a.jsonl:{bad}"]["errors"][0]["message"].startswith(f"line {bad} ")
    assert by_id["no-text"]["errors"][0]["code"] == "missing_text"
    assert by_id["note-1"]["month"] == "2016-12"
    coded = {e["event_id"]: e for d in extracted for e in d["events"]}
    for row in events:
        e = coded[row["event_id"]]
        assert row["doc_id"] == row["event_id"].rsplit("#", 1)[0]
        assert (row["event_type"], row["sub_event_type"], row["date"]) == (e["event_type"], e["sub_event_type"], e["date"])
        assert row["actor1"] == (e["actor1"] or {}).get("name")
        assert row["country"] == (e["location"] or {}).get("country")
        assert row["month"] == (e["date"][:7] if e["date"] else row["month"])
        assert json.loads(row["event"]) == e
    # Hive directories: month=YYYY-MM/country=XX
    parts = {p.relative_to(local_result / "events").parts[:2] for p in (local_result / "events").rglob("*.parquet")}
    assert parts and all(m.startswith("month=") and c.startswith("country=") for m, c in parts)


def test_workers_two_equal_one(inputs, local_result, tmp_path):
    out = tmp_path / "out-w2"
    run_batch([str(inputs["dir"])], str(out), workers=2, batch_size=4)
    assert _lines(out) == _lines(local_result)


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (Debian: openjdk-17-jre-headless)")
def test_spark_batch_equals_extract(inputs, tmp_path, monkeypatch):
    pytest.importorskip("pyspark")
    from tadmor.scale import spark

    out = tmp_path / "out-spark"
    # small tasks, so the JSONL file is cut into several ranges read by separate tasks (and lines numbered
    # across them); the tasks write side by side into one staging directory, renamed into place at the end
    monkeypatch.setattr(spark, "MIN_TASK_BYTES", 64)
    stats = run_batch([str(inputs["dir"])], str(out), engine="spark", master="local[2]")
    assert stats.tasks >= 3, stats  # two or more for a.jsonl, one for b.parquet
    assert sorted(p.name for p in out.iterdir()) == ["documents", "events"]
    # the real command, in its own process like Spark's workers (both read the code and data files as they are now)
    res = run_cli("extract", "--jsonl", str(inputs["a"]))
    res_b = run_cli("extract", "--jsonl", str(inputs["b_jsonl"]))
    assert res.returncode == 0 and res_b.returncode == 0, res.stderr + res_b.stderr
    expected = (res.stdout + res_b.stdout).decode("utf-8").splitlines()
    assert _lines(out) == expected, _first_difference(_lines(out), expected)
    assert stats.documents == len(expected)
    assert stats.events == sum(len(json.loads(line)["events"]) for line in expected)

    from pyspark.sql import SparkSession

    sc = SparkSession.builder.getOrCreate().sparkContext  # the session run_batch started

    # the workers run PySpark from the installed, compiled package, not from the uncompiled zip Spark ships
    where = sc.parallelize([0], 1).map(lambda _: __import__("pyspark").__file__).collect()[0]
    assert ".zip" not in where, where

    # the local driver JVM runs with the quick compiler only, unless the user set its options
    from tadmor.scale.spark import LOCAL_JAVA_OPTIONS, driver_java_options_given

    if not driver_java_options_given():
        jvm_args = list(sc._jvm.java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
        assert LOCAL_JAVA_OPTIONS in jvm_args, jvm_args


def _first_difference(got: list[str], want: list[str]) -> str:
    for g, w in zip(got, want):
        if g != w:
            g, w = json.loads(g), json.loads(w)
            keys = [k for k in w if g.get(k) != w.get(k)]
            return f"{w['doc_id']}: {keys} differ: {str(g.get(keys[0]))[:300]} != {str(w.get(keys[0]))[:300]}"
    return f"{len(got)} documents != {len(want)}"


def test_ingest_from_parquet_into_store(local_result, expected, tmp_path):
    from tadmor.store import Store

    with Store(str(tmp_path / "t.duckdb")) as store:
        stats = store.ingest(documents_from_parquet(local_result), "batch")
        rows = store.events(limit=None, include_duplicates=True)
    n_events = sum(len(json.loads(line)["events"]) for line in expected)
    assert stats.total == len(expected)
    assert len(rows) == n_events
    assert {r["event_id"] for r in rows} == {e["event_id"] for line in expected for e in json.loads(line)["events"]}


def test_refuses_to_mix_results_unless_overwrite(inputs, tmp_path):
    out = tmp_path / "out"
    (out / "documents").mkdir(parents=True)
    with pytest.raises(UsageError, match="--overwrite"):
        run_batch([str(inputs["b_jsonl"])], str(out))
    stats = run_batch([str(inputs["b_jsonl"])], str(out), overwrite=True)
    assert stats.documents == len(NOTES[3:])


def test_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        run_batch([str(tmp_path / "missing.jsonl")], str(tmp_path / "out"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no .jsonl or .parquet"):
        run_batch([str(tmp_path / "empty")], str(tmp_path / "out"))
    with pytest.raises(UsageError, match="--engine"):
        run_batch([str(tmp_path)], str(tmp_path / "out"), engine="dask")
    with pytest.raises(UsageError, match="batch result"):
        list(documents_from_parquet(tmp_path))


def test_batch_command(inputs, tmp_path):
    import typer
    from typer.testing import CliRunner

    from tadmor.scale.commands import batch

    app = typer.Typer()
    app.command()(batch)
    app.command("noop")(lambda: None)  # two commands, so `batch` is a subcommand as on the main app
    runner = CliRunner()
    res = runner.invoke(app, ["batch", "--input", str(inputs["b_jsonl"]), "--output", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert "3 documents" in res.output
    res = runner.invoke(app, ["batch", "--input", str(inputs["b_jsonl"]), "--output", str(tmp_path / "o"),
                              "--engine", "local", "--master", "yarn"])
    assert isinstance(res.exception, UsageError)


def test_ingest_from_parquet_command_is_idempotent(tmp_path):
    """`tadmor batch` then `tadmor ingest --from-parquet` twice: the second run adds nothing."""
    from .conftest import run_cli

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "p1", "text": "On 3 May 2020, gunmen killed 2 villagers in Zamfara."}\n'
                   '{"id": "p2", "text": "On 4 May 2020, protesters marched in Lagos."}\n', encoding="utf-8")
    out, db = tmp_path / "out", tmp_path / "t.duckdb"
    assert run_cli("batch", "--input", str(src), "--output", str(out)).returncode == 0
    first = run_cli("ingest", "--from-parquet", str(out), "--db", str(db), "--no-progress")
    second = run_cli("ingest", "--from-parquet", str(out), "--db", str(db), "--no-progress")
    assert first.returncode == 0 and b"2 added" in first.stdout
    assert second.returncode == 0 and b"0 added" in second.stdout and b"2 unchanged" in second.stdout


def test_plan_cuts_jsonl_files_into_line_aligned_ranges_read_as_extract_reads_them(tmp_path):
    import random

    from tadmor.scale.inputs import InputFile, jsonl_documents
    from tadmor.scale.spark import plan_tasks, task_sizes

    rng = random.Random(7)
    files = []
    for k in range(4):
        lines = []
        for i in range(rng.randint(0, 300)):
            kind = rng.random()
            if kind < 0.1:
                lines.append(b"")  # blank: no document, but it counts for the numbers after it
            elif kind < 0.2:
                lines.append(b"not json \r")  # a stray CR is not a line end (as extract reads it)
            else:
                lines.append(json.dumps({"text": "x" * rng.randint(0, 2000)}).encode())
        path = tmp_path / f"f{k}.jsonl"
        path.write_bytes(b"\n".join(lines) + (b"\n" if k % 2 else b""))  # with and without a last newline
        files.append(InputFile(path, "jsonl"))
    files.append(InputFile(tmp_path / "missing.jsonl", "jsonl"))

    def read(docs):
        return [(path, line, raw.doc_id, [e.code for e in raw.errors]) for path, line, raw in docs]

    whole = [d for f in files for d in read(jsonl_documents(f))]
    assert whole[-1][1] == 0 and whole[-1][3] == ["unreadable"]
    for slots in (1, 2, 3, 8):
        tasks = plan_tasks(files, slots)
        assert len(tasks) > slots  # a tail of smaller tasks after the first round
        got = [d for task in tasks for segment in task for d in read(segment.documents())]
        assert got == whole, slots
        for task in tasks:
            for segment in task:
                data = segment.file.path.read_bytes() if segment.file.path.exists() else b""
                assert segment.start == 0 or data[segment.start - 1:segment.start] == b"\n"

    # the first round takes most of the input, one task per core; later tasks shrink; every byte is planned
    for total, slots in ((2_900_000, 2), (10 << 30, 16), (5_000, 2), (0, 2)):
        sizes = task_sizes(total, slots)
        assert sum(sizes) == total
        if total > 100_000:
            assert sizes[:slots] == [max(sizes)] * slots and sizes[-1] < sizes[0] / 10
            assert max(sizes) <= 32 << 20


def test_daemon_moves_the_shipped_pyspark_zip_behind_the_installed_package(tmp_path):
    from tadmor.scale.daemon import prefer_installed_pyspark

    site = tmp_path / "site-packages"
    (site / "pyspark" / "python" / "lib").mkdir(parents=True)
    (site / "pyspark" / "__init__.py").write_text("")
    shipped = str(site / "pyspark" / "python" / "lib" / "pyspark.zip")
    py4j = str(site / "pyspark" / "python" / "lib" / "py4j-0.10.9.9-src.zip")
    path = [shipped, py4j, "/opt/app", str(site)]
    assert prefer_installed_pyspark(path) is True
    assert path == [py4j, "/opt/app", str(site), shipped]  # only pyspark.zip moves; py4j's zip stays first

    # a cluster's own Spark distribution: its zip is not the installed release, so the path stays as Spark set it
    foreign = ["/opt/spark/python/lib/pyspark.zip", str(site)]
    assert prefer_installed_pyspark(foreign) is False
    assert foreign == ["/opt/spark/python/lib/pyspark.zip", str(site)]
    # no installed PySpark at all
    alone = ["/opt/spark/python/lib/pyspark.zip", str(tmp_path)]
    assert prefer_installed_pyspark(alone) is False and alone[0].endswith("pyspark.zip")


def test_driver_java_options_of_the_user_are_left_alone(tmp_path):
    pytest.importorskip("pyspark")
    from tadmor.scale.spark import driver_java_options_given

    conf = tmp_path / "conf"
    conf.mkdir()
    env = {"SPARK_CONF_DIR": str(conf)}
    assert driver_java_options_given(env) is False  # no spark-defaults.conf
    (conf / "spark-defaults.conf").write_text("spark.executor.memory 2g\n# spark.driver.extraJavaOptions -Xss4m\n")
    assert driver_java_options_given(env) is False  # other keys, and a comment
    for line in ("spark.driver.extraJavaOptions -Xss4m", "spark.driver.extraJavaOptions=-Xss4m",
                 "  spark.driver.extraJavaOptions: -Xss4m"):
        (conf / "spark-defaults.conf").write_text(f"spark.executor.memory 2g\n{line}\n")
        assert driver_java_options_given(env) is True, line
    (conf / "spark-defaults.conf").unlink()
    assert driver_java_options_given({**env, "PYSPARK_SUBMIT_ARGS": "--driver-java-options -Xss4m pyspark-shell"})
    assert driver_java_options_given(
        {**env, "PYSPARK_SUBMIT_ARGS": "--conf spark.driver.extraJavaOptions=-Xss4m pyspark-shell"})
    # without SPARK_CONF_DIR: SPARK_HOME's conf/
    home = tmp_path / "spark"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "spark-defaults.conf").write_text("spark.driver.extraJavaOptions -Xss4m\n")
    assert driver_java_options_given({"SPARK_HOME": str(home)}) is True


def test_sink_writes_when_its_documents_or_their_size_reach_the_bound(tmp_path):
    from tadmor.model import Document
    from tadmor.scale.batch import ParquetSink

    def doc(i: int, size: int) -> Document:
        return Document(doc_id=f"d{i}", text="x" * size, clean_text="x" * size)

    by_size = ParquetSink(tmp_path / "a", max_docs=100, max_bytes=5_000)
    by_size.add(doc(0, 1_000), "s", 1)
    assert not by_size.full  # 2,000 characters of text and clean text, and the id
    by_size.add(doc(1, 1_000), "s", 2)
    assert not by_size.full
    by_size.add(doc(2, 1_000), "s", 3)
    assert by_size.full and len(by_size.docs) == 3
    by_size.flush()
    assert not by_size.full and by_size.size == 0 and by_size.docs == []

    by_count = ParquetSink(tmp_path / "b", max_docs=2, max_bytes=1 << 30)
    by_count.add(doc(0, 10), "s", 1)
    assert not by_count.full
    by_count.add(doc(1, 10), "s", 2)
    assert by_count.full
