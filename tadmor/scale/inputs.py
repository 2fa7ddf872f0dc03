"""Batch inputs: JSON-lines and Parquet files, read into ``RawDoc``s exactly as ``tadmor extract --jsonl`` would.

A Parquet input has the JSONL record's columns (``id`` or ``doc_id``, ``text``
or ``html``, and optionally ``published``, ``title``, ``outlet``, ``author``,
``url``); each row goes through the same JSON-record reader, so a record
without an id gets the same fallback id (``<file name>:<line or row>``) and a
bad record the same error, whichever engine reads it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..ingest.readers import RawDoc, read_jsonl

RECORD_COLUMNS = ("id", "doc_id", "text", "html", "published", "title", "outlet", "author", "url")
PARQUET_SUFFIXES = (".parquet", ".parq")


@dataclass(frozen=True)
class InputFile:
    path: Path
    kind: str  # "jsonl" | "parquet"

    @property
    def source(self) -> str:
        """The name fallback doc_ids are built from (as ``tadmor extract --jsonl`` does)."""
        return self.path.name


def input_files(inputs: list[str]) -> list[InputFile]:
    """The files a batch reads: each FILE, and every ``*.jsonl``/``*.parquet`` below each DIR, sorted."""
    files: list[InputFile] = []
    for given in inputs:
        p = Path(given)
        if p.is_dir():
            found = sorted(c for c in p.rglob("*") if c.is_file() and _wanted(c.relative_to(p)))
            if not found:
                raise UsageError(f"no .jsonl or .parquet files in {given}")
            files.extend(InputFile(c, _kind(c)) for c in found)
        elif p.is_file():
            files.append(InputFile(p, _kind(p)))
        else:
            raise UsageError(f"no such file or directory: {given}")
    return files


def _wanted(rel: Path) -> bool:
    if any(part.startswith((".", "_")) for part in rel.parts):  # hidden files, Spark's _SUCCESS
        return False
    return rel.suffix.lower() in (".jsonl", *PARQUET_SUFFIXES)


def _kind(p: Path) -> str:
    # like --jsonl, a FILE named explicitly is JSON lines whatever its extension, unless it is Parquet
    return "parquet" if p.suffix.lower() in PARQUET_SUFFIXES else "jsonl"


def raw_from_line(data: bytes, source: str, line: int) -> RawDoc | None:
    """One JSON line (bytes, undecoded) as ``read_jsonl`` reads it at ``line``; ``None`` for a blank line."""
    raws = list(read_jsonl([data], source=source))
    if not raws:
        return None
    raw = raws[0]
    if line != 1:  # read_jsonl numbered the one line it was given 1: renumber its fallback id and messages
        if raw.doc_id == f"{source}:1":
            raw.doc_id = f"{source}:{line}"
        for err in raw.errors:
            if err.message.startswith("line 1 "):
                err.message = f"line {line} " + err.message[len("line 1 "):]
    return raw


def raw_from_record(record: dict, source: str, row: int) -> RawDoc | None:
    """One Parquet row (a dict of the record columns), read as the same JSON record would be."""
    clean = {k: _plain(v) for k, v in record.items() if k in RECORD_COLUMNS and v is not None}
    return raw_from_line(json.dumps(clean, ensure_ascii=False).encode("utf-8"), source, row)


def _plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def iter_raws(files: list[InputFile]) -> Iterator[tuple[str, int, RawDoc]]:
    """``(source path, line or row, RawDoc)`` for every document of every file, in order (local engine)."""
    for f in files:
        if f.kind == "jsonl":
            yield from jsonl_documents(f)
        else:
            yield from _parquet(f)


def jsonl_documents(f: InputFile, start: int = 0, end: int | None = None, first_line: int = 1) -> Iterator[tuple[str, int, RawDoc]]:
    """The documents of a JSON-lines file, or of its lines that start in ``[start, end)``: ``start`` is
    a line's first byte, numbered ``first_line`` (a Spark task reads one such range, ``spark.py``)."""
    try:
        fh = f.path.open("rb")
    except OSError as exc:
        yield str(f.path), 0, RawDoc(doc_id=f.source).fail("unreadable", f"cannot read {f.path}: {exc.strerror or exc}")
        return
    with fh:
        fh.seek(start)
        pos = start
        for line, data in enumerate(fh, start=first_line):
            if end is not None and pos >= end:
                break
            pos += len(data)
            raw = raw_from_line(data, f.source, line)
            if raw is not None:
                yield str(f.path), line, raw


def _parquet(f: InputFile) -> Iterator[tuple[str, int, RawDoc]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(f.path)
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) for a non-Parquet file
        yield str(f.path), 0, RawDoc(doc_id=f.source).fail("unreadable", f"cannot read Parquet {f.path}: {exc}")
        return
    columns = [c for c in pf.schema_arrow.names if c in RECORD_COLUMNS]
    row = 0
    for batch in pf.iter_batches(batch_size=1024, columns=columns):
        for record in batch.to_pylist():
            row += 1
            raw = raw_from_record(record, f.source, row)
            if raw is not None:
                yield str(f.path), row, raw
