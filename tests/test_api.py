"""The HTTP API through FastAPI's TestClient, over a real DuckDB store in tmp_path and the real pipeline."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse

import pytest

from tadmor.errors import ConfigError, InputError, StoreError, TadmorError, UsageError
from tadmor.store.acled import COLUMNS

from .conftest import SAMPLES

pytest.importorskip("fastapi", reason="the API needs fastapi")

MENAKA_A = """Sahel Monitor
3 March 2021

Militants kill 12 soldiers in attack on army post near Menaka

MENAKA, Mali - Islamic State fighters attacked an army post near Menaka on Tuesday, killing 12 soldiers, a military source said.
"""
MENAKA_B = """Bamako Daily
3 March 2021

Twenty soldiers dead as jihadists storm Menaka outpost

BAMAKO, Mali - At least 20 Malian soldiers were killed on Tuesday when Islamic State militants attacked a military post near Menaka in northeastern Mali, local officials said.
"""
PALMYRA = """Levant Wire
12 December 2016

Islamic State fighters retook Palmyra on Sunday after government troops withdrew, a monitor said.
"""
IS_SAHEL, MALI_ARMY = "Islamic State (Greater Sahara)", "Military Forces of Mali (2021-)"


def span(text: str, needle: str, nth: int = 0):
    from tadmor.model import Span

    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def report(doc_id: str, text: str, *, outlet: str, evidence: str, actor1: tuple[str, str], actor2: tuple[str, str],
           place: tuple[str, float, float, str, str], place_nth: int, killed: str, count: int,
           sub: str = "Armed clash", date: str = "2021-03-02", published: str = "2021-03-03"):
    """A contract Document with one fully coded event, written by hand: what the API and the web app show
    does not depend on how the extractor reads these texts today."""
    from tadmor.model import Document, Event, EventActor, Fatalities, Location, Quantity

    name, lat, lon, country, admin1 = place
    kill = span(text, killed)
    q = Quantity(value=count, unit="killed", about_actor=actor2[0], span=kill)
    event = Event(
        event_id=f"{doc_id}#1", event_type="Battles", sub_event_type=sub, date=date, time_precision=1,
        actor1=EventActor(name=actor1[0], inter=2, mention=span(text, actor1[1])),
        actor2=EventActor(name=actor2[0], inter=1, mention=span(text, actor2[1])),
        location=Location(name=name, lat=lat, lon=lon, country=country, admin1=admin1, geo_precision=1,
                          mention=span(text, {"Ménaka": "Menaka", "Tadmur": "Palmyra"}[name], place_nth)),
        fatalities=Fatalities(count=count, span=kill), quantities=[q], evidence=span(text, evidence),
        trigger=span(text, "attacked") if "attacked" in text else None, confidence=0.9,
        reasons=["hand-written test event"])
    return Document(doc_id=doc_id, text=text, clean_text=text, outlet=outlet, published=published,
                    title=text.split("\n")[3], events=[event], quantities=[q])


MENAKA = ("Ménaka", 15.9182, 2.4022, "ML", "Menaka")


def cluster_documents() -> list:
    """Two outlets' reports of one attack, disagreeing on the toll; and a report of who took Palmyra."""
    a = report("menaka_a.txt", MENAKA_A, outlet="Sahel Monitor", evidence=MENAKA_A.split("\n")[5],
               actor1=(IS_SAHEL, "Islamic State"), actor2=(MALI_ARMY, "soldiers"), place=MENAKA, place_nth=1,
               killed="12 soldiers", count=12)
    b = report("menaka_b.txt", MENAKA_B, outlet="Bamako Daily", evidence=MENAKA_B.split("\n")[5],
               actor1=(IS_SAHEL, "Islamic State"), actor2=(MALI_ARMY, "Malian soldiers"), place=MENAKA, place_nth=1,
               killed="20 Malian soldiers", count=20)
    c = report("palmyra.txt", PALMYRA, outlet="Levant Wire", evidence=PALMYRA.split("\n")[3],
               actor1=("Islamic State (Syria)", "Islamic State"), actor2=("Military Forces of Syria (2000-)", "government troops"),
               place=("Tadmur", 34.5602, 38.2678, "SY", "Homs"), place_nth=0, killed="government troops", count=0,
               sub="Non-state actor overtakes territory", date="2016-12-11", published="2016-12-12")
    c.events[0].fatalities = None
    c.events[0].quantities, c.quantities = [], []
    c.title = "Islamic State retakes Palmyra"
    return [a, b, c]


HOSTILE = ["' OR 1=1 --", "'; DROP TABLE events; --", "%", "_", "../../etc/passwd", "\\x00", "Robert'); --"]
SECURITY = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}
CSP_PARTS = ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
             "frame-ancestors 'none'", "style-src 'self'")


@pytest.fixture(scope="module")
def loads():
    return []


@pytest.fixture(scope="module")
def client(tmp_path_factory, pipeline, loads):
    from fastapi.testclient import TestClient

    from tadmor.api import create_app
    from tadmor.ingest import read_file
    from tadmor.store import Store

    db = str(tmp_path_factory.mktemp("api") / "api.duckdb")
    raws = [raw for name in ("wire_report.txt", "two_sides.txt") for raw in read_file(str(SAMPLES / name))]
    with Store(db) as store:
        assert store.ingest(list(pipeline.run(raws)) + cluster_documents(), "t").failed == 0

    def factory():
        loads.append(1)
        return pipeline

    with TestClient(create_app(db, pipeline_factory=factory)) as c:
        yield c


def assert_error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert err["message"]
    if code:
        assert err["code"] == code
    return err


def assert_secured(r) -> None:
    csp = r.headers.get("content-security-policy", "")
    for part in CSP_PARTS:
        assert part in csp, (r.url, csp)
    for name, value in SECURITY.items():
        assert r.headers.get(name) == value


# ---- meta, headers, pages -------------------------------------------------------------------

def test_health_counts_the_store_and_the_pipeline_is_not_loaded_yet(client, loads):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["documents"] == 5 and body["events"] >= 3
    if not loads:
        assert body["pipeline_loaded"] is False


@pytest.mark.parametrize("path", ["/", "/docs", "/static/js/app.js", "/static/css/app.css", "/api/health",
                                  "/api/events", "/nope", "/api/events?limit=0", "/openapi.json"])
def test_every_response_carries_the_security_headers(client, path):
    assert_secured(client.get(path))


def test_security_headers_on_413_and_405(client):
    assert_secured(client.post("/api/documents", content=b"x" * (2 * 1024 * 1024 + 1),
                               headers={"content-type": "text/plain"}))
    assert_secured(client.delete("/api/events"))


def test_pages_have_no_inline_script_or_style(client):
    for path in ("/", "/docs"):
        html = client.get(path).text
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        assert scripts
        for attrs, inline in scripts:
            assert "src=" in attrs and not inline.strip(), attrs
        assert "style=" not in html and "<style" not in html and " on" + "click" not in html


def test_openapi_lists_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/health", "/api/documents", "/api/documents/{key}", "/api/events", "/api/exports/{fmt}",
                 "/api/clusters", "/api/clusters/{cluster_id}", "/api/control", "/api/places"):
        assert path in spec["paths"], path
    body = spec["paths"]["/api/documents"]["post"]["requestBody"]["content"]
    assert {"application/json", "text/plain", "text/html"} <= set(body)


def test_static_files_cannot_escape_their_folder(client):
    for path in ("/static/../../../etc/passwd", "/static/..%2F..%2F..%2Fetc%2Fpasswd", "/static/%2e%2e/api/app.py"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "root:" not in r.text


def test_errors_map_to_statuses_in_one_place():
    from tadmor.api.errors import ApiError, status_of

    assert status_of(UsageError("x")) == 400
    assert status_of(InputError("x")) == 422
    assert status_of(StoreError("x")) == 500
    assert status_of(ConfigError("x")) == 500
    assert status_of(TadmorError("x")) == 500
    assert status_of(ApiError(404, "not_found", "x")) == 404


# ---- documents ------------------------------------------------------------------------------

def test_post_json_extracts_without_storing(client, loads):
    r = client.post("/api/documents", json={"text": MENAKA_A, "doc_id": "fresh.txt"})
    assert r.status_code == 200, r.text
    out = r.json()
    doc = out["document"]
    assert doc["doc_id"] == "fresh.txt" and doc["outlet"] == "Sahel Monitor"
    assert out["stored"] is False and out["doc_key"] is None
    for ev in doc["events"]:
        assert doc["text"][ev["evidence"]["start"]:ev["evidence"]["end"]] == ev["evidence"]["text"]
    for span in out["date_spans"].values():
        assert doc["text"][span["start"]:span["end"]] == span["text"]
    assert client.get("/api/health").json()["documents"] == 5
    client.post("/api/documents", json={"text": "Clashes in Kabul on Monday left two dead."})
    assert len(loads) == 1  # the pipeline was loaded once, on the first extraction
    assert client.get("/api/health").json()["pipeline_loaded"] is True


def test_post_with_store_is_idempotent_and_readable(client):
    r = client.post("/api/documents", json={"text": MENAKA_B, "doc_id": "kept.txt", "store": True, "source": "paste"})
    out = r.json()
    assert out["stored"] is True and out["doc_key"] == "paste:kept.txt" and out["ingest"]["added"] == 1
    again = client.post("/api/documents", json={"text": MENAKA_B, "doc_id": "kept.txt", "store": True, "source": "paste"})
    assert again.json()["ingest"]["unchanged"] == 1
    view = client.get("/api/documents/" + urllib.parse.quote("paste:kept.txt", safe="")).json()
    assert view["document"]["text"] == MENAKA_B
    listed = client.get("/api/documents", params={"source": "paste"}).json()["items"]
    assert [d["doc_key"] for d in listed] == ["paste:kept.txt"]


def test_post_raw_text_and_html_bodies(client):
    r = client.post("/api/documents", content=MENAKA_A.encode(), headers={"content-type": "text/plain; charset=utf-8"},
                    params={"doc_id": "raw.txt", "outlet": "Given Outlet"})
    assert r.status_code == 200, r.text
    assert r.json()["document"]["doc_id"] == "raw.txt" and r.json()["document"]["outlet"] == "Given Outlet"
    html = ("<html><head><title>Clash</title></head><body><article><p>"
            + MENAKA_A.replace("\n\n", "</p><p>") + "</p></article></body></html>")
    r = client.post("/api/documents", content=html.encode(), headers={"content-type": "text/html"})
    assert r.status_code == 200, r.text
    assert "<p>" not in r.json()["document"]["text"]


@pytest.mark.parametrize("payload", [{}, {"text": "a", "html": "<p>a</p>"}, {"text": "   "}, {"text": 12},
                                     {"text": "a", "unknown": 1}, {"text": "a", "doc_id": "x" * 201},
                                     {"text": "a", "source": ""}, [], "text"])
def test_post_bad_json_is_422(client, payload):
    err = assert_error(client.post("/api/documents", json=payload), 422, "invalid")
    assert err["details"]


def test_post_malformed_bodies(client):
    assert_error(client.post("/api/documents", content=b"{not json", headers={"content-type": "application/json"}),
                 422, "invalid")
    assert_error(client.post("/api/documents", content=b"\xff\xfe\x00bad", headers={"content-type": "text/plain"}),
                 422, "invalid")
    assert_error(client.post("/api/documents", content=b"a,b", headers={"content-type": "text/csv"}),
                 415, "unsupported_media_type")
    assert_error(client.post("/api/documents", content=b"text", headers={"content-type": "text/plain"},
                             params={"source": ""}), 422)


def test_oversized_bodies_are_413(client):
    big = b"x" * (2 * 1024 * 1024 + 1)
    assert_error(client.post("/api/documents", content=big, headers={"content-type": "text/plain"}), 413, "too_large")

    def chunks():  # no Content-Length: refused while reading
        for _ in range(5):
            yield b"y" * (512 * 1024)

    assert_error(client.post("/api/documents", content=chunks(), headers={"content-type": "text/plain"}),
                 413, "too_large")


def test_document_paging_and_bounds(client):
    first = client.get("/api/documents", params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_offset"] == 1
    everything = client.get("/api/documents", params={"limit": 500}).json()
    assert everything["next_offset"] is None
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "ten"}, {"since": "yesterday"}):
        assert_error(client.get("/api/documents", params=bad), 422, "invalid")


@pytest.mark.parametrize("key", ["nope", "t:nope", "..%2F..%2Fetc%2Fpasswd", "%27%20OR%201%3D1%20--",
                                 "https%3A%2F%2Fexample.org%2Fa"])
def test_unknown_document_is_404(client, key):
    assert_error(client.get("/api/documents/" + key), 404, "not_found")


def test_one_document_with_its_spans(client):
    view = client.get("/api/documents/t:wire_report.txt").json()
    doc = view["document"]
    assert doc["doc_id"] == "wire_report.txt" and doc["actors"] and doc["places"]
    for actor in doc["actors"]:
        for m in actor["mentions"]:
            assert doc["text"][m["start"]:m["end"]] == m["text"]
    assert set(view["date_spans"]) <= {e["event_id"] for e in doc["events"]}
    assert client.get("/api/documents/wire_report.txt").json()["document"]["doc_id"] == "wire_report.txt"


# ---- events and exports ---------------------------------------------------------------------

def test_events_filters(client):
    menaka = client.get("/api/events", params={"place": "ménaka"}).json()["items"]
    assert menaka and all(e["location"] == "Ménaka" for e in menaka)
    battles = client.get("/api/events", params={"type": "battles"}).json()["items"]
    assert battles and all(e["event_type"] == "Battles" for e in battles)
    for e in client.get("/api/events", params={"modality": "claimed"}).json()["items"]:
        assert e["modality"] == "claimed"
    ranged = client.get("/api/events", params={"since": "2021-01-01", "until": "2021-12-31"}).json()["items"]
    assert ranged and all("2021-01-01" <= e["event_date"] <= "2021-12-31" for e in ranged)


def test_event_pages_cover_the_list_once(client):
    whole = client.get("/api/events", params={"limit": 500}).json()
    assert whole["next_offset"] is None
    seen, offset = [], 0
    while offset is not None:
        page = client.get("/api/events", params={"limit": 3, "offset": offset}).json()
        assert len(page["items"]) <= 3
        seen += page["items"]
        offset = page["next_offset"]
    assert [(e["doc_key"], e["event_id"]) for e in seen] == [(e["doc_key"], e["event_id"]) for e in whole["items"]]


@pytest.mark.parametrize("params,status", [
    ({"limit": 501}, 422), ({"limit": 0}, 422), ({"offset": -5}, 422), ({"offset": 10**12}, 422),
    ({"modality": "maybe"}, 422), ({"since": "2021-02-30"}, 422), ({"until": "soon"}, 422),
    ({"place": "x" * 201}, 422), ({"include_duplicates": "perhaps"}, 422),
    ({"since": "2021-02-01", "until": "2021-01-01"}, 400),
])
def test_bad_event_parameters(client, params, status):
    assert_error(client.get("/api/events", params=params), status)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filter_values_are_plain_strings(client, value):
    before = client.get("/api/health").json()
    for name in ("place", "actor", "type", "source"):
        r = client.get("/api/events", params={name: value})
        assert r.status_code == 200 and r.json()["items"] == [], (name, value)
    assert client.get("/api/places", params={"q": value}).json()["items"] == []
    assert client.get("/api/control", params={"place": value}).json()["periods"] == []
    assert client.get("/api/health").json()["events"] == before["events"]


def test_export_acled_csv(client):
    r = client.get("/api/exports/acled-csv", params={"place": "ménaka"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert tuple(rows[0].keys()) == COLUMNS
    assert rows and all(row["location"] == "Ménaka" for row in rows)


def test_export_geojson_and_parquet(client):
    gj = client.get("/api/exports/geojson")
    assert gj.status_code == 200 and gj.headers["content-type"].startswith("application/geo+json")
    fc = json.loads(gj.text)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    lon, lat = fc["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    pq = client.get("/api/exports/parquet", params={"type": "Battles"})
    assert pq.status_code == 200 and pq.content[:4] == b"PAR1" and pq.content[-4:] == b"PAR1"


def test_bad_export_requests(client):
    assert_error(client.get("/api/exports/xlsx"), 422, "invalid")
    assert_error(client.get("/api/exports/..%2F..%2Fetc%2Fpasswd"), 404)
    assert_error(client.get("/api/exports/acled-csv", params={"since": "2021-02-01", "until": "2020-01-01"}), 400, "usage")


# ---- clusters, control, places --------------------------------------------------------------

def _menaka_cluster(client) -> dict:
    items = client.get("/api/clusters", params={"place": "Menaka"}).json()["items"]
    both = [c for c in items if {"Sahel Monitor", "Bamako Daily"} <= set(c["sources"])]
    assert both, items
    return both[0]


def test_clusters_line_up_two_outlets(client):
    cluster = _menaka_cluster(client)
    assert len(cluster["events"]) == 2
    fatalities = [d for d in cluster["disagreements"] if d["field"] == "fatalities"]
    assert fatalities and sorted(v["value"] for v in fatalities[0]["values"]) == [12, 20]
    detail = client.get(f"/api/clusters/{cluster['cluster_id']}").json()
    assert {m["outlet"] for m in detail["members"]} == {"Sahel Monitor", "Bamako Daily"}
    for m in detail["members"]:
        assert m["doc_key"].startswith("t:menaka_") and m["event"] and "fatalities" in m["values"]
    disputed = client.get("/api/clusters", params={"disputed": True, "limit": 500}).json()["items"]
    assert all(c["disagreements"] for c in disputed)
    singles = client.get("/api/clusters", params={"min_events": 1, "limit": 500}).json()["items"]
    assert len(singles) > len(client.get("/api/clusters", params={"limit": 500}).json()["items"])


@pytest.mark.parametrize("cid,status", [("x1", 422), ("c1;DROP", 422), ("c", 422), ("c999999999", 404)])
def test_bad_cluster_ids(client, cid, status):
    assert_error(client.get("/api/clusters/" + cid), status)


def test_bad_cluster_parameters(client):
    for params in ({"min_events": 0}, {"limit": 501}, {"disputed": "sometimes"}):
        assert_error(client.get("/api/clusters", params=params), 422, "invalid")


def test_control_timeline_by_place(client):
    out = client.get("/api/control", params={"place": "palmyra"}).json()  # as the text wrote it: Tadmur
    assert out["matched"] == ["Tadmur"] and len(out["periods"]) == 1
    period = out["periods"][0]
    assert period["holder"] == "Islamic State (Syria)" and period["from"] == "2016-12-11" and period["to"] is None
    assert period["source_doc"] == "palmyra.txt" and period["source_key"] == "t:palmyra.txt"
    assert "retook Palmyra" in period["evidence"]["text"]
    everything = client.get("/api/control").json()
    assert len(everything["periods"]) >= 1 and everything["matched"] == []
    assert client.get("/api/control", params={"place": "Atlantis"}).json()["periods"] == []
    assert_error(client.get("/api/control", params={"place": "x" * 201}), 422)


def test_places_with_how_texts_wrote_them(client):
    items = client.get("/api/places", params={"q": "menaka"}).json()["items"]
    assert [p["name"] for p in items] == ["Ménaka"]
    assert "Menaka" in items[0]["aliases"] and items[0]["events"] >= 2
    with_control = client.get("/api/places", params={"with_control": True}).json()["items"]
    assert with_control and all(p["control_periods"] for p in with_control)
    counts = [p["events"] for p in client.get("/api/places", params={"limit": 500}).json()["items"]]
    assert counts == sorted(counts, reverse=True)
    assert_error(client.get("/api/places", params={"limit": 1000}), 422)


def test_comparison_follows_the_store(client):
    def located() -> int:
        return sum(p["events"] for p in client.get("/api/places", params={"limit": 500}).json()["items"])

    before = located()
    text = (SAMPLES / "local_brief.txt").read_text("utf-8")
    out = client.post("/api/documents", json={"text": text, "doc_id": "brief.txt", "store": True, "source": "t2"}).json()
    assert out["stored"] is True
    assert located() == before + sum(1 for e in out["document"]["events"] if e["location"])


def test_serve_refuses_a_bad_port():
    from tadmor.api.server import _check_bind

    with pytest.raises(UsageError):
        _check_bind("127.0.0.1", 70000)
