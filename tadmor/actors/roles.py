"""actor1 / actor2 for one event, by ACLED's rules for its type.

actor1 is the side that acted (the attacker, the protesters, the force that advanced or
fired), actor2 the side acted upon. The dependency parse says who did what: an active
subject or a "by" agent acts; an object, a passive subject or the object of "on/at/
against" is acted upon. The type then constrains the pair (ACLED codebook):
  Protests     actor1 is always "Protesters (<country>)"; actor2 only the force that
               intervened (intervention / excessive force).
  Riots        actor1 is always "Rioters (<country>)"; actor2 the target, civilians by
               default for mob violence.
  Violence against civilians   actor2 is "Civilians (<country>)"; an unnamed
               perpetrator is "Unidentified Armed Group (<country>)".
  Battles      two armed sides; Remote violence: the side that fired and its target.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import model
from ..nlp import doc_text, starting_in
from .catalogue import is_state_key

if TYPE_CHECKING:  # pragma: no cover
    from .resolver import ActorMention, ActorResolver

UNARMED = {"civilians", "protesters", "rioters"}
DOC_KEY = "tadmor_actor_mentions"
PATIENT_PREPS = {"on", "at", "against", "targeting", "toward", "towards", "into", "upon", "from"}
OTHER_SIDE_PREPS = {"with", "between"}
# "Afghan forces repulsed the attack": the subject defended; the attacker is actor1
REPEL_VERBS = {"repulse", "repel", "thwart", "foil", "fend", "repulsed", "counter", "resist", "foiled"}
# nouns of attack: a name modifying one is the attacker ("coalition air raids")
ATTACK_NOUNS = {"airstrike", "strike", "raid", "shelling", "attack", "bombardment", "fire", "artillery", "drone",
                "jet", "warplane", "aircraft", "sniper", "ambush", "offensive", "assault", "incursion", "gunfire",
                "shell", "mortar", "rocket", "missile", "bombing", "operation", "helicopter", "gunship", "mine", "ied",
                "bomb", "explosive", "device", "landmine", "grenade", "infiltrator", "raider"}
# the report's word that someone did it: "suspected TTP", "gunmen believed to belong to IS", "Al Shabaab
# claimed", "carried out by Israeli settlers", "X are the suspected attackers"
ATTRIBUTION = re.compile(r"\b(?:suspect(?:ed|s)?|believed|claim(?:ed|s)?|(?:carried out|planted|placed) by|"
                         r"attributed|blamed|responsib(?:le|ility)|accused|presumed|allegedly)\b", re.I)
PLANTED_AFTER = re.compile(r"\s+(?:had\s+)?(?:planted|placed|laid)\b", re.I)  # "said the Taliban planted the bomb"
# "Turkish forces and JWS factions, operating under OPS, shelled ...": the operation they fight under
# is the actor ACLED codes (its members are not the target)
UMBRELLA_BEFORE = re.compile(r"\b(?:operating|acting|fighting|working)\s+(?:under|within|as\s+part\s+of)\s+(?:the\s+)?$",
                             re.I)
# "two groups clashed": a riot with rioters on both sides
MUTUAL_VERBS = {"clash", "fight", "scuffle", "brawl"}
# "soldiers suffered casualties": the subject was acted upon
UNDERGO_VERBS = {"suffer", "sustain", "lose", "receive", "face", "come", "undergo"}


def _mentions_between(doc, mentions: list["ActorMention"], lo: int, hi: int) -> list["ActorMention"]:
    """The document's actor mentions (kept on the Doc by ``ActorResolver.find``) starting in [lo, hi)."""
    return starting_in(doc, doc.user_data.get(DOC_KEY) or mentions, lo, hi)


def _span(doc, m: "ActorMention"):
    return doc.char_span(m.start, m.end, alignment_mode="expand") or []


def _head(doc, m: "ActorMention"):
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return None if span is None else span.root


def role_of(doc, m: "ActorMention") -> str:
    """"agent", "patient", "other" (the other side of "clashed with"), or "" from the parse."""
    tok = _head(doc, m)
    if tok is None:
        return ""
    seen = 0
    while tok.dep_ in ("compound", "amod", "nmod", "poss", "nummod", "appos", "conj", "npadvmod") \
            and tok.head is not tok and seen < 6:
        modifier = tok.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod")
        tok, seen = tok.head, seen + 1
        if modifier and tok.lemma_.lower() in ATTACK_NOUNS and not _inside(tok, m):
            # "Saudi-led coalition air raids", "a Taliban sniper", "Russia's strikes": whose weapon
            return "agent"
    dep, head = tok.dep_, tok.head
    if dep == "nsubjpass" and any(t.dep_ == "auxpass" and t.head is head for t in _span(doc, m)):
        # "Boko Haram/IS claimed": the parser took part of the name for "is"; it is the subject
        return "agent"
    if dep in ("nsubj", "csubj"):
        if head.lemma_.lower() in REPEL_VERBS:
            return "patient"
        if head.lemma_.lower() in UNDERGO_VERBS:
            return "patient"
        return "agent"
    if dep in ("agent",):
        return "agent"
    if dep == "pobj":
        prep = head.lower_
        if prep == "by":
            return "agent"
        if prep in OTHER_SIDE_PREPS:
            return "other"
        if prep in PATIENT_PREPS:
            return "patient"
        # "members of the Taliban": the phrase's own role
        if prep == "of" and head.head is not head:
            outer = head.head
            if outer.dep_ in ("nsubj",):  # "a number of policemen suffered casualties"
                verb = outer.head.lemma_.lower()
                return "patient" if verb in UNDERGO_VERBS or verb in REPEL_VERBS else "agent"
            if outer.dep_ == "dobj" and outer.head.lemma_.lower() in REPEL_VERBS \
                    and outer.lemma_.lower() in ATTACK_NOUNS:
                return "other"  # "thwarted an attack of pro-Houthi forces": the other side, who attacked
            if outer.dep_ in ("nsubjpass", "dobj"):
                return "patient"
        return ""
    if dep == "attr":
        return ""  # "men suspected to be Al Shabaab militants": the phrase's role is elsewhere
    if dep in ("nsubjpass", "dobj", "oprd"):
        if dep == "dobj" and head.lemma_.lower() in REPEL_VERBS:
            return "agent"
        return "patient"
    return ""


def _inside(tok, m: "ActorMention") -> bool:
    return m.start <= tok.idx < m.end


def _attack_by(doc, m: "ActorMention") -> bool:
    """"repulsed an attack by X" / "repulsed their attack": X attacked."""
    tok = _head(doc, m)
    if tok is None:
        return False
    while tok.dep_ in ("compound", "amod", "nmod", "conj") and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ == "by":
        noun = tok.head.head
        return noun.dep_ == "dobj" and noun.head.lemma_.lower() in REPEL_VERBS
    return False


def assign_roles(resolver: "ActorResolver", sent, mentions: list["ActorMention"], event_type: str,
                 sub_event_type: str, trigger: tuple[int, int] | None, country: str | None, year: int | None
                 ) -> tuple[model.EventActor | None, model.EventActor | None, list[model.AssocActor]]:
    doc = sent.doc
    text = doc_text(doc)
    lo, hi = sent.start_char, sent.end_char
    inside = [m for m in mentions if lo <= m.start < hi]
    roles = {id(m): ("agent" if _attack_by(doc, m) else role_of(doc, m)) for m in inside}
    _repelled_attackers(doc, sent, inside, roles)
    defaults = resolver.cat.defaults

    def actor(key: str, m: "ActorMention | None" = None, own: str | None = None) -> model.EventActor:
        name, inter = resolver.name(key, own or country, year, event_country=country)
        span = model.Span.of(text, m.start, m.end) if m is not None else None
        return model.EventActor(name=name, inter=inter, mention=span)

    def of(m: "ActorMention") -> model.EventActor:
        key = m.key
        if key == "state-government" and event_type in ("Battles", "Explosions/Remote violence",
                                                         "Violence against civilians"):
            key = "state-military"  # the government does not fight; its forces do
        own = m.country if is_state_key(key) else None
        ea = actor(key, m, own)
        alt = _alternative(m)
        if alt is not None:
            # "JNIM or ISGS militants": ACLED writes the uncertain attribution "A and/or B"
            other = resolver.resolve(alt, country, year)[0]
            if other not in ea.name and ea.name not in other and not m.generic:
                ea = model.EventActor(name=f"{ea.name} and/or {other}", inter=ea.inter, mention=ea.mention)
        return ea

    def _alternative(m: "ActorMention") -> "ActorMention | None":
        tok = _head(doc, m)
        if tok is None:
            return None
        # (m may be a blamed group named after the event's sentence)
        for other in _mentions_between(doc, mentions, m.end, m.end + 12):
            if other is m or other.generic or other.via == "coref":
                continue
            between = text[m.end:other.start].strip().lower()
            if between in ("or", "and/or", "/"):
                return other
        return None

    def base(m: "ActorMention") -> str:
        return m.key.split(":")[0]

    def first(pred, pool=None) -> "ActorMention | None":
        for m in pool if pool is not None else inside:
            if pred(m):
                return m
        return None

    def ordered(pool: list["ActorMention"]) -> list["ActorMention"]:
        """Agents first, then unmarked, then patients; within each, in text order (ACLED
        lists the side named first: "forces of India and Pakistan exchanged fire")."""
        rank = {"agent": 0, "": 1, "other": 1, "patient": 2}
        return sorted(pool, key=lambda m: (rank.get(roles.get(id(m), ""), 1), m.start))

    is_civ = lambda m: base(m) == "civilians"  # noqa: E731
    is_state = lambda m: is_state_key(m.key) or (m.inter == 1 and not m.generic)  # noqa: E731
    # the government does not fight or shoot; its forces are named when they do
    armed = [m for m in inside if base(m) not in UNARMED and m.key != "state-government"]
    only_targets = bool(armed) and all(roles.get(id(m)) == "patient" for m in armed)
    if (not armed or only_targets) and event_type in ("Battles", "Explosions/Remote violence",
                                                      "Violence against civilians") or \
            (event_type == "Strategic developments" and not inside):
        # the force that acted may be named in the sentence before ("The Military Police
        # carried out an operation. A shoot-out broke out ...")
        context = _previous_agents(doc, mentions, sent.start)
        for m in context:
            roles[id(m)] = "agent"
        # with nobody acting in the sentence or before it, the attacker is unknown and
        # the armed men named are only its targets (the patients stay candidates for actor2)
        armed = [m for m in context if base(m) not in UNARMED and m.key != "state-government"]
        inside = context + inside

    a1: model.EventActor | None = None
    a2: model.EventActor | None = None
    assoc: list[model.AssocActor] = []

    if event_type == "Protests":
        m = first(lambda m: base(m) in ("protesters", "civilians"))
        a1 = actor("protesters", m)
        if sub_event_type in ("Protest with intervention", "Excessive force against protesters"):
            force = first(lambda m: is_state(m) and m.key != "state-government")
            a2 = of(force) if force else actor("state-police")
        return a1, a2, assoc

    if event_type == "Riots":
        m = first(lambda m: base(m) in ("rioters", "protesters", "civilians") and roles.get(id(m)) != "patient")
        a1 = actor("rioters", m)
        others = [x for x in ordered(inside) if x is not m and base(x) not in ("rioters", "protesters")]
        targets = [x for x in others if roles.get(id(x)) in ("patient", "other")] or \
                  [x for x in others if is_state(x) and x.key != "state-government"]
        mutual = any(t.lemma_.lower() in MUTUAL_VERBS for t in sent) and not targets
        if targets:
            a2 = of(targets[0])
        elif mutual:
            a2 = actor("rioters")  # two crowds fought each other: rioters on both sides
        elif sub_event_type == "Mob violence":
            a2 = actor("civilians", first(is_civ))
        return a1, a2, assoc

    unknown = (defaults.get("unknown_perpetrator") or {}).get(country or "", "unidentified-armed-group")
    if event_type == "Violence against civilians":
        perps = [m for m in ordered(armed) if roles.get(id(m)) != "patient"]
        blamed = _attributed(doc, mentions, sent, perps[0] if perps else None) \
            if not perps or _unnamed(perps[0]) else None
        a1 = of(blamed) if blamed is not None else of(perps[0]) if perps else actor(unknown)
        a2 = actor("civilians", first(is_civ))
        return a1, a2, assoc

    if event_type in ("Battles", "Explosions/Remote violence"):
        dyad = (defaults.get("unattributed_fire") or {}).get(country or "")
        pool = ordered(armed)
        if event_type == "Battles" and country in (defaults.get("state_first_in_battles") or ()):
            pool = sorted(pool, key=lambda m: not is_state(m))
        if event_type == "Explosions/Remote violence":
            # the one who fired is never only a target: "a roadside bomb hit police" has an
            # unknown shooter
            shooter = first(lambda m: roles.get(id(m)) != "patient", pool)
        else:
            shooter = pool[0] if pool else None
        bomber = (defaults.get("unknown_bomber") or {}).get(country or "")
        umbrella = first(lambda m: not m.generic and UMBRELLA_BEFORE.search(text, max(0, m.start - 40), m.start))
        if umbrella is not None and shooter is not None and roles.get(id(shooter)) == "agent":
            members = [m for m in pool if roles.get(id(m)) == "agent" and m.start < umbrella.start]
            shooter = umbrella
            roles[id(shooter)] = "agent"
            inside = [m for m in inside if m not in members]
        if (shooter is None and not dyad) or (shooter is not None and _unnamed(shooter)):
            # nobody named as acting, but the report says whom it blames ("Local authorities said
            # the Taliban planted the bomb", "militants (suspected TTP)")
            blamed = _attributed(doc, mentions, sent, shooter)
            if blamed is not None:
                shooter = blamed
                roles[id(shooter)] = "agent"
        if shooter is not None:
            a1 = of(shooter)
        elif dyad:
            a1 = actor(dyad[0])
        else:
            a1 = actor(bomber if bomber and event_type == "Explosions/Remote violence" else "unidentified-armed-group")
        rest = [m for m in inside if m is not shooter and (shooter is None or resolver.resolve(m, country, year)[0] != a1.name)]
        targets = [m for m in rest if roles.get(id(m)) in ("patient", "other")]
        targets += [m for m in rest if m not in targets and base(m) not in UNARMED]
        if event_type == "Explosions/Remote violence":
            targets += [m for m in rest if m not in targets and is_civ(m)]
        if targets:
            a2 = of(targets[0])
        elif _answers_earlier_attack(sent):
            # "the air force did respond to the attack": the target is who attacked, named before
            earlier = _earlier_group(doc, mentions, lo, a1.name, resolver, country, year)
            a2 = of(earlier) if earlier is not None else None
        if a2 is None and event_type == "Battles":
            a2 = _default_other_side(actor, shooter, dyad)
        # allies on the acting side ("X and Y attacked"): conjoined agents
        for m in pool:
            if m is shooter or roles.get(id(m)) != "agent" or (targets and m is targets[0]):
                continue
            name, inter = resolver.resolve(m, country, year)
            if name not in (a1.name, a2.name if a2 else None) and all(a.name != name for a in assoc):
                assoc.append(model.AssocActor(name=name, inter=inter))
        return a1, a2, assoc[:2]

    # Strategic developments and anything else: who did it, to whom
    pool = ordered(inside)
    if sub_event_type == "Arrests":
        doer = first(is_state, pool)
        a1 = of(doer) if doer else actor("state-police")
        target = first(lambda m: m is not doer and not is_state(m), pool)
        # ACLED: those arrested are civilians unless named as a group
        a2 = of(target) if target else actor("civilians")
        return a1, a2, assoc
    doer = first(lambda m: roles.get(id(m)) != "patient", pool) or (pool[0] if pool else None)
    # a change to a group or other development has a second actor only when the text says
    # who it was done to ("switched sides and joined the Taliban")
    needs_patient = sub_event_type in ("Change to group/activity", "Other", "Headquarters or base established")
    if doer is not None:
        a1 = of(doer)
        target = first(lambda m: m is not doer and resolver.resolve(m, country, year)[0] != a1.name
                       and (not needs_patient or roles.get(id(m)) in ("patient", "other")), pool)
        a2 = of(target) if target else None
    elif sub_event_type == "Looting/property destruction":
        a1 = actor(unknown)
    if sub_event_type == "Looting/property destruction" and a2 is None:
        a2 = actor("civilians", first(is_civ))  # property taken or destroyed belongs to civilians
    return a1, a2, assoc


def _repelled_attackers(doc, sent, inside: list["ActorMention"], roles: dict) -> None:
    """ "5 Taliban militants were killed when police repulsed their attack": the possessor of a
    repelled attack is the side that attacked (ACLED's actor1), named before the pronoun."""
    for tok in sent:
        if tok.lemma_.lower() not in REPEL_VERBS:
            continue
        for obj in (c for c in tok.children if c.dep_ == "dobj"):
            pron = next((c for c in obj.children if c.dep_ == "poss" and c.lower_ in ("their", "its", "his")), None)
            if pron is None:
                continue
            before = [m for m in inside if m.end <= pron.idx and roles.get(id(m)) != "agent"
                      and m.inter in (2, 3, 4, 8) and not any(_inside(c, m) for c in tok.children if c.dep_ == "nsubj")]
            if before:
                roles[id(before[-1])] = "agent"


def _previous_agents(doc, mentions: list["ActorMention"], first_token: int) -> list["ActorMention"]:
    """Armed subjects of the sentence before token ``first_token`` (all the document's
    mentions are kept on the Doc by ``ActorResolver.find``)."""
    if first_token <= 0:
        return []
    sent = doc[first_token - 1].sent
    return [m for m in _mentions_between(doc, mentions, sent.start_char, sent.end_char)
            if role_of(doc, m) == "agent" and m.inter in (1, 2, 3, 4, 8)]


def _unnamed(m: "ActorMention") -> bool:
    """ "gunmen", "militants": armed men the report does not name."""
    return m.generic and m.key in ("unidentified-armed-group", "militants", "armed-opposition")


def _attributed(doc, mentions: list["ActorMention"], sent, unnamed: "ActorMention | None" = None
                ) -> "ActorMention | None":
    """A named non-state armed group the report blames for what ``unnamed`` (or nobody named) did,
    in the event's sentence or the two after it: "militants (suspected TTP)", "Boko Haram/IS claimed to have killed", "Dyck Advisory Group
    are the suspected attackers". ACLED codes the suspected perpetrator as actor1."""
    text = doc_text(doc)
    end = sent.end
    for _ in range(2):
        if end >= len(doc) or doc[end].is_space:
            break
        end = doc[end].sent.end
    lo, hi = sent.start_char, doc[end - 1].idx + len(doc[end - 1]) if end > sent.start else sent.end_char
    for m in _mentions_between(doc, mentions, lo, hi):
        if m.generic or m.inter not in (2, 3, 4, 8) or is_state_key(m.key):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        s = doc[span.start].sent
        window = text[max(s.start_char, m.start - 40):min(s.end_char, m.end + 40)]
        # the group is no target of the event, or it qualifies the unnamed men who acted
        # ("militants (suspected TTP)", "gunmen believed to belong to IS")
        said_of = unnamed is not None and 0 <= m.start - unnamed.end <= 30 and "." not in text[unnamed.end:m.start]
        if (ATTRIBUTION.search(window) or PLANTED_AFTER.match(text, m.end)) and (said_of or role_of(doc, m) != "patient"):
            return m
    return None


def _answers_earlier_attack(sent) -> bool:
    for tok in sent:
        if tok.lemma_.lower() in ("attack", "offensive", "assault", "advance", "incursion") \
                and any(c.lower_ in ("the", "this", "that") for c in tok.children) and tok.dep_ in ("pobj", "dobj"):
            return True
    return False


def _earlier_group(doc, mentions, lo: int, not_name: str, resolver, country, year):
    """The last non-state armed group named within ~1,500 characters before ``lo``."""
    for m in reversed(_mentions_between(doc, mentions, lo - 1500, lo)):
        if m.inter in (2, 3, 4) and not m.generic and resolver.resolve(m, country, year)[0] != not_name:
            return m
    return None


def _default_other_side(actor, shooter, dyad) -> model.EventActor | None:
    """A battle has two sides; when the text names one, ACLED's usual opponent stands in."""
    if shooter is None:
        return actor(dyad[1]) if dyad else actor("unidentified-armed-group")
    if is_state_key(shooter.key) or shooter.inter == 1:
        return actor("unidentified-armed-group")
    return actor("state-military")
