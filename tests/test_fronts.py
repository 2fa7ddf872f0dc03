"""Lines of contact (tadmor/geo/data/fronts.yaml): fire nobody is named firing, near a settlement one
side held, came from across the line. Texts are our own, written in the style of monitoring reports."""

from __future__ import annotations

import pytest

from tadmor.geo.fronts import held_near, skeleton

NAF = "NAF: United Armed Forces of Novorossiya"
UKRAINE = "Military Forces of Ukraine (2019-)"


def _held(text, date="2020-05-01", admin1=None):
    return held_near(text, 0, len(text), date, admin1)


@pytest.mark.parametrize("a, b", [("Avdiyivka", "Avdiivka"), ("Kashtanovoye", "Kashtanove"), ("Mar'yinka", "Marinka"),
                                  ("Svitlodarsk", "Svitlodarsk"), ("Zolotoye", "Zolote")])
def test_transliterations_share_a_skeleton(a, b):
    assert skeleton(a) == skeleton(b)


def test_a_settlement_says_who_held_it_and_who_was_across_the_line():
    h = _held("Monitors recorded 40 explosions near Horlivka.")
    assert (h.place, h.side, h.other, h.oblast, h.country) == ("Horlivka", "naf", "ua-military", "Donetsk", "UA")
    h = _held("Monitors recorded 40 explosions near Avdeevka.")
    assert (h.side, h.other) == ("ua-military", "naf")
    # hyphenated names are names, not a town and a number
    assert _held("shots near Zolote-5").side == "naf" and _held("shots near Zolote").side == "ua-military"


@pytest.mark.parametrize("text", [
    "shots near Zaitseve",  # split between the sides
    "explosions near Donetsk Filtration Station",  # contested: not 'Donetsk'
    "fire near Avdiivka and Horlivka",  # places held by different sides
    "shelling in Donetsk region",  # the oblast, not the city
    "the Luhansk People's Militia said",  # the side, not the city
    "explosions near Kyiv",  # not on the line
])
def test_no_side_is_inferred_when_the_text_does_not_settle_it(text):
    assert _held(text) is None


def test_the_line_holds_only_between_its_dates():
    assert _held("explosions near Horlivka", date="2014-07-01") is None
    assert _held("explosions near Horlivka", date="2023-01-01") is None
    assert _held("explosions near Horlivka", date=None) is None


def _main(pipeline, text):
    events = pipeline.extract_text(text, "note.txt").events
    best = max(e.confidence for e in events)
    return next(e for e in events if e.confidence == best)


def test_unattributed_fire_near_a_held_settlement_is_the_other_sides(pipeline):
    e = _main(pipeline, "On 3 June 2020, the monitoring mission recorded 25 explosions near Horlivka.")
    assert e.event_type == "Explosions/Remote violence"
    assert (e.actor1.name, e.actor1.inter, e.actor2) == (UKRAINE, 1, None)
    assert "across the line" in " ".join(e.reasons)
    # a battle: the side that held the place is the other side
    e = _main(pipeline, "On 2 May 2020, the monitoring mission recorded 40 shots and bursts of fire from small arms "
                        "in both directions of the frontline near Svitlodarsk.")
    assert e.event_type == "Battles"
    assert (e.actor1.name, e.actor2.name) == (NAF, UKRAINE)


def test_a_named_shooter_is_never_replaced(pipeline):
    e = _main(pipeline, "On 2 May 2020, Ukrainian forces fired mortars at positions near Horlivka.")
    assert e.actor1.name == UKRAINE
    e = _main(pipeline, "On 2 May 2020, Ukrainian forces fired mortars at positions near Avdiivka.")
    assert e.actor1.name == UKRAINE


def test_outside_the_dates_the_fire_stays_unattributed(pipeline):
    e = _main(pipeline, "On 3 June 2023, the monitoring mission recorded 25 explosions near Horlivka.")
    assert e.actor1.name.startswith("Unidentified Armed Group")


def test_a_settlement_missing_from_the_gazetteer_is_placed_in_its_oblast(pipeline):
    e = _main(pipeline, "On 4 May 2020, the monitoring mission recorded 12 explosions near Kalynove-Borshchuvate.")
    assert e.actor1.name == UKRAINE
    assert (e.location.country, e.location.admin1, e.location.geo_precision) == ("UA", "Luhansk", 3)


def test_heavy_machine_gun_fire_at_an_area_is_remote_fire(pipeline):
    e = _main(pipeline, "On 4 May 2020, the monitors recorded 9 bursts of fire from heavy machine guns near Svitlodarsk.")
    assert (e.event_type, e.sub_event_type) == ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert e.actor1.name == NAF
    # with small arms it is a firefight
    e = _main(pipeline, "On 4 May 2020, soldiers and rebels exchanged fire with small arms and heavy machine guns "
                        "near Svitlodarsk.")
    assert e.event_type == "Battles"
