"""The web app in a real browser: Debian's Chromium driven by Playwright, against uvicorn on a free loopback port
serving a temporary store with the bundled samples (and the seeds, when ../shared/seeds exists) ingested.

Screenshots of each view are saved under docs/screenshots/.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, sample_files, seed_files
from .test_api import MENAKA_A, cluster_documents, span

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="browser tests need Debian's Chromium at /usr/bin/chromium "
                                       "(apt-get install chromium)")
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

# Markup in the text, the title and the outlet: it must show as text and never run.
XSS_TEXT = """Ordinary headline about a clash

Local Herald
5 May 2021

KIDAL, Mali - Gunmen attacked a checkpoint near Kidal on Monday, killing three soldiers, officials said. <script>window.__xss = 1; alert(1)</script> The attackers fled. <img src=x onerror="window.__xss = 2; alert(2)"> Residents described <b>bold</b> claims.
"""
XSS_TITLE = '<img src=x onerror="window.__xss = 3; alert(3)">Title'
XSS_OUTLET = "<script>window.__xss = 4; alert(4)</script>Outlet"


def xss_document():
    """The hostile article as a stored document with one event (written by hand, so it is on the map whatever
    the extractor makes of it)."""
    from tadmor.model import Document, Event, EventActor, Location

    sentence = XSS_TEXT.split("\n")[5]
    event = Event(event_id="xss.txt#1", event_type="Battles", sub_event_type="Armed clash", date="2021-05-03",
                  time_precision=1, actor1=EventActor(name="Unidentified Armed Group (Mali)", inter=3,
                                                      mention=span(XSS_TEXT, "Gunmen")),
                  location=Location(name="Kidal", lat=18.4411, lon=1.4078, country="ML", admin1="Kidal",
                                    geo_precision=1, mention=span(XSS_TEXT, "Kidal", 0)),
                  evidence=span(XSS_TEXT, sentence), confidence=0.8)
    return Document(doc_id="xss.txt", text=XSS_TEXT, clean_text=XSS_TEXT, title=XSS_TITLE, outlet=XSS_OUTLET,
                    published="2021-05-05", events=[event])


# Markup in actor, place and holder names, and a second outlet, so the compare and control views show them too.
XSS_ACTOR = '<img src=x onerror="window.__xss = 5; alert(5)">Militia'
XSS_ACTOR2 = "<script>window.__xss = 6; alert(6)</script>Army"
XSS_ASSOC = '<svg onload="window.__xss = 7; alert(7)">Assoc</svg>'
XSS_PLACE = '<iframe src="javascript:window.__xss = 8; alert(8)"></iframe>Xville'
XSS_OUTLET2 = '"><a href="javascript:alert(9)" id="xss-link">Outlet two</a>'


def xss_named_documents():
    """Two outlets' hostile-named reports of one event (a cluster whose fatalities disagree), the first stating
    that the hostile-named side took the hostile-named place (a control period)."""
    from tadmor.model import ActorEntry, AssocActor, Document, Event, EventActor, Fatalities, Location, Place, Span

    docs = []
    for n, (outlet, toll, sub) in enumerate(((XSS_OUTLET, 4, "Non-state actor overtakes territory"),
                                             (XSS_OUTLET2, 9, "Armed clash"))):
        text = (f"Fighters of {XSS_ACTOR} took {XSS_PLACE} from {XSS_ACTOR2} on 7 June 2021, killing {toll} "
                f"soldiers, said {XSS_ASSOC}.\n")
        sp = lambda needle: span(text, needle)  # noqa: E731
        loc = Location(name=XSS_PLACE, lat=17.05, lon=0.55, country="ML", admin1=XSS_PLACE, geo_precision=1,
                       mention=sp(XSS_PLACE))
        event = Event(event_id=f"xssnames{n}.txt#1", event_type="Battles", sub_event_type=sub, date="2021-06-07",
                      time_precision=1, actor1=EventActor(name=XSS_ACTOR, inter=3, mention=sp(XSS_ACTOR)),
                      actor2=EventActor(name=XSS_ACTOR2, inter=1, mention=sp(XSS_ACTOR2)),
                      assoc_actors=[AssocActor(name=XSS_ASSOC, inter=3)], location=loc,
                      fatalities=Fatalities(count=toll, span=sp(f"{toll} soldiers")),
                      evidence=Span.of(text, 0, len(text) - 1), confidence=0.9)
        docs.append(Document(doc_id=f"xssnames{n}.txt", text=text, clean_text=text, title=XSS_TITLE, outlet=outlet,
                             published="2021-06-08", events=[event],
                             actors=[ActorEntry(name=XSS_ACTOR, inter=3, mentions=[sp(XSS_ACTOR)])],
                             places=[Place(name=XSS_PLACE, lat=17.05, lon=0.55, country="ML",
                                           mentions=[sp(XSS_PLACE)])]))
    return docs


# Marks overlapping every way (issue 8): the evidence opens with actor 1, the trigger runs into the fatalities,
# actor 2 ends with them, the place mention crosses the end of the evidence into the date; and an emoji before
# them all, so code-point offsets differ from the browser's UTF-16 ones.
OVERLAP_TEXT = "Överlap 🔥 report\n\nGunmen killed 5 soldiers in Gao on 3 May 2019, officials said; 2 more were wounded.\n"


def overlap_document():
    from tadmor.model import Document, Event, EventActor, Fatalities, Location, Quantity

    sp = lambda needle: span(OVERLAP_TEXT, needle)  # noqa: E731
    wounded = Quantity(value=2, unit="injured", span=sp("2 more"))
    event = Event(event_id="overlap.txt#1", event_type="Violence against civilians", sub_event_type="Attack",
                  date="2019-05-03", time_precision=1,
                  actor1=EventActor(name="Unidentified Armed Group (Mali)", inter=3, mention=sp("Gunmen")),
                  actor2=EventActor(name="Military Forces of Mali (2021-)", inter=1, mention=sp("soldiers")),
                  location=Location(name="Gao", lat=16.2666, lon=-0.0400, country="ML", admin1="Gao",
                                    geo_precision=1, mention=sp("Gao on 3")),
                  fatalities=Fatalities(count=5, span=sp("5 soldiers")), quantities=[wounded],
                  evidence=sp("Gunmen killed 5 soldiers in Gao"), trigger=sp("killed 5"), confidence=0.7,
                  reasons=["date: date in the evidence: '3 May 2019'"])
    return Document(doc_id="overlap.txt", text=OVERLAP_TEXT, clean_text=OVERLAP_TEXT, title="Overlap report",
                    outlet="Overlap Post", published="2019-05-04", events=[event], quantities=[wounded])


@pytest.fixture(scope="session")
def web_db(tmp_path_factory, pipeline) -> str:
    from tadmor.ingest import read_file
    from tadmor.store import Store

    raws = [raw for p in sample_files() + seed_files() for raw in read_file(str(p))]
    docs = list(pipeline.run(raws)) + cluster_documents() + [xss_document(), overlap_document()] + xss_named_documents()
    db = str(tmp_path_factory.mktemp("web") / "web.duckdb")
    with Store(db) as store:
        stats = store.ingest(docs, "web")
    assert stats.failed == 0, stats.failures
    return db


@pytest.fixture(scope="session")
def base_url(web_db, pipeline):
    from tadmor.api.app import create_app
    from tadmor.api.server import BackgroundServer

    with BackgroundServer(create_app(web_db, pipeline=pipeline)) as server:
        yield server.url.rstrip("/")


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it should not: dialogs, console errors (CSP violations among them), page errors."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.watch = Watch(pg)
    yield pg
    context.close()


def api(base_url: str, path: str, **params) -> dict:
    url = base_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=60) as r:  # loopback only
        return json.loads(r.read())


def open_view(page, base_url: str, hash_: str, ready: str) -> None:
    page.goto(base_url + "/" + hash_)
    page.wait_for_selector(f'body[data-ready="{ready}"]', timeout=60_000)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def expected_marks(event: dict, date_spans: dict) -> set[str]:
    """The kinds of mark the event page must show for this event: one for each span it has."""
    kinds = {"evidence"}
    for kind, owner in (("actor1", event["actor1"]), ("actor2", event["actor2"]), ("place", event["location"])):
        if owner and owner.get("mention"):
            kinds.add(kind)
    if event["fatalities"] and event["fatalities"].get("span"):
        kinds.add("fatalities")
    if event["event_id"] in date_spans:
        kinds.add("date")
    return kinds


def csp_violations(watch: Watch) -> list[str]:
    return [e for e in watch.errors if "Content Security Policy" in e]


def test_map_shows_a_marker_for_every_located_event(page, base_url):
    located = [e for e in api(base_url, "/api/events", limit=500)["items"] if e["latitude"] is not None]
    assert located
    open_view(page, base_url, "#/", "map")
    page.wait_for_selector(".ev-marker, .ev-group-marker")
    singles = page.locator(".ev-marker").count()
    grouped = sum(int(t) for t in page.locator(".ev-group").all_inner_texts())
    assert singles + grouped == len(located)
    assert page.locator("[data-testid=map-count]").inner_text().startswith(f"{len(located)} of {len(located)}")
    assert page.locator(".leaflet-overlay-pane path").count() > 100  # the country outlines
    shot(page, "map.png")
    # the time filter: a narrow range shows fewer events
    page.locator("#to").fill(page.locator("#from").get_attribute("min"))
    page.locator("#to").dispatch_event("input")
    assert not page.locator("[data-testid=map-count]").inner_text().startswith(f"{len(located)} of")
    assert page.watch.dialogs == [] and csp_violations(page.watch) == []


SHOWN_MARKS = """() => {
  const box = document.querySelector('[data-testid=article-text]');
  const ev = document.getElementById('mark-evidence');
  const r = ev ? ev.getBoundingClientRect() : null;
  const text = (kind) => [...box.querySelectorAll('.m-' + kind)].map((e) => e.textContent).join('');
  return {
    hash: decodeURIComponent(location.hash),
    evidence: ev ? ev.textContent : null,
    evidence_count: document.querySelectorAll('#mark-evidence').length,
    in_view: Boolean(r && r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight),
    kinds: Object.fromEntries(['actor1', 'actor2', 'place', 'date', 'fatalities', 'trigger'].map((k) => [k, text(k)])),
  };
}"""


def assert_marks_shown(page, event: dict, date_spans: dict) -> None:
    """The event page shows the event's whole evidence as one visible #mark-evidence, on screen, and every other
    coded value highlighted through exactly its span's text, however the spans overlap (issue 8)."""
    shown = page.evaluate(SHOWN_MARKS)
    where = (event["event_id"], shown["hash"])
    assert shown["evidence_count"] == 1, where
    assert page.locator("#mark-evidence").is_visible(), where
    assert shown["evidence"] == event["evidence"]["text"], where
    assert shown["in_view"], where
    want = {"actor1": (event["actor1"] or {}).get("mention"), "actor2": (event["actor2"] or {}).get("mention"),
            "place": (event["location"] or {}).get("mention"), "date": date_spans.get(event["event_id"]),
            "fatalities": (event["fatalities"] or {}).get("span"), "trigger": event.get("trigger")}
    for kind, sp in want.items():
        assert shown["kinds"][kind] == (sp["text"] if sp else ""), (where, kind)


def test_clicking_a_marker_opens_the_event_with_its_evidence_highlighted(page, base_url):
    located = [e for e in api(base_url, "/api/events", limit=500)["items"] if e["latitude"] is not None]
    views = {key: api(base_url, "/api/documents/" + urllib.parse.quote(key, safe=""))
             for key in sorted({e["doc_key"] for e in located})}
    events = {(key, e["event_id"]): e for key, v in views.items() for e in v["document"]["events"]}

    open_view(page, base_url, "#/", "map")
    page.wait_for_selector(".ev-marker, .ev-group-marker")
    for _ in range(10):  # zoom into groups until a single event's marker (or a same-place list) can be clicked
        if page.locator(".ev-marker").count():
            page.locator(".ev-marker").first.click()
            break
        page.locator(".ev-group-marker").first.click()
        page.wait_for_timeout(400)
        if page.locator(".popup-list a").count():
            page.locator(".popup-list a").first.click()
            break
    page.wait_for_selector('body[data-ready="event"]', timeout=60_000)
    params = urllib.parse.parse_qs(page.evaluate("location.hash").split("?", 1)[1])
    clicked = events[(params["doc"][0], params["id"][0])]
    assert_marks_shown(page, clicked, views[params["doc"][0]]["date_spans"])
    assert page.locator("[data-testid=modality]").inner_text().strip()

    # every located event, opened the way its marker opens it (the hash the click handler sets): the samples'
    # (42 of which, crosspost_analysis.md#5 among them, showed no evidence mark) and the hand-made overlap.txt#1
    assert views["web:overlap.txt"]["date_spans"]["overlap.txt#1"]["text"] == "3 May 2019"
    opened = 0
    for row in located:
        target = "#/event?" + urllib.parse.urlencode({"doc": row["doc_key"], "id": row["event_id"]})
        if page.evaluate("location.hash") == target:
            page.reload()  # the event the marker opened: setting the same hash again fires no hashchange
        else:
            page.evaluate("(h) => { document.body.dataset.ready = 'loading'; window.location.hash = h; }", target)
        page.wait_for_selector('body[data-ready="event"]', timeout=60_000)
        assert_marks_shown(page, events[(row["doc_key"], row["event_id"])], views[row["doc_key"]]["date_spans"])
        opened += 1
    assert opened == len(located) > 50
    assert page.watch.dialogs == [] and csp_violations(page.watch) == []

    # a fully coded event: every coded value is highlighted through its span
    view = api(base_url, "/api/documents/" + urllib.parse.quote("web:menaka_a.txt", safe=""))
    event = view["document"]["events"][0]
    expected = expected_marks(event, view["date_spans"])
    assert expected == {"evidence", "actor1", "actor2", "place", "date", "fatalities"}
    open_view(page, base_url, "#/event?" + urllib.parse.urlencode({"doc": "web:menaka_a.txt", "id": event["event_id"]}),
              "event")
    for kind, owner in (("evidence", event), ("actor1", event["actor1"]), ("actor2", event["actor2"]),
                        ("place", event["location"]), ("fatalities", event["fatalities"])):
        want = owner["evidence" if kind == "evidence" else "span" if kind == "fatalities" else "mention"]["text"]
        got = page.locator(f"[data-testid=article-text] .m-{kind}").all_inner_texts()
        assert want in "".join(got) or want in got, (kind, want, got)
    assert "".join(page.locator("[data-testid=article-text] .m-date").all_inner_texts()) == \
        view["date_spans"][event["event_id"]]["text"]
    assert "ASSERTED" in page.locator("[data-testid=modality]").inner_text()
    assert page.watch.dialogs == [] and csp_violations(page.watch) == []

    # the screenshot: a real sample, its most fully coded event as the extractor reads it
    view = api(base_url, "/api/documents/" + urllib.parse.quote("web:wire_report.txt", safe=""))
    best = max(view["document"]["events"], key=lambda e: len(expected_marks(e, view["date_spans"])))
    open_view(page, base_url, "#/event?" + urllib.parse.urlencode({"doc": "web:wire_report.txt", "id": best["event_id"]}),
              "event")
    assert best["evidence"]["text"] in page.locator("[data-testid=article-text]").inner_text()
    page.locator("#mark-evidence").scroll_into_view_if_needed()
    shot(page, "event.png")


def test_compare_view_shows_both_outlets_and_their_disagreement(page, base_url):
    open_view(page, base_url, "#/clusters", "clusters")
    row = page.locator("tr", has_text="Sahel Monitor").filter(has_text="Bamako Daily").first
    row.locator("[data-testid=cluster-link]").click()
    page.wait_for_selector('body[data-ready="compare"]')
    sources = page.locator("[data-testid=source] .outlet").all_inner_texts()
    assert "Sahel Monitor" in sources and "Bamako Daily" in sources
    disputed = page.locator("table.compare tr.disagree")
    assert disputed.count() >= 1
    assert "fatalities" in page.locator("[data-testid=disagreements]").inner_text()
    assert page.locator('tr.disagree[data-field="fatalities"] .neq').count() == 1
    shot(page, "compare.png")


def test_control_timeline_for_a_place(page, base_url):
    place = "Palmyra" if seed_files() else "Sirwah"
    open_view(page, base_url, "#/control?place=" + place, "control")
    page.wait_for_selector("[data-testid=control] tbody tr")
    assert page.locator("[data-testid=timeline] .bar").count() >= 1
    shot(page, "control.png")


def test_paste_an_article_runs_extraction(page, base_url):
    open_view(page, base_url, "#/paste", "paste")
    page.locator("textarea[name=text]").fill(MENAKA_A)
    page.locator("[data-testid=paste-form] button[type=submit]").click()
    page.wait_for_selector("[data-testid=paste-result] [data-testid=event-list] li", timeout=120_000)
    assert "event" in page.locator("[data-testid=paste-status]").inner_text()
    assert page.locator("[data-testid=paste-result] .m-evidence").count() >= 1
    assert page.locator("[data-testid=paste-result] [data-testid=doc-meta]").inner_text().startswith("Sahel Monitor")
    shot(page, "paste.png")


def _assert_inert(page) -> None:
    page.wait_for_timeout(300)  # give an injected handler (there must be none) the chance to run
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.watch.dialogs == []
    assert page.locator("#view img, #view script, #view b").count() == 0


def test_markup_in_articles_renders_as_inert_text(page, base_url):
    doc = api(base_url, "/api/documents/" + urllib.parse.quote("web:xss.txt", safe=""))["document"]
    open_view(page, base_url, "#/event?" + urllib.parse.urlencode({"doc": "web:xss.txt", "id": doc["events"][0]["event_id"]}),
              "event")
    text = page.locator("[data-testid=article-text]").inner_text()
    assert "<script>window.__xss = 1; alert(1)</script>" in text
    assert '<img src=x onerror="window.__xss = 2; alert(2)">' in text
    assert page.locator("[data-testid=doc-title]").inner_text() == XSS_TITLE
    assert page.locator("[data-testid=doc-meta]").inner_text().startswith(XSS_OUTLET)
    _assert_inert(page)

    open_view(page, base_url, "#/", "map")  # the outlet also appears in the map's event list
    page.wait_for_selector("[data-testid=visible-events] li")
    assert XSS_OUTLET in page.locator("[data-testid=visible-events]").inner_text()
    _assert_inert(page)

    open_view(page, base_url, "#/paste", "paste")  # and when pasted
    page.locator("textarea[name=text]").fill(XSS_TEXT)
    page.locator("input[name=title]").fill(XSS_TITLE)
    page.locator("input[name=outlet]").fill(XSS_OUTLET)
    page.locator("[data-testid=paste-form] button[type=submit]").click()
    page.wait_for_selector("[data-testid=paste-result] [data-testid=article-text]", timeout=120_000)
    assert "<script>window.__xss = 1" in page.locator("[data-testid=article-text]").inner_text()
    assert page.locator("[data-testid=paste-result] [data-testid=doc-title]").inner_text() == XSS_TITLE
    _assert_inert(page)


def test_api_docs_render_offline(page, base_url):
    page.goto(base_url + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    assert "tadmor" in page.locator(".swagger-ui .info").inner_text()
    assert page.watch.dialogs == []


def test_markup_in_actor_place_and_outlet_names_renders_as_inert_text(page, base_url):
    """Hostile names reach every view as text: the event page, the compare view of their cluster (two hostile
    outlets), the control timeline of the hostile place; and each page came with the strict CSP."""
    from tadmor.api.middleware import CSP

    first = api(base_url, "/api/documents/" + urllib.parse.quote("web:xssnames0.txt", safe=""))["document"]
    response = page.goto(base_url + "/")
    assert response.headers["content-security-policy"] == CSP
    open_view(page, base_url, "#/event?" + urllib.parse.urlencode({"doc": "web:xssnames0.txt",
                                                                    "id": first["events"][0]["event_id"]}), "event")
    shown = page.locator("#view").inner_text()
    for name in (XSS_ACTOR, XSS_ACTOR2, XSS_PLACE, XSS_ASSOC):
        assert name in shown, name
    _assert_inert(page)
    assert page.locator("#view iframe, #view svg[onload], #xss-link").count() == 0

    clusters = api(base_url, "/api/clusters", limit=500)["items"]
    ours = [c for c in clusters if {XSS_OUTLET, XSS_OUTLET2} <= set(c["sources"])]
    assert ours, "the two hostile reports form one cluster"
    open_view(page, base_url, "#/clusters", "clusters")
    assert XSS_OUTLET2 in page.locator("#view").inner_text()
    _assert_inert(page)
    open_view(page, base_url, "#/compare?" + urllib.parse.urlencode({"cluster": ours[0]["cluster_id"]}), "compare")
    shown = page.locator("#view").inner_text()
    assert XSS_OUTLET in shown and XSS_OUTLET2 in shown and XSS_ACTOR in shown
    _assert_inert(page)
    assert page.locator("#xss-link").count() == 0

    open_view(page, base_url, "#/control?" + urllib.parse.urlencode({"place": XSS_PLACE}), "control")
    page.wait_for_selector("[data-testid=control] tbody tr")
    assert XSS_ACTOR in page.locator("[data-testid=control]").inner_text()
    _assert_inert(page)
    assert page.locator("#view iframe").count() == 0
    assert csp_violations(page.watch) == []


def test_a_page_still_loading_does_not_take_over_a_newer_one(page, base_url):
    """The map, still fetching when an event is opened, used to finish last and mark the page ready as the map
    (seen as a 60 s timeout waiting for the event page when the machine was busy). Its fetch is held here until
    the event page is ready, so the stale page always finishes last."""
    held = []
    page.route("**/static/vendor/world-atlas/countries-110m.json", lambda route: held.append(route))
    with page.expect_request("**/countries-110m.json"):
        page.goto(base_url + "/#/")
    doc = api(base_url, "/api/documents/" + urllib.parse.quote("web:menaka_a.txt", safe=""))["document"]
    page.evaluate("(h) => { window.location.hash = h; }",
                  "#/event?" + urllib.parse.urlencode({"doc": "web:menaka_a.txt", "id": doc["events"][0]["event_id"]}))
    page.wait_for_selector('body[data-ready="event"]', timeout=60_000)
    assert held, "the map's request was held"
    with page.expect_response(lambda r: "/api/events" in r.url, timeout=60_000):
        held[0].continue_()
    # the stale map has its events; let its last steps (parsing, drawing, returning) run
    page.evaluate("() => new Promise((done) => setTimeout(() => requestAnimationFrame(() => setTimeout(done, 200)), 0))")
    assert page.evaluate("document.body.dataset.ready") == "event"
    assert page.locator("#view [data-testid=article-text] #mark-evidence").count() == 1
    assert page.locator("#view [data-testid=map]").count() == 0
    assert page.watch.errors == [] and page.watch.dialogs == []
