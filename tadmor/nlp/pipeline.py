"""Load spaCy once per process and add tadmor's SpanRuler.

Patterns are data: each stage that wants spans marked before it runs (actors,
facilities) exposes ``span_patterns() -> list[dict]`` built from its own data
file; they all go into one SpanRuler writing to ``doc.spans[SPANS_KEY]``, with
the pattern ``id`` naming the catalogue entry (spaCy's ``span_ruler.py``).
"""

from __future__ import annotations

import importlib
import logging
import re
from contextlib import nullcontext
from functools import lru_cache

from ..config import DEFAULT, Config
from ..errors import ConfigError
from .blas import use_numpy_blas
from .fast import fast_attribute_ruler, fast_lemmatizer

log = logging.getLogger(__name__)

SPANS_KEY = "tadmor"

# module:function pairs that contribute SpanRuler patterns
PATTERN_PROVIDERS = ("tadmor.actors:span_patterns", "tadmor.geo:span_patterns")


def _provider_patterns() -> list[dict]:
    patterns: list[dict] = []
    for spec in PATTERN_PROVIDERS:
        module_name, _, func = spec.partition(":")
        module = importlib.import_module(module_name)
        provider = getattr(module, func, None)
        if provider is None:
            continue
        patterns.extend(provider())
    return patterns


_tokenizers: list = []


def english_tokenizer():
    """The tokenizer that splits pattern phrases as the pipeline will: the loaded model's once
    ``load_nlp`` has loaded one, else spaCy's blank English one (built once; ~0.15 s of start-up
    saved when the model's is there). Both split every phrase of tadmor's catalogues alike
    (tests/test_nlp.py)."""
    if not _tokenizers:
        import spacy

        _tokenizers.append(spacy.blank("en").tokenizer)
    return _tokenizers[0]


@lru_cache(maxsize=4)
def load_nlp(config: Config = DEFAULT):
    """The shared pipeline; loaded once per process and per config."""
    import spacy

    try:
        nlp = spacy.load(config.spacy_model, exclude=list(config.disable))
    except OSError as exc:  # the model package is not installed
        raise ConfigError(
            f"spaCy model {config.spacy_model!r} is not installed; run the README's setup command"
        ) from exc
    nlp.max_length = max(nlp.max_length, config.max_chars + 1)
    if not _tokenizers:
        _tokenizers.append(nlp.tokenizer)
    if config.blas == "numpy":
        use_numpy_blas(nlp)  # same results, faster matrix products (nlp/blas.py)
    elif config.blas != "blis":
        raise ConfigError(f"Config.blas must be 'numpy' or 'blis', not {config.blas!r}")
    fast_attribute_ruler(nlp)  # same rules and results, less Python per token (nlp/fast.py)
    fast_lemmatizer(nlp)
    if "parser" in nlp.pipe_names:
        # a blank line (a paragraph, a headline, a byline) always ends a sentence; the parser
        # keeps boundaries set before it, so evidence never runs from a headline into the story
        nlp.add_pipe(_paragraph_factory(), name="tadmor_paragraphs", before="parser")
    patterns = _provider_patterns()
    # Phrase patterns name the attribute they match on; each attribute gets its own
    # SpanRuler (a SpanRuler's PhraseMatcher has one attribute). Token patterns go to
    # the first. All write to doc.spans[SPANS_KEY].
    by_attr: dict[str, list[dict]] = {"ORTH": []}
    for p in patterns:
        p = dict(p)
        attr = p.pop("attr", "ORTH")
        by_attr.setdefault(attr if isinstance(p["pattern"], str) else "ORTH", []).append(p)
    # Token patterns that are exact words (every token one LOWER or ORTH string) cost the
    # token Matcher a try at every token for every pattern: most of the ruler's time on
    # bench/PROFILE.md's profile. They go to PhraseMatchers instead (a hash lookup per
    # token), merged into the first ruler's spans exactly as SpanRuler.match would have.
    words, by_attr["ORTH"] = _split_word_patterns(by_attr["ORTH"])
    for attr, group in by_attr.items():
        ruler = nlp.add_pipe(
            "span_ruler",
            name=f"tadmor_spans_{attr.lower()}",
            config={"spans_key": SPANS_KEY, "phrase_matcher_attr": attr, "overwrite": False},
        )
        if group:
            # SpanRuler runs phrase patterns through every component before it (the whole model, ~1 s
            # at start-up); ORTH and LOWER phrases need only the tokenizer, so the rest sit out
            lexical = attr in ("ORTH", "LOWER", "TEXT", "NORM")
            with nlp.select_pipes(disable=nlp.pipe_names) if lexical else nullcontext():
                ruler.add_patterns(group)
        if attr == "ORTH" and words:
            nlp.add_pipe(_word_spans_factory(), name="tadmor_spans_words").add_patterns(words)
    log.debug("spaCy pipeline %s with %d tadmor patterns (%d exact-word)", nlp.pipe_names, len(patterns), len(words))
    return nlp


def _word_attr(pattern) -> str | None:
    """``"LOWER"`` or ``"ORTH"`` when a token pattern is a sequence of exact words on that one attribute."""
    if not isinstance(pattern, list) or not pattern:
        return None
    attrs = set()
    for token in pattern:
        if not isinstance(token, dict) or len(token) != 1:
            return None
        (attr, value), = token.items()
        if attr not in ("LOWER", "ORTH") or not isinstance(value, str) or not value:
            return None
        if attr == "LOWER" and value != value.lower():  # never matches as a token pattern; keep it that way
            return None
        attrs.add(attr)
    return attrs.pop() if len(attrs) == 1 else None


def _split_word_patterns(patterns: list[dict]) -> tuple[list[dict], list[dict]]:
    words, rest = [], []
    for p in patterns:
        (words if _word_attr(p["pattern"]) else rest).append(p)
    return words, rest


class WordSpans:
    """Exact-word token patterns on PhraseMatchers, merged into ``doc.spans[SPANS_KEY]``.

    Runs right after the first SpanRuler, which wrote the sorted, de-duplicated
    spans of its own patterns; the union with these matches, sorted again, is what
    that ruler would have written had it held these patterns too (SpanRuler.match:
    a set of labelled Spans, sorted). Pattern docs are built from the words
    (``Doc(vocab, words=...)``), never re-tokenized, so a pattern matches the same
    token sequences as before.
    """

    def __init__(self, nlp):
        from spacy.matcher import PhraseMatcher

        self.vocab = nlp.vocab
        self.matchers = {attr: PhraseMatcher(nlp.vocab, attr=attr) for attr in ("LOWER", "ORTH")}
        self.labels: dict[int, tuple[str, str]] = {}

    def add_patterns(self, patterns: list[dict]) -> None:
        from spacy.tokens import Doc

        for p in patterns:
            attr = _word_attr(p["pattern"])
            label, span_id = p["label"], p.get("id", "")  # as SpanRuler.add_patterns keys them
            key = repr((label, span_id))
            self.labels[self.vocab.strings.add(key)] = (label, span_id)
            words = [token[attr] for token in p["pattern"]]
            self.matchers[attr].add(key, [Doc(self.vocab, words=words)])

    def __call__(self, doc):
        from spacy.tokens import Span

        found = {Span(doc, start, end, label=self.labels[key][0], span_id=self.labels[key][1])
                 for matcher in self.matchers.values() if len(matcher) for key, start, end in matcher(doc)
                 if start != end}
        if found:
            found.update(doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else ())
            doc.spans[SPANS_KEY] = sorted(found)
        return doc


def _word_spans_factory() -> str:
    """Register the component factory once per process (when a pipeline is loaded, not at import)."""
    from spacy.language import Language

    name = "tadmor_word_spans"
    if not Language.has_factory(name):
        Language.factory(name)(lambda nlp, name: WordSpans(nlp))
    return name


_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


# Longer runs without a sentence start come from run-on or machine-made text ("... in Aleppo. gunmen
# killed ..." a million characters long): the event readers look at a sentence's words pairwise.
MAX_SENTENCE = 400  # tokens (a long news paragraph has about 150)


def _paragraph_breaks(doc):
    """Start a sentence at the first word after a blank line, and within MAX_SENTENCE tokens."""
    text, last_end = doc.text, None
    if _BLANK_LINE.search(text):  # paragraphs to mark (most notes have none)
        for tok in doc:
            if tok.is_space:
                continue
            if last_end is not None and _BLANK_LINE.search(text, last_end, tok.idx):
                tok.is_sent_start = True
            last_end = tok.idx + len(tok.text)
    if len(doc) > MAX_SENTENCE:
        _cap_sentences(doc)
    return doc


def _cap_sentences(doc) -> None:
    """A sentence start after the last full stop (else at the limit) of every MAX_SENTENCE tokens
    that have none: the parser keeps boundaries set before it and splits the rest as it would."""
    start, stop = 0, None  # the run's first token; the token after its last full stop
    for i, tok in enumerate(doc):
        if i and tok.is_sent_start:
            start, stop = i, None
            continue
        if i - start >= MAX_SENTENCE:
            cut = stop if stop is not None and stop > start else i
            doc[cut].is_sent_start = True
            start, stop = cut, None
        if tok.text in (".", "!", "?") and tok.whitespace_ and i + 1 < len(doc):
            stop = i + 1


def _paragraph_factory() -> str:
    """Register the paragraph-break component once per process (when a pipeline is loaded)."""
    from spacy.language import Language

    name = "tadmor_paragraph_breaks"
    if not Language.has_factory(name):
        Language.component(name)(_paragraph_breaks)
    return name
