"""How far can any reader of the shipped gazetteer place ACLED's events?

    .venv/bin/python bench/geo_ceiling.py [--preds SAVED.jsonl]

An upper bound for ``location_25km`` of ``score acled``, set by the gazetteer alone: a
note counts as reachable when some capitalised name of one to four words in its text
(any of them, as an oracle would pick) has a gazetteer reading within 25 km of the
coded point: by exact lookup, then by the gazetteer's own spelling search. No reader
of that gazetteer, however clever, places the other notes within 25 km (they name
villages, quarters and sites the packaged data does not hold).

With ``--preds`` (a saved ``tadmor extract`` output, e.g. from ``score acled --save``),
the misses of that run are sorted into: the coded place's name has a reading within
25 km (a ranking or detection miss) or none (a gazetteer miss).

The gold coordinates are read at run time from ``../shared/data/dev/acled.jsonl`` to
measure, never stored or used by tadmor.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from pathlib import Path

NOTES = Path(__file__).resolve().parents[2] / "shared/data/dev/acled.jsonl"
WORD = re.compile(r"[\w'’‘-]+")


def km(lat1, lon1, lat2, lon2) -> float:
    from tadmor.geo.resolve import distance_km

    return math.inf if None in (lat1, lon1, lat2, lon2) else distance_km(lat1, lon1, lat2, lon2)


def names(text: str) -> set[str]:
    """Every run of one to four words that starts with a capital."""
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    out = set()
    for i, (start, _) in enumerate(spans):
        if text[start].isupper():
            out.update(text[start:spans[j][1]] for j in range(i, min(i + 4, len(spans))))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--preds", help="saved `tadmor extract` output to sort its location misses")
    args = ap.parse_args()
    from tadmor.geo.gazetteer import load

    gaz = load()
    gold = [json.loads(line) for line in NOTES.open(encoding="utf-8")]

    def near(hits, g) -> bool:
        return any(km(h.entry.lat, h.entry.lon, g["latitude"], g["longitude"]) <= 25 for h in hits)

    exact = spelled = 0
    for rec in gold:
        found = names(rec["text"])
        if any(near(gaz.lookup(n), rec["gold"]) for n in found):
            exact += 1
        elif any(near(gaz.fuzzy(n), rec["gold"]) for n in found if len(n) > 4):
            spelled += 1
    n = len(gold)
    print(f"{n} notes; reachable within 25 km by exact names {exact} ({exact / n:.4f}), "
          f"with spelling search {exact + spelled} ({(exact + spelled) / n:.4f})")
    figures = {"n": n, "ceiling_exact": round(exact / n, 4), "ceiling_spelled": round((exact + spelled) / n, 4)}
    if args.preds:
        docs = {}
        with open(args.preds, encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                docs[d["doc_id"]] = d
        kinds = Counter()
        for rec in gold:
            g = rec["gold"]
            events = (docs.get(rec["id"]) or {}).get("events") or []
            ev = max(events, key=lambda e: e.get("confidence") or 0) if events else {}
            loc = ev.get("location") or {}
            if km(loc.get("lat"), loc.get("lon"), g["latitude"], g["longitude"]) <= 25:
                kinds["placed"] += 1
            elif near(gaz.lookup(g["location"]), g):
                kinds["miss: coded name known"] += 1
            else:
                kinds["miss: coded name not in gazetteer"] += 1
        for k, v in sorted(kinds.items()):
            print(f"  {k:36} {v:5} ({v / n:.4f})")
        figures.update({k.replace("miss: ", "").replace(" ", "_"): v for k, v in kinds.items()})
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
