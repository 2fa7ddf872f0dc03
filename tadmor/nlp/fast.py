"""Two of the small English model's rule components, same results, less Python per token.

**attribute_ruler.**
The small English model's ``attribute_ruler`` maps each token's fine tag (and,
for a few dozen words, its lowercase form or dependency) to the coarse POS, the
morphology and some lemmas: 179 rules, almost all of one token with exact
values. spaCy runs them on its token ``Matcher``, which tries every rule at
every token; it was the largest Matcher cost left on bench/PROFILE.md's profile.

``FastAttributeRuler`` keeps the rules and their meaning and only changes how
they are found: a one-token rule on TAG, LOWER, DEP and IS_SPACE with exact
values (or ``IN`` lists; ``NOT_IN`` lists are checked after) becomes a key in a
dict per attribute combination, read with about one lookup per token; the rest
(several tokens, REGEX) stay on a Matcher, which runs only on a document where
each of a rule's exact words or dependencies occurs.
As in spaCy's ``AttributeRuler.set_annotations``, every rule that matches a
token applies in rule order, so a later rule wins; the matching reads the
tokens as they were before any rule applied. The results go back with
``Doc.from_array``.

**lemmatizer.** spaCy's rule lemmatizer visits every token in Python and caches
its answer by (word, POS, morphology). ``fast_lemmatizer`` keeps the model's
lemmatizer, tables and all, and only changes the visit: one array of those three
keys per document, the cached lemma per key, the lemmatizer asked only for a key
it has not seen, and the lemmas written back in one array. The cache holds lemma
strings, never string-store hashes, so it stays valid across spaCy's memory
zones (which drop the strings a batch added).

tests/test_nlp.py checks both against the original components token by token.
"""

from __future__ import annotations

import re
from itertools import product

from ..memo import Memo

SIMPLE_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # a token's row, in this order
GATES = ("LOWER", "DEP", "IS_SPACE", "TAG")  # rarest first: a table is reached through the first it has
WRITTEN = ("POS", "MORPH", "LEMMA")  # what the rules set, written back in one array


def _values(spec) -> list | None:
    """The exact values a token-pattern value accepts, or None when it is not exact."""
    if isinstance(spec, (str, bool)):
        return [spec]
    if isinstance(spec, dict) and set(spec) == {"IN"} and isinstance(spec["IN"], list):
        return list(spec["IN"])
    return None


def _excluded(spec) -> list | None:
    if isinstance(spec, dict) and set(spec) == {"NOT_IN"} and isinstance(spec["NOT_IN"], list):
        return list(spec["NOT_IN"])
    return None


class FastAttributeRuler:
    """Drop-in for spaCy's ``attribute_ruler`` built from its ``patterns``."""

    def __init__(self, nlp, patterns: list[dict]):
        from spacy.attrs import IDS
        from spacy.matcher import Matcher
        from spacy.tokens._retokenize import normalize_token_attrs

        self.vocab = nlp.vocab
        self.attrs: list[dict] = []
        self.indices: list[int] = []
        # attribute combination -> exact values -> [(rule, NOT_IN checks as (column, hashes))]
        self.tables: dict[tuple[str, ...], dict[tuple, list]] = {}
        self.matcher = Matcher(nlp.vocab, validate=False)
        self.matcher_gates: list[tuple[list[tuple[int, set]], list]] = []
        for rule, p in enumerate(patterns):
            self.attrs.append(normalize_token_attrs(self.vocab, dict(p["attrs"])))
            self.indices.append(p.get("index", 0))
            rest = [seq for seq in p["patterns"] if not self._add_simple(rule, seq)]
            if rest:
                self.matcher.add(str(rule), rest)
                self.matcher_gates.extend(self._gate(seq) for seq in rest)
        self.column_ids = [IDS[a] for a in SIMPLE_ATTRS]
        self.written_ids = [IDS[a] for a in WRITTEN]
        self.written_cols = {attr_id: col for col, attr_id in enumerate(self.written_ids)}
        by_gate: dict[str, tuple[int, set, list]] = {}
        for sig, table in self.tables.items():
            gate = next(a for a in GATES if a in sig)
            entry = by_gate.setdefault(gate, (SIMPLE_ATTRS.index(gate), set(), []))
            entry[1].update(key[sig.index(gate)] for key in table)
            cols = tuple(SIMPLE_ATTRS.index(a) for a in sig)
            if len(cols) == 1:  # a bare value is a cheaper key than a 1-tuple
                table = {key[0]: rules for key, rules in table.items()}
            entry[2].append((cols, table))
        self.gates = [by_gate[g] for g in GATES if g in by_gate]
        self._effects: dict[tuple[int, ...], tuple[list, dict]] = {}

    def _add_simple(self, rule: int, seq) -> bool:
        if len(seq) != 1 or not isinstance(seq[0], dict) or set(seq[0]) - set(SIMPLE_ATTRS):
            return False
        token = seq[0]
        sig, choices, checks = [], [], []
        for attr in SIMPLE_ATTRS:
            if attr not in token:
                continue
            values, excluded = _values(token[attr]), _excluded(token[attr])
            if values is not None:
                sig.append(attr)
                choices.append([self._encode(attr, v) for v in values])
            elif excluded is not None:
                checks.append((SIMPLE_ATTRS.index(attr), {self._encode(attr, v) for v in excluded}))
            else:
                return False
        if not sig:
            return False
        table = self.tables.setdefault(tuple(sig), {})
        for key in product(*choices):
            table.setdefault(key, []).append((rule, tuple(checks)))
        return True

    def _gate(self, seq) -> tuple[list[tuple[int, set]], list]:
        """What a document must hold for a Matcher pattern to match: exact values, and regexes on LOWER."""
        exact, regexes = [], []
        for token in seq:
            for attr, spec in token.items():
                values = _values(spec)
                if attr in SIMPLE_ATTRS and values is not None:
                    exact.append((SIMPLE_ATTRS.index(attr), {self._encode(attr, v) for v in values}))
                elif attr == "LOWER" and isinstance(spec, dict) and set(spec) == {"REGEX"}:
                    regexes.append(re.compile(spec["REGEX"]))
        return exact, regexes

    def _encode(self, attr: str, value):
        if attr == "IS_SPACE":
            return int(bool(value))
        return self.vocab.strings.add(value)

    def __call__(self, doc):
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        rows = doc.to_array(self.column_ids).tolist()
        hits: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            for g, values, tables in self.gates:
                if row[g] in values:
                    for cols, table in tables:
                        found = table.get(row[cols[0]] if len(cols) == 1 else tuple([row[c] for c in cols]))
                        for rule, checks in found or ():
                            if all(row[c] not in excluded for c, excluded in checks):
                                hits.setdefault(i, []).append(rule)
        if self._may_match(doc, rows):
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                rule = int(self.vocab.strings[match_id])
                index = self.indices[rule]
                target = (start if index >= 0 else end) + index
                if not start <= target < end:
                    raise ValueError(f"attribute rule {rule}: index {index} outside its match {start}-{end}")
                hits.setdefault(target, []).append(rule)
        if not hits:
            return doc
        values = doc.to_array(self.written_ids)
        others: dict[int, dict] = {}
        for i, rules in hits.items():
            columns, other = self._effect(tuple(sorted(rules)))
            for col, value in columns:
                values[i, col] = value
            if other:
                others[i] = other
        doc.from_array(self.written_ids, values)
        for i, attrs in others.items():
            set_token_attrs(doc[i], attrs)
        return doc

    def _may_match(self, doc, rows) -> bool:
        """Whether some Matcher pattern can match: its exact values and LOWER regexes all occur."""
        if not self.matcher_gates:
            return False
        present = [set(column) for column in zip(*rows)]
        lowers = None
        for exact, regexes in self.matcher_gates:
            if not all(present[c] & values for c, values in exact):
                continue
            if regexes:
                if lowers is None:
                    lowers = {self.vocab.strings[h] for h in present[SIMPLE_ATTRS.index("LOWER")]}
                if not all(any(rx.search(w) for w in lowers) for rx in regexes):
                    continue
            return True
        return False

    def _effect(self, rules: tuple[int, ...]) -> tuple[list, dict]:
        """What the rules, applied in order, leave: (written column, value) pairs and other attributes."""
        effect = self._effects.get(rules)
        if effect is None:
            columns: dict[int, int] = {}
            other: dict = {}
            for rule in rules:
                for attr, value in self.attrs[rule].items():
                    if attr in self.written_cols:
                        columns[self.written_cols[attr]] = value
                    else:
                        other[attr] = value
            effect = self._effects[rules] = (list(columns.items()), other)
        return effect


def fast_lemmatizer(nlp) -> None:
    """Make the model's rule ``lemmatizer`` visit documents by array (see the module doc)."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "rule" or lemmatizer.overwrite or isinstance(lemmatizer, _ArrayLemmatizer):
        return
    lemmatizer.__class__ = type("Fast" + type(lemmatizer).__name__, (_ArrayLemmatizer, type(lemmatizer)), {})
    lemmatizer.lemma_strings = Memo(2048)
    lemmatizer.pos_tables = {}  # part of speech -> its rule tables, the index as a set (rule_lemmatize)
    # spaCy's __init__ bound ``self.lemmatize`` to its own class's rule_lemmatize: bound anew, or the
    # class change above would leave the old method doing the work
    lemmatizer.lemmatize = lemmatizer.rule_lemmatize


class _ArrayLemmatizer:
    """Mixed in before the model's lemmatizer class: ``__call__`` by arrays, same lemmas."""

    lemma_strings: Memo
    pos_tables: dict

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not self._validated:
            from spacy.errors import Errors

            self._validate_tables(Errors.E1004)
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        keys = rows.tolist()
        strings = doc.vocab.strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(keys):
            if lemma:
                continue
            key = (orth, pos, morph)
            lemma = self.lemma_strings.get(key)
            if lemma is None:
                lemma = self.lemmatize(doc[i])[0]
                if len(self.cache) >= self.lemma_strings.limit:  # spaCy's own cache of the same keys
                    self.cache.clear()
                self.lemma_strings.put(key, lemma)  # bounded: memory stays flat on any input
            rows[i, 3] = strings.add(lemma)
            changed = True
        if changed:
            doc.from_array([LEMMA], rows[:, 3:4].copy())
        return doc

    def rule_lemmatize(self, token) -> list[str]:
        """spaCy's ``Lemmatizer.rule_lemmatize`` (spaCy 3.8), step for step, with one change: each
        part of speech's index of known lemmas is read as a set. The tables hold lists (57,528
        nouns, 20,993 verbs), and ``form in index`` scanned them word by word for every form a
        rule made: ~0.1 ms for each word the lemmatizer had not seen, about 0.4 s per 1,000
        new notes. Same lemmas (tests/test_nlp.py checks them against spaCy's own)."""
        cache_key = (token.orth, token.pos, token.morph.key)
        if cache_key in self.cache:
            return self.cache[cache_key]
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            if univ_pos == "":
                import warnings

                from spacy.errors import Warnings

                warnings.warn(Warnings.W108)
            return [string.lower()]
        if self.is_base_form(token):
            return [string.lower()]
        if univ_pos not in self.pos_tables:
            index = self.lookups.get_table("lemma_index", {}).get(univ_pos)
            exceptions = self.lookups.get_table("lemma_exc", {}).get(univ_pos)
            rules = self.lookups.get_table("lemma_rules", {}).get(univ_pos)
            self.pos_tables[univ_pos] = (bool(index or exceptions or rules), frozenset(index or ()),
                                         exceptions or {}, rules or [])
        known, index, exceptions, rules = self.pos_tables[univ_pos]
        if not known:
            return [string] if univ_pos == "propn" else [string.lower()]
        orig = string
        string = string.lower()
        forms: list[str] = []
        oov_forms = []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index or not form.isalpha():
                    if form in index:
                        forms.insert(0, form)
                    else:
                        forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))  # duplicates out, the rules' order kept
        for form in exceptions.get(string, []):  # exceptions first, as spaCy puts them
            if form not in forms:
                forms.insert(0, form)
        if not forms:
            forms.extend(oov_forms)
        if not forms:
            forms.append(orig)
        self.cache[cache_key] = forms
        return forms


def fast_attribute_ruler(nlp) -> None:
    """Swap the model's ``attribute_ruler`` for ``FastAttributeRuler``, same name and place."""
    from spacy.language import Language

    if "attribute_ruler" not in nlp.pipe_names:
        return
    patterns = nlp.get_pipe("attribute_ruler").patterns
    factory = "tadmor_fast_attribute_ruler"
    if not Language.has_factory(factory):
        Language.factory(factory, default_config={"patterns": []})(
            lambda nlp, name, patterns: FastAttributeRuler(nlp, patterns))
    nlp.replace_pipe("attribute_ruler", factory, config={"patterns": patterns})
