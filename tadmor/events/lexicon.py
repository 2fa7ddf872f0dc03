"""The typing rules as typed records, loaded from ``rules.yaml`` beside this file,
and the cue matcher that finds their words in a spaCy sentence.

Matching is deliberately plain: a cue word matches a token by lemma or by its
lower-cased form; a phrase is a run of such words where ``*`` skips up to two
tokens.  Everything an analyst would want to change lives in the YAML file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..nlp import lemma_view, token_view

RULES_FILE = Path(__file__).with_name("rules.yaml")
MODALITY_FILE = Path(__file__).with_name("modality.yaml")

_SPLIT = re.compile(r"\s+|(?<=\w)(?=-)|(?<=-)(?=\w)|(?<=\w)(?=')")

# months and days that share a form with a cue word ("March" is not a march)
_CALENDAR = {"march", "may"}


def phrase_words(phrase: str) -> tuple[str, ...]:
    """Split a phrase the way spaCy's tokenizer does for the cases we use (hyphens, 's)."""
    return tuple(w for w in _SPLIT.split(phrase.lower()) if w)


@dataclass(frozen=True)
class Cue:
    name: str
    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Rule:
    sub_event_type: str
    event_type: str
    triggers: tuple[str, ...]
    requires: tuple[tuple[str, ...], ...] = ()
    unless: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    not_target: tuple[str, ...] = ()
    agent: tuple[str, ...] = ()
    not_agent: tuple[str, ...] = ()
    unknown_target_if_agent: tuple[str, ...] = ()
    crowd_side: bool = False  # fires only when one side (an agent head) is unorganised people
    sentence_target: bool = False  # who is acted upon is read from every trigger in the sentence
    territory: str | None = None
    generic: bool = False
    priority: int = 0
    confidence: float = 0.5

    @property
    def rule_id(self) -> str:
        return f"{self.sub_event_type}<-{'+'.join(self.triggers)}"


@dataclass(frozen=True)
class RuleSet:
    cues: dict[str, Cue]
    rules: tuple[Rule, ...]
    # word -> cue names holding it; first phrase word -> (cue name, phrase): built once, for speed
    word_index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrase_index: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)


@dataclass
class CueHits:
    """Where each cue matched in one sentence: cue name -> [(start, end)] token indexes."""

    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return bool(self.spans.get(name))

    def any(self, names) -> bool:
        return any(self.spans.get(n) for n in names)

    def get(self, name: str) -> list[tuple[int, int]]:
        return self.spans.get(name, [])


def load_rules(path: Path = RULES_FILE) -> RuleSet:
    from ..yamlio import read_yaml  # only when an extractor is built, never at import time

    raw = read_yaml(path)
    cues: dict[str, Cue] = {}
    for name, spec in raw["cues"].items():
        words, phrases = set(), []
        for w in spec.get("lemmas", []):
            w = str(w).lower()
            if "-" in w or " " in w:
                phrases.append(phrase_words(w))
            else:
                words.add(w)
        for p in spec.get("phrases", []):
            ws = phrase_words(str(p))
            if len(ws) == 1:
                words.add(ws[0])
            else:
                phrases.append(ws)
        cues[name] = Cue(name, frozenset(words), tuple(phrases))
    rules = []
    for spec in raw["subtypes"]:
        rule = Rule(
            sub_event_type=spec["sub_event_type"],
            event_type=spec["event_type"],
            triggers=tuple(spec["triggers"]),
            requires=tuple(tuple(g) for g in spec.get("requires", [])),
            unless=tuple(spec.get("unless", [])),
            target=tuple(spec.get("target", [])),
            not_target=tuple(spec.get("not_target", [])),
            agent=tuple(spec.get("agent", [])),
            not_agent=tuple(spec.get("not_agent", [])),
            unknown_target_if_agent=tuple(spec.get("unknown_target_if_agent", [])),
            territory=spec.get("territory"),
            crowd_side=bool(spec.get("crowd_side", False)),
            sentence_target=bool(spec.get("sentence_target", False)),
            generic=bool(spec.get("generic", False)),
            priority=int(spec.get("priority", 0)),
            confidence=float(spec.get("confidence", 0.5)),
        )
        named = set(rule.triggers) | set(rule.unless) | set(rule.target) | set(rule.not_target) | set(rule.agent) | set(rule.not_agent) | set(rule.unknown_target_if_agent)
        named |= {c for g in rule.requires for c in g}
        unknown = named - set(cues)
        if unknown:
            raise ValueError(f"{path.name}: rule {rule.rule_id} names unknown cues {sorted(unknown)}")
        rules.append(rule)
    word_index: dict[str, list[str]] = {}
    phrase_index: dict[str, list] = {}
    for cue in cues.values():
        for w in cue.words:
            word_index.setdefault(w, []).append(cue.name)
        for words in cue.phrases:
            phrase_index.setdefault(words[0], []).append((cue.name, words))
    return RuleSet(cues, tuple(rules), {k: tuple(v) for k, v in word_index.items()},
                   {k: tuple(v) for k, v in phrase_index.items()})


def _match_phrase(lows: list[str], lems: list[str], blocked: list[bool], i: int, end: int,
                  words: tuple[str, ...]) -> int | None:
    """End index (exclusive) when ``words`` match starting at token i (before ``end``), else None."""
    if not words:
        return i
    word, rest = words[0], words[1:]
    if word == "*":
        for skip in range(0, 3):
            got = _match_phrase(lows, lems, blocked, i + skip, end, rest)
            if got is not None:
                return got
        return None
    if i >= end or blocked[i] or (word != lows[i] and word != lems[i]):
        return None
    return _match_phrase(lows, lems, blocked, i + 1, end, rest)


def _calendar_words(doc) -> list[bool]:
    """Per token: "March" and "May" capitalised are months, not a march or a may (made once per document)."""
    blocked = doc.user_data.get("tadmor.calendar")
    if blocked is None:
        v = token_view(doc)
        blocked = doc.user_data["tadmor.calendar"] = [
            low in _CALENDAR and word[:1].isupper() for low, word in zip(v.lower, v.text)]
    return blocked


def match_cues(sent, rules: RuleSet) -> CueHits:
    """Every cue found in ``sent`` (a spaCy Span)."""
    doc = sent.doc
    lows, lems, blocked = token_view(doc).lower, lemma_view(doc), _calendar_words(doc)
    found: dict[str, set[tuple[int, int]]] = {}
    for i in range(sent.start, sent.end):
        if blocked[i]:
            continue
        for key in {lows[i], lems[i]}:
            for name in rules.word_index.get(key, ()):
                found.setdefault(name, set()).add((i, i + 1))
            for name, words in rules.phrase_index.get(key, ()):
                got = _match_phrase(lows, lems, blocked, i, sent.end, words)
                if got is not None:
                    found.setdefault(name, set()).add((i, got))
    return CueHits({k: sorted(v) for k, v in found.items()})
