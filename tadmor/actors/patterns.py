"""SpanRuler patterns (label "ACTOR", id = catalogue key) built from the catalogue.

Names are phrase patterns with the attribute to match on (``attr``: the pipeline
routes them to a PhraseMatcher on that attribute): case-insensitive aliases on LOWER,
`exact` aliases ("IS", "SAA") on ORTH so that "is" the verb never becomes the Islamic
State. Descriptions ("Syrian soldiers", "Fulani militia") stay token patterns, tokenised
with spaCy's rule-based English tokenizer so they have exactly the pipeline's tokens.
"""

from __future__ import annotations

from functools import lru_cache

from .catalogue import Catalogue, load_catalogue

LABEL = "ACTOR"

# Words that may follow a group's name and still mean the group ("Taliban militants",
# "PKK fighters"); the longer span wins, so the mention covers the whole phrase.
TRAILING = (
    "militants", "militant", "fighters", "fighter", "forces", "force", "rebels", "rebel", "insurgents",
    "members", "member", "gunmen", "gunman", "troops", "soldiers", "soldier", "sniper", "snipers",
    "militia", "militias", "militiamen", "elements", "cadres", "cadre", "terrorists", "jihadists",
    "commander", "commanders", "units", "unit", "operatives", "supporters", "loyalists", "group",
    "personnel", "positions", "position", "officers", "officer", "guards", "patrol", "convoy",
    "insurgent", "terrorist", "jihadist", "operative", "supporter", "loyalist", "groups", "factions", "faction",
)
TRAILING_SET = frozenset(TRAILING)


def _tokens(phrase: str) -> list[str]:
    from ..nlp.pipeline import english_tokenizer

    return [t.text for t in english_tokenizer()(phrase)]


def _lower(phrase: str) -> list[dict]:
    return [{"LOWER": t.lower()} for t in _tokens(phrase)]


def build_patterns(cat: Catalogue) -> list[dict]:
    patterns: list[dict] = []

    def add(pattern: list[dict], key: str) -> None:
        patterns.append({"label": LABEL, "pattern": pattern, "id": key})

    # Names are phrase patterns: a PhraseMatcher costs a fraction of the token Matcher
    # (optional trailing tokens made the actor patterns the slowest part of the parse).
    # The resolver extends a name over the words that may follow it ("IS militant snipers").
    for entry in cat.entries.values():
        for alias in entry.aliases:
            patterns.append({"label": LABEL, "pattern": alias, "id": entry.key, "attr": "LOWER"})
        for alias in entry.exact:
            patterns.append({"label": LABEL, "pattern": alias, "id": entry.key, "attr": "ORTH"})

    adjectives = sorted({a for c in cat.countries.values() for a in c.adjectives if len(_tokens(a)) == 1})
    adjective = {"ORTH": {"IN": adjectives}}
    for desc in cat.descriptions.values():
        if desc.groups:
            # "<Group> [ethnic] militia": the group word is part of the mention and names it
            group = {"ORTH": {"IN": list(desc.groups)}}
            for phrase in desc.phrases:
                add([group, {"LOWER": "ethnic", "OP": "?"}] + _lower(phrase), desc.key)
            continue
        for phrase in desc.phrases:
            # a preceding country adjective ("Syrian soldiers") is read by the resolver
            add(_lower(phrase), desc.key)
        for phrase in desc.adjective_phrases:
            add([adjective] + _lower(phrase), desc.key)
        for phrase in desc.from_phrases:
            # "militias from Okpanan", "youths from the Bobo community"
            add(_lower(phrase) + [{"LOWER": "from"}, {"LOWER": "the", "OP": "?"}, {"IS_TITLE": True, "OP": "+"}],
                desc.key)
    return patterns


@lru_cache(maxsize=1)
def _cached() -> tuple[dict, ...]:
    return tuple(build_patterns(load_catalogue()))


def span_patterns() -> list[dict]:
    """ACTOR patterns for the shared SpanRuler (``tadmor.nlp``)."""
    return [dict(p) for p in _cached()]
