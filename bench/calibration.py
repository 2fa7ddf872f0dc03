"""Does `confidence` mean something?  Main events of ACLED-coded notes, bucketed by confidence.

    TADMOR=.venv/bin/tadmor python3 ../shared/tools/score acled ../shared/data/dev/acled.jsonl --save /tmp/acled.jsonl
    python3 bench/calibration.py ../shared/data/dev/acled.jsonl /tmp/acled.jsonl

For each confidence bucket it prints how many main events fall in it and the share whose event type
and sub-event type are both right; then the share right among events with confidence >= 0.8 (issue 6
asks for at least 80%) and whether the buckets are ordered (a higher bucket is right at least as
often as a lower one).  The main event is the scorer's: the document's highest-confidence event.
Plain Python, no tadmor import: it reads the saved output, so it measures exactly what users get.
"""

from __future__ import annotations

import json
import sys

BUCKETS = [(0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]


def main_event(doc: dict) -> dict | None:
    events = [e for e in doc.get("events") or [] if isinstance(e, dict)]
    if not events:
        return None
    best = max(e.get("confidence") or 0 for e in events)
    return next(e for e in events if (e.get("confidence") or 0) == best)


def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(gold_path: str, preds_path: str) -> int:
    gold = {g["id"]: g["gold"] for g in read_jsonl(gold_path)}
    rows = []
    for doc in read_jsonl(preds_path):
        g = gold.get(doc.get("doc_id"))
        ev = main_event(doc)
        if g is None or ev is None:
            continue
        right = ev.get("event_type") == g["event_type"] and ev.get("sub_event_type") == g["sub_event_type"]
        rows.append((ev.get("confidence") or 0.0, right))
    if not rows:
        print("no main events matched the gold file")
        return 1
    print(f"main events: {len(rows)}")
    print(f"{'confidence':>12} {'events':>7} {'right':>7}")
    shares = []
    for lo, hi in BUCKETS:
        inside = [r for c, r in rows if lo <= c < hi]
        if not inside:
            continue
        share = sum(inside) / len(inside)
        shares.append(share)
        print(f"{lo:>5.1f}-{min(hi, 1.0):<5.1f} {len(inside):>7} {share:>7.3f}")
    high = [r for c, r in rows if c >= 0.8]
    ordered = all(a <= b + 1e-9 for a, b in zip(shares, shares[1:]))
    figures = {"n": len(rows), "n_high": len(high),
               "right_at_0.8": round(sum(high) / len(high), 4) if high else None,
               "right_overall": round(sum(r for _, r in rows) / len(rows), 4), "buckets_ordered": ordered}
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
