"""Sentence-level event typing: which ACLED sub-event types a sentence reports.

``read_sentence`` applies the rules of ``rules.yaml`` to one spaCy sentence and
returns its readings: the winning reading (highest priority, the codebook's
precedence) and any further distinct actions in the same sentence (a separate
conjunct reporting another kind of event, e.g. "ISIS took the gas fields and
were threatening the airbase").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..nlp import LONGEST_MENTION, starting_in, subtree_ids
from .lexicon import CueHits, Rule, RuleSet, match_cues

# dependency labels that carry who acted / who was acted upon
_AGENT_DEPS = {"nsubj", "agent"}
_PATIENT_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "iobj"}
_PATIENT_PREPS = {"on", "against", "at", "upon", "targeting", "in"}
_HEAD_PREPS = {"on", "against", "at", "upon", "targeting"}
# verbs whose subject is the one who suffered ("the victim died")
_UNDERGOER = {"die", "dead", "death", "perish", "injure", "wound"}
# determiners that make a nominal trigger point back to an event already told
_ANAPHORIC_DET = {"the", "this", "that", "these", "those", "its", "their"}
_NEW_DET = {"another", "a", "an", "second", "new", "separate", "further", "other"}


@dataclass
class Reading:
    """One event read from one sentence."""

    rule: Rule
    sub_event_type: str
    event_type: str
    trigger: tuple[int, int]  # token indexes into the Doc
    confidence: float
    reasons: list[str] = field(default_factory=list)
    anaphoric: bool = False  # "the attack", "the battle": refers to an event told before

    @property
    def generic(self) -> bool:
        return self.rule.generic


def _verb_of(tok):
    """The clause verb a nominal trigger hangs from ("launched 64 strikes" -> launched)."""
    t = tok
    for _ in range(4):
        # a participle modifying a noun ("burning tyres") is no clause verb: the verb it hangs from is
        if (t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound")) or t.dep_ == "ROOT":
            return t
        t = t.head
    return t


def agent_ids(tok) -> set[int]:
    """Tokens naming who acted: subject (shared across conjuncts), by-phrase, or the
    possessive/compound/adjective on a nominal trigger ("Russian airstrikes"). A new set each
    call; the parse is walked once per token and document (every rule asks again)."""
    known = tok.doc.user_data.setdefault("tadmor.agent_ids", {})
    ids = known.get(tok.i)
    if ids is None:
        ids = known[tok.i] = frozenset(_agent_ids(tok))
    return set(ids)


def _agent_ids(tok) -> set[int]:
    ids: set[int] = set()
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod") and c.i != tok.i:
                ids |= subtree_ids(c)
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of", "between", "among"):
                ids |= subtree_ids(c)
    verb = _verb_of(tok)
    if verb.lemma_.lower() == "be" and tok.dep_ in ("acomp", "attr", "oprd"):
        return ids  # "the checkpoint was overrun" (parsed as a predicate): the subject is what was hit
    # a passive clause tells its patient, not its agent: "... lasted two hours before the checkpoint
    # was overrun" does not say the attack's subject, let alone the speaker, took the checkpoint
    passive_advcl = verb.dep_ == "advcl" and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    for v in (verb, verb.head if verb.dep_ in ("conj", "xcomp", "advcl") and not passive_advcl else None):
        if v is None:
            continue
        for c in v.children:
            if c.dep_ in _AGENT_DEPS:
                ids |= subtree_ids(c)
        if ids:
            break
    if not ids and _misparsed_subject(verb) and not passive_advcl:
        ids = {i for i in subtree_ids(verb.head) if i < verb.i}
    return ids


def agent_heads(tok) -> list:
    """Head words of who acted: the subject and its conjuncts (borrowed from the governing verb
    of a conjunct), the by-phrase, or the sides of a nominal ("a clash between villagers and police")."""
    heads: list = []
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "between", "among"):
                heads += [g for g in c.children if g.dep_ == "pobj"]
        if not heads and tok.dep_ in ("nsubj", "nsubjpass"):  # "a clash broke out between ..."
            for c in tok.head.children:
                if c.dep_ == "prep" and c.lower_ in ("between", "among"):
                    heads += [g for g in c.children if g.dep_ == "pobj"]
    verb = _verb_of(tok)
    if not heads:
        for v in (verb, verb.head if verb.dep_ in ("conj", "xcomp", "advcl") else None):
            if v is None:
                continue
            for c in v.children:
                if c.dep_ == "nsubj" or (c.dep_ == "agent"):
                    heads += [c] if c.dep_ == "nsubj" else [g for g in c.children if g.dep_ == "pobj"]
            if heads:
                break
    if not heads and _misparsed_subject(verb):
        heads = [verb.head]
    return _named_heads(heads)


def _named_heads(heads: list) -> list:
    """Each head and its conjuncts, with "members of X", "3 of the soldiers" read as what follows "of"."""
    out = []
    for h in heads:
        for n in [h] + list(h.conjuncts):
            if n.lemma_.lower() in _PARTITIVE or n.like_num:
                of = [g for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
                if of:
                    out += of
                    continue
            out.append(n)
    return out


def _misparsed_subject(verb) -> bool:
    """ "Indian nationals clashed with police" parsed as a noun phrase with "clashed" hanging from it
    (acl): a finite past-tense verb there is the predicate, and the noun its subject."""
    return verb.dep_ == "acl" and verb.tag_ == "VBD" and verb.head.pos_ in ("NOUN", "PROPN") and verb.head.i < verb.i


def _crowd_head(t, hits: CueHits, sides: set[int], civil: set[int]) -> bool:
    """One side is unorganised people: villagers, supporters, a crowd, a nationality ("Palestinians")."""
    mods = [c for c in t.children if c.dep_ in ("compound", "amod", "nmod")]
    if t.i in sides or any(m.i in sides for m in mods if m.ent_type_ != "NORP"):
        return False
    armed = {s for s, _ in hits.get("armed_target")} | {s for s, _ in hits.get("nonstate_agent")} | \
        {s for s, _ in hits.get("state_agent")}
    if t.i in armed:
        return False
    crowd = {s for s, _ in hits.get("crowd_agent")} | {s for s, _ in hits.get("civilian_target")}
    return t.i in crowd or t.i in civil or t.ent_type_ == "NORP"


def patient_ids(tok) -> set[int]:
    ids: set[int] = set()
    verb = _verb_of(tok) if tok.pos_ not in ("VERB", "AUX") else tok
    heads = [tok] if tok is verb else [tok, verb]
    for h in heads:
        for c in h.children:
            if c.dep_ in _PATIENT_DEPS:
                ids |= subtree_ids(c)
            elif c.dep_ == "prep" and c.lower_ in _PATIENT_PREPS:
                ids |= subtree_ids(c)
            elif c.dep_ in ("xcomp", "conj", "advcl") and c.pos_ == "VERB":
                ids |= {i for cc in c.children if cc.dep_ in _PATIENT_DEPS for i in subtree_ids(cc)}
    if (tok.lemma_.lower() in _UNDERGOER or verb.lemma_.lower() in _UNDERGOER) \
            and not any(c.dep_ == "dobj" for c in verb.children):
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                ids |= subtree_ids(c)
    return ids - {tok.i}


def _hits_in(hits: CueHits, names, ids: set[int]) -> bool:
    return any(s in ids for n in names for s, _ in hits.get(n))


# nouns that only say "some of": the patient is what follows "of" ("members of the police")
_PARTITIVE = {"member", "group", "number", "some", "dozen", "dozens", "hundreds", "several", "many", "one",
              "two", "three", "few", "rest", "part", "unit", "team", "squad", "contingent"}


def patient_heads(tok) -> list:
    """Head words of what the trigger acts on: its object or passive subject (shared with
    the verb it is coordinated with: "were shot and killed"), or the noun after on/against/at."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else _verb_of(tok)
    heads: list = []
    for h in ([tok] if tok is verb else [tok, verb]):
        for c in h.children:
            if c.dep_ in _PATIENT_DEPS:
                heads.append(c)
            elif c.dep_ == "prep" and c.lower_ in _HEAD_PREPS:
                heads += [g for g in c.children if g.dep_ == "pobj"]
    if not heads and verb.dep_ == "conj":  # "2 civilians were shot and killed": the subject is shared
        heads = [c for c in verb.head.children if c.dep_ in ("nsubjpass", "dobj")]
    if (tok.lemma_.lower() in _UNDERGOER or verb.lemma_.lower() in _UNDERGOER) \
            and not any(c.dep_ == "dobj" for c in verb.children):  # "gunmen wounded a civilian": the subject acted
        heads += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return [t for t in _named_heads(heads) if t.i != tok.i]


# people described by whom they work for: armed when that is a named armed side
_STAFF = {"employee", "staff", "member", "worker", "official", "officer", "agent", "personnel", "operative"}
_CIVIL_EMPLOYERS = {"government", "ministry", "authorities", "authority", "state", "municipal", "council", "health"}
_OFF_DUTY = re.compile(r"\b(off ?- ?duty|off duty|retired|former|unarmed)\b")


def _head_side(t, hits: CueHits, sides: set[int], civil_ids: set[int]) -> str | None:
    """'armed' or 'civilian' for one patient head: the word itself first ("local policeman",
    "NDS employee" -> the named state side), then its modifiers and the actor it names."""
    mods = [c for c in t.children if c.dep_ in ("compound", "amod", "poss", "nmod", "appos")]
    armed_words = {s for s, _ in hits.get("armed_target")}
    civil_words = {s for s, _ in hits.get("civilian_target")}
    if _OFF_DUTY.search(" ".join(w.lower_ for w in t.subtree)):
        return "civilian"  # codebook: off-duty or former members of the forces are attacked as civilians
    if t.lemma_.lower() in _STAFF and any(m.i in sides and m.lemma_.lower() not in _CIVIL_EMPLOYERS for m in mods):
        return "armed"  # "an NDS employee", "Taliban members": staff of a named armed side
    if t.i in civil_ids or t.i in civil_words:
        return "civilian"  # "a government employee" is a civilian whoever employs him
    if t.i in sides or any(m.i in sides for m in mods) or t.i in armed_words:
        return "armed"
    if t.ent_type_ in ("PERSON", "NORP") or t.lemma_.lower() in ("member", "supporter"):
        return "civilian"  # a person, "three Palestinians", "CNL members": unarmed unless an armed side is named
    if any(m.i in armed_words for m in mods):
        return "armed"
    if any(m.i in civil_words for m in mods):
        return "civilian"
    return None


def _territory_side(tok, hits: CueHits, state_ids: set[int], nonstate_ids: set[int]) -> tuple[str, str]:
    """Who holds the place after a capture: 'state' or 'nonstate', with the reason."""
    agent = agent_ids(tok)
    loser: set[int] = set()
    verb = _verb_of(tok)
    for h in (tok, verb):
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ == "from":
                loser |= subtree_ids(c)
            if c.dep_ == "prep" and c.lower_ == "to" and tok.lemma_.lower() in ("fall", "fell"):
                agent |= subtree_ids(c)
    if agent & nonstate_ids and not agent & state_ids:
        return "nonstate", "the side taking the place is a non-state group"
    if agent & state_ids:
        return "state", "the side taking the place is state forces"
    if loser & nonstate_ids:
        return "state", "the place is taken from a non-state group"
    if loser & state_ids:
        return "nonstate", "the place is taken from state forces"
    lemma = tok.lemma_.lower()
    if lemma in ("liberate", "recapture", "retake", "regain", "reclaim", "free"):
        return "state", f"'{lemma}' with no named side: ACLED's usual reading is state forces retaking"
    sent_ids = {t.i for t in tok.sent}
    if nonstate_ids & sent_ids and not state_ids & sent_ids:
        return "nonstate", "only a non-state group is named in the sentence"
    return "state", ASSUMED_SIDE


ASSUMED_SIDE = "no side named; state forces assumed"


# what a place that changes hands is called (codebook: territory is a town, a village, a position)
_PLACE_NOUNS = {"city", "town", "village", "district", "area", "base", "airbase", "airport", "airfield", "position",
                "hill", "checkpoint", "check-point", "post", "outpost", "neighbourhood", "neighborhood", "field",
                "region", "province", "territory", "camp", "border", "crossing", "road", "highway", "bridge", "front",
                "island", "valley", "mountain", "barracks", "headquarters", "county", "locality", "settlement",
                "control", "stronghold", "port", "junction", "suburb", "quarter", "zone", "sector", "countryside",
                "building", "station", "dam", "plant", "mine", "line", "frontline", "capital", "municipality",
                "hamlet", "commune", "compound", "fort", "garrison", "prison", "ground", "land", "street",
                "square", "market", "oilfield", "village", "peak", "ridge", "axis", "pocket", "enclave", "part",
                "most", "rest", "half", "much", "parts", "all", "positions", "site", "facility", "school", "hospital"}


def _seizes_things(tok) -> bool:
    """The trigger acts on objects that are not places: a vehicle, weapons, phones, a mall's goods."""
    heads = [h for h in patient_heads(tok) if h.dep_ in ("dobj", "nsubjpass")]
    return bool(heads) and all(h.pos_ == "NOUN" and h.lemma_.lower() not in _PLACE_NOUNS
                               and not h.ent_type_ in ("GPE", "LOC", "FAC") for h in heads)


def _side_ids(hits: CueHits, actors, sent) -> tuple[set[int], set[int], set[int]]:
    """Token indexes naming state forces, non-state armed groups and unarmed people
    (actor inter codes 5-7: rioters, protesters, civilians) in ``sent``."""
    state = {i for s, e in hits.get("state_agent") for i in range(s, e)}
    nonstate = {i for s, e in hits.get("nonstate_agent") for i in range(s, e)}
    civil: set[int] = set()
    doc = sent.doc
    # (only the mentions that may fall in the sentence: a long text holds thousands)
    for m in starting_in(doc, actors or [], sent.start_char - LONGEST_MENTION, sent.end_char):
        if m.end <= sent.start_char or m.start >= sent.end_char:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        ids = {t.i for t in span}
        if m.inter == 1:
            state |= ids
        elif m.inter in (2, 3, 4, 8):
            nonstate |= ids
        elif m.inter in (5, 6, 7):
            civil |= ids
    return state, nonstate, civil


def _target_side(rule: Rule, tok, hits: CueHits, agent: set[int], trig, sides: set[int],
                 civil: set[int]) -> tuple[bool, bool]:
    """(armed, civilian): whether what the trigger acts on is an armed side or civilians.
    Codebook (Attack vs Armed clash): the target decides; a target that mixes armed and
    unarmed people is a fight with the armed side."""
    doc = tok.doc
    heads = patient_heads(tok)
    if rule.sentence_target:
        # "opened fire on two children and injured them": every act of the sentence says who was hit
        for name in rule.triggers:
            for s, _ in hits.get(name):
                if s != tok.i:
                    heads += patient_heads(doc[s])
    if "armed_target" not in rule.target:
        # a thing acted on (weapons seized): only the parsed object counts
        ids = {h.i for h in heads} | {c.i for h in heads for c in h.children if c.dep_ in ("compound", "amod")}
        # "4 tons of marijuana", "large quantities of arms": what the measure is of
        ids |= {p.i for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "of"
                for p in c.children if p.dep_ == "pobj"}
        hit = any(i in ids for n in rule.target for s, e in hits.get(n) for i in range(s, e))
        return hit, False
    labels = {_head_side(h, hits, sides, civil) for h in heads}
    if "armed" in labels:
        return True, False
    if "civilian" in labels:
        return False, True
    if heads and all(h.pos_ == "NOUN" and h.dep_ in ("dobj", "nsubjpass") for h in heads):
        return False, True  # "killed a shepherd": a person or thing not named as armed (codebook: civilians)
    pids = patient_ids(tok)
    if not pids:  # no parsed object: look at the sentence beyond the agent
        pids = {t.i for t in tok.sent} - agent - set(range(*trig))
    civilian = _hits_in(hits, rule.not_target, pids) or any(doc[i].ent_type_ == "PERSON" or i in civil for i in pids)
    armed = _hits_in(hits, rule.target, pids)
    return armed, civilian


def _fires(rule: Rule, trig: tuple[int, int], hits: CueHits, doc, sides: set[int],
           civil: set[int] = frozenset(), nonstate: set[int] = frozenset()) -> tuple[bool, list[str]]:
    for group in rule.requires:
        if not hits.any(group):
            return False, []
    if any(hits.has(u) for u in rule.unless):
        return False, []
    reasons = []
    tok = doc[trig[0]]
    agent = agent_ids(tok)
    if rule.target or rule.not_target:
        armed, civilian = _target_side(rule, tok, hits, agent, trig, sides, civil)
        if civilian and rule.not_target:
            return False, []
        if rule.target and not armed:
            if not (rule.unknown_target_if_agent and not civilian
                    and (_hits_in(hits, rule.unknown_target_if_agent, agent) or agent & sides)):
                return False, []
            reasons.append("target unnamed; an armed side acts")
        else:
            reasons.append(f"target is {'/'.join(rule.target) or 'not ' + '/'.join(rule.not_target)}")
    if rule.crowd_side:
        if not any(_crowd_head(h, hits, sides, civil) for h in agent_heads(tok)):
            return False, []
        reasons.append("one side is unorganised people (codebook: not a battle)")
    if rule.agent and not (_hits_in(hits, rule.agent, agent) or ("nonstate_agent" in rule.agent and agent & nonstate)):
        return False, []
    if rule.not_agent and (_hits_in(hits, rule.not_agent, agent) or agent & sides):
        return False, []
    if rule.agent:
        reasons.append(f"agent is {'/'.join(rule.agent)}")
    return True, reasons


# what a protest is about is not what happened at it: "protest against the arrest of ...",
# "demonstrated over the killing of ...", "rallied to honour the dead" (codebook: the sub-type
# follows what the demonstrators and the forces did, not the grievance)
_ABOUT = {"against", "over", "for", "demand", "demanding", "condemn", "condemning", "denounce", "denouncing",
          "about", "following", "after", "fear", "honour", "honor", "mourn",
          "commemorate", "mark", "remember", "justice", "investigation", "inquiry", "punishment", "regarding"}
# cues that describe the grievance when they sit under _ABOUT words or in a relative clause
_ABOUT_FILTERED = ("detain", "lethal", "protester_violence", "intervention")


def _about_grievance(tok, relative: bool = True) -> bool:
    for a in list(tok.ancestors)[:6]:
        if a.lower_ in _ABOUT or a.lemma_.lower() in _ABOUT:
            return True
    if not relative:
        return False  # "workers, who had taken to the streets and pelted stones": what they did
    t = tok
    for _ in range(4):  # "a youth who was killed", "those killed": a description of someone
        if t.dep_ in ("relcl", "acl") or t.head.i == t.i:
            return t.dep_ in ("relcl", "acl")
        t = t.head
    return False


def _filter_hits(hits: CueHits, doc) -> None:
    # "according to a statement": the source of the report, never an accord
    for name in list(hits.spans):
        kept = [(s, e) for s, e in hits.get(name)
                if not (e - s == 1 and doc[s].lower_ == "according" and s + 1 < len(doc) and doc[s + 1].lower_ == "to")]
        if len(kept) != len(hits.get(name)):
            if kept:
                hits.spans[name] = kept
            else:
                hits.spans.pop(name, None)
    names = _ABOUT_FILTERED + (("sexual", "abduct") if hits.has("protest") else ())
    for name in names:  # "protested against the rape of ...": the grievance, not an event here
        kept = []
        for s, e in hits.get(name):
            tok = doc[s]
            if name == "detain" and tok.pos_ != "VERB":
                continue
            if _about_grievance(tok, relative=name != "protester_violence"):
                continue
            head = tok
            while head.dep_ == "conj" and head.head is not head:
                head = head.head  # "after a gendarme shot and killed a driver": the cause's first verb
            if name in ("detain", "lethal", "intervention") and any(c.dep_ == "mark" and c.lower_ in ("after", "following")
                                                                    for c in head.children):
                continue  # "protested after a man was arrested": the cause, told before the protest
            kept.append((s, e))
        if kept:
            hits.spans[name] = kept
        else:
            hits.spans.pop(name, None)


def _is_anaphoric(doc, trig: tuple[int, int]) -> bool:
    tok = doc[trig[1] - 1]
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
    return bool(dets & _ANAPHORIC_DET) and not dets & _NEW_DET


def _is_main(tok) -> bool:
    """The trigger is the sentence's main predicate (or a conjunct or complement of it)."""
    t = tok
    for _ in range(3):
        if t.dep_ == "ROOT":
            return True
        if t.dep_ not in ("conj", "xcomp", "aux"):
            return False
        t = t.head
    return False


# separate actions joined by these prepositions are still told as actions of their own
_ACTION_PREPS = {"despite", "amid", "before", "after", "following", "during", "by"}


def _conj_linked(a, b) -> bool:
    """True when a and b are separate conjuncts (or unrelated) rather than one inside the other."""
    def chain(t):
        out = [t.i]
        while t.head.i != t.i:
            t = t.head
            out.append(t.i)
        return out

    doc = a.doc
    ca, cb = chain(a), chain(b)
    for x, path in ((a.i, cb), (b.i, ca)):
        if x in path[1:]:
            below = path[: path.index(x)]
            return any(doc[i].dep_ == "conj" or (doc[i].dep_ in ("prep", "agent") and doc[i].lower_ in _ACTION_PREPS)
                       for i in below + [x])
    return True


# the weapons whose firing is remote violence, and the rule (by trigger cue) each is coded by
_WEAPON_CUES = (("air", "air_action"), ("shelling", "shelling"))


def _weapon_reading(best: Reading, hits: CueHits, rules: RuleSet, doc) -> Reading | None:
    """ "Israeli missiles struck depots", "Russian jets kill 12": when the one that strikes or kills
    is a weapon of remote violence (aircraft, missiles, shells), the event is remote violence
    whatever was hit (codebook: the tool decides the type, not the target)."""
    tok = doc[best.trigger[0]]
    if tok.pos_ != "VERB":
        return None
    # the subject's head and its modifiers in the noun phrase ("Israeli missiles"), not a phrase
    # attached to it ("special forces, backed by airstrikes")
    subj = {t.i for c in tok.children if c.dep_ == "nsubj"
            for t in [c] + [m for m in c.children if m.dep_ in ("compound", "amod", "nmod")]}
    for cue, trigger_cue in _WEAPON_CUES:
        span = next(((s, e) for s, e in hits.get(cue) if subj & set(range(s, e))), None)
        rule = next((r for r in rules.rules if trigger_cue in r.triggers and not r.generic), None)
        if span is None or rule is None:
            continue
        return Reading(rule, rule.sub_event_type, rule.event_type, best.trigger, rule.confidence,
                       [f"rule {rule.rule_id}: the weapon '{doc[span[0]:span[1]].text}' does the "
                        f"'{tok.text}' (the tool decides the type)"], best.anaphoric)
    return None


def read_sentence(sent, rules: RuleSet, actors=()) -> tuple[list[Reading], CueHits]:
    """The readings of one sentence, the winning one first."""
    doc = sent.doc
    hits = match_cues(sent, rules)
    _filter_hits(hits, doc)
    state_ids, nonstate_ids, civil_ids = _side_ids(hits, actors, sent)
    sides = state_ids | nonstate_ids
    cands: list[Reading] = []
    for rule in rules.rules:
        for name in rule.triggers:
            for trig in hits.get(name):
                ok, why = _fires(rule, trig, hits, doc, sides, civil_ids, nonstate_ids)
                if not ok:
                    continue
                reasons = [f"rule {rule.rule_id}: trigger '{doc[trig[0]:trig[1]].text}'"] + why
                if rule.territory and _seizes_things(doc[trig[0]]):
                    continue  # "seized their vehicle", "captured weapons": not territory
                if rule.territory:
                    side, because = _territory_side(doc[trig[0]], hits, state_ids, nonstate_ids)
                    if side != rule.territory:
                        continue
                    reasons.append(because)
                if rule.generic and (hits.has("disaster") or (hits.has("crime") and not hits.has("kill"))) \
                        and not (agent_ids(doc[trig[0]]) & sides):
                    # codebook: accidents and crime without political violence are not events; force
                    # used by a named armed side is ("police beat traders during the lockdown")
                    continue
                cands.append(Reading(rule, rule.sub_event_type, rule.event_type, trig, rule.confidence,
                                     reasons, _is_anaphoric(doc, trig)))
    if not cands:
        return [], hits
    # the action the sentence asserts (its main verb) outranks one named in a subordinate
    # phrase ("ISIS retook the city despite airstrikes"); outcomes (generic) get no such lift
    cands.sort(key=lambda r: (-(r.rule.priority + (10 if not r.generic and _is_main(doc[r.trigger[0]]) else 0)),
                              r.trigger[0]))
    best = cands[0]
    if best.generic and best.event_type in ("Battles", "Violence against civilians"):
        weapon = _weapon_reading(best, hits, rules, doc)
        if weapon is not None:
            cands.insert(0, weapon)
            best = weapon
    chosen = [best]
    # further actions in the same sentence: a different sub-type on a separate conjunct
    for c in cands[1:]:
        if any(c.sub_event_type == k.sub_event_type or set(c.rule.triggers) & set(k.rule.triggers) for k in chosen):
            continue  # the same kind of action told twice in one sentence is one event
        if c.generic or c.anaphoric:
            continue  # "killed", "the attack": an outcome or a mention of the action already read
        tok = doc[c.trigger[0]]
        if any(set(range(*c.trigger)) & set(range(*k.trigger)) for k in chosen):
            continue
        if tok.pos_ != "VERB" and tok.dep_ in ("dobj", "pobj", "compound", "amod", "poss") \
                and not (tok.dep_ == "pobj" and tok.head.lower_ in _ACTION_PREPS):
            continue  # an object ("targeting a military patrol") names a thing, not a further action
        if all(_conj_linked(tok, doc[k.trigger[0]]) for k in chosen):
            c.confidence -= 0.1
            c.reasons.append("a further action in the same sentence")
            chosen.append(c)
    best.reasons.append(f"highest-precedence reading of {len(cands)} in the sentence")
    return chosen, hits
