"""Assembly: a proto-event read from a sentence becomes a contract ``model.Event``
with its place (geo), date (time), actors (actors), numbers and a confidence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .. import model
from ..geo.result import dateline_spans
from ..nlp import doc_text, subtree_ids
from .classify import Reading
from .modality import ModalityReading, read_modality

MAX_EVIDENCE = 400
_CUTS = {",", ";", ":", "—", "–", "(", ")", "-"}
# how much each presentation lowers the odds that this is a real, codable event
_MODALITY_PENALTY = {"asserted": 0.0, "reported": 0.0, "claimed": 0.05, "uncertain": 0.1,
                     "future": 0.3, "hypothetical": 0.3, "negated": 0.35}
_COUNTED = ("asserted", "reported", "uncertain")
HEADLINE_BONUS = 0.15
LEAD_BONUS = 0.1
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass
class ProtoEvent:
    reading: Reading
    sent: object  # spaCy Span
    sent_index: int
    start: int  # evidence characters
    end: int
    trigger_tok: object
    modality: ModalityReading
    section: str = "report"
    reasons: list[str] = field(default_factory=list)
    secondary: bool = False
    extra_sents: list = field(default_factory=list)
    siblings: list = field(default_factory=list)  # other proto-events read from the same sentence
    ev_end: int | None = None  # end of the evidence when the telling (start..end) runs longer
    headlined: bool = False  # the article's headline tells this event (the event it leads with)
    lead: bool = False  # told first in an article that opens with a wire dateline

    def clause(self) -> tuple[int, int]:
        """Token range of the trigger's own clause (without other conjuncts)."""
        tok = self.trigger_tok
        v = tok
        for _ in range(4):
            if v.pos_ in ("VERB", "AUX") or v.dep_ == "ROOT" or v.head.i == v.i:
                break
            v = v.head
        ids = [v.i]
        for c in v.children:
            if c.dep_ in ("conj", "cc"):
                continue
            ids += subtree_ids(c)
        return min(ids), max(ids) + 1

    def owns(self, doc, f) -> bool:
        """Whether quantity ``f`` belongs to this event rather than a sibling in the same sentence:
        a further action owns what lies in its own clause; the main reading owns the rest."""
        if not self.siblings:
            return True
        anchor = f.governor if f.governor is not None else (f.noun if f.noun is not None else f.start)
        a, b = self.clause()
        if self.secondary:
            return a <= anchor < b
        if a <= anchor < b:
            return True
        return not any(s.secondary and s.clause()[0] <= anchor < s.clause()[1] for s in self.siblings)


def trim_evidence(doc, start: int, end: int, focus: tuple[int, int]) -> tuple[int, int]:
    """Shrink [start, end) to at most MAX_EVIDENCE characters around ``focus``,
    cutting at clause punctuation where possible."""
    text = doc_text(doc)
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if end - start <= MAX_EVIDENCE:
        return start, end
    span = doc.char_span(start, end, alignment_mode="expand")  # not a walk over the whole document
    toks = [t for t in span if start <= t.idx < end] if span is not None else [t for t in doc if start <= t.idx < end]
    cuts_left = [t.idx + len(t) + 1 for t in toks if t.text in _CUTS and t.idx + len(t) <= focus[0]]
    cuts_right = [t.idx for t in toks if t.text in _CUTS and t.idx >= focus[1]]
    lo, hi = start, end
    while hi - lo > MAX_EVIDENCE:
        left_room, right_room = focus[0] - lo, hi - focus[1]
        if right_room >= left_room:
            cands = [c for c in cuts_right if c < hi and c > focus[1]]
            hi = max(cands) if cands and hi - max(cands) < hi - lo else max(focus[1], lo + MAX_EVIDENCE)
            if hi - lo > MAX_EVIDENCE and not cands:
                hi = lo + MAX_EVIDENCE
        else:
            cands = [c for c in cuts_left if c > lo and c <= focus[0]]
            lo = min(cands) if cands else min(focus[0], hi - MAX_EVIDENCE)
        cuts_right = [c for c in cuts_right if c < hi]
        cuts_left = [c for c in cuts_left if c > lo]
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi


_SAY = {"say", "claim", "announce", "state", "tell", "insist", "add", "boast"}
_SELF = {"it", "its", "they", "their", "we", "our", "itself", "themselves"}
_PERSONAL = {"he", "she", "i", "you", "his", "her"}


def own_claim(trigger) -> tuple[int, int] | None:
    """The token span of a speaker who tells of its own action ("X said it had repelled the
    attack", "X said its aircraft struck ..."): the action's subject is the speaker itself, a
    pronoun or a possessive pronoun. None when the text tells it in its own voice."""
    verb = trigger
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    mine = subj.lower_ in _SELF or any(c.dep_ == "poss" and c.lower_ in _SELF for c in subj.children)
    if not mine:
        return None
    say = verb.head
    for _ in range(3):
        if say.lemma_.lower() in _SAY and say.pos_ in ("VERB", "AUX"):
            break
        if say.head.i == say.i:
            return None
        say = say.head
    else:
        return None
    speaker = next((c for c in say.children if c.dep_ == "nsubj"), None)
    if speaker is None or speaker.lower_ in _PERSONAL or speaker.lower_ in _SELF:
        return None
    sub = list(speaker.subtree)
    return (sub[0].i, sub[-1].i + 1)


# nouns by which a clause refers back to an event told before ("respond to the attack")
REFERRING_NOUNS = {"attack", "offensive", "assault", "raid", "ambush", "bombing", "strike", "airstrike",
                   "incursion", "advance", "battle", "clash", "fighting", "siege", "takeover", "protest"}


class Assembler:
    def __init__(self, doc, ctx, extractor):
        self.doc, self.ctx, self.x = doc, ctx, extractor
        pub = ctx.published
        self.year = pub.year if pub else None
        self.head_end = 0  # where an article's head lines (masthead, date, headline) end; set by the extractor
        self.told: list[tuple[int, str, str, model.Location]] = []  # (start, trigger lemma, evidence, place) so far
        self._reach: tuple | None = None  # (the actor list, running max of their ends, their starts): _actor_index

    # -------------------------------------------------------------- actor names
    def actor_at(self, start: int, end: int, armed_only: bool = False):
        """The first actor mention (in document order) overlapping [start, end)."""
        actors = self.ctx.actors or ()
        reach = self._actor_index()[0]
        first = bisect.bisect_right(reach, start) if reach is not None else 0
        for m in actors[first:]:
            if reach is not None and m.start >= end:
                break  # sorted by start: no later one begins before end
            if m.start < end and m.end > start and (not armed_only or m.inter in (1, 2, 3, 4, 8)):
                return m
        return None

    def _actor_index(self) -> tuple[list[int] | None, list[int] | None]:
        """(reach, starts) of the actor mentions, for bisection; (None, None) when they are not in
        document order. reach[i] is the furthest end among the first i + 1 mentions."""
        actors = self.ctx.actors or ()
        if self._reach is None or self._reach[0] is not actors:
            reach, top = [], -1
            for m in actors:
                top = max(top, m.end)
                reach.append(top)
            ordered = all(a.start <= b.start for a, b in zip(actors, actors[1:]))
            self._reach = (actors, reach if ordered else None, [m.start for m in actors] if ordered else None)
        return self._reach[1], self._reach[2]

    def armed_group_before(self, start: int, end: int):
        """The last named armed group (inter 2-4) whose mention begins in [start, end)."""
        actors = self.ctx.actors or ()
        starts = self._actor_index()[1]
        if starts is None:
            before = [a for a in actors if start <= a.start < end and a.inter in (2, 3, 4) and not a.generic]
            return before[-1] if before else None
        for i in range(bisect.bisect_left(starts, end) - 1, -1, -1):
            a = actors[i]
            if a.start < start:
                break
            if a.inter in (2, 3, 4) and not a.generic:
                return a
        return None

    def canonical(self, m, country: str | None = None) -> str:
        if self.ctx.resolver is None:
            return m.text
        try:
            return self.ctx.resolver.name(m.key, m.country or country, self.year)[0]
        except (KeyError, ValueError):
            return m.text

    def name_span(self, tok_span: tuple[int, int] | None) -> str | None:
        if tok_span is None:
            return None
        span = self.doc[tok_span[0]:tok_span[1]]
        m = self.actor_at(span.start_char, span.end_char)
        return self.canonical(m) if m else span.text

    # -------------------------------------------------------------- quantities
    def quantity(self, f) -> model.Quantity:
        doc, text = self.doc, self.ctx.text
        s, e = doc[f.start].idx, doc[f.end - 1].idx + len(doc[f.end - 1])
        anchor = doc[f.governor if f.governor is not None else (f.noun if f.noun is not None else f.start)]
        mod = read_modality(anchor, self.x.modality_cues)
        about = None
        if f.noun is not None:
            noun = doc[f.noun]
            sub = list(noun.subtree)
            m = self.actor_at(sub[0].idx, sub[-1].idx + len(sub[-1]))
            if (m is None or m.generic) and f.unit in ("fighters", "killed"):
                # "a few thousand terrorists": the armed group named nearest before, in the sentence
                m = self.armed_group_before(noun.sent.start_char, noun.idx) or m
            about = self.canonical(m) if m else None
        return model.Quantity(value=f.value, qualifier=f.qualifier, unit=f.unit, about_actor=about,
                              modality=mod.modality, claimed_by=self.name_span(mod.claimant) if mod.modality == "claimed" else None,
                              span=model.Span.of(text, s, e))

    # -------------------------------------------------------------- events
    def event(self, p, fatalities: model.Fatalities | None, quantities: list[model.Quantity]) -> model.Event:
        doc, ctx, text = self.doc, self.ctx, self.ctx.text
        r = p.reading
        t0, t1 = doc[r.trigger[0]].idx, doc[r.trigger[1] - 1].idx + len(doc[r.trigger[1] - 1])
        ev_start, ev_end = trim_evidence(doc, p.start, max(p.ev_end or p.end, t1), (t0, t1))
        # where to look for place, date and actors: the trigger's clause when the
        # sentence reports several actions, else the whole evidence
        if p.siblings:
            c0, c1 = p.clause()
            look = (doc[c0].idx, doc[c1 - 1].idx + len(doc[c1 - 1]))
        else:
            look = (ev_start, ev_end)
        reasons = list(p.reasons)
        location = country = None
        if ctx.geo is not None:
            # the place named in the trigger's own clause first; else the whole evidence
            c0, c1 = p.clause()
            clause = (doc[c0].idx, doc[c1 - 1].idx + len(doc[c1 - 1]))
            location = ctx.geo.locate(*clause)
            if location is None or location.mention is None or not (clause[0] <= location.mention.start < clause[1]):
                # then the trigger's own sentence: a place named in a later sentence of the telling
                # ("took the wounded to X hospital") is not where the event happened
                sent = (p.sent.start_char, len(text[:p.sent.end_char].rstrip()))
                line = text.rfind("\n", 0, sent[0]) + 1
                if line < sent[0] and dateline_spans(text[line:sent[0]] + " "):
                    sent = (line, sent[1])  # the wire dateline opening the sentence's paragraph
                location = ctx.geo.locate(*sent)
                if location is None or location.mention is None or not (sent[0] <= location.mention.start < sent[1]):
                    location = ctx.geo.locate(*look)
            if location is None or location.mention is None or not (clause[0] <= location.mention.start < clause[1]):
                # "the Russian Aerospace Forces did respond to the attack": a clause naming no place that
                # answers an event told before ("the attack") happened where that event did
                referent = self.referent_place(p, clause)
                if referent is not None:
                    location, noun = referent
                    location = location.model_copy(update={
                        "reason": f"where 'the {noun}' it refers to happened: {location.reason}"})
            # the actors are named for the country the event happened in (the place chosen above)
            country = (location.country if location is not None else None) or ctx.geo.country_of(*look)
            if country is None:
                # no place anywhere: the country of the actors named, at its capital (precision 3)
                country = ctx.actor_country()
                location = ctx.geo.at_country(country, "no place named: the country of the actors named")
        date, precision, historical = None, 3, False
        try:
            from ..time import event_date
        except ImportError:  # the time stage is optional for this module's own tests
            event_date = None
        if event_date is not None:
            ed = event_date(ctx.dates, look[0], look[1], ctx.published, ctx.config.historical_days, text=text)
            date, precision, historical = ed.date, ed.precision, ed.historical
            reasons.append(f"date: {ed.reason}")
        year = int(date[:4]) if date else self.year
        actor1 = actor2 = None
        assoc: list[model.AssocActor] = []
        if ctx.resolver is not None:
            mentions = [m for m in ctx.actors if p.sent.start_char <= m.start < p.end]
            actor1, actor2, assoc = ctx.resolver.assign_roles(p.sent, mentions, r.event_type, r.sub_event_type,
                                                              (t0, t1), country, year)
            if r.event_type in ("Battles", "Explosions/Remote violence") and _unnamed(actor1) \
                    and ctx.geo is not None:
                held = self.across_the_line(look, location, date, year)
                if held is not None:
                    actor1, battle_side, location, why = held
                    if r.event_type == "Battles" and _unnamed(actor2):
                        actor2 = battle_side
                    reasons.append(why)
        modality = p.modality.modality
        claimed_by = self.name_span(p.modality.claimant) if modality == "claimed" else None
        if modality == "asserted":
            own = own_claim(p.trigger_tok)
            if own is not None:
                # "The LNA said its artillery had struck military targets": a side telling of its own
                # action is a party's claim (CONTRACT: claimed, with who claims it)
                modality, claimed_by = "claimed", self.name_span(own)
                reasons.append(f"claimed: {claimed_by!r} tells of its own action")
        conf = r.confidence - _MODALITY_PENALTY[modality]
        conf -= 0.02 * min(p.sent_index, 10)  # the article leads with its main event
        if p.section == "commentary":
            conf -= 0.2
        if historical:
            conf -= 0.1
        if r.anaphoric:
            conf -= 0.15
        if p.lead and not p.headlined:
            conf += LEAD_BONUS  # the article leads with it (a wire story's first sentence)
        if p.headlined:
            # the contract: an article's main event is the one it leads with, whatever its status
            # (an article that leads with a denial is about the event denied)
            conf += HEADLINE_BONUS + _MODALITY_PENALTY[modality]
        if location is not None:
            self.told.append((t0, p.trigger_tok.lemma_.lower(), text[ev_start:ev_end].lower(), location))
        return model.Event(
            event_id="", event_type=r.event_type, sub_event_type=r.sub_event_type, date=date,
            time_precision=precision, actor1=actor1, actor2=actor2, assoc_actors=assoc, location=location,
            fatalities=fatalities, quantities=quantities, modality=modality, claimed_by=claimed_by,
            section=p.section, historical=historical, confidence=round(max(0.05, min(0.99, conf)), 3),
            evidence=model.Span.of(text, ev_start, ev_end), trigger=model.Span.of(text, t0, t1), reasons=reasons)

    def across_the_line(self, look: tuple[int, int], location: model.Location | None, date: str | None,
                        year: int | None):
        """Fire nobody is named as firing, near a settlement one side held on a line of contact
        (``geo/data/fronts.yaml``): the side across the line fired. Returns (actor1, the holder as
        a battle's actor2, the location -- the settlement's oblast when no place was resolved --,
        the reason), or None."""
        from ..geo.fronts import held_near

        text, resolver = self.ctx.text, self.ctx.resolver
        admin1 = location.admin1 if location is not None and location.country == "UA" else None
        held = None
        if location is not None and location.mention is not None:
            held = held_near(text, location.mention.start, location.mention.end, date, admin1)
        if held is None:
            held = held_near(text, look[0], look[1], date, admin1)
        if held is None:
            return None
        at_place = location is not None and location.mention is not None and location.mention.start == held.start
        if location is not None and location.country != held.country and not at_place:
            return None  # the event is placed in another country, not at the front-line name

        def side(key: str) -> model.EventActor:
            name, inter = resolver.name(key, held.country, year, event_country=held.country)
            return model.EventActor(name=name, inter=inter, mention=None)

        holder, other = side(held.side), side(held.other)
        why = (f"actor1: nobody is named firing; {held.place} was held by {holder.name} on the "
               f"{held.front}, so the fire came from across the line")
        if location is None or (at_place and (location.country, location.admin1) != (held.country, held.oblast)):
            # the settlement is missing from the gazetteer, or the gazetteer chose a namesake elsewhere
            # (a Kashtanove in Crimea): its oblast is what is known
            location = self.ctx.geo.at_division(
                held.country, held.oblast, f"{held.place} on the {held.front} is not in the gazetteer: its oblast")
        return other, holder, location, why

    def referent_place(self, p, clause: tuple[int, int]) -> tuple[model.Location, str] | None:
        """The place of the event a definite event noun in the clause refers back to ("respond to the
        attack", "after the offensive"): the latest event told before whose trigger is that noun, else
        whose evidence names it. None when the clause has no such noun or nothing before matches."""
        doc = self.doc
        nouns = [t for t in doc[p.sent.start:p.sent.end]
                 if clause[0] <= t.idx < clause[1] and t.lemma_.lower() in REFERRING_NOUNS and t.i > 0
                 and doc[t.i - 1].lower_ in ("the", "this", "that") and t.i != p.trigger_tok.i]
        for noun in nouns:
            lemma = noun.lemma_.lower()
            before = [x for x in self.told if x[0] < clause[0]]
            match = next((x for x in reversed(before) if x[1] == lemma), None) or next(
                (x for x in reversed(before) if re.search(rf"\b{re.escape(lemma)}", x[2])), None)
            if match is not None:
                return match[3], lemma
        return None

    def dedupe(self, events: list[model.Event]) -> list[model.Event]:
        """One event per distinct action, place and day: repeats of the same sub-type at the
        same place and date (a headline and its lead) keep the most informative telling."""
        def key(e):
            loc = e.location.name if e.location else None
            return (e.sub_event_type, loc, e.date, e.modality, e.section)

        text = self.ctx.text
        head_end = self.head_end
        breaks: list[int] | None = None  # where the paragraph breaks after the headline end

        def paragraph(e):
            # an article tells its event in the lead paragraph; later paragraphs recount details or what
            # one side or another said of it. A headline is a summary, never the fuller telling.
            nonlocal breaks
            if e.evidence.start < head_end:
                return 10 ** 6
            if breaks is None:  # found once, counted by bisection (a long text tells many events)
                breaks = [m.end() for m in PARAGRAPH_BREAK.finditer(text, head_end)]
            return bisect.bisect_right(breaks, e.evidence.start)

        def info(e):
            # the earliest paragraph, then the telling that names who acted ("a Taliban sniper shot and killed
            # a soldier", not "a soldier was killed during another attack"), then more numbers, then the
            # fuller telling
            return (-paragraph(e), not _unnamed(e.actor1),
                    len(e.quantities) + (1 if e.fatalities and e.fatalities.count is not None else 0),
                    len(e.evidence.text), e.confidence, -e.evidence.start)

        best: dict[tuple, model.Event] = {}
        for e in events:
            k = key(e)
            if k not in best or info(e) > info(best[k]):
                best[k] = e
        kept = list(best.values())
        # the telling kept also carries the numbers only the others gave ("Sixteen people were injured")
        for k, e in best.items():
            units = {q.unit for q in e.quantities}
            for x in sorted((x for x in events if x is not e and key(x) == k), key=lambda x: x.evidence.start):
                extra = [q for q in x.quantities if q.unit not in units and q.unit != "killed"]
                e.quantities += extra
                units |= {q.unit for q in extra}
        # keep the leading event's confidence on the telling that survived
        for k, e in best.items():
            top = max(x.confidence for x in events if key(x) == k)
            e.confidence = top
        return kept


def _unnamed(actor: model.EventActor | None) -> bool:
    """No one named: the actor stage's stand-in for an unknown armed side, or nobody."""
    return actor is None or (actor.mention is None and actor.name.startswith("Unidentified Armed Group"))
