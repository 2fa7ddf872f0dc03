"""Numbers in the text: how many of what, and the deaths an event caused.

ACLED's fatality rules (codebook, "Fatalities"): take the most conservative
figure; vague words become numbers ("tens" 10, "dozens" 12, "hundreds" 100, as
ACLED documents them); "several", "many", "a number of" stay unknown (null): ACLED's
handling of an unknown count is not one documented figure, and tadmor keeps unknown
apart from a number; attackers and victims are counted together; a
figure only a party claims is kept as a claim.  Words and units live in
``numbers.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..nlp import token_view

NUMBERS_FILE = Path(__file__).with_name("numbers.yaml")
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+(\.\d+)?$")
_BAD_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"}


@dataclass(frozen=True)
class NumberWords:
    units: dict[str, int]  # "one" -> 1 ... "nineteen" -> 19
    tens: dict[str, int]
    scales: dict[str, int]  # hundred, thousand, million
    vague: dict[str, tuple[int | None, str]]  # "dozens" -> (12, "dozens")
    qualifiers: tuple[tuple[str, ...], ...]
    unit_verbs: dict[str, str]  # lemma -> unit (kill -> killed)
    unit_nouns: dict[str, str]  # lemma -> unit (fighter -> fighters)
    skip_nouns: frozenset[str]
    none_phrases: tuple[str, ...]

    @classmethod
    def load(cls, path: Path = NUMBERS_FILE) -> "NumberWords":
        from ..yamlio import read_yaml

        raw = read_yaml(path)
        verbs = {w: unit for unit, ws in raw["unit_verbs"].items() for w in ws}
        nouns = {w: unit for unit, ws in raw["unit_nouns"].items() for w in ws}
        return cls(
            units={k: int(v) for k, v in raw["units"].items()},
            tens={k: int(v) for k, v in raw["tens"].items()},
            scales={k: int(v) for k, v in raw["scales"].items()},
            vague={k: (v["value"], v["qualifier"]) for k, v in raw["vague"].items()},
            qualifiers=tuple(tuple(q.split()) for q in sorted(raw["qualifiers"], key=lambda q: -len(q.split()))),
            unit_verbs=verbs,
            unit_nouns=nouns,
            skip_nouns=frozenset(raw["skip_nouns"]),
            none_phrases=tuple(raw["none_phrases"]),
        )


@dataclass
class Found:
    """One quantity found in the parse."""

    start: int  # token indexes of the whole expression (qualifier, number, noun)
    end: int
    value: int | None
    qualifier: str | None
    unit: str
    noun: int | None  # token index of the counted noun
    governor: int | None  # token index of the verb/noun that gives the unit
    subset: bool = False  # "including 3 children": part of a figure already counted
    toll: bool = False  # "the death toll rose to 12": a running total
    reasons: list[str] = field(default_factory=list)


def _word_value(words: NumberWords, tok) -> int | None:
    t = tok.lower_.replace("-", " ")
    if _DIGITS.match(tok.text):
        try:
            return int(float(tok.text.replace(",", "")))
        except ValueError:
            return None
    parts = t.split()
    total = 0
    for p in parts:
        if p in words.units:
            total += words.units[p]
        elif p in words.tens:
            total += words.tens[p]
        else:
            return None
    return total if parts else None


def parse_number(words: NumberWords, doc, i: int) -> tuple[int | None, str | None, int, int] | None:
    """A number expression starting at or containing token i: (value, qualifier, start, end)."""
    tok = doc[i]
    low = tok.lower_
    if low in words.vague:
        value, qual = words.vague[low]
        end = i + 1
        if end < len(doc) and doc[end].lower_ == "of":
            end += 1
        start = i - 1 if i > 0 and doc[i - 1].lower_ in ("a", "an") else i
        # "a few thousand": the scale multiplies the vague word
        if end < len(doc) and doc[end].lower_ in words.scales and value is None:
            qual = f"{doc[start:end + 1].text.lower()}"
            end += 1
        return value, qual, start, end
    value = _word_value(words, tok)
    if value is None:
        return None
    end = i + 1
    while end < len(doc) and doc[end].lower_ in words.scales:
        value *= words.scales[doc[end].lower_]
        end += 1
    if end < len(doc) and doc[end].lower_ in ("million", "thousand", "hundred"):
        end += 1
    return value, None, i, end


def _qualifier(words: NumberWords, doc, start: int, sent_start: int) -> tuple[str | None, int]:
    # the words before the number, read once: ("at", "least") is a suffix of them
    longest = max((len(q) for q in words.qualifiers), default=0)
    before = tuple(t.lower_ for t in doc[max(sent_start, start - longest):start])
    for q in words.qualifiers:
        n = len(q)
        if n <= len(before) and before[len(before) - n:] == q:
            return " ".join(q), start - n
    return None, start


def _to_death(tok) -> bool:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "to" and any(g.lemma_.lower() == "death" for g in c.children):
            return True
        if c.dep_ == "advmod" and c.lower_ in ("fatally", "mortally"):
            return True
    return False


def _unit_for(words: NumberWords, noun, num_tok) -> tuple[str, int | None, list[str], bool]:
    """The unit of a counted noun from the verb or noun that governs it."""
    reasons: list[str] = []
    toll = False
    nxt = noun.doc[num_tok.i + 1] if noun.i == num_tok.i and num_tok.i + 1 < len(noun.doc) else None
    if nxt is not None and nxt.lemma_.lower() in words.unit_verbs and nxt.pos_ in ("VERB", "ADJ"):
        reasons.append(f"'{num_tok.text} {nxt.text}'")  # "2 killed and 1 injured"
        return words.unit_verbs[nxt.lemma_.lower()], nxt.i, reasons, toll
    candidates = [noun] + [c for c in noun.children if c.dep_ in ("acl", "amod", "relcl", "oprd")]
    g = noun
    for _ in range(3):  # climb conjunctions, appositions and prepositions to the governing word
        if g.dep_ in ("conj", "appos", "compound", "nummod", "quantmod", "npadvmod") or (g.dep_ == "pobj" and g.head.lower_ in ("of", "to", "than")):
            g = g.head if g.dep_ != "pobj" else g.head.head
            candidates.append(g)
            continue
        break
    if g.dep_ == "pobj" and g.head.lower_ == "by":
        pass  # "killed by two armed men": the killers, counted by their noun below
    elif g.dep_ == "nsubj" and any(x.dep_ == "dobj" for v in [g.head] + list(g.head.conjuncts) for x in v.children):
        pass  # "two armed men shot and killed a man": the subject of a transitive verb did it
    elif g.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "pobj", "oprd", "dative") and g.head.i != g.i:
        candidates.append(g.head)
        # "was shot and killed": a conjunct verb shares the subject only when it has none of its own
        candidates += [c for c in g.head.conjuncts
                       if not any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)]
        candidates += [c for c in g.head.children if c.dep_ in ("oprd", "acomp", "xcomp")]
    heads = {x.i for x in candidates}

    def _shared_kill(c) -> bool:
        # "were kidnapped and killed": a death verb conjoined to the counting verb, with no object or subject of its own
        return c.dep_ == "conj" and c.head.i in heads and words.unit_verbs.get(c.lemma_.lower()) == "killed" \
            and not any(x.dep_ in ("dobj", "nsubj", "nsubjpass") for x in c.children) \
            and any(x.dep_ == "cc" and x.lower_ == "and" for x in c.head.children)
    if any(_shared_kill(c) for c in candidates[1:]):
        candidates = [candidates[0]] + sorted(candidates[1:], key=lambda c: not _shared_kill(c))
    for c in candidates:
        lemma = c.lemma_.lower()
        if _to_death(c):  # "shot to death", "fatally shot", "beaten to death"
            reasons.append(f"'{c.text}' to death")
            return "killed", c.i, reasons, toll
        if lemma == "toll" or any(ch.lemma_.lower() == "toll" for ch in c.children if ch.dep_ in ("nsubj",)) or \
                (c is noun and lemma in ("fatality", "death") and num_tok.head.i == noun.i):  # "3 fatalities": a total
            toll = True
            reasons.append("a death toll")
            return "killed", c.i, reasons, toll
        if lemma in words.unit_verbs and c.i != num_tok.i:
            reasons.append(f"counted by '{c.text}'")
            return words.unit_verbs[lemma], c.i, reasons, toll
    # the parser lost the thread ("7 IS militants were killed"): read the next few words
    doc = noun.doc
    # (the first verb after the counted phrase is its predicate: "5 members of the CV (Red Command) died")
    for t in doc[noun.i + 1: min(len(doc), noun.i + 12, noun.sent.end)]:
        if t.like_num or t.lower_ in (",", ";", "while", "and") and t.i > noun.i + 1:
            break
        if t.lemma_.lower() in words.unit_verbs and t.pos_ in ("VERB", "ADJ"):
            reasons.append(f"followed by '{t.text}'")
            return words.unit_verbs[t.lemma_.lower()], t.i, reasons, toll
        if (t.pos_ == "VERB" and not t.text.isupper()) or (t.pos_ == "AUX" and t.lemma_.lower() not in ("be", "have")):
            break
    lemma = noun.lemma_.lower()
    if lemma in words.unit_nouns:
        reasons.append(f"counts '{noun.text}'")
        return words.unit_nouns[lemma], None, reasons, toll
    return "other", None, reasons, toll


_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _next_to_month(doc, i: int) -> bool:
    """ "8 May", "May 8", "May 2020": a day or year, whatever the NER says."""
    near = [doc[j] for j in (i - 1, i + 1) if 0 <= j < len(doc)]
    return any(t.lower_ in _MONTHS and t.text[:1].isupper() for t in near)


def find_quantities(doc, words: NumberWords, start_tok: int = 0, end_tok: int | None = None,
                    skip: frozenset[int] = frozenset()) -> list[Found]:
    """Every count in doc[start_tok:end_tok] that is not a date, money, age or measure;
    ``skip`` holds token indexes already read as dates by the time stage."""
    end_tok = len(doc) if end_tok is None else end_tok
    out: list[Found] = []
    v = token_view(doc)  # most tokens are no number: a Token object only for those that may be
    i = start_tok
    while i < end_tok:
        if not (v.like_num[i] or v.lower[i] in words.vague) or i in skip:
            i += 1
            continue
        tok = doc[i]
        if tok.ent_type_ in _BAD_ENTS:
            i += 1
            continue
        if _next_to_month(doc, i):
            i += 1
            continue
        if tok.lower_ in ("one", "a") and tok.dep_ not in ("nummod", "nsubj", "nsubjpass", "dobj"):
            i += 1
            continue
        parsed = parse_number(words, doc, i)
        if parsed is None:
            i += 1
            continue
        value, qual, s, e = parsed
        # the counted noun: the head of a nummod, or the noun right after "dozens of"
        noun = tok.head if tok.dep_ in ("nummod", "quantmod", "amod") else tok
        while noun.i != noun.head.i and (noun.lower_ in words.scales or noun.like_num) and noun.dep_ in ("nummod", "quantmod", "amod", "compound"):
            noun = noun.head  # "a few thousand terrorists": the count is of terrorists
        if noun is tok and (len(tok.sent) <= 2 or tok.dep_ in ("meta", "dep", "ROOT")) and e < end_tok:
            # the parser lost the number ("14 | Al Shabaab militants were killed", "56 BH/IS fighters"):
            # it counts the first common noun after a run of names
            for t in doc[e: min(end_tok, e + 5)]:
                if t.pos_ == "NOUN":
                    noun = t
                    break
                if t.pos_ not in ("PROPN", "PUNCT", "SYM", "ADJ", "X") and not t.text.isupper():
                    break
        if noun is tok and e < len(doc) and doc[e - 1].lower_ == "of" and e < end_tok:
            nxt = doc[e]
            noun = nxt if nxt.pos_ in ("NOUN", "PROPN") else nxt.head
        if noun.lemma_.lower() in words.skip_nouns or tok.nbor(1 if i + 1 < len(doc) else 0).lower_ in ("%", "per", "percent", "year", "-year", "years", "km", "kilometres", "kilometers", "km.", "miles", "metres", "meters", "hours", "minutes", "days", "am", "pm", "a.m.", "p.m."):
            i = e
            continue
        q2, s2 = _qualifier(words, doc, s, doc[i].sent.start)
        unit, gov, reasons, toll = _unit_for(words, noun, tok)
        last = max(e, noun.i + 1) if noun.i >= s and noun.i - e <= 4 else e
        subset = any(a.lower_ in ("including", "among", "whom", "them") for a in list(noun.ancestors)[:3]) or \
            (s2 > 0 and doc[s2 - 1].lower_ in ("including", "among"))
        out.append(Found(s2, last, value, q2 or qual, unit, noun.i, gov, subset, toll, reasons))
        i = e
    return out


@dataclass(frozen=True)
class FatalityReading:
    count: int | None
    quantities: tuple[Found, ...]
    reason: str


def coder_tag(text: str) -> tuple[int, str] | None:
    """ACLED's own notes state the coded figure ("Fatalities coded as 0", "... split across
    2 events (4)"); when a note says it, that is the count (codebook convention)."""
    m = re.search(r"fatalit\w*\s+(?:are\s+|were\s+)?coded\s+(?:as|to|at)\s+(\d+)", text, re.I) or \
        re.search(r"coded\s+as\s+(\d+)\s+fatalit", text, re.I)
    if m:
        return int(m.group(1)), "the note states the coded figure"
    m = re.search(r"fatalit\w*\s+(?:are\s+|were\s+)?split\s+(?:across|between|among|over)\s+\d+\s+\w+\s*\((\d+)\)", text, re.I)
    if m:
        return int(m.group(1)), "the note states the figure split across events"
    # "coded as 10 and split up between 2 events", "[1 fatality split among 12 events]": codebook,
    # a total over several events is divided among them
    m = re.search(r"(\d+)\s+(?:fatalit\w*\s+)?(?:and\s+)?(?:split|spread|divided)\s+(?:up\s+)?(?:across|between|among|over)\s+(\d+)\s+(?:event|location)", text, re.I)
    if m and int(m.group(2)) > 0:
        return int(m.group(1)) // int(m.group(2)), "the note splits the figure across events"
    return None


_SPLIT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def split_among(text: str) -> int | None:
    """ "Fatalities split between 2 events": codebook, a total told for several events or places is
    divided among them; the number of parts, when the text says it without the coded figure."""
    m = re.search(r"fatalit\w*\s+(?:are\s+|were\s+)?(?:split|spread|divided)\s+(?:up\s+)?(?:across|between|among|over)\s+(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:event|location|place|district)", text, re.I)
    if not m:
        return None
    n = m.group(1).lower()
    return int(n) if n.isdigit() else _SPLIT_WORDS[n]


def _breakdown(f: Found, found: list[Found], doc) -> bool:
    """ "5 civilians (2 men, 2 women and 1 child) were killed": a figure inside a parenthesis that
    opens right after another figure breaks that one down."""
    sent_start = doc[f.start].sent.start
    for i in range(f.start - 1, max(sent_start, f.start - 12) - 1, -1):
        if doc[i].text == ")":
            return False
        if doc[i].text == "(":
            return any(g is not f and g.end <= i and i - g.end <= 2 for g in found)
    return False


def read_fatalities(found: list[Found], text: str, words: NumberWords, doc) -> FatalityReading:
    """The conservative death count from the quantities in one event's evidence."""
    tag = coder_tag(text)
    if tag:
        return FatalityReading(tag[0], (), tag[1])
    killed = [f for f in found if f.unit == "killed"]
    tolls = [f for f in killed if f.toll and f.value is not None]
    if tolls:
        best = max(tolls, key=lambda f: f.value)
        return FatalityReading(best.value, (best,), "the death toll given")
    counted = [f for f in killed if not f.subset and f.value is not None and not _breakdown(f, killed, doc)]
    if counted:
        # the same figure told twice counts once; distinct groups (attackers and victims) add up
        kept: list[Found] = []
        # tallies of what is kept, so that a long telling is read in one pass
        told: dict[int, set[int]] = {}  # value -> sentences it was kept from
        in_sent: dict[int, tuple[int, int]] = {}  # sentence -> (figures kept from it, their sum)
        total = 0
        for f in counted:
            sent = doc[f.start].sent.start
            where = told.get(f.value, ())
            if len(where) > 1 or (where and sent not in where):
                continue  # a later sentence repeating the figure
            n_here, sum_here = in_sent.get(sent, (0, 0))
            if len(kept) - n_here > 1 and total - sum_here == f.value:
                continue  # "One man and one officer died. 2 fatalities.": the total told again
            kept.append(f)
            told.setdefault(f.value, set()).add(sent)
            in_sent[sent] = (n_here + 1, sum_here + f.value)
            total += f.value
        parts = split_among(text)
        if parts and parts > 1:
            return FatalityReading(total // parts, tuple(kept), f"sum of {len(kept)} figure(s) of deaths, split among {parts}")
        return FatalityReading(total, tuple(kept), f"sum of {len(kept)} figure(s) of deaths")
    low = text.lower()
    if any(p in low for p in words.none_phrases):
        return FatalityReading(0, (), "the text says no one died")
    return FatalityReading(None, tuple(killed), "no figure of deaths")
