"""How the text presents an event or a figure: asserted, claimed, reported,
uncertain, hypothetical, future or negated (CONTRACT.md).

The cue words live in ``modality.yaml``.  They are looked for where they can
govern the trigger: on the trigger itself (its negation, auxiliaries, markers,
a determiner "no"), then on each verb or noun above it in the parse and their
auxiliaries and markers.  The nearest cue wins, so "reports that the town would
fall" reads as hypothetical, and "Russia claims to have killed 300" as claimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..nlp import lemma_view, token_view
from .lexicon import MODALITY_FILE

ORDER = ("negated", "hypothetical", "future", "uncertain", "claimed", "reported")
# children of a governing word that can carry its modality
_CARRIER_DEPS = {"aux", "auxpass", "neg", "mark", "advmod", "acomp", "prt", "preconj"}
# a negation that governs only the figure, not the event ("no casualties were reported")
_WINDOW = 8  # tokens before the trigger in which "if", "talk of", "reports that" still count
_WINDOW_WORDS = {"if", "unless", "whether", "talk", "reportedly", "allegedly", "report", "claim", "possible", "plan"}


@dataclass(frozen=True)
class ModalityCues:
    by_lemma: dict[str, str]

    @classmethod
    def load(cls, path: Path = MODALITY_FILE) -> "ModalityCues":
        from ..yamlio import read_yaml

        raw = read_yaml(path)
        by_lemma: dict[str, str] = {}
        for kind in reversed(ORDER):  # earlier kinds overwrite: they are the stronger reading
            for w in raw.get(kind, {}).get("lemmas", []):
                by_lemma[str(w).lower()] = kind
        return cls(by_lemma)


@dataclass(frozen=True)
class ModalityReading:
    modality: str
    cue: str | None = None  # the word that decided it
    claimant: tuple[int, int] | None = None  # token span of who claims, for "claimed"

    @property
    def reason(self) -> str:
        if self.cue is None:
            return "asserted: no modal cue governs the trigger"
        return f"{self.modality}: cue '{self.cue}'"


def _kind(cues: ModalityCues, tok, as_child: bool) -> str | None:
    lemma, lower = tok.lemma_.lower(), tok.lower_
    kind = cues.by_lemma.get(lemma) or cues.by_lemma.get(lower)
    if kind is None:
        return None
    if kind == "negated" and lower in ("no", "neither", "nor") and as_child:
        return None  # "no" on a governing noun does not negate the event under it
    if kind == "reported" and lemma == "report" and tok.pos_ == "VERB":
        # "X reported that": a named source reporting is how news is written; only the
        # impersonal forms ("it was reported", "reports said") make it reported
        subj = [c for c in tok.children if c.dep_ in ("nsubj",)]
        if subj and subj[0].pos_ == "PROPN":
            return None
        if any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
            return None  # "As reported on 2 March": a dating formula
    return kind


def _claimant(tok) -> tuple[int, int] | None:
    """The subject of a claim verb, borrowed from the first conjunct when needed."""
    for v in (tok, tok.head if tok.dep_ in ("conj", "xcomp") else None):
        if v is None:
            continue
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                sub = list(c.subtree)
                return sub[0].i, sub[-1].i + 1
    return None


_TEMPORAL = {"before", "after", "when", "while", "as", "since", "until", "because", "although", "though", "once", "whereas"}


def _temporal(tok) -> bool:
    """An adverbial clause of time or cause ("before their offensive was broken")."""
    return any(c.dep_ == "mark" and c.lower_ in _TEMPORAL for c in tok.children) or \
        not any(c.dep_ in ("aux", "mark") and c.lower_ in ("to", "for", "if", "unless", "whether") for c in tok.children)


def read_modality(trigger, cues: ModalityCues) -> ModalityReading:
    """The modality governing ``trigger`` (a spaCy Token)."""
    sent = trigger.sent
    # 1. on the trigger itself: "no clashes", "did not attack", "will attack"
    for c in trigger.children:
        if c.dep_ in _CARRIER_DEPS or (c.dep_ == "det" and c.lower_ == "no"):
            k = _kind(cues, c, as_child=False)
            if k:
                return ModalityReading(k, c.text, _claimant(trigger) if k == "claimed" else None)
    # 2. up the parse
    node = trigger
    s0, s1 = sent.start, sent.end
    while node.head.i != node.i and s0 <= node.head.i < s1:
        if node.dep_ in ("relcl", "parataxis") or (node.dep_ == "advcl" and _temporal(node)):
            break  # a temporal or relative clause does not inherit the modality of its host
        node = node.head
        k = _kind(cues, node, as_child=False)
        if k and node.pos_ in ("VERB", "NOUN", "ADJ", "ADV", "AUX") and k != "negated" or (k == "negated" and node.lemma_.lower() in ("deny", "refute", "dismiss")):
            return ModalityReading(k, node.text, _claimant(node) if k == "claimed" else None)
        for c in node.children:
            if c.dep_ in _CARRIER_DEPS and c.i < trigger.i + 1 or c.dep_ in ("neg", "aux"):
                k = _kind(cues, c, as_child=True)
                if k:
                    return ModalityReading(k, c.text, _claimant(node) if k == "claimed" else None)
    # 3. a short window before the trigger, for what the parser attaches elsewhere
    #    ("serious talk of them advancing", "If they win in Aleppo")
    start = max(sent.start, trigger.i - _WINDOW)
    doc = trigger.doc
    lows, lemmas = token_view(doc).lower, lemma_view(doc)
    for i in range(trigger.i - 1, start - 1, -1):
        if lows[i] in (",", ";", ":") and i < trigger.i - 1:
            break
        if lemmas[i] not in _WINDOW_WORDS and lows[i] not in _WINDOW_WORDS:
            continue
        tok = doc[i]
        k = _kind(cues, tok, as_child=True)
        if k in ("hypothetical", "future", "reported", "claimed") and tok.pos_ not in ("PROPN",):
            if k == "claimed":
                return ModalityReading(k, tok.text, _claimant(tok))
            return ModalityReading(k, tok.text)
    return ModalityReading("asserted")
