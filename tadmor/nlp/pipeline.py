"""Load spaCy once per process and add tadmor's SpanRuler.

Patterns are data: each stage that wants spans marked before it runs (actors,
facilities) exposes ``span_patterns() -> list[dict]`` built from its own data
file; they all go into one SpanRuler writing to ``doc.spans[SPANS_KEY]``, with
the pattern ``id`` naming the catalogue entry (spaCy's ``span_ruler.py``).
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache

from ..config import DEFAULT, Config
from ..errors import ConfigError

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
    patterns = _provider_patterns()
    # Phrase patterns name the attribute they match on; each attribute gets its own
    # SpanRuler (a SpanRuler's PhraseMatcher has one attribute). Token patterns go to
    # the first. All write to doc.spans[SPANS_KEY].
    by_attr: dict[str, list[dict]] = {"ORTH": []}
    for p in patterns:
        p = dict(p)
        attr = p.pop("attr", "ORTH")
        by_attr.setdefault(attr if isinstance(p["pattern"], str) else "ORTH", []).append(p)
    for attr, group in by_attr.items():
        ruler = nlp.add_pipe(
            "span_ruler",
            name=f"tadmor_spans_{attr.lower()}",
            config={"spans_key": SPANS_KEY, "phrase_matcher_attr": attr, "overwrite": False},
        )
        if group:
            ruler.add_patterns(group)
    log.debug("spaCy pipeline %s with %d tadmor patterns", nlp.pipe_names, len(patterns))
    return nlp
