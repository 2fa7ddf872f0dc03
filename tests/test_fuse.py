"""Clusters, disagreements and control periods on hand-built documents (no NLP needed)."""

from __future__ import annotations

from tadmor.fuse import compare
from tadmor.model import Document, Event, EventActor, Fatalities, Location, Span


def _event(doc_id, n, sub, date, place=("Palmyra", 34.556, 38.272), actor1="Islamic State", actor2="Military Forces of Syria (2000-)",
           modality="asserted", precision=1, deaths=None, etype="Battles", historical=False, conf=0.8):
    text = f"evidence {doc_id} {n}"
    return Event(
        event_id=f"{doc_id}#{n}", event_type=etype, sub_event_type=sub, date=date, time_precision=precision,
        actor1=EventActor(name=actor1, inter=2), actor2=EventActor(name=actor2, inter=1) if actor2 else None,
        location=Location(name=place[0], lat=place[1], lon=place[2], geo_precision=1) if place else None,
        fatalities=Fatalities(count=deaths) if deaths is not None else None, modality=modality,
        historical=historical, confidence=conf, evidence=Span(start=0, end=len(text), text=text),
    )


def _doc(doc_id, outlet, *events):
    return Document(doc_id=doc_id, outlet=outlet, text="x", events=list(events))


def test_two_reports_of_one_battle_cluster_and_disagree_on_outcome():
    a = _doc("a", "Blog", _event("a", 1, "Non-state actor overtakes territory", "2016-12-11", deaths=300),
             _event("a", 2, "Government regains territory", "2016-03-27", actor1="Military Forces of Syria (2000-)",
                    actor2="Islamic State", precision=3, historical=True))
    b = _doc("b", "Review", _event("b", 1, "Armed clash", "2016-12-12", modality="uncertain", deaths=40))
    result = compare([a, b])
    together = [c for c in result.clusters if len(c.events) == 2]
    assert len(together) == 1
    c = together[0]
    assert {(r.doc_id, r.event_id) for r in c.events} == {("a", "a#1"), ("b", "b#1")}
    fields = {d.field: {v.doc_id: v.value for v in d.values} for d in c.disagreements}
    assert fields["modality"] == {"a": "happened", "b": "unclear"}
    assert fields["fatalities"] == {"a": 300, "b": 40}
    assert c.sources == ["Blog", "Review"]
    # the March liberation is a different event and stays apart
    assert all(("a", "a#2") not in {(r.doc_id, r.event_id) for r in cl.events} or len(cl.events) == 1 for cl in result.clusters)


def test_control_timeline_with_dispute():
    a = _doc("a", "Blog", _event("a", 1, "Non-state actor overtakes territory", "2016-12-11"),
             _event("a", 2, "Government regains territory", "2016-03-27", actor1="Military Forces of Syria (2000-)",
                    actor2="Islamic State", precision=3, historical=True))
    b = _doc("b", "Review", _event("b", 1, "Armed clash", "2016-12-12", modality="uncertain"))
    control = compare([a, b]).control
    assert [(p.holder, p.from_, p.to) for p in control] == [
        ("Military Forces of Syria (2000-)", "2016-03-27", "2016-12-10"), ("Islamic State", "2016-12-11", None)]
    assert control[1].disputed_by == ["b"] and control[0].disputed_by == []


def test_different_events_never_merge():
    a = _doc("a", "One", _event("a", 1, "Air/drone strike", "2020-05-01", etype="Explosions/Remote violence"))
    b = _doc("b", "Two", _event("b", 1, "Air/drone strike", "2020-05-09", etype="Explosions/Remote violence"))  # a week later
    c = _doc("c", "Three", _event("c", 1, "Peaceful protest", "2020-05-01", etype="Protests", actor1="Protesters (Syria)", actor2=None))
    d = _doc("d", "Four", _event("d", 1, "Air/drone strike", "2020-05-01", etype="Explosions/Remote violence",
                                 place=("Aleppo", 36.2, 37.13)))  # 200 km away
    assert all(len(cl.events) == 1 for cl in compare([a, b, c, d]).clusters)


def test_hypothetical_events_are_not_clustered_and_wire_copies_count_once():
    a = _doc("a", "Paper A", _event("a", 1, "Armed clash", "2020-05-01"))
    b = _doc("b", "Paper B", _event("b", 1, "Armed clash", "2020-05-01"))
    a.relays = b.relays = ["Reuters"]
    h = _doc("h", "Paper C", _event("h", 1, "Armed clash", "2020-05-01", modality="hypothetical"))
    result = compare([a, b, h])
    (two,) = [c for c in result.clusters if len(c.events) > 1]
    assert {r.doc_id for r in two.events} == {"a", "b"} and two.corroboration == 1
    assert all(r.doc_id != "h" for c in result.clusters for r in c.events)


def test_weapon_kinds_and_generic_actors():
    rocket = _doc("a", "One", _event("a", 1, "Shelling/artillery/missile attack", "2020-11-21", etype="Explosions/Remote violence",
                                     actor1="Unidentified Armed Group (Afghanistan)", actor2="Civilians (Afghanistan)"))
    bomb = _doc("b", "Two", _event("b", 1, "Remote explosive/landmine/IED", "2020-11-21", etype="Explosions/Remote violence",
                                   actor1="Unidentified Armed Group (Afghanistan)", actor2="Civilians (Afghanistan)"))
    named = _doc("c", "Three", _event("c", 1, "Air/drone strike", "2020-11-21", etype="Explosions/Remote violence",
                                      actor1="Taliban", actor2="Military Forces of Afghanistan (2014-)"))
    result = compare([rocket, bomb, named])
    groups = sorted(sorted(r.doc_id for r in c.events) for c in result.clusters)
    # a rocket and a roadside bomb are two events; "unidentified" attackers may be the named group
    assert groups == [["a", "c"], ["b"]]


def test_region_level_report_joins_a_town_in_that_region_only_on_the_same_day():
    town = _doc("a", "One", _event("a", 1, "Armed clash", "2020-10-15", place=("Gereshk", 31.82, 64.57)))
    region = _doc("b", "Two", _event("b", 1, "Armed clash", "2020-10-15", place=("Lashkar Gah", 31.59, 64.37), precision=1))
    later = _doc("c", "Three", _event("c", 1, "Armed clash", "2020-10-18", place=("Lashkar Gah", 31.59, 64.37)))
    for d in (region, later):
        d.events[0].location.geo_precision, d.events[0].location.admin1 = 3, "Helmand"
    town.events[0].location.admin1 = "Helmand"
    groups = sorted(sorted(r.doc_id for r in c.events) for c in compare([town, region, later]).clusters)
    assert groups == [["a", "b"], ["c"]]


def test_a_yearless_wire_dateline_takes_its_year_from_the_other_reports():
    from tadmor.fuse.cluster import lend_years, yearless_dateline

    text = "KANO, Nigeria, Aug 11 (Sahel Wire) - Jihadists ambushed a convoy near Wajiroko on Monday."
    assert yearless_dateline(text) == (8, 11)
    assert yearless_dateline("KANO, Nigeria, Aug 11, 2020 (AFP) - ...") is None  # it has a year
    dated = Document(doc_id="a", published="2020-08-10", text="x",
                     events=[_event("a", 1, "Armed clash", "2020-08-10")])
    undated = Document(doc_id="b", text=text, events=[_event("b", 1, "Armed clash", None, precision=3)])
    far = Document(doc_id="c", published="2019-02-01", text="x", events=[_event("c", 1, "Armed clash", "2019-02-01")])
    lent = {d.doc_id: d for d in lend_years([dated, undated, far])}
    ev = lent["b"].events[0]
    assert (ev.date, ev.time_precision) == ("2020-08-11", 2)
    assert any("year taken from a" in r for r in ev.reasons)
    assert undated.events[0].date is None  # the caller's document is not changed
    # nothing within a few days of 11 August: no year is invented
    alone = {d.doc_id: d for d in lend_years([undated, far])}
    assert alone["b"].events[0].date is None


# ---------------------------------------------------------------- issue 7: cross-source fusion

def _clustered(result, *keys):
    return any({(r.doc_id, r.event_id) for r in c.events} >= set(keys) for c in result.clusters)


def test_shelling_one_side_reports_and_a_returned_fire_battle_are_one_event():
    # one report says the mortar fire was answered (a battle), the other only that it was fired
    a = _doc("a", "Kyiv", _event("a", 1, "Armed clash", "2021-01-14", place=("Pisky", 48.06, 37.63),
                                 actor1="NAF", actor2="Military Forces of Ukraine (2019-)"))
    b = _doc("b", "Donetsk", _event("b", 1, "Shelling/artillery/missile attack", "2021-01-14", place=("Pisky", 48.06, 37.63),
                                    actor1="NAF", actor2=None, etype="Explosions/Remote violence", modality="negated"))
    result = compare([a, b])
    assert _clustered(result, ("a", "a#1"), ("b", "b#1"))
    c = next(c for c in result.clusters if len(c.events) == 2)
    fields = {d.field: {v.doc_id: v.value for v in d.values} for d in c.disagreements}
    assert fields["modality"] == {"a": "happened", "b": "denied"}
    # other kinds of different types never join: an IED and a battle are two events
    c2 = _doc("c", "X", _event("c", 1, "Remote explosive/landmine/IED", "2021-01-14", place=("Pisky", 48.06, 37.63),
                               actor1="NAF", actor2=None, etype="Explosions/Remote violence"))
    assert not _clustered(compare([a, c2]), ("a", "a#1"), ("c", "c#1"))


def test_reports_blaming_different_groups_join_only_at_one_place_on_one_day():
    spot = ("Aguililla", 18.74, -102.73)
    a = _doc("a", "A", _event("a", 1, "Armed clash", "2021-02-09", place=spot, actor1="CJNG", actor2="Police"))
    b = _doc("b", "B", _event("b", 1, "Armed clash", "2021-02-09", place=spot, actor1="Carteles Unidos", actor2="State police"))
    result = compare([a, b])
    assert _clustered(result, ("a", "a#1"), ("b", "b#1"))
    c = next(c for c in result.clusters if len(c.events) == 2)
    assert "actors" in {d.field for d in c.disagreements}
    # two days apart, or 30 km apart, different actors keep them apart
    late = _doc("c", "C", _event("c", 1, "Armed clash", "2021-02-11", place=spot, actor1="Carteles Unidos", actor2="State police"))
    far = _doc("d", "D", _event("d", 1, "Armed clash", "2021-02-09", place=("Apatzingan", 19.0, -102.5),
                                actor1="Carteles Unidos", actor2="State police"))
    assert not _clustered(compare([a, late]), ("a", "a#1"), ("c", "c#1"))
    assert not _clustered(compare([a, far]), ("a", "a#1"), ("d", "d#1"))


def test_main_events_are_linked_before_background_mentions():
    # b tells the strike (its main event) and, as background, a similar strike at the same place;
    # the background mention matches a's event a little better, but the reports are about their main events
    spot = ("Kisweh", 33.36, 36.24)
    a = _doc("a", "A", _event("a", 1, "Shelling/artillery/missile attack", "2020-09-16", place=spot, actor1="Israel",
                              actor2=None, etype="Explosions/Remote violence", conf=0.9))
    b = _doc("b", "B",
             _event("b", 1, "Air/drone strike", "2020-09-15", place=spot, actor1="Israel", actor2=None,
                    etype="Explosions/Remote violence", conf=0.9),
             _event("b", 2, "Shelling/artillery/missile attack", "2020-09-16", place=spot, actor1="Israel", actor2=None,
                    etype="Explosions/Remote violence", conf=0.5))
    assert _clustered(compare([a, b]), ("a", "a#1"), ("b", "b#1"))


def test_a_second_telling_in_one_document_joins_the_cluster_but_speaks_once():
    russia = "Military Forces of Russia (2000-)"
    t4, palmyra = ("T4 airfield", 34.5225, 37.6297), ("Palmyra", 34.556, 38.272)
    # a: the strikes near the airbase, told again later at the city (57 km away); b: at the city
    a = _doc("a", "Blog",
             _event("a", 1, "Air/drone strike", "2016-12-11", place=t4, actor1=russia, actor2="Islamic State",
                    etype="Explosions/Remote violence", deaths=300, conf=0.6),
             _event("a", 2, "Air/drone strike", "2016-12-11", place=palmyra, actor1=russia, actor2="Islamic State",
                    etype="Explosions/Remote violence", conf=0.45))
    b = _doc("b", "Review", _event("b", 1, "Air/drone strike", "2016-12-11", place=palmyra, actor1=russia,
                                   actor2="Islamic State", etype="Explosions/Remote violence", deaths=40))
    result = compare([a, b])
    shared = [c for c in result.clusters if {r.doc_id for r in c.events} == {"a", "b"}]
    assert len(shared) == 1
    assert {r.event_id for r in shared[0].events} == {"a#1", "a#2", "b#1"}
    # each document speaks once, through its most confident telling (a#1: 300 dead at T4)
    fields = {d.field: {v.doc_id: v.value for v in d.values} for d in shared[0].disagreements}
    assert fields["fatalities"] == {"a": 300, "b": 40}
    assert fields["location"] == {"a": "T4 airfield", "b": "Palmyra"}
    assert shared[0].corroboration == 2


def test_a_different_action_of_the_same_document_is_not_a_repeat():
    russia = "Military Forces of Russia (2000-)"
    a = _doc("a", "Blog",
             _event("a", 1, "Air/drone strike", "2016-12-11", actor1=russia, actor2="Islamic State",
                    etype="Explosions/Remote violence"),
             _event("a", 2, "Air/drone strike", "2016-12-14", actor1=russia, actor2="Islamic State",
                    etype="Explosions/Remote violence"),
             _event("a", 3, "Air/drone strike", "2016-12-11", place=("Aleppo", 36.2, 37.16), actor1=russia,
                    actor2="Islamic State", etype="Explosions/Remote violence"))
    b = _doc("b", "Review", _event("b", 1, "Air/drone strike", "2016-12-11", actor1=russia,
                                   actor2="Islamic State", etype="Explosions/Remote violence"))
    shared = [c for c in compare([a, b]).clusters if {r.doc_id for r in c.events} == {"a", "b"}]
    assert len(shared) == 1 and {r.event_id for r in shared[0].events} == {"a#1", "b#1"}


def test_reports_naming_two_districts_far_apart_tell_of_two_places():
    # two district-level places 40 km apart, dates a week's slack apart: two battles, not one
    a = _doc("a", "One", _event("a", 1, "Armed clash", "2020-10-15", place=("Gereshk", 31.82, 64.57), precision=2))
    b = _doc("b", "Two", _event("b", 1, "Armed clash", "2020-10-18", place=("Nad Ali", 31.57, 64.25), precision=2))
    near = _doc("c", "Three", _event("c", 1, "Armed clash", "2020-10-16", place=("Gereshk bazaar", 31.83, 64.58),
                                     precision=2))
    for d in (a, b, near):
        d.events[0].location.geo_precision = 2
    groups = sorted(sorted(r.doc_id for r in c.events) for c in compare([a, b, near]).clusters)
    assert groups == [["a", "c"], ["b"]]
