"""Sentence-level event typing: which ACLED sub-event types a sentence reports.

``read_sentence`` applies the rules of ``rules.yaml`` to one spaCy sentence and
returns its readings: the winning reading (highest priority, the codebook's
precedence) and any further distinct actions in the same sentence (a separate
conjunct reporting another kind of event, e.g. "ISIS took the gas fields and
were threatening the airbase").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import CueHits, Rule, RuleSet, match_cues

# dependency labels that carry who acted / who was acted upon
_AGENT_DEPS = {"nsubj", "agent"}
_PATIENT_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "iobj"}
_PATIENT_PREPS = {"on", "against", "at", "upon", "targeting", "in"}
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


def _subtree_ids(tok) -> set[int]:
    return {t.i for t in tok.subtree}


def _verb_of(tok):
    """The clause verb a nominal trigger hangs from ("launched 64 strikes" -> launched)."""
    t = tok
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
            return t
        t = t.head
    return t


def agent_ids(tok) -> set[int]:
    """Tokens naming who acted: subject (shared across conjuncts), by-phrase, or the
    possessive/compound/adjective on a nominal trigger ("Russian airstrikes")."""
    ids: set[int] = set()
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod") and c.i != tok.i:
                ids |= _subtree_ids(c)
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
                ids |= _subtree_ids(c)
    verb = _verb_of(tok)
    for v in (verb, verb.head if verb.dep_ in ("conj", "xcomp", "advcl") else None):
        if v is None:
            continue
        for c in v.children:
            if c.dep_ in _AGENT_DEPS:
                ids |= _subtree_ids(c)
        if ids:
            break
    return ids


def patient_ids(tok) -> set[int]:
    ids: set[int] = set()
    verb = _verb_of(tok) if tok.pos_ not in ("VERB", "AUX") else tok
    heads = [tok] if tok is verb else [tok, verb]
    for h in heads:
        for c in h.children:
            if c.dep_ in _PATIENT_DEPS:
                ids |= _subtree_ids(c)
            elif c.dep_ == "prep" and c.lower_ in _PATIENT_PREPS:
                ids |= _subtree_ids(c)
            elif c.dep_ in ("xcomp", "conj", "advcl") and c.pos_ == "VERB":
                ids |= {g.i for cc in c.children if cc.dep_ in _PATIENT_DEPS for g in cc.subtree}
    if tok.lemma_.lower() in _UNDERGOER or verb.lemma_.lower() in _UNDERGOER:
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                ids |= _subtree_ids(c)
    return ids - {tok.i}


def _hits_in(hits: CueHits, names, ids: set[int]) -> bool:
    return any(s in ids for n in names for s, _ in hits.get(n))


def _territory_side(tok, hits: CueHits, state_ids: set[int], nonstate_ids: set[int]) -> tuple[str, str]:
    """Who holds the place after a capture: 'state' or 'nonstate', with the reason."""
    agent = agent_ids(tok)
    loser: set[int] = set()
    verb = _verb_of(tok)
    for h in (tok, verb):
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ == "from":
                loser |= _subtree_ids(c)
            if c.dep_ == "prep" and c.lower_ == "to" and tok.lemma_.lower() in ("fall", "fell"):
                agent |= _subtree_ids(c)
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
    return "state", "no side named; state forces assumed"


def _side_ids(hits: CueHits, actors, sent) -> tuple[set[int], set[int]]:
    """Token indexes naming state forces and non-state armed groups in ``sent``."""
    state = {i for s, e in hits.get("state_agent") for i in range(s, e)}
    nonstate = {i for s, e in hits.get("nonstate_agent") for i in range(s, e)}
    doc = sent.doc
    for m in actors or ():
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
    return state, nonstate


def _fires(rule: Rule, trig: tuple[int, int], hits: CueHits, doc, sides: set[int]) -> tuple[bool, list[str]]:
    for group in rule.requires:
        if not hits.any(group):
            return False, []
    if any(hits.has(u) for u in rule.unless):
        return False, []
    reasons = []
    tok = doc[trig[0]]
    agent = agent_ids(tok)
    if rule.target or rule.not_target:
        pids = patient_ids(tok)
        if not pids:  # no parsed object: look at the sentence beyond the agent
            pids = {t.i for t in tok.sent} - agent - set(range(*trig))
        civilian = _hits_in(hits, rule.not_target, pids) or any(doc[i].ent_type_ == "PERSON" for i in pids)
        armed = _hits_in(hits, rule.target, pids)
        if civilian and rule.not_target:
            return False, []
        if rule.target and not armed:
            if not (rule.unknown_target_if_agent and not civilian
                    and (_hits_in(hits, rule.unknown_target_if_agent, agent) or agent & sides)):
                return False, []
            reasons.append("target unnamed; an armed side acts")
        else:
            reasons.append(f"target is {'/'.join(rule.target) or 'not ' + '/'.join(rule.not_target)}")
    if rule.agent and not _hits_in(hits, rule.agent, agent):
        return False, []
    if rule.not_agent and (_hits_in(hits, rule.not_agent, agent) or agent & sides):
        return False, []
    if rule.agent:
        reasons.append(f"agent is {'/'.join(rule.agent)}")
    return True, reasons


# an arrest that is what a protest is about ("protest against the arrest of ...") is no intervention
_ABOUT = {"against", "over", "for", "demand", "demanding", "condemn", "condemning", "denounce", "denouncing", "about", "following", "after"}


def _filter_hits(hits: CueHits, doc) -> None:
    det = []
    for s, e in hits.get("detain"):
        tok = doc[s]
        if tok.pos_ != "VERB":
            continue
        if any(a.lower_ in _ABOUT or a.lemma_.lower() in _ABOUT for a in list(tok.ancestors)[:4]):
            continue
        det.append((s, e))
    if det:
        hits.spans["detain"] = det
    else:
        hits.spans.pop("detain", None)


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


def read_sentence(sent, rules: RuleSet, actors=()) -> tuple[list[Reading], CueHits]:
    """The readings of one sentence, the winning one first."""
    doc = sent.doc
    hits = match_cues(sent, rules)
    _filter_hits(hits, doc)
    state_ids, nonstate_ids = _side_ids(hits, actors, sent)
    sides = state_ids | nonstate_ids
    cands: list[Reading] = []
    for rule in rules.rules:
        for name in rule.triggers:
            for trig in hits.get(name):
                ok, why = _fires(rule, trig, hits, doc, sides)
                if not ok:
                    continue
                reasons = [f"rule {rule.rule_id}: trigger '{doc[trig[0]:trig[1]].text}'"] + why
                if rule.territory:
                    side, because = _territory_side(doc[trig[0]], hits, state_ids, nonstate_ids)
                    if side != rule.territory:
                        continue
                    reasons.append(because)
                if rule.generic and (hits.has("disaster") or (hits.has("crime") and not hits.has("kill"))):
                    continue  # codebook: accidents and crime without political violence are not events
                cands.append(Reading(rule, rule.sub_event_type, rule.event_type, trig, rule.confidence,
                                     reasons, _is_anaphoric(doc, trig)))
    if not cands:
        return [], hits
    # the action the sentence asserts (its main verb) outranks one named in a subordinate
    # phrase ("ISIS retook the city despite airstrikes"); outcomes (generic) get no such lift
    cands.sort(key=lambda r: (-(r.rule.priority + (10 if not r.generic and _is_main(doc[r.trigger[0]]) else 0)),
                              r.trigger[0]))
    best = cands[0]
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
        if all(_conj_linked(tok, doc[k.trigger[0]]) for k in chosen):
            c.confidence -= 0.1
            c.reasons.append("a further action in the same sentence")
            chosen.append(c)
    best.reasons.append(f"highest-precedence reading of {len(cands)} in the sentence")
    return chosen, hits
