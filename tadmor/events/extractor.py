"""EventExtractor: from a parsed document to ACLED-style events and quantities.

Per sentence, ``classify.read_sentence`` says which sub-event types it reports;
this module reads modality and numbers, merges sentences that only continue an
event already told ("The victim died.", "the battle"), drops repeats of one
action, and assembles each event with the geo, time and actor stages.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from .. import model
from ..geo.result import dateline_spans
from ..config import DEFAULT, Config
from ..nlp import doc_text, lemma_view, subtree_ids
from .classify import ASSUMED_SIDE, Reading, _is_main, read_sentence
from .lexicon import RuleSet, load_rules
from .modality import ModalityCues, ModalityReading, read_modality
from .numbers import Found, NumberWords, _to_death, find_quantities, read_fatalities
from .assemble import Assembler, ProtoEvent, trim_evidence

log = logging.getLogger(__name__)

MAX_EVIDENCE = 400
MAX_TELLING = 1200  # characters of one event's telling whose numbers count for it
# what follows a violent event in the same telling (arrests, destruction, a patrol) is its aftermath
_VIOLENT = {"Battles", "Violence against civilians", "Explosions/Remote violence", "Riots"}
_AFTERMATH = {"Arrests", "Looting/property destruction", "Disrupted weapons use"}
# types a bare outcome ("killed 20", "attacked") is read as before the means is known
_OUTCOME_TYPES = {"Battles", "Violence against civilians"}
_OUTCOME_LEMMAS = {"kill", "die", "dead", "death", "wound", "injure", "casualty"}
# roots that make a sentence a statement about an event rather than the event
# (CASE "Attribution of responsibility"; ACLED codes the attack, not the claim)
_ATTRIBUTION_ROOTS = {"claim", "blame", "accuse", "deny", "condemn", "attribute", "suspect"}
# words that announce a further incident rather than more of the same one
_NEW_EVENT_WORDS = {"another", "separate", "separately", "meanwhile", "elsewhere", "second", "addition"}
# "another", "a second": a new incident only when they count incidents ("in another attack"),
# not people ("two men died and another one was injured")
_COUNTING_WORDS = {"another", "second", "separate"}
_INCIDENT_NOUNS = {"attack", "incident", "event", "clash", "explosion", "blast", "strike", "airstrike", "raid",
                   "ambush", "bombing", "shooting", "operation", "case", "protest", "demonstration", "rally",
                   "development", "assault", "battle", "offensive", "incursion", "killing", "abduction",
                   "kidnapping", "arrest", "riot", "march", "gathering", "episode", "location", "area", "village",
                   "town", "district", "place", "front", "day", "occasion", "instance"}


def _announces_new(sent) -> bool:
    """The sentence announces another incident ("In another attack ...", "Meanwhile ...")."""
    for t in sent:
        low = t.lower_
        if low not in _NEW_EVENT_WORDS:
            continue
        if low not in _COUNTING_WORDS:
            return True
        head = t.head if t.head.i != t.i else t
        if head.lemma_.lower() in _INCIDENT_NOUNS or t.dep_ in ("pobj", "ROOT") or head.dep_ == "pobj" and \
                head.head.lower_ in ("in", "during", "at"):
            return True
    return False


_UNCERTAIN_WORDS = {"unclear", "uncertain", "unconfirmed", "unverified"}

# kinds of event a headline and its lead may name differently ("Rockets kill 8" over "a barrage of
# rockets slammed into ..."): violence of any kind, or a demonstration however it went
_FAMILIES = ({"Battles", "Violence against civilians", "Explosions/Remote violence"}, {"Protests", "Riots"})
_LEAD_SENTENCES = 3  # the lead: the first sentences after the headline
_BODY_WORDS = 20  # a line this long is prose: a headline, a dateline or a caption is shorter


def head_lines(text: str, limit: int = 2000) -> list[tuple[int, int]]:
    """The lines above an article's body (masthead, date, headline, caption, byline): short lines
    before the first paragraph of prose. Empty when the text opens with prose."""
    out = []
    pos = 0
    for line in text[:limit].split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        if len(line.split()) >= _BODY_WORDS:
            return out
        out.append((start, start + len(line)))
    return []


def same_family(a: str, b: str) -> bool:
    return a == b or any(a in f and b in f for f in _FAMILIES)


@dataclass
class EventContext:
    doc_id: str
    text: str
    sections: list[model.Section]
    published: datetime.date | None
    geo: object | None  # tadmor.geo.GeoResult
    actors: list = field(default_factory=list)  # tadmor.actors.ActorMention
    resolver: object | None = None  # tadmor.actors.ActorResolver
    dates: list = field(default_factory=list)  # tadmor.time.DateMention
    config: Config = DEFAULT

    def actor_country(self) -> str | None:
        """The one country the named actors belong to ("Sharqiya Army", "LNA forces", "Syrian
        soldiers"), for a document that names no place: most mentions' country, if most agree."""
        if self.resolver is None:
            return None
        votes: Counter = Counter()
        for m in self.actors:
            entry = self.resolver.cat.entries.get(m.key)
            if m.country:
                votes[m.country] += 1
            elif entry is not None and not m.generic:
                home = (entry.state,) if entry.state else entry.countries
                if len(home) == 1:
                    votes[home[0]] += 1
        if not votes:
            return None
        (cc, n), total = votes.most_common(1)[0], sum(votes.values())
        return cc if 2 * n > total else None


def _head_token(doc, span: tuple[int, int]):
    """The syntactic head of a token span (the token whose head lies outside it)."""
    toks = doc[span[0]:span[1]]
    for t in toks:
        if t.head.i < span[0] or t.head.i >= span[1] or t.head.i == t.i:
            return t
    return toks[0]


def _section_kind(sections, start: int) -> str:
    for s in sections or ():
        if s.start <= start < s.end:
            return s.kind
    return "report"


def _paragraph_break(text: str, a: int, b: int) -> bool:
    return "\n\n" in text[a:b] or "\n \n" in text[a:b]


_DENY_ROOTS = {"deny", "refute", "dismiss", "reject"}


def _denial(sent) -> tuple[tuple[int, int], set[int]] | None:
    """ "The ministry denied that its aircraft had carried out strikes on X", "X denies strikes on Y":
    the sentence denies an event it names. The denier's token span and the tokens of what is denied
    (the clause, or the object itself: "denied involvement in the attack" denies a role, not the
    attack), or None."""
    root = sent.root
    if root.lemma_.lower() not in _DENY_ROOTS or root.pos_ != "VERB":
        return None
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    denied: set[int] = set()
    for c in root.children:
        if c.dep_ == "ccomp":
            denied |= subtree_ids(c)
        elif c.dep_ == "dobj":
            denied |= {c.i} | {m.i for m in c.children if m.dep_ in ("compound", "amod")}
    if not denied:
        return None
    sub = list(subj.subtree)
    return (sub[0].i, sub[-1].i + 1), denied


def _attribution_statement(sent, hits) -> bool:
    root = sent.root
    return hits.has("attribution") and root.lemma_.lower() in _ATTRIBUTION_ROOTS


_KILL_VERBS = {"kill", "murder", "behead", "execute", "assassinate", "lynch", "slay"}


def _singular_deaths(doc, start: int, end: int) -> int | None:
    """ "killed a man", "the victim died": one death per singular victim named (ACLED counts them)."""
    total = pronoun = 0
    seen: set[int] = set()  # "was shot dead": one victim, read from two words
    for tok in doc[start:end]:
        lemma = tok.lemma_.lower()
        victims = []
        if lemma in ("kill", "murder", "behead", "execute", "assassinate", "lynch", "slay") and tok.pos_ == "VERB":
            victims = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            passive = [c for c in victims if c.dep_ == "nsubjpass"]
            if len(passive) > 1:  # "in Alagoinha, Pernambuco, a man was killed": the subject is the nearest
                victims = [c for c in victims if c.dep_ != "nsubjpass"] + [max(passive, key=lambda c: c.i)]
        elif tok.pos_ == "VERB" and (_to_death(tok) or (lemma == "shoot" and any(c.lower_ == "dead" for c in tok.children))):
            victims = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        elif lemma in ("die", "perish") or (lemma == "dead" and tok.dep_ in ("oprd", "acomp")):
            head = tok if lemma != "dead" else tok.head
            victims = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if any(c.dep_ == "dobj" for c in head.children):
                victims = []  # "gunmen shot dead a journalist": the object died, read above
            if not victims and head.dep_ == "conj":  # "a suspect was shot and died"
                victims = [c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        elif lemma == "body" and tok.dep_ in ("nsubjpass", "dobj") and tok.head.lemma_.lower() in ("find", "discover", "recover"):
            victims = [tok]
        if not victims and tok.pos_ == "VERB" and tok.dep_ == "conj" and (lemma in _KILL_VERBS or _to_death(tok)):
            # "an officer was shot and killed": the subject belongs to the first verb
            if not any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in tok.children):
                victims = [c for c in tok.head.children if c.dep_ in ("dobj", "nsubjpass")]
        if lemma == "death" and tok.pos_ == "NOUN":  # "resulted in the death of the commander"
            victims = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        for v in victims:
            if v.i in seen:
                continue
            seen.add(v.i)
            for n in [v] + list(v.conjuncts):
                if any(c.like_num or c.dep_ == "nummod" for c in n.children) or n.like_num:
                    return None  # a number is there; find_quantities reads it
                if n.ent_type_ in ("GPE", "LOC", "FAC", "ORG", "NORP", "DATE"):
                    continue  # a place the parser took for the victim ("in Pacaja, Para, a man was killed")
                if n.lemma_.lower() == "body" and any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in n.children):
                    continue  # "his body was found": the person already counted
                if n.tag_ in ("NN", "NNP") and n.lemma_.lower() not in ("people", "number"):
                    total += 1
                elif n.tag_ == "PRP" and n.lower_ in ("him", "her", "he", "she"):
                    pronoun = 1  # "opened fire on a civilian, killing him": counts when no one else is named
                elif n.tag_ in ("NNS", "NNPS"):
                    return None
    return total or pronoun or None


_OBSERVE = {"observe", "record", "count", "hear", "register", "log", "document", "note"}


def _observed(doc, r: Reading) -> bool:
    """ "The monitors observed 40 projectiles near X": what an observer counted, not a new act."""
    t = doc[r.trigger[0]]
    for _ in range(4):
        if t.lemma_.lower() in _OBSERVE:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


# codebook precedence among demonstration sub-types, mildest first: demonstrators' violence makes it a
# riot; lethal or grossly disproportionate force, excessive force; dispersal or arrests, intervention
_LADDER = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters", "Violent demonstration")
# ground fire from a distance; answered, it is a fight (air strikes cannot be answered in kind)
_ANSWERABLE = {"Shelling/artillery/missile attack", "Grenade"}


def _answers(r: Reading, told: Reading) -> bool:
    """``r`` says the fire told before was returned ("fired back", "in both directions")."""
    return told.sub_event_type in _ANSWERABLE and r.sub_event_type == "Armed clash" and "exchange" in r.rule.triggers


class EventExtractor:
    def __init__(self, config: Config = DEFAULT):
        self.config = config
        self._rules: RuleSet | None = None
        self._modality: ModalityCues | None = None
        self._numbers: NumberWords | None = None

    # data files are read on first use, never at import time
    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            self._rules = load_rules()
        return self._rules

    @property
    def modality_cues(self) -> ModalityCues:
        if self._modality is None:
            self._modality = ModalityCues.load()
        return self._modality

    @property
    def number_words(self) -> NumberWords:
        if self._numbers is None:
            self._numbers = NumberWords.load()
        return self._numbers

    # ------------------------------------------------------------------ reading
    def read(self, doc, ctx: EventContext) -> list[ProtoEvent]:
        """Proto-events in text order, before geo/time/actor assembly."""
        text = ctx.text
        protos: list[ProtoEvent] = []
        last: ProtoEvent | None = None
        last_si = -10
        told: list[tuple] = []  # (sentence, cue hits) for every sentence read, for protest escalation
        parsed = doc_text(doc)  # a Span's text is rebuilt from its tokens on every read
        lemmas = lemma_view(doc)
        for si, sent in enumerate(doc.sents):
            kind = _section_kind(ctx.sections, sent.start_char)
            if kind == "boilerplate" or not parsed[sent.start_char:sent.end_char].strip():
                continue
            readings, hits = read_sentence(sent, self.rules, ctx.actors)
            told.append((si, sent, hits, kind))
            denial = _denial(sent) if readings else None
            if denial:
                readings = [r for r in readings if set(range(*r.trigger)) & denial[1]]
            if readings and _attribution_statement(sent, hits) and not denial:
                readings = []  # a claim of responsibility or a blame, not the event itself
            uncertain_here = any(lemmas[i] in _UNCERTAIN_WORDS for i in range(sent.start, sent.end))
            mods = [read_modality(_head_token(doc, r.trigger), self.modality_cues) for r in readings]
            if denial:
                # "X denied that its aircraft had struck Y": the event, as one side denies it
                mods = [m if m.modality == "negated" else ModalityReading("negated", sent.root.text, denial[0])
                        for m in mods]
            if any(m.modality in ("hypothetical", "future", "negated") for m in mods):
                last = None  # talk, plans and denials are never more of an asserted event
            near = last is not None and si - last_si <= 2 and last.section == kind \
                and not _paragraph_break(text, last.end, sent.start_char)
            # a note or lead goes on with its details; the evidence is trimmed to MAX_EVIDENCE
            # around the trigger later, so a longer telling still counts its deaths
            span = sent.end_char - last.start if near else 0
            fits = near and (span <= MAX_EVIDENCE or (
                span <= MAX_TELLING and all(r.generic or r.sub_event_type in _AFTERMATH for r in readings)))
            if near and self._continues(sent, readings, last, ctx):
                # this sentence tells more of the event before: its deaths, its uncertainty
                lowered = parsed[sent.start_char:sent.end_char].lower()
                says_none = any(p in lowered for p in self.number_words.none_phrases)
                if fits and (readings or uncertain_here or says_none or self._has_casualties(doc, sent)):
                    if sent.end_char - last.start <= MAX_EVIDENCE:
                        last.ev_end = sent.end_char  # the evidence grows only within MAX_EVIDENCE
                    last.end = sent.end_char
                    last.extra_sents.append(sent)
                    last_si = si
                    top = readings[0] if readings else None
                    answered = next((r for r in readings if _answers(r, last.reading)), None)
                    worse = next((r for r in readings if r.sub_event_type in _LADDER and last.reading.sub_event_type in _LADDER
                                  and _LADDER.index(r.sub_event_type) > _LADDER.index(last.reading.sub_event_type)), None)
                    if worse is not None:
                        last.reasons.append(f"{worse.sub_event_type}: a following sentence tells it "
                                            "(codebook precedence among demonstrations)")
                        last.reading = worse
                    elif answered is not None:
                        last.reasons.append("Armed clash: a following sentence says the fire was answered "
                                            "(codebook: fire exchanged between armed sides is a battle)")
                        last.reading = answered
                    elif top and last.reading.generic and last.reading.event_type in _OUTCOME_TYPES \
                            and last.trigger_tok.lemma_.lower() in _OUTCOME_LEMMAS \
                            and top.event_type == "Explosions/Remote violence" and not top.anaphoric \
                            and not _observed(doc, top):
                        # "X killed 20 soldiers. Its fighter drove a car loaded with explosives into them.":
                        # the first told only the outcome; the means makes it remote violence (codebook)
                        last.reasons.append(f"the means told in a following sentence: {top.reasons[0]}")
                        last.reading = top
                    elif top and top.event_type == last.reading.event_type and top.rule.priority > last.reading.rule.priority \
                            and not top.generic and not top.anaphoric and ASSUMED_SIDE not in top.reasons:
                        # (a place "was overrun" with no side named does not say who took it: the
                        # event told before keeps its reading rather than assume state forces did)
                        last.reasons.append(f"upgraded by a later sentence: {top.reasons[0]}")
                        last.reading = top  # codebook precedence: e.g. the place then changed hands
                    elif top and top.sub_event_type == last.reading.sub_event_type and not top.generic \
                            and _is_main(doc[top.trigger[0]]) and not _is_main(last.trigger_tok):
                        # the later sentence tells the action itself; the first only named it in passing
                        last.reading, last.sent = top, sent
                        last.trigger_tok = _head_token(doc, top.trigger)
                        last.modality = mods[0]
                        last.reasons.append("the action itself is told in a following sentence")
                if uncertain_here and last.modality.modality == "asserted":
                    last.modality = ModalityReading("uncertain", "unclear")
                    last.reasons.append("uncertain: a following sentence says the outcome is unclear")
                if fits or not readings:
                    continue
            group: list[ProtoEvent] = []
            for k, (r, mod) in enumerate(zip(readings, mods)):
                trig = _head_token(doc, r.trigger)
                p = ProtoEvent(reading=r, sent=sent, sent_index=si, start=sent.start_char, end=sent.end_char, ev_end=sent.end_char,
                               trigger_tok=trig, modality=mod, section="commentary" if kind == "commentary" else "report",
                               reasons=list(r.reasons) + [mod.reason], secondary=k > 0)
                group.append(p)
            for p in group:
                p.siblings = [q for q in group if q is not p]
            protos += group
            if group:
                last, last_si = group[0], si
        self._escalate_protests(protos, told, ctx)
        return protos

    def _escalate_protests(self, protos: list[ProtoEvent], told: list[tuple], ctx: EventContext) -> None:
        """A protest told in one sentence and met with force, or turning violent, in the next ones
        ("... staged a protest. Police dispersed them and arrested 4."): the demonstration's
        sub-type follows what the following sentences of the same paragraph tell."""
        by_sub = {r.sub_event_type: r for r in self.rules.rules}
        text = ctx.text
        for p in protos:
            sub = p.reading.sub_event_type
            if sub not in _LADDER[:3] or p.secondary:
                continue
            after = []
            for si, sent, hits, kind in told:
                if si <= p.sent_index:
                    continue
                if si > p.sent_index + 3 or _paragraph_break(text, p.sent.end_char, sent.start_char):
                    break
                if _announces_new(sent) or \
                        any(sent.start_char <= m.start < sent.end_char and m.kind != "dateline" for m in ctx.dates or ()):
                    break
                # force told of someone else ("He was arrested in connection with ...") is background:
                # the sentence must name the forces, the demonstrators or a crowd
                if hits.any(("state_agent", "protest", "crowd_agent", "crowd")) or hits.has("intervention"):
                    after.append(hits)
            if not after:
                continue
            has = lambda name: any(h.has(name) for h in after)  # noqa: E731
            new = None
            if has("protester_violence"):
                new = "Violent demonstration"
            elif has("lethal") and (has("state_agent") or has("intervention") or has("armed_target")):
                new = "Excessive force against protesters"
            elif has("intervention") or any(h.has("detain") and h.any(("state_agent", "protest", "crowd_agent", "crowd")) for h in after):
                new = "Protest with intervention"
            if new is None or _LADDER.index(new) <= _LADDER.index(sub):
                continue
            rule = by_sub[new]
            r = p.reading
            p.reading = Reading(rule, rule.sub_event_type, rule.event_type, r.trigger, rule.confidence,
                                list(r.reasons), r.anaphoric)
            p.reasons.append(f"{new}: a following sentence tells it (codebook precedence among demonstrations)")

    def _continues(self, sent, readings: list[Reading], last: ProtoEvent, ctx: EventContext) -> bool:
        """Whether ``sent`` goes on about ``last`` rather than telling a new event: it reads no
        event, or only outcomes and back-references, or more of the same kind of event, and it
        neither dates itself anew nor announces another incident."""
        if _announces_new(sent):
            return False
        if any(sent.start_char <= m.start < sent.end_char and m.kind != "dateline" for m in ctx.dates or ()):
            return False
        if not readings:
            return True
        if any(_answers(r, last.reading) for r in readings):
            return True
        if last.reading.sub_event_type in _LADDER and all(r.sub_event_type in _LADDER or r.generic for r in readings):
            return True  # "... held a demonstration. Demonstrators clashed with police.": the same demonstration
        if all(r.generic or r.anaphoric or _observed(sent.doc, r) for r in readings):
            return True  # outcomes, back-references, or a monitor counting the rounds of the fire told before
        if last.reading.event_type in _VIOLENT and all(r.generic or r.anaphoric or r.sub_event_type in _AFTERMATH
                                                       for r in readings):
            return True  # "... killed 2. Police arrested a suspect.": details of the same event
        return all(r.event_type == last.reading.event_type for r in readings)

    def _has_casualties(self, doc, sent) -> bool:
        return any(f.unit in ("killed", "injured") for f in find_quantities(doc, self.number_words, sent.start, sent.end))

    # ------------------------------------------------------------------ numbers
    def fatalities(self, doc, p: ProtoEvent, found: list[Found], text: str, asm: Assembler) -> tuple[model.Fatalities | None, list[str]]:
        mine = [f for f in found if p.start <= doc[f.start].idx < p.end and p.owns(doc, f)]
        # a party's claim told beside a figure in the text's own voice does not add to it
        # ("3 militants were killed ... but also claimed 15 soldiers died")
        kinds = {id(f): read_modality(doc[f.governor if f.governor is not None else f.noun], self.modality_cues).modality
                 for f in mine if f.unit == "killed"}
        if any(k != "claimed" for k in kinds.values()):
            mine = [f for f in mine if kinds.get(id(f)) != "claimed"]
        fr = read_fatalities(mine, text[p.start:p.end], self.number_words, doc)
        count, why = fr.count, fr.reason
        modality, claimed_by = "asserted", None
        if fr.quantities:
            mods = [read_modality(doc[f.governor if f.governor is not None else f.noun], self.modality_cues) for f in fr.quantities]
            if all(m.modality == "claimed" for m in mods):
                modality, claimed_by = "claimed", asm.name_span(mods[0].claimant)
            elif any(m.modality in ("reported", "uncertain") for m in mods):
                modality = next(m.modality for m in mods if m.modality in ("reported", "uncertain"))
        if count is None and not p.secondary:
            s, e = p.sent.start, (p.extra_sents[-1].end if p.extra_sents else p.sent.end)
            one = _singular_deaths(doc, s, e)
            if one:
                count, why = one, "one death per singular victim named"
        if count is None and not fr.quantities:
            return None, [f"fatalities: {why}"]
        span = None
        if fr.quantities:
            f0 = fr.quantities[0]
            span = (doc[f0.start].idx, doc[f0.end - 1].idx + len(doc[f0.end - 1]))
        return model.Fatalities(count=count, modality=modality, claimed_by=claimed_by,
                                span=model.Span.of(text, *span) if span else None), [f"fatalities: {why}"]

    # ------------------------------------------------------------------ public
    def fold_headline(self, protos: list[ProtoEvent], text: str, heads: list[tuple[int, int]]) -> list[ProtoEvent]:
        """A headline sums up the article's lead: the event it names is the one the lead tells, not a
        second event. Each headline reading joins the first lead event of the same kind; that event
        is the one the article leads with. A headline the lead does not tell stays an event.
        ``heads`` are the text's ``head_lines``."""
        if not heads:
            # a wire story with no headline ("KANO, Aug 11 (AFP) - ..."): its first sentence is the lead
            body = [p for p in protos if not p.secondary]
            if body:
                first = body[0]
                line = text.rfind("\n", 0, first.start) + 1
                opens = not text[:line].strip() and dateline_spans(text[line:first.end])
                if opens and first.modality.modality not in ("hypothetical", "future"):
                    first.lead = True
                    first.reasons.append("the first sentence of a wire story: the event it leads with")
            return protos
        end_of_head = heads[-1][1]
        in_head = [p for p in protos if p.start < end_of_head]
        body = [p for p in protos if p.start >= end_of_head]
        if not in_head or not body:
            return protos
        # the lead: the first sentences of the first paragraph that tells anything
        opener = min(body, key=lambda p: p.start)
        first = opener.sent_index
        lead = [p for p in body if p.sent_index < first + _LEAD_SENTENCES and not p.secondary
                and p.modality.modality not in ("hypothetical", "future")
                and not _paragraph_break(text, opener.start, p.start)]
        dropped = set()
        for h in in_head:
            # the same kind of event first, then the same type, then any of the family
            match = next((p for p in lead if p.reading.sub_event_type == h.reading.sub_event_type), None) or \
                next((p for p in lead if p.reading.event_type == h.reading.event_type), None) or \
                next((p for p in lead if same_family(p.reading.event_type, h.reading.event_type)), None)
            if match is None:
                continue
            dropped.add(id(h))
            if not match.headlined:
                match.headlined = True
                match.reasons.append(f"the headline tells it ({h.reading.sub_event_type}, trigger "
                                     f"'{h.trigger_tok.text}'): the event the article leads with")
        return [p for p in protos if id(p) not in dropped]

    def extract(self, doc, ctx: EventContext) -> tuple[list[model.Event], list[model.Quantity]]:
        heads = head_lines(ctx.text)
        protos = self.fold_headline(self.read(doc, ctx), ctx.text, heads)
        date_toks = frozenset(t.i for m in ctx.dates or () for t in doc.char_span(m.start, m.end, alignment_mode="expand") or ())
        found = find_quantities(doc, self.number_words, skip=date_toks)
        found = [f for f in found if _section_kind(ctx.sections, doc[f.start].idx) != "boilerplate"]
        asm = Assembler(doc, ctx, self)
        asm.head_end = heads[-1][1] if heads else 0
        quantities = [asm.quantity(f) for f in found]
        events = []
        for p in protos:
            fat, why = self.fatalities(doc, p, found, ctx.text, asm)
            p.reasons += why
            qs = [q for f, q in zip(found, quantities) if p.start <= q.span.start < p.end and p.owns(doc, f)]
            events.append(asm.event(p, fat, qs))
        events = asm.dedupe(events)
        events.sort(key=lambda e: (e.evidence.start, e.trigger.start if e.trigger else 0))
        for n, e in enumerate(events, 1):
            e.event_id = f"{ctx.doc_id}#{n}"
        return events, quantities


__all__ = ["EventExtractor", "EventContext", "trim_evidence", "Reading", "MAX_EVIDENCE"]
