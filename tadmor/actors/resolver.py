"""Actor mentions in a parsed document, their ACLED names, and the document's actor list."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .. import model
from ..claimed import Claimed
from ..config import DEFAULT, Config
from ..nlp import LONGEST_MENTION, doc_ents, token_view
from .catalogue import FORCE_WORD, STATE_KEYS, Catalogue, Entry, is_state_key, load_catalogue

SPANS_KEY = "tadmor"
DOC_KEY = "tadmor_actor_mentions"

# generic (description) keys and how ACLED names them; "{c}" is the event country
GENERIC_NAMES = {
    "civilians": ("Civilians ({c})", "Civilians", 7),
    "protesters": ("Protesters ({c})", "Protesters", 6),
    "rioters": ("Rioters ({c})", "Rioters", 5),
    "unidentified-armed-group": ("Unidentified Armed Group ({c})", "Unidentified Armed Group", 3),
    "unidentified-gang": ("Unidentified Gang ({c})", "Unidentified Gang", 3),
    "private-security": ("Private Security Forces ({c})", "Private Security Forces", 8),
    "tribal-militia": ("Unidentified Tribal Militia ({c})", "Unidentified Tribal Militia", 4),
    "clan-militia": ("Unidentified Clan Militia ({c})", "Unidentified Clan Militia", 4),
    "communal-militia": ("Unidentified Communal Militia ({c})", "Unidentified Communal Militia", 4),
}
# identity militias named after their people, tribe, clan or community: "<X> Tribal Militia (<country>)"
NAMED_MILITIA = {"ethnic-militia": "Ethnic Militia", "tribal-militia": "Tribal Militia", "clan-militia": "Clan Militia",
                 "communal-militia": "Communal Militia"}
# words that, as "the <word>", point back to a group named earlier (coreference)
ANAPHORS = {"group", "organization", "organisation", "movement", "militants", "insurgents", "rebels",
            "fighters", "jihadists", "terrorists", "extremists", "militia", "attackers", "gunmen"}
PRONOUNS = {"they", "it"}
GROUP_WORDS = {"group", "organization", "organisation", "movement"}  # "the group": a definite anaphor
# an ORG the catalogue does not know is read as an actor when its name ends like one
ORG_HEADS = {"cartel": 3, "gang": 3, "militia": 3, "brigade": 2, "brigades": 2, "army": 2, "front": 2,
             "movement": 2, "battalion": 2, "division": 2, "corps": 2, "legion": 2}
# "Russia's airstrikes": a possessive country is an actor only before words like these
POSS_HEADS = {"airstrike", "strike", "attack", "offensive", "operation", "force", "army", "military", "troop",
              "soldier", "jet", "warplane", "aircraft", "drone", "bombardment", "shelling", "campaign", "navy"}


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    key: str               # catalogue key, or a generic key ("state-military", "civilians", ...)
    inter: int
    generic: bool          # a description rather than a name
    country: str | None    # ISO2 when the mention itself says ("Syrian soldiers" -> SY)
    via: str               # "alias" | "description" | "metonymy" | "coref" | "ner"


class ActorResolver:
    def __init__(self, config: Config = DEFAULT):
        self.config = config
        self._cat: Catalogue | None = None

    @property
    def cat(self) -> Catalogue:
        if self._cat is None:
            self._cat = load_catalogue()
        return self._cat

    # ------------------------------------------------------------------ mentions

    def find(self, doc, text: str) -> list[ActorMention]:
        """Every actor mention in document order, with coreference resolved."""
        spans = [s for s in doc.spans[SPANS_KEY] if s.label_ == "ACTOR"] if SPANS_KEY in doc.spans else []
        spans = [_with_trailing(s) if s.id_ in self.cat.entries else s for s in spans]
        named = [s for s in spans if s.id_ in self.cat.entries]

        def community(s) -> bool:
            # "militiamen from Al Shabaab" is Al Shabaab and "militiamen from Libya" come from a country:
            # neither is a community militia named from the words after "from"
            after = _proper_after_from(s)
            return after is None or (after[0].lower() not in self.cat.places
                                     and not any(s.start < n.start < s.end for n in named))

        spans = [s for s in spans if s.id_ not in NAMED_MILITIA or community(s)]
        chosen = _longest_first(spans)
        out = [m for m in (self._mention(s, text) for s in chosen) if m is not None]
        out += self._shared_heads(doc, text, out)
        out += self._metonyms(doc, text, Claimed((m.start, m.end) for m in out))
        out += self._orgs(doc, text, Claimed((m.start, m.end) for m in out))
        out.sort(key=lambda m: m.start)
        out = self._corefer(doc, text, _merge_named_heads(out, text))
        doc.user_data[DOC_KEY] = out  # roles may look one sentence back for the actor
        return out

    def _mention(self, span, text: str) -> ActorMention | None:
        cat, key = self.cat, span.id_
        start, end = span.start_char, span.end_char
        if key in cat.entries:
            entry = cat.entries[key]
            if entry.is_state_force and entry.name is None and entry.unit is None and not entry.by_year:
                key = _state_key(entry.force)
            return ActorMention(start, end, text[start:end], key, entry.inter, False, entry.state, "alias")
        desc = cat.descriptions.get(key)
        if desc is None:
            return None
        country = self._country_near(span)
        if desc.groups:
            key = f"{desc.key}:{span[0].text}"
        elif desc.key in NAMED_MILITIA:
            after = _proper_after_from(span)
            if after is not None:
                # "militias from Okpanan", "militiamen from Saad clan", "youths from the Bobo community"
                name, clan = after
                ethnic = cat.descriptions.get("ethnic-militia")
                if ethnic is not None and name in ethnic.groups:
                    key = f"ethnic-militia:{name}"
                else:
                    key = f"{'clan-militia' if clan else desc.key}:{name}"
            else:
                named = _proper_prefix(span)
                if named:
                    key = f"{desc.key}:{named}"
                    start = span.doc[span.start - len(named.split())].idx
        return ActorMention(start, end, text[start:end], key, desc.inter, True, country, "description")

    def _country_near(self, span) -> str | None:
        """The country an adjective in or just before the span names, or "... of <country>" after it."""
        doc, adj = span.doc, self.cat.adjectives
        for tok in span:
            if tok.lower_ in adj and tok.text[:1].isupper():
                return adj[tok.lower_]
        i = span.start - 1
        if i >= 0 and doc[i].lower_ in ("-", "led", "backed"):  # "Saudi-led coalition" is no Saudi force
            return None
        if i >= 0:
            if i >= 1 and f"{doc[i - 1].lower_} {doc[i].lower_}" in adj and doc[i - 1].text[:1].isupper():
                return adj[f"{doc[i - 1].lower_} {doc[i].lower_}"]
            if doc[i].lower_ in adj and doc[i].text[:1].isupper():
                return adj[doc[i].lower_]
            if doc[i].tag_ == "POS" and i >= 1 and doc[i - 1].lower_ in self.cat.places:
                return self.cat.places[doc[i - 1].lower_]  # "Syria's army"
        j = span.end
        if j + 1 < len(doc) and doc[j].lower_ == "of":
            for n in (3, 2, 1):
                name = " ".join(t.lower_ for t in doc[j + 1 : j + 1 + n])
                if name in self.cat.places:
                    return self.cat.places[name]
        return None

    def _shared_heads(self, doc, text: str, mentions: list[ActorMention]) -> list[ActorMention]:
        """"Turkish and Russian forces": the first adjective shares the second's noun."""
        adj, out = self.cat.adjectives, []
        for m in mentions:
            if not is_state_key(m.key) or m.country is None:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            j = span.end
            places = self.cat.places
            if j + 3 < len(doc) and doc[j].lower_ == "of" and doc[j + 1].lower_ in places \
                    and doc[j + 2].lower_ in ("and", "&") and doc[j + 3].lower_ in places:
                t = doc[j + 3]  # "military forces of India and Pakistan"
                out.append(ActorMention(t.idx, t.idx + len(t), t.text, m.key, m.inter, m.generic,
                                        places[t.lower_], "description"))
            i = span.start if span[0].lower_ in adj else span.start - 1
            if i >= 2 and doc[i - 1].lower_ in ("and", "&", "or") and doc[i - 2].lower_ in adj \
                    and doc[i - 2].text[:1].isupper():
                t = doc[i - 2]
                out.append(ActorMention(t.idx, t.idx + len(t), t.text, m.key, m.inter, m.generic,
                                        adj[t.lower_], "description"))
        return out

    def _repeats_unit(self, bare: str, unit_key: str) -> bool:
        """Whether a bare "police"/"soldiers" can repeat this unit ("police" repeats "military police")."""
        desc = self.cat.descriptions.get(unit_key)
        if desc is None or not desc.unit:
            return False
        policing = "police" in desc.unit.lower() or desc.force == "police"
        return policing if bare == "state-police" else not policing

    def _metonyms(self, doc, text: str, taken) -> list[ActorMention]:
        """A country or capital standing for its state ("Russia launched 64 strikes", "Ankara said")."""
        out = []
        for ent in doc_ents(doc):
            if ent.label_ != "GPE" or taken.overlaps(ent.start_char, ent.end_char):
                continue
            iso = self.cat.places.get(ent.text.lower().removeprefix("the "))
            if iso is None:
                continue
            root = ent.root
            head = root
            while head.dep_ == "conj" and head.head is not head:
                head = head.head
            agent = head.dep_ == "nsubj" or (head.dep_ == "pobj" and head.head.lower_ == "by") \
                or (head.dep_ == "poss" and head.head.lemma_.lower() in POSS_HEADS)
            if agent:
                out.append(ActorMention(ent.start_char, ent.end_char, text[ent.start_char:ent.end_char],
                                        "state-military", 1, False, iso, "metonymy"))
        return out

    def _orgs(self, doc, text: str, taken) -> list[ActorMention]:
        out = []
        for ent in doc_ents(doc):
            if ent.label_ != "ORG" or taken.overlaps(ent.start_char, ent.end_char):
                continue
            last = ent[-1].lower_
            if last in ORG_HEADS:
                words = [t for t in ent if t.lower_ != "the" or t.i != ent.start]
                name = " ".join(t.text for t in words)
                out.append(ActorMention(ent.start_char, ent.end_char, text[ent.start_char:ent.end_char],
                                        f"org:{ORG_HEADS[last]}:{name}", ORG_HEADS[last], False, None, "ner"))
        return out

    def _corefer(self, doc, text: str, mentions: list[ActorMention]) -> list[ActorMention]:
        """Point "the group", "the militants", "they" back at the actor named before them."""
        out: list[ActorMention] = []
        named = [m for m in mentions if not m.generic]
        starts = [m.start for m in named]
        if any(a > b for a, b in zip(starts, starts[1:])):
            starts = None  # (not in text order: scan them all)
        for m in mentions:
            if m.generic and m.key in ("unidentified-armed-group", "armed-opposition", "militants"):
                first = doc.char_span(m.start, m.end, alignment_mode="expand")
                prev = doc[first.start - 1] if first is not None and first.start > 0 else None
                words = {t.lower_ for t in first} if first is not None else set()
                if prev is not None and prev.lower_ in ("the", "these", "those") and words & ANAPHORS:
                    ante = _antecedent(named, m.start, armed_only=True, starts=starts)
                    if ante is not None:
                        m = ActorMention(m.start, m.end, m.text, ante.key, ante.inter, ante.generic, ante.country, "coref")
            elif m.key in ("state-police", "state-military") and m.country is None:
                # "the Military Police ... The Police seized": the bare force word repeats the
                # more specific unit named before it
                ante = None
                for a in reversed(out):
                    if m.start - a.start >= 600 + LONGEST_MENTION:
                        break  # (no mention this far back ends within 600 characters)
                    if self._repeats_unit(m.key, a.key) and m.start - a.end < 600:
                        ante = a
                        break
                if ante is not None:
                    m = ActorMention(m.start, m.end, m.text, ante.key, ante.inter, ante.generic, ante.country, "coref")
            out.append(m)
        taken = Claimed((m.start, m.end) for m in out)
        v = token_view(doc)  # the words first: a Token object only for a candidate
        for i, low in enumerate(v.lower):
            if i == 0 or (low not in PRONOUNS and low not in GROUP_WORDS):
                continue
            if taken.overlaps(v.idx[i], v.idx[i] + len(v.text[i])):
                continue
            tok = doc[i]
            anaphor = None
            if low in PRONOUNS and tok.dep_ in ("nsubj", "nsubjpass"):
                anaphor = "pronoun"
            elif low in GROUP_WORDS and v.lower[i - 1] == "the":
                anaphor = "definite"
            if anaphor is None:
                continue
            pool = [m for m in out if m.start < tok.idx]
            if anaphor == "pronoun":
                subjects = [m for m in pool if _dep_of(doc, m) in ("nsubj", "nsubjpass")]
                ante = subjects[-1] if subjects else None
                if tok.lower_ == "it" and ante is not None and not ante.key.startswith(("islamic", "org:")) \
                        and ante.generic:
                    ante = None
            else:  # "the group" is a non-state group, never an army
                ante = _antecedent([m for m in pool if not m.generic and m.inter != 1], tok.idx, armed_only=True)
            if ante is not None and tok.idx - ante.end < 600:
                start = doc[tok.i - 1].idx if anaphor == "definite" else tok.idx
                end = tok.idx + len(tok)
                out.append(ActorMention(start, end, text[start:end], ante.key, ante.inter, ante.generic,
                                        ante.country, "coref"))
        out.sort(key=lambda m: m.start)
        return out

    # ------------------------------------------------------------------ naming

    def name(self, key: str, country: str | None, year: int | None,
             event_country: str | None = None) -> tuple[str, int]:
        """ACLED's name and inter code for a catalogue or generic key.

        ``country`` is the mention's own country when it names one ("Syrian soldiers"),
        else the event's; ``event_country`` (default: ``country``) decides whether a state
        force acts abroad (ACLED inter 8) and names generic actors ("Civilians (Syria)").
        """
        cat = self.cat
        ev = (event_country or country or "").upper() or None
        if is_state_key(key):
            force_country = country or ev
            desc = cat.descriptions.get(key)
            override = desc.by_country.get(force_country or "") if desc is not None else None
            if override:
                return self.name(override, force_country, year, ev)
            if key in STATE_KEYS:
                return self._state_name(STATE_KEYS[key], force_country, None, year, ev)
            unit = desc.unit if desc is not None and (not desc.countries or force_country in desc.countries) else None
            return self._state_name(desc.force if desc is not None else "military", force_country, unit, year, ev)
        if key in cat.entries:
            return self._entry_name(cat.entries[key], year, ev)
        if key.startswith("org:"):
            _, inter, name = key.split(":", 2)
            return name, int(inter)
        base, _, detail = key.partition(":")
        c = cat.country(ev)
        cname = c.name if c else None
        if base in NAMED_MILITIA and detail:
            kind = NAMED_MILITIA[base]
            return (f"{detail} {kind} ({cname})" if cname else f"{detail} {kind}"), 4
        desc = cat.descriptions.get(base)
        if desc is not None:
            target = desc.by_country.get(ev or "")
            if target:
                return self.name(target, ev, year, ev)
            if desc.fallback:
                return self.name(desc.fallback, ev, year, ev)
        if base in GENERIC_NAMES:
            with_c, without, inter = GENERIC_NAMES[base]
            return (with_c.format(c=cname) if cname else without), inter
        return key, 8

    def _entry_name(self, entry: Entry, year: int | None, ev: str | None) -> tuple[str, int]:
        variant = None
        if entry.by_year and year is not None:
            firsts = [y for y in entry.by_year if y <= year]
            if firsts:
                variant = entry.by_year[max(firsts)]
        if variant is None and ev and ev in entry.by_country:
            variant = entry.by_country[ev]
        if variant is None and entry.is_state_force and entry.name is None:
            return self._state_name(entry.force or "military", entry.state, entry.unit, year, ev)
        if variant is None and "*" in entry.by_country:
            variant = entry.by_country["*"]
        name, inter = (variant.name, variant.inter) if variant else (entry.name or entry.key, entry.inter)
        if "{country}" in name:
            c = self.cat.country(ev)
            name = name.format(country=c.name) if c else name.replace(" ({country})", "")
        if entry.state and inter == 1 and ev and ev != entry.state:
            inter = 8
        return name, inter

    def _state_name(self, force: str, iso: str | None, unit: str | None, year: int | None,
                    ev: str | None) -> tuple[str, int]:
        c = self.cat.country(iso)
        if c is None:  # no country known: most forces act at home
            return ("Unidentified Military Forces", 8) if force == "military" else (FORCE_WORD[force], 1)
        if ev and ev in c.abroad and force == "military":
            return self.name(c.abroad[ev], ev, year, ev)
        regime = c.regime(year)
        name = f"{FORCE_WORD[force]} of {c.of}" + (f" ({regime})" if regime else "")
        if unit:
            name += f" {unit}"
        inter = 1 if ev in (None, c.iso2) else 8
        return name, inter

    # ------------------------------------------------------------------ roles and lists

    def assign_roles(self, sent, mentions: list[ActorMention], event_type: str, sub_event_type: str,
                     trigger: tuple[int, int] | None, country: str | None, year: int | None
                     ) -> tuple[model.EventActor | None, model.EventActor | None, list[model.AssocActor]]:
        from .roles import assign_roles

        return assign_roles(self, sent, mentions, event_type, sub_event_type, trigger, country, year)

    def resolve(self, m: ActorMention, country: str | None, year: int | None) -> tuple[str, int]:
        """The ACLED name of a mention in an event that happened in ``country``."""
        own = m.country if is_state_key(m.key) else None
        return self.name(m.key, own or country, year, event_country=country)

    def entries(self, mentions: list[ActorMention], text: str, country: str | None,
                year: int | None) -> list[model.ActorEntry]:
        """The document's actors: one entry per resolved name, in order of first mention."""
        by_name: dict[str, model.ActorEntry] = {}
        for m in mentions:
            name, inter = self.resolve(m, country, year)
            entry = by_name.setdefault(name, model.ActorEntry(name=name, inter=inter))
            if m.text not in entry.aliases_seen:
                entry.aliases_seen.append(m.text)
            entry.mentions.append(model.Span.of(text, m.start, m.end))
        return list(by_name.values())

    def catalogue(self) -> list[dict]:
        """Every catalogue entry and description, for ``tadmor actors``."""
        rows: list[dict] = []
        for e in self.cat.entries.values():
            name, inter = self.name(e.key, e.state, None)
            rows.append({"key": e.key, "kind": "state force" if e.is_state_force else "named", "name": name,
                         "inter": inter, "aliases": list(e.aliases) + list(e.exact),
                         "by_country": {k: v.name for k, v in e.by_country.items()}})
        for d in self.cat.descriptions.values():
            if d.key in STATE_KEYS or d.force:
                force = STATE_KEYS.get(d.key) or d.force or "military"
                label = f"{FORCE_WORD[force]} of <country> (<years>)" + (f" {d.unit}" if d.unit else "")
            else:
                base = GENERIC_NAMES.get(d.key)
                if d.groups:
                    label = "<group> Ethnic Militia (<country>)"
                else:
                    label = base[0].format(c="<country>") if base else self.name(d.key, None, None)[0]
            rows.append({"key": d.key, "kind": "description", "name": label,
                         "inter": d.inter, "aliases": list(d.phrases) + list(d.adjective_phrases),
                         "by_country": dict(d.by_country)})
        return rows


# ---------------------------------------------------------------------- helpers

def _state_key(force: str | None) -> str:
    return {"police": "state-police", "government": "state-government"}.get(force or "", "state-military")


def _longest_first(spans) -> list:
    chosen: list = []
    occupied: set[int] = set()
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if occupied.isdisjoint(range(s.start, s.end)):
            chosen.append(s)
            occupied.update(range(s.start, s.end))
    return sorted(chosen, key=lambda s: s.start)


def _merge_named_heads(mentions: list[ActorMention], text: str) -> list[ActorMention]:
    """"GNA air force", "Houthi gunmen": a description right after a name is that name's."""
    out: list[ActorMention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and m.generic and not prev.generic and prev.via == "alias" \
                and text[prev.end:m.start].strip() == "" and m.key.split(":")[0] not in ("civilians", "protesters", "rioters"):
            out[-1] = ActorMention(prev.start, m.end, text[prev.start:m.end], prev.key, prev.inter, False,
                                   prev.country, "alias")
            continue
        out.append(m)
    return out


def _proper_after_from(span) -> tuple[str, bool] | None:
    """"militias from Okpanan" -> ("Okpanan", False); "militiamen from Saad clan" -> ("Saad", True): the
    first capitalised name after "from [the]", and whether a clan word follows it."""
    words = list(span)
    at = next((i for i, t in enumerate(words) if t.lower_ == "from"), None)
    if at is None:
        return None
    i = at + 1
    if i < len(words) and words[i].lower_ == "the":
        i += 1
    name = []
    while i < len(words) and words[i].is_title and words[i].pos_ in ("PROPN", "ADJ", "NOUN") and len(name) < 2:
        name.append(words[i].text)
        i += 1
    if not name:
        return None
    doc = span.doc
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    return " ".join(name), nxt in ("clan", "sub-clan", "subclan", "clans")


def _proper_prefix(span) -> str | None:
    """"Al Hayash tribesmen" -> "Al Hayash": capitalised words right before a tribal description."""
    doc, i, words = span.doc, span.start - 1, []
    while i >= 0 and doc[i].text[:1].isupper() and doc[i].pos_ in ("PROPN", "ADJ", "NOUN") and len(words) < 3:
        words.insert(0, doc[i].text)
        i -= 1
    if words and i >= 0 and doc[i].lower_ in ("on", "in", "at", "of") and len(words) == 1:
        return None
    return " ".join(words) or None


def _dep_of(doc, m: ActorMention) -> str:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return ""
    tok = span.root
    while tok.dep_ in ("compound", "amod", "nmod", "poss", "conj") and tok.head is not tok:
        tok = tok.head
    return tok.dep_


def _antecedent(named: list[ActorMention], before: int, armed_only: bool,
                starts: list[int] | None = None) -> ActorMention | None:
    """The last named actor before ``before`` (``starts``: the names' starts in text order, to
    find it by bisection in a long text)."""
    k = bisect.bisect_left(starts, before) if starts is not None else len(named)
    for i in range(k - 1, -1, -1):
        m = named[i]
        if m.start >= before:
            continue
        if armed_only and m.inter in (5, 6, 7):
            continue
        return m
    return None


def _with_trailing(span, most: int = 2):
    """A group's name with the words that may follow it ("Taliban militants", "IS militant snipers")."""
    from spacy.tokens import Span

    from .patterns import TRAILING_SET

    doc, end = span.doc, span.end
    while end < len(doc) and end - span.end < most and doc[end].lower_ in TRAILING_SET:
        end += 1
    if end == span.end:
        return span
    return Span(doc, span.start, end, label=span.label, span_id=span.id)
