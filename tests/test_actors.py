"""tadmor.actors with the real spaCy model and the real catalogue (no mocks).

Sentences are written for these tests; none comes from the dev data.
"""

from __future__ import annotations

import pytest

from tadmor.actors import ActorMention, ActorResolver, span_patterns
from tadmor.actors.catalogue import load_catalogue


@pytest.fixture(scope="module")
def nlp():
    from tadmor.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def resolver():
    return ActorResolver()


def mentions(nlp, resolver, text: str) -> list[ActorMention]:
    return resolver.find(nlp(text), text)


def names(nlp, resolver, text: str, country: str, year: int = 2016) -> list[str]:
    return [resolver.resolve(m, country, year)[0] for m in mentions(nlp, resolver, text)]


def roles(nlp, resolver, text: str, event_type: str, sub: str, country: str, year: int = 2020):
    doc = nlp(text)
    found = resolver.find(doc, text)
    a1, a2, assoc = resolver.assign_roles(doc[:], found, event_type, sub, None, country, year)
    return (a1.name if a1 else None), (a2.name if a2 else None)


# ---------------------------------------------------------------- patterns and catalogue

def test_span_patterns_are_actor_patterns_keyed_by_catalogue():
    cat = load_catalogue()
    keys = set(cat.entries) | set(cat.descriptions)
    pats = span_patterns()
    assert pats and all(p["label"] == "ACTOR" and p["id"] in keys for p in pats)
    # names are phrase patterns with the attribute they match on; descriptions are token patterns
    assert all(isinstance(p["pattern"], list) or p.get("attr") in ("LOWER", "ORTH") for p in pats)
    exact = {p["pattern"] for p in pats if p.get("attr") == "ORTH"}
    assert "IS" in exact and not any(p["pattern"] == "is" for p in pats if p.get("attr") == "LOWER")


def test_catalogue_rows_have_names_and_inter(resolver):
    rows = resolver.catalogue()
    by_key = {r["key"]: r for r in rows}
    assert by_key["taliban"]["name"] == "Taliban" and by_key["taliban"]["inter"] == 2
    assert all(0 <= r["inter"] <= 8 and r["name"] for r in rows)


# ---------------------------------------------------------------- alias families

@pytest.mark.parametrize("alias", ["ISIS", "ISIL", "Daesh", "IS", "the Islamic State", "Islamic State"])
def test_islamic_state_aliases(nlp, resolver, alias):
    text = f"{alias} fighters attacked the village of Khan Sheikhoun."
    assert "Islamic State (Syria)" in names(nlp, resolver, text, "SY")


def test_lowercase_is_is_not_the_islamic_state(nlp, resolver):
    text = "The road is closed and the town is quiet."
    assert all(m.key != "islamic-state" for m in mentions(nlp, resolver, text))


@pytest.mark.parametrize("text", [
    "The regime shelled the town overnight.",
    "Syrian soldiers entered the town overnight.",
    "Syrian troops entered the town overnight.",
    "The SAA entered the town overnight.",
    "The Syrian Arab Army entered the town overnight.",
    "Damascus launched a new offensive overnight.",
])
def test_syrian_military_aliases(nlp, resolver, text):
    assert "Military Forces of Syria (2000-)" in names(nlp, resolver, text, "SY")


@pytest.mark.parametrize("text", [
    "Russian Aerospace Forces bombed the outskirts of the city.",
    "Russian forces bombed the outskirts of the city.",
    "Russia launched dozens of strikes on the outskirts of the city.",
])
def test_russian_military_aliases_abroad_are_external(nlp, resolver, text):
    doc = nlp(text)
    found = [m for m in resolver.find(doc, text) if resolver.resolve(m, "SY", 2016)[0].startswith("Military Forces of Russia")]
    assert found
    assert resolver.resolve(found[0], "SY", 2016) == ("Military Forces of Russia (2000-)", 8)


@pytest.mark.parametrize("text", ["Turkish forces shelled the village.", "Ankara sent more tanks to the border."])
def test_turkish_military_aliases(nlp, resolver, text):
    assert "Military Forces of Turkey (2016-)" in names(nlp, resolver, text, "SY", 2017)


@pytest.mark.parametrize("text,expected", [
    ("Unknown gunmen opened fire on a bus.", "Unidentified Armed Group (Libya)"),
    ("Armed men opened fire on a bus.", "Unidentified Armed Group (Libya)"),
    ("Villagers fled after the fighting.", "Civilians (Libya)"),
    ("Demonstrators gathered in the square.", "Protesters (Libya)"),
    ("A mob set fire to the shop.", "Rioters (Libya)"),
    ("Policemen arrested two men.", "Police Forces of Libya (2011-)"),
])
def test_descriptions_name_the_event_country(nlp, resolver, text, expected):
    assert expected in names(nlp, resolver, text, "LY", 2020)


@pytest.mark.parametrize("text,expected", [
    # a community militia is named after the place or community it comes from (ACLED: "<X> Communal Militia")
    ("Militias from Agatu clashed with herders over farmland.", "Agatu Communal Militia (Nigeria)"),
    ("Youths from the Tiv community attacked a settlement.", "Tiv Ethnic Militia (Nigeria)"),
    ("Armed militiamen from Warsame clan attacked the village.", "Warsame Clan Militia (Nigeria)"),
    ("Local militiamen burned two houses.", "Unidentified Communal Militia (Nigeria)"),
    ("Vigilantes beat a suspected thief.", "Unidentified Communal Militia (Nigeria)"),
    ("Jukun raiders attacked a farm.", "Jukun Ethnic Militia (Nigeria)"),
    ("Clansmen fought over a well.", "Unidentified Clan Militia (Nigeria)"),
])
def test_identity_militias_are_named_by_what_binds_them(nlp, resolver, text, expected):
    got = names(nlp, resolver, text, "NG", 2021)
    assert expected in got
    assert all(r.endswith("Militia (Nigeria)") for r in got if "Militia" in r)


@pytest.mark.parametrize("text,expected", [
    ("Militiamen from Al Shabaab attacked the base.", "Al Shabaab"),  # a named group is not a community
    ("Militiamen from Libya crossed the border.", "Unidentified Armed Group (Nigeria)"),  # a country is not one
])
def test_militias_from_a_named_group_or_a_country_are_not_communal(nlp, resolver, text, expected):
    got = names(nlp, resolver, text, "NG", 2021)
    assert expected in got and not any("Communal" in n for n in got)


def test_joint_forces_alone_are_not_ukraines_army(nlp, resolver):
    """Yemen's west-coast Joint Forces are no Ukrainian force; Ukraine's 'Joint Forces Operation' is."""
    assert not any("Ukraine" in n for n in names(nlp, resolver, "The Joint Forces shelled positions in Hays.", "YE", 2021))
    assert "Military Forces of Ukraine (2019-)" in names(
        nlp, resolver, "The Joint Forces Operation said two soldiers were wounded.", "UA", 2021)


def test_named_groups(nlp, resolver):
    text = "Hezbollah, the Free Syrian Army and the Houthis issued statements, as did Al Shabaab and Boko Haram."
    got = names(nlp, resolver, text, None, 2020)
    assert "Hezbollah" in got and "Free Syrian Army" in got and "Al Shabaab" in got
    assert "Military Forces of Yemen (2016-) Supreme Political Council" in got
    assert any("Boko Haram" in n for n in got)


def test_kurdish_forces(nlp, resolver):
    text = "The PYD-YPG and the Kurds held the eastern districts."
    keys = {m.key for m in mentions(nlp, resolver, text)}
    assert keys == {"ypg"}


# ---------------------------------------------------------------- naming

def test_state_forces_named_with_regime_years(resolver):
    assert resolver.name("state-military", "SY", 2016) == ("Military Forces of Syria (2000-)", 1)
    assert resolver.name("state-police", "IN", 2020) == ("Police Forces of India (2014-)", 1)
    assert resolver.name("state-military", "AF", 2020) == ("Military Forces of Afghanistan (2014-)", 1)
    assert resolver.name("state-police", "AF", 2019) == ("Police Forces of Afghanistan (2014-)", 1)
    assert resolver.name("state-military", "UA", 2016)[0] == "Military Forces of Ukraine (2014-)"
    assert resolver.name("state-military", "UA", 2020)[0] == "Military Forces of Ukraine (2019-)"
    assert resolver.name("state-military", "TR", 2017)[0] == "Military Forces of Turkey (2016-)"


def test_state_forces_abroad_are_inter_8(resolver):
    assert resolver.name("state-military", "RU", 2016, event_country="SY") == ("Military Forces of Russia (2000-)", 8)
    assert resolver.name("state-military", "TR", 2020, event_country="IQ") == ("Military Forces of Turkey (2016-)", 8)


def test_generic_actors_use_acled_country_names(resolver):
    assert resolver.name("civilians", "AF", 2020) == ("Civilians (Afghanistan)", 7)
    assert resolver.name("protesters", "IN", 2020) == ("Protesters (India)", 6)
    assert resolver.name("rioters", "CL", 2020) == ("Rioters (Chile)", 5)
    assert resolver.name("unidentified-armed-group", "CD", 2020) == (
        "Unidentified Armed Group (Democratic Republic of Congo)", 3)
    assert resolver.name("state-military", "CD", 2020)[0] == "Military Forces of the Democratic Republic of Congo (2019-)"


def test_groups_in_several_countries_carry_the_branch(resolver):
    assert resolver.name("islamic-state", "SY", 2016) == ("Islamic State (Syria)", 2)
    assert resolver.name("islamic-state", "NG", 2020)[0] == "Islamic State (West Africa)"
    assert resolver.name("islamic-state", None, 2020)[0] == "Islamic State"
    assert resolver.name("houthis", "YE", 2014) == ("Houthi Movement", 2)


# ---------------------------------------------------------------- coreference

def test_the_group_points_back_to_the_named_group(nlp, resolver):
    text = "The Taliban stormed a checkpoint in the district. The group later withdrew to the hills."
    found = mentions(nlp, resolver, text)
    coref = [m for m in found if m.via == "coref"]
    assert coref and coref[0].text == "The group" and coref[0].key == "taliban"


def test_the_militants_and_they_point_back(nlp, resolver):
    text = "Al Shabaab fighters attacked a base near the town. The militants burned two trucks before they left."
    found = mentions(nlp, resolver, text)
    assert [m.key for m in found if m.via == "coref"][:2] == ["al-shabaab", "al-shabaab"]


# ---------------------------------------------------------------- roles

def test_passive_voice_agent_is_actor1(nlp, resolver):
    text = "Two policemen were killed by Taliban militants near the market."
    assert roles(nlp, resolver, text, "Battles", "Armed clash", "AF") == (
        "Taliban", "Police Forces of Afghanistan (2014-)")


def test_battle_subject_attacks_object(nlp, resolver):
    text = "Islamic State militants attacked Iraqi soldiers at a checkpoint."
    assert roles(nlp, resolver, text, "Battles", "Armed clash", "IQ") == (
        "Islamic State (Iraq)", "Military Forces of Iraq (2018-)")


def test_repelled_attack_makes_the_attacker_actor1(nlp, resolver):
    text = "Afghan forces repulsed an attack by the Taliban on a checkpoint."
    assert roles(nlp, resolver, text, "Battles", "Armed clash", "AF")[0] == "Taliban"


def test_protest_actor1_is_protesters_of_the_country(nlp, resolver):
    text = "Hundreds of residents protested against power cuts in the city."
    assert roles(nlp, resolver, text, "Protests", "Peaceful protest", "IN") == ("Protesters (India)", None)


def test_protest_with_intervention_names_the_police(nlp, resolver):
    text = "Students marched to parliament and police dispersed them with tear gas."
    assert roles(nlp, resolver, text, "Protests", "Protest with intervention", "CL") == (
        "Protesters (Chile)", "Police Forces of Chile (2018-)")


def test_riot_actor1_is_rioters(nlp, resolver):
    text = "A mob attacked two health workers in the village."
    assert roles(nlp, resolver, text, "Riots", "Mob violence", "IN") == ("Rioters (India)", "Civilians (India)")


def test_violence_against_civilians_unknown_perpetrator(nlp, resolver):
    text = "A farmer was shot dead in his field."
    assert roles(nlp, resolver, text, "Violence against civilians", "Attack", "NG") == (
        "Unidentified Armed Group (Nigeria)", "Civilians (Nigeria)")


def test_violence_against_civilians_named_perpetrator(nlp, resolver):
    text = "Gunmen abducted three villagers on the road."
    assert roles(nlp, resolver, text, "Violence against civilians", "Abduction/forced disappearance", "NG") == (
        "Unidentified Armed Group (Nigeria)", "Civilians (Nigeria)")


def test_remote_violence_shooter_and_target(nlp, resolver):
    text = "Russian warplanes struck Islamic State positions east of the city."
    assert roles(nlp, resolver, text, "Explosions/Remote violence", "Air/drone strike", "SY", 2016) == (
        "Military Forces of Russia (2000-)", "Islamic State (Syria)")


def test_remote_violence_without_a_shooter_is_unidentified(nlp, resolver):
    text = "A roadside bomb hit a police vehicle, wounding three officers."
    a1, a2 = roles(nlp, resolver, text, "Explosions/Remote violence", "Remote explosive/landmine/IED", "IQ")
    assert a1 == "Unidentified Armed Group (Iraq)" and a2 == "Police Forces of Iraq (2018-)"


def test_event_actor_carries_its_mention_span(nlp, resolver):
    text = "Taliban fighters attacked an army post."
    doc = nlp(text)
    a1, a2, _ = resolver.assign_roles(doc[:], resolver.find(doc, text), "Battles", "Armed clash", None, "AF", 2020)
    assert a1.mention is not None and text[a1.mention.start:a1.mention.end] == a1.mention.text
    assert a1.mention.text.startswith("Taliban")


def test_entries_group_mentions_by_name(nlp, resolver):
    text = "ISIS took the town. Daesh fighters then moved east, and the Islamic State claimed the attack."
    doc = nlp(text)
    entries = resolver.entries(resolver.find(doc, text), text, "SY", 2016)
    isis = [e for e in entries if e.name == "Islamic State (Syria)"]
    assert len(isis) == 1 and len(isis[0].mentions) >= 3
    assert {"ISIS", "Daesh fighters"} <= set(isis[0].aliases_seen)


def test_response_to_an_earlier_attack_targets_the_attacker(nlp, resolver):
    text = "ISIS fighters stormed the city on Sunday. The Russian Aerospace Forces did respond to the attack."
    doc = nlp(text)
    found = resolver.find(doc, text)
    sent = list(doc.sents)[1]
    inside = [m for m in found if m.start >= sent.start_char]
    a1, a2, _ = resolver.assign_roles(sent, inside, "Explosions/Remote violence", "Air/drone strike", None, "SY", 2016)
    assert (a1.name, a2.name) == ("Military Forces of Russia (2000-)", "Islamic State (Syria)")


def test_uncertain_attribution_is_and_or(nlp, resolver):
    text = "Suspected JNIM or ISGS militants abducted a trader near the border."
    a1, _ = roles(nlp, resolver, text, "Violence against civilians", "Abduction/forced disappearance", "BF")
    assert a1 == "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"


def test_two_states_in_one_phrase(nlp, resolver):
    text = "Military forces of India and Pakistan exchanged fire across the Line of Control."
    assert roles(nlp, resolver, text, "Battles", "Armed clash", "IN") == (
        "Military Forces of India (2014-)", "Military Forces of Pakistan (2018-)")


def test_the_possessor_of_a_repelled_attack_attacked(nlp, resolver):
    text = "Five Taliban militants were killed when police forces repulsed their attack on a checkpoint."
    assert roles(nlp, resolver, text, "Battles", "Armed clash", "AF") == (
        "Taliban", "Police Forces of Afghanistan (2014-)")


def test_the_side_whose_attack_was_thwarted_attacked(nlp, resolver):
    houthis, government = "Military Forces of Yemen (2016-) Supreme Political Council", "Military Forces of Yemen (2012-)"
    text = "Government forces thwarted an attack of Houthi fighters on a hilltop south of the city."
    assert _first_sentence_roles(nlp, resolver, text, "Battles", "Armed clash", "YE") == (houthis, government)
    # the side claiming is the subject; the other side is the attacker named, not the fighters killed
    text = "Government forces claimed to have repelled an attack of Houthi fighters, killing a number of fighters."
    assert _first_sentence_roles(nlp, resolver, text, "Battles", "Armed clash", "YE") == (government, houthis)


def test_forces_operating_under_an_operation_are_the_operation(nlp, resolver):
    text = "Turkish forces and SNA factions, operating under OPS, shelled the village of Tal Tamr."
    a1, _ = _first_sentence_roles(nlp, resolver, text, "Explosions/Remote violence",
                                  "Shelling/artillery/missile attack", "SY")
    assert a1 == "Operation Peace Spring"
    # an area under an operation's control is not who fired
    text = "Regime forces shelled areas under OPS control near Tal Tamr."
    assert _first_sentence_roles(nlp, resolver, text, "Explosions/Remote violence",
                                 "Shelling/artillery/missile attack", "SY")[0] == "Military Forces of Syria (2000-)"


def _first_sentence_roles(nlp, resolver, text: str, event_type: str, sub: str, country: str):
    doc = nlp(text)
    found = resolver.find(doc, text)
    a1, a2, _ = resolver.assign_roles(next(iter(doc.sents)), found, event_type, sub, None, country, 2021)
    return (a1.name if a1 else None), (a2.name if a2 else None)


@pytest.mark.parametrize("text, event_type, sub, country, actor1", [
    ("A trader was shot dead in the market by gunmen believed to belong to Al Shabaab.",
     "Violence against civilians", "Attack", "SO", "Al Shabaab"),
    ("Two soldiers were killed by militants (suspected TTP) at a checkpoint.",
     "Battles", "Armed clash", "PK", "TTP: Tehreek-i-Taliban Pakistan"),
    ("A minibus hit a roadside bomb near the town. Local officials said the Taliban planted the device.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED", "AF", "Taliban"),
    ("A minibus hit a roadside bomb near Gossi. The device was likely planted by ISGS or JNIM militants.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED", "ML",
     "Islamic State (Greater Sahara) and/or JNIM: Group for Support of Islam and Muslims"),
])
def test_the_group_a_report_blames_is_actor1_when_none_is_named_acting(nlp, resolver, text, event_type, sub,
                                                                     country, actor1):
    assert _first_sentence_roles(nlp, resolver, text, event_type, sub, country)[0] == actor1


def test_a_group_that_was_a_target_is_not_blamed(nlp, resolver):
    text = "A farmer was shot dead by gunmen. A suspected Al Shabaab member was later killed by soldiers."
    assert _first_sentence_roles(nlp, resolver, text, "Violence against civilians", "Attack", "SO")[0] \
        == "Unidentified Armed Group (Somalia)"
