"""SpanRuler patterns for the curated facilities (``data/facilities.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "facilities.yaml"


@lru_cache(maxsize=1)
def _entries() -> tuple[dict, ...]:
    from ..yamlio import read_yaml

    return tuple(read_yaml(DATA))


def span_patterns() -> list[dict]:
    """FACILITY token patterns, case-insensitive (``LOWER``), one per alias."""
    from ..nlp.pipeline import english_tokenizer

    # the English tokenizer splits "al-Shaer" and "T-4" as the pipeline will
    tokenizer = english_tokenizer()
    out: list[dict] = []
    for f in _entries():
        for alias in dict.fromkeys([f["name"], *(f.get("aliases") or [])]):
            tokens = [t.text for t in tokenizer(alias)]
            out.append({"label": "FACILITY", "pattern": [{"LOWER": t.lower()} for t in tokens], "id": f["key"]})
    return out
