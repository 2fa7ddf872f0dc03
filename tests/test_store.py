"""The DuckDB store against a real database file in tmp_path (never a mock)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tadmor.errors import StoreError, UsageError
from tadmor.model import (ActorEntry, AssocActor, Document, ErrorInfo, Event, EventActor, Fatalities, Location,
                          OriginalSource, Place, Quantity, Section, Span)
from tadmor.store import Store
from tadmor.store.acled import COLUMNS

from .conftest import ROOT

HOSTILE = "'; DROP TABLE events; --"

STORY = ("On 11 December 2016, Islamic State fighters took Palmyra from the Syrian army after a day of heavy "
         "fighting around the ancient city. At least 12 soldiers were killed, the group said in a statement "
         "carried by its Amaq news agency. Residents said government troops had withdrawn towards Homs overnight "
         "and that several families fled along the desert road before the militants entered the town.")
PLACES = {"Palmyra": (34.5559, 38.2842, "SY", "Homs"), "Aleppo": (36.2021, 37.1343, "SY", "Aleppo"),
          "Kabul": (34.5281, 69.1723, "AF", "Kabul"), "Homs": (34.7308, 36.7094, "SY", "Homs")}


def _span(text: str, s: str) -> Span:
    i = text.index(s)
    return Span.of(text, i, i + len(s))


def make_doc(doc_id: str, text: str = STORY, *, place: str = "Palmyra", date: str = "2016-12-11",
             sub: str = "Non-state actor overtakes territory", etype: str = "Battles", modality: str = "asserted",
             fat_modality: str = "claimed", url: str | None = None, outlet: str = "Reuters", n_events: int = 1,
             actor1: str = "Islamic State (Syria)", assoc: str = "Militia X") -> Document:
    """A Document with every part of the contract filled, as the pipeline would give it."""
    lat, lon, cc, adm = PLACES[place]
    first = text[: min(len(text), 80)]
    q = Quantity(value=12, qualifier="at least", unit="killed", about_actor="Military Forces of Syria (2000-)",
                 modality=fat_modality, claimed_by="Islamic State", span=Span.of(text, 0, 10))
    other = Quantity(value=3, unit="vehicles", span=Span.of(text, 10, 20))
    events = [Event(
        event_id=f"{doc_id}#{n + 1}", event_type=etype, sub_event_type=sub, date=date, time_precision=1 + n % 3,
        actor1=EventActor(name=actor1, inter=2, mention=Span.of(text, 0, 5)),
        actor2=EventActor(name="Military Forces of Syria (2000-)", inter=1) if n == 0 else None,
        assoc_actors=[AssocActor(name=assoc, inter=3)] if n == 0 else [],
        location=Location(name=place, lat=lat, lon=lon, country=cc, admin1=adm, geo_precision=1,
                          mention=Span.of(text, 5, 9), reason="literal place"),
        fatalities=Fatalities(count=12, modality=fat_modality, claimed_by="Islamic State", span=q.span) if n == 0 else None,
        quantities=[q] if n == 0 else [], modality=modality, claimed_by="Islamic State" if modality == "claimed" else None,
        confidence=0.9 - n / 10, evidence=Span.of(text, 0, len(first)), trigger=Span.of(text, 3, 6),
        reasons=["trigger 'took'", "rule NSA-1"],
    ) for n in range(n_events)]
    return Document(
        doc_id=doc_id, text=text, clean_text=text, title=f"Title {doc_id}", outlet=outlet, author="A. Writer",
        published="2016-12-12", url=url, original_source=OriginalSource(outlet="AFP"), relays=["AFP"],
        sections=[Section(kind="report", start=0, end=len(text))], events=events,
        actors=[ActorEntry(name=actor1, inter=2, aliases_seen=["IS"], mentions=[Span.of(text, 0, 5), Span.of(text, 6, 9)])],
        places=[Place(name=place, lat=lat, lon=lon, country=cc, admin1=adm, geonameid=170592, feature="PPL",
                      mentions=[Span.of(text, 5, 9)], reason="gazetteer", score=0.87)],
        quantities=[q, other], errors=[ErrorInfo(code="note", message="kept")],
    )


def distinct_text(i: int) -> str:
    """Texts that share no story: each a different sequence of words."""
    words = [f"w{i}x{j}" for j in range(40)]
    return f"Report {i}: " + " ".join(words) + "."


def corpus(n: int) -> list[Document]:
    return [make_doc(f"doc{i}", distinct_text(i), place=list(PLACES)[i % 4], date=f"2020-03-{1 + i % 28:02d}")
            for i in range(n)]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "t.duckdb"


# ---- round trip, idempotency, updates ------------------------------------------------------------

def test_round_trip_is_exact(db):
    docs = [make_doc("a"), make_doc("b", distinct_text(1), n_events=3, url="https://example.org/b")]
    with Store(db) as s:
        s.ingest(docs, "src")
        assert s.document("src:a") == docs[0]
        assert s.document("https://example.org/b") == docs[1]
        assert s.document("b") == docs[1]  # an unambiguous doc_id works too
        assert s.document("missing") is None
        assert list(s.all_documents()) == docs


def test_same_input_twice_adds_no_row(db):
    docs = corpus(10)
    with Store(db, batch_size=4) as s:
        first = s.ingest(docs, "src")
        counts = s.counts()
        second = s.ingest(docs, "src")
        assert (first.added, first.unchanged) == (10, 0)
        assert (second.added, second.updated, second.unchanged, second.failed) == (0, 0, 10, 0)
        assert s.counts() == counts
        assert all(n > 0 for n in counts.values())
    with Store(db) as s:  # and after reopening the file
        assert s.ingest(docs, "src").unchanged == 10
        assert s.counts() == counts


def test_whitespace_only_change_is_unchanged_and_url_identifies(db):
    with Store(db) as s:
        s.ingest([make_doc("a", url="https://x.org/1")], "feed-a")
        again = make_doc("other-id", STORY.replace(" ", "  ") + "\n", url="https://x.org/1")
        stats = s.ingest([again], "feed-b")
        assert stats.unchanged == 1 and s.counts()["documents"] == 1


def test_updated_version_replaces_the_old(db):
    with Store(db) as s:
        s.ingest([make_doc("a", n_events=3), make_doc("b", distinct_text(2))], "src")
        before = s.counts()
        new = make_doc("a", STORY + " Update: the army said it would retake the city.", n_events=1, place="Homs")
        stats = s.ingest([new], "src")
        assert (stats.added, stats.updated, stats.unchanged) == (0, 1, 0)
        assert s.document("src:a") == new
        assert s.counts()["events"] == before["events"] - 2
        assert {e["location"] for e in s.events() if e["doc_id"] == "a"} == {"Homs"}
        assert s.document("src:b") is not None


def test_same_key_twice_in_one_batch_keeps_the_last(db):
    with Store(db) as s:
        stats = s.ingest([make_doc("a"), make_doc("a", distinct_text(9), place="Kabul")], "src")
        assert (stats.added, stats.updated) == (1, 1)
        assert s.counts()["documents"] == 1
        assert s.events()[0]["location"] == "Kabul"


def test_documents_without_text_fail_visibly(db):
    broken = Document(doc_id="gone.txt", errors=[ErrorInfo(code="not_found", message="no such file")])
    with Store(db) as s:
        stats = s.ingest([broken, make_doc("a")], "src")
        assert (stats.added, stats.failed) == (1, 1)
        assert stats.failures == [("gone.txt", "not_found: no such file")]


# ---- near-duplicates ---------------------------------------------------------------------------

def test_syndicated_copy_is_linked_and_not_double_counted(db):
    original = make_doc("wire", url="https://wire.example/palmyra", outlet="Reuters")
    copy_text = "Breaking news | World | Subscribe\n" + STORY + "\nShare this article. Copyright 2016 Daily Paper."
    copy = make_doc("copy", copy_text, url="https://paper.example/palmyra", outlet="Daily Paper")
    other = make_doc("other", "Different wording entirely: government troops withdrew from Palmyra as Islamic "
                     "State advanced on Sunday, officials said, and the city fell by nightfall. Twelve soldiers "
                     "died according to a statement by the group, while residents fled east.", outlet="AP")
    with Store(db) as s:
        s.ingest([original], "wire")
        stats = s.ingest([copy, other], "papers")
        assert stats.added == 2 and stats.near_duplicates == 1
        docs = {d["doc_id"]: d for d in s.documents()}
        assert docs["copy"]["near_duplicate_of"] == "https://wire.example/palmyra"
        assert docs["other"]["near_duplicate_of"] is None
        assert docs["wire"]["n_duplicates"] == 1
        assert [e["doc_id"] for e in s.events()] == ["wire", "other"]
        assert len(s.events(include_duplicates=True)) == 3
        out = io.StringIO()
        assert s.export("acled-csv", out) == 2
        rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
        assert rows["wire#1"]["source"] == "Reuters; Daily Paper"


def test_near_duplicates_within_one_batch_and_short_texts(db):
    a = make_doc("a", STORY)
    b = make_doc("b", STORY + " (Reporting by A. Writer; editing by B. Editor)")
    short1 = make_doc("s1", "Clashes in Homs.", place="Homs")
    short2 = make_doc("s2", "Clashes in Aleppo.", place="Aleppo")
    with Store(db) as s:
        stats = s.ingest([a, b, short1, short2], "src")
        assert stats.near_duplicates == 1
        links = {d["doc_id"]: d["near_duplicate_of"] for d in s.documents()}
        assert links == {"a": None, "b": "src:a", "s1": None, "s2": None}


TEMPLATE = ("On {date}, residents of {town} protested against the closure of the local clinic. The protest was "
            "organised by the residents' committee, who said the closure would leave thousands of families without "
            "care, and demanded that the health ministry reverse its decision before the end of the month. Police "
            "watched from a distance and no incidents were reported during the gathering, organisers said.")


def test_templated_reports_of_different_events_are_not_linked(db):
    """Same wording, another town or date: a different event, however high the overlap."""
    texts = [TEMPLATE.format(date="3 May 2021", town="Northtown"), TEMPLATE.format(date="3 May 2021", town="Southvale"),
             TEMPLATE.format(date="4 May 2021", town="Northtown"),
             TEMPLATE.format(date="3 May 2021", town="Northtown") + " Share this story. Sign up for our newsletter."]
    with Store(db) as s:
        s.ingest([make_doc(f"t{i}", t) for i, t in enumerate(texts)], "src")
        assert {d["doc_id"]: d["near_duplicate_of"] for d in s.documents()} == {
            "t0": None, "t1": None, "t2": None, "t3": "src:t0"}


def test_distinct_corpus_has_no_false_links(db):
    with Store(db) as s:
        assert s.ingest(corpus(60), "src").near_duplicates == 0


# ---- atomicity ---------------------------------------------------------------------------------

class _FailingConnection:
    """Delegates to the real connection but fails on the n-th INSERT into `events` (after documents went in)."""

    def __init__(self, con, fail_at: int, exc: BaseException):
        self._con, self.fail_at, self.exc, self.inserts = con, fail_at, exc, 0

    def execute(self, sql, *args):
        if sql.startswith("INSERT INTO events "):
            self.inserts += 1
            if self.inserts == self.fail_at:
                raise self.exc
        return self._con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._con, name)


@pytest.mark.parametrize("exc", [OSError("disk on fire"), KeyboardInterrupt()])
def test_failure_mid_batch_leaves_whole_documents_and_rerun_completes(db, exc):
    docs = corpus(12)
    with Store(db, batch_size=5) as s:
        real = s.con
        s.con = _FailingConnection(real, fail_at=2, exc=exc)
        with pytest.raises(type(exc)):
            s.ingest(docs, "src")
        s.con = real
        assert s.counts()["documents"] == 5  # the first batch, whole; nothing of the second
        assert list(s.all_documents()) == docs[:5]
        stats = s.ingest(docs, "src")
        assert (stats.added, stats.unchanged) == (7, 5)
        assert list(s.all_documents()) == docs


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys, time
    sys.path.insert(0, {root!r})
    from tests.test_store import corpus
    from tadmor.store import Store

    class KillInside:  # kill -9 ourselves inside the 4th batch's transaction, after its documents rows went in
        def __init__(self, con):
            self._con, self.n = con, 0
        def execute(self, sql, *args):
            out = self._con.execute(sql, *args)
            if sql.startswith("INSERT INTO documents "):
                self.n += 1
                if self.n == 4:
                    os.kill(os.getpid(), signal.SIGKILL)
            return out
        def __getattr__(self, name):
            return getattr(self._con, name)

    def slow(docs):
        for d in docs:
            time.sleep(0.02)
            yield d
    with Store(sys.argv[1], batch_size=5) as s:
        if sys.argv[2] == "inside":
            s.con = KillInside(s.con)
        s.ingest(slow(corpus(40)), "src", on_commit=lambda st: print("commit", st.added, flush=True))
""")


@pytest.mark.parametrize("when", ["inside", "between"])
def test_kill_9_mid_run_leaves_a_consistent_database(db, tmp_path, when):
    """A real SIGKILL, inside an open transaction or at whatever point the timer lands; then reopen and finish."""
    script = tmp_path / "ingest_slowly.py"
    script.write_text(KILL_SCRIPT.format(root=str(ROOT)))
    proc = subprocess.Popen([sys.executable, str(script), str(db), when], stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(3):
            assert proc.stdout.readline().startswith("commit")
        if when == "between":
            time.sleep(0.05)
            os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    docs = corpus(40)
    with Store(db, batch_size=5) as s:
        stored = list(s.all_documents())
        assert len(stored) >= 15 and len(stored) % 5 == 0
        if when == "inside":
            assert len(stored) == 15  # the 4th batch was never committed
        assert stored == docs[:len(stored)]
        stats = s.ingest(docs, "src")
        assert (stats.added, stats.unchanged) == (40 - len(stored), len(stored))
        assert list(s.all_documents()) == docs


# ---- queries -----------------------------------------------------------------------------------

@pytest.fixture
def filled(db):
    docs = [
        make_doc("p1", distinct_text(1), place="Palmyra", date="2016-12-11"),
        make_doc("a1", distinct_text(2), place="Aleppo", date="2016-12-20", sub="Air/drone strike",
                 etype="Explosions/Remote violence", actor1="Military Forces of Russia (2000-)", assoc="Wagner Group"),
        make_doc("k1", distinct_text(3), place="Kabul", date="2020-03-02", sub="Attack",
                 etype="Violence against civilians", modality="claimed", actor1="Taliban"),
        make_doc("h1", distinct_text(4), place="Homs", date="2020-03-05", modality="negated", fat_modality="asserted"),
    ]
    with Store(db) as s:
        s.ingest(docs, "src")
        yield s


def test_event_filters(filled):
    s = filled
    ids = lambda rows: [r["event_id"] for r in rows]  # noqa: E731
    assert ids(s.events()) == ["p1#1", "a1#1", "k1#1", "h1#1"]
    assert ids(s.events(place="HOMS")) == ["p1#1", "h1#1"]  # admin1 Homs holds Palmyra
    assert ids(s.events(actor="wagner")) == ["a1#1"]  # an associated actor
    assert ids(s.events(actor="ISLAMIC state")) == ["p1#1", "h1#1"]
    assert ids(s.events(type="air/drone strike")) == ["a1#1"]
    assert ids(s.events(type="Battles")) == ["p1#1", "h1#1"]
    assert ids(s.events(since="2017-01-01")) == ["k1#1", "h1#1"]
    assert ids(s.events(since="2016-12-15", until="2020-03-02")) == ["a1#1", "k1#1"]
    assert ids(s.events(modality="claimed")) == ["k1#1"]
    assert ids(s.events(limit=2, offset=1)) == ["a1#1", "k1#1"]
    assert s.events(place="%") == [] and s.events(actor="_") == []  # wildcards mean themselves
    with pytest.raises(UsageError):
        s.events(since="last week")
    with pytest.raises(UsageError):
        s.events(modality="probably")


def test_near_uses_great_circle_distance(filled):
    rows = filled.near(34.80, 36.80, 50)  # by Homs
    assert [r["event_id"] for r in rows] == ["h1#1"]
    assert 5 < rows[0]["distance_km"] < 15
    assert [r["event_id"] for r in filled.near(34.80, 36.80, 250)] == ["h1#1", "p1#1", "a1#1"]
    assert filled.near(34.80, 36.80, 250, type="Battles", limit=1)[0]["event_id"] == "h1#1"
    with pytest.raises(UsageError):
        filled.near(95, 0, 10)


def test_spatial_extension_agrees_with_haversine(filled):
    if not filled.spatial:
        pytest.skip("DuckDB spatial extension not installed for this DuckDB version (haversine in use)")
    with_spatial = filled.near(34.80, 36.80, 250)
    filled._spatial = False
    plain = filled.near(34.80, 36.80, 250)
    assert [r["event_id"] for r in with_spatial] == [r["event_id"] for r in plain]
    for a, b in zip(with_spatial, plain):
        assert a["distance_km"] == pytest.approx(b["distance_km"], rel=5e-3)


def test_documents_listing(filled):
    docs = filled.documents(since="2016-12-12", until="2016-12-12")
    assert [d["doc_id"] for d in docs] == ["p1", "a1", "k1", "h1"]
    assert docs[0]["n_events"] == 1 and docs[0]["published"].isoformat() == "2016-12-12"
    assert filled.documents(outlet="nobody") == []


# ---- exports -----------------------------------------------------------------------------------

def test_acled_csv_export(filled, tmp_path):
    path = tmp_path / "events.csv"
    assert filled.export("acled-csv", path) == 3  # the negated event is not an ACLED event
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == COLUMNS
        rows = {r["event_id_cnty"]: r for r in reader}
    p1 = rows["p1#1"]
    assert p1["fatalities"] == "0"  # claimed by a party: ACLED writes 0
    assert (p1["country"], p1["iso"], p1["region"], p1["interaction"]) == ("Syria", "760", "Middle East", "12")
    assert p1["notes"] == ("On 11 December 2016, Islamic State (Syria) took Palmyra (Homs) from Military Forces of "
                           "Syria (2000-), with 12 fatalities claimed by Islamic State (coded as 0).")
    assert p1["assoc_actor_1"] == "Militia X" and p1["year"] == "2016"
    assert rows["k1#1"]["country"] == "Afghanistan" and rows["k1#1"]["region"] == "South Asia"
    negated = io.StringIO()
    assert filled.export("acled-csv", negated, modality="negated") == 1


def test_geojson_export(filled, tmp_path):
    path = tmp_path / "events.geojson"
    assert filled.export("geojson", path, since="2016-01-01", until="2016-12-31") == 2
    data = json.loads(path.read_text("utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
    f = data["features"][0]
    assert f["geometry"] == {"type": "Point", "coordinates": [38.2842, 34.5559]}
    assert f["properties"]["event_type"] == "Battles" and f["properties"]["event_date"] == "2016-12-11"


def test_parquet_export(filled, tmp_path):
    import duckdb

    path = tmp_path / "events.parquet"
    assert filled.export("parquet", path) == 4
    con = duckdb.connect()
    rows = con.execute("SELECT event_id, event_date, latitude, assoc_actors FROM read_parquet(?) ORDER BY event_date",
                       [str(path)]).fetchall()
    assert rows[0][0] == "p1#1" and rows[0][1].isoformat() == "2016-12-11" and rows[0][3] == ["Militia X"]
    buf = io.BytesIO()
    filled.export("parquet", buf, place="kabul")
    assert buf.getvalue()[:4] == b"PAR1"
    # a filter (bound parameters) and a path with a quote in it
    odd = tmp_path / "analyst's events.parquet"
    assert filled.export("parquet", odd, place="kabul") >= 1 and odd.read_bytes()[:4] == b"PAR1"
    with pytest.raises(UsageError):
        filled.export("xlsx", tmp_path / "x")


# ---- hostile input, errors -----------------------------------------------------------------------

def test_hostile_strings_are_bound_not_executed(db):
    evil = make_doc(HOSTILE, HOSTILE + " " + STORY, outlet=HOSTILE, url=f"https://x.org/{HOSTILE}",
                    actor1=HOSTILE, assoc="%_\\' OR 1=1 --")
    with Store(db) as s:
        assert s.ingest([evil], HOSTILE).added == 1
        for kw in ("place", "actor", "type"):
            assert s.events(**{kw: HOSTILE}) == ([] if kw != "actor" else s.events())
        assert s.documents(source=HOSTILE, outlet=HOSTILE)[0]["doc_id"] == HOSTILE
        assert s.document(f"https://x.org/{HOSTILE}") == evil
        assert s.counts()["events"] == 1  # the table is still there
        assert s.ingest([evil], HOSTILE).unchanged == 1


def test_a_count_beyond_bigint_is_stored_as_unknown_not_failed(db):
    """Found by tests/test_fuzz.py: "99999999999999999999999999999 soldiers" made a quantity no BIGINT holds, and
    the whole document failed to store."""
    doc = make_doc("huge")
    doc.quantities[0].value = doc.events[0].fatalities.count = 10**29
    doc.events[0].quantities = [doc.quantities[0]]
    with Store(db) as s:
        assert s.ingest([doc], "src").added == 1
        back = s.document("src:huge")
    assert back.quantities[0].value is None and back.events[0].fatalities.count is None
    assert back.quantities[1:] == doc.quantities[1:] and back.events[0].evidence == doc.events[0].evidence


def test_read_only_and_foreign_databases(tmp_path):
    import duckdb

    with pytest.raises(StoreError, match="no database"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    foreign = tmp_path / "foreign.duckdb"
    duckdb.connect(str(foreign)).execute("CREATE TABLE t (x INT)").close()
    with pytest.raises(StoreError, match="not a tadmor store"):
        Store(foreign)
    with Store(tmp_path / "ro.duckdb") as s:
        s.ingest([make_doc("a")], "src")
    with Store(tmp_path / "ro.duckdb", read_only=True) as s:
        assert len(s.events()) == 1
        with pytest.raises(StoreError):
            s.ingest([make_doc("b")], "src")


# ---- commands (on a store built from constructed documents; `ingest` needs the pipeline) -----------

def test_events_and_export_commands(filled, db, tmp_path):
    import typer
    from typer.testing import CliRunner

    from tadmor.store import commands

    filled.close()
    app = typer.Typer()
    app.command("events")(commands.events)
    app.command("export")(commands.export)
    runner = CliRunner()
    res = runner.invoke(app, ["events", "--db", str(db), "--place", "homs", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["event_id"] for line in res.stdout.splitlines()] == ["p1#1", "h1#1"]
    res = runner.invoke(app, ["events", "--db", str(db), "--format", "csv", "--limit", "1"])
    assert list(csv.DictReader(io.StringIO(res.stdout)))[0]["event_id"] == "p1#1"
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "geojson", "--output", str(tmp_path / "o.json")])
    assert res.exit_code == 0 and len(json.loads((tmp_path / "o.json").read_text())["features"]) == 4
    res = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert isinstance(res.exception, StoreError)


def test_events_near_a_point_or_a_place(filled, db):
    import typer
    from typer.testing import CliRunner

    from tadmor.store import commands

    filled.close()
    app = typer.Typer()
    app.command("events")(commands.events)
    app.command("export")(commands.export)
    runner = CliRunner()

    def near(*args):
        res = runner.invoke(app, ["events", "--db", str(db), "--format", "json", *args])
        assert res.exit_code == 0, res.output
        return [json.loads(line) for line in res.stdout.splitlines()]

    # Homs is ~150 km from Palmyra and ~140 km from Aleppo; Kabul is far from all
    rows = near("--near", "34.73,36.71", "--within", "160")
    assert [r["event_id"] for r in rows][0] == "h1#1" and "k1#1" not in {r["event_id"] for r in rows}
    assert rows == sorted(rows, key=lambda r: r["distance_km"]) and rows[0]["distance_km"] < 5
    # a place name: its most populous sense (Palmyra, Syria, not Palmyra, Pennsylvania)
    assert [r["event_id"] for r in near("--near", "Palmyra", "--within", "20")] == ["p1#1"]
    res = runner.invoke(app, ["events", "--db", str(db), "--near", "Qwxzv Nowhere"])
    assert res.exit_code != 0 and isinstance(res.exception, UsageError)


@pytest.mark.slow
def test_ingest_command_with_the_pipeline(tmp_path):
    from typer.testing import CliRunner
    import typer

    from tadmor.store import commands

    app = typer.Typer()
    app.command("ingest")(commands.ingest)
    app.command("events")(commands.events)
    samples = sorted(str(p) for p in (ROOT / "tadmor" / "demo" / "samples").glob("*.txt"))
    db = str(tmp_path / "p.duckdb")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", *samples, "--db", db, "--no-progress"])
    assert first.exit_code == 0, first.output
    assert f"{len(samples)} added" in first.stdout
    second = runner.invoke(app, ["ingest", *samples, "--db", db, "--no-progress"])
    assert f"0 added, 0 updated, {len(samples)} unchanged" in second.stdout


# ---- kill -9 of the real `tadmor ingest` at random points ------------------------------------------

TOWNS = ("Kidal", "Menaka", "Gao", "Homs", "Aleppo", "Kabul", "Zamfara", "Mogadishu", "Kherson", "Goma")


def crash_corpus(n: int) -> list[dict]:
    """n short, distinct reports as JSON-lines records (different town, date, toll and wording each)."""
    return [{"id": f"c{i}", "text": f"Report {i}: on {1 + i % 28} May 2020 gunmen killed {2 + i % 17} villagers near "
                                    f"{TOWNS[i % len(TOWNS)]}, officials said. Code w{i}x{i * 7919 % 10007}.",
             "outlet": f"Outlet {i % 5}"} for i in range(n)]


def _stored_keys(db) -> list[str]:
    with Store(db) as s:  # opens after any kill
        return [r[0] for r in s.con.execute("SELECT doc_key FROM documents ORDER BY seq").fetchall()]


class _Feeder:
    """Writes lines to a process's stdin from a thread (a pipe holds 64 KiB) and never closes it; ``consumed`` is
    how many bytes the process has read so far (written, less what FIONREAD says is still in the pipe)."""

    def __init__(self, proc, lines: list[bytes]):
        import threading

        self.proc, self.lines, self.written = proc, lines, 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            for line in self.lines:
                self.proc.stdin.write(line)
                self.proc.stdin.flush()
                self.written += len(line)
        except (OSError, ValueError):  # the process was killed
            pass

    def consumed(self) -> int:
        import fcntl
        import struct
        import termios

        unread = struct.unpack("i", fcntl.ioctl(self.proc.stdin.fileno(), termios.FIONREAD, b"\0\0\0\0"))[0]
        return self.written - unread

    def wait_for(self, n_bytes: int, limit: float = 300.0) -> None:
        deadline = time.monotonic() + limit
        while self.proc.poll() is None and self.consumed() < n_bytes and time.monotonic() < deadline:
            time.sleep(0.02)


def _kill_and_resume(tmp_path, pipeline, n_docs: int, kills: int, seed: int) -> dict:
    """Each round starts the real `tadmor ingest --jsonl -` and feeds it, through a pipe it never sees closed, the
    input from the start up to a random line; then sends SIGKILL at a random point (see below). The process
    cannot have finished (its input never ended), so every kill lands; where it lands is random. After each kill
    the database opens and holds whole documents only, each equal to what the pipeline makes of it. A last run
    over the whole file must then finish the job."""
    import random

    from tadmor.ingest import read_jsonl

    from .conftest import TADMOR

    batch = 8
    records = crash_corpus(n_docs)
    lines = [(json.dumps(r) + "\n").encode() for r in records]
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"".join(lines))
    db = tmp_path / "crash.duckdb"
    reference = {f"crash:{d.doc_id}": d for d in pipeline.run(read_jsonl(lines, source="in.jsonl"))}
    order = [f"crash:{r['id']}" for r in records]
    assert len(reference) == n_docs and not any(d.errors for d in reference.values())
    args = ["ingest", "--db", str(db), "--source", "crash", "--batch-size", str(batch), "--no-progress"]
    rng = random.Random(seed)
    points = []
    for _ in range(kills):
        prev = points[-1][-1] if points else 0  # stored by the rounds before: each round is fed beyond them
        fed = rng.randint(min(prev + 1, n_docs), n_docs)
        # a quarter of the kills at a random moment from the start (loading the model, creating the schema); the
        # rest as soon as the process has read a random number of the bytes fed to it: spaCy and the store pull
        # the input lazily, so these land in reading, extraction or a batch's transaction
        early = rng.random() < 0.25
        proc = subprocess.Popen(TADMOR + args + ["--jsonl", "-"], cwd=ROOT, stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        feeder = _Feeder(proc, lines[:fed])
        if early:
            at = f"{rng.uniform(0.0, 8.0):.1f} s"
            try:
                proc.wait(timeout=float(at.split()[0]))
            except subprocess.TimeoutExpired:
                pass
        else:
            total = sum(map(len, lines[:fed]))
            want = rng.randint(min(sum(map(len, lines[:prev])) + 1, total), total)
            feeder.wait_for(want)
            at = f"{feeder.consumed()} bytes read"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        feeder.thread.join(timeout=60)
        try:
            proc.stdin.close()
        except OSError:  # what was still buffered has nowhere to go
            pass
        assert proc.returncode == -signal.SIGKILL, proc.returncode  # killed, never finished on its own
        keys = _stored_keys(db) if db.exists() else []
        # whole batches of the input's head: nothing half-written, nothing twice, nothing out of order, nothing
        # stored before lost, nothing beyond what this or an earlier round was fed
        assert keys == order[:len(keys)] and len(keys) % batch == 0, (fed, len(keys))
        assert prev <= len(keys) <= max(prev, fed), (prev, fed, len(keys))
        with Store(db) as s:
            for key in keys:
                assert s.document(key) == reference[key], key
        points.append((fed, at, len(keys)))
    before = len(_stored_keys(db)) if db.exists() else 0
    proc = subprocess.run(TADMOR + args + ["--jsonl", str(src)], cwd=ROOT, capture_output=True, timeout=900)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    summary = proc.stdout.decode()
    assert (f"{n_docs} documents: {n_docs - before} added, 0 updated, {before} unchanged, "
            f"0 near-duplicates linked, 0 failed") in summary, summary
    with Store(db) as s:
        keys = [r[0] for r in s.con.execute("SELECT doc_key FROM documents").fetchall()]
        duplicates, losses = len(keys) - len(set(keys)), len(set(reference) - set(keys))
        assert (duplicates, losses) == (0, 0)
        assert s.counts()["events"] == sum(len(d.events) for d in reference.values())
        event_keys = s.con.execute("SELECT count(*), count(DISTINCT (doc_key, event_id)) FROM events").fetchone()
        assert event_keys[0] == event_keys[1]
        assert {k: s.document(k) for k in keys} == reference
    out = {"docs": n_docs, "kills": len(points), "kill_points (lines fed, killed at, stored)": points,
           "stored_before_the_last_run": before, "duplicates": duplicates, "losses": losses}
    print("kill -9 of tadmor ingest:", json.dumps(out))
    return out


def test_kill_9_of_tadmor_ingest_at_random_points_loses_nothing(tmp_path, pipeline):
    """The real command over a few hundred generated documents, SIGKILLed at random points, then run to the end:
    every kill leaves an openable database of whole documents; the finish adds exactly the rest."""
    out = _kill_and_resume(tmp_path, pipeline, n_docs=160, kills=2, seed=29)
    assert out["kills"] == 2 and (out["duplicates"], out["losses"]) == (0, 0)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_kill_9_of_tadmor_ingest_many_times(tmp_path, pipeline, seed):
    out = _kill_and_resume(tmp_path, pipeline, n_docs=600, kills=8, seed=100 + seed)
    assert out["kills"] == 8 and (out["duplicates"], out["losses"]) == (0, 0)
