"""Readers: turn files, JSON lines and stdin into ``RawDoc`` records, one per document.

A reader never raises for a bad document: it yields a ``RawDoc`` carrying the
error, so every input still gets its output line (the contract). Only usage
mistakes (a flag that makes no sense) are raised, as ``UsageError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..model import ErrorInfo

MAX_FILE_BYTES = 20_000_000  # a news article is far smaller; beyond this we read the head only

_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|article|p|div)[\s>]", re.I)
_MD_SNIFF = re.compile(r"\[[^\]\n]{1,300}\]\([^)\s]*\)|^\s{0,3}#{1,6}\s+\S|\*\*[^*\n]+\*\*", re.M)


@dataclass
class RawDoc:
    """One input document before any processing."""

    doc_id: str
    text: str | None = None
    html: str | None = None
    kind: str = "text"  # "text" | "markdown" | "html"
    published: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    fallback_published: str | None = None  # e.g. a WARC crawl date, used when the article gives none
    errors: list[ErrorInfo] = field(default_factory=list)

    def fail(self, code: str, message: str) -> "RawDoc":
        self.errors.append(ErrorInfo(code=code, message=message))
        return self

    @property
    def readable(self) -> bool:
        return self.text is not None or self.html is not None


def sniff_kind(content: str) -> str:
    """HTML, Markdown or plain text, judged by the content (a seed is Markdown in a .txt)."""
    head = content[:5000]
    if _HTML_SNIFF.search(head) and head.lstrip().startswith("<"):
        return "html"
    if len(_MD_SNIFF.findall(content[:20000])) >= 1:
        return "markdown"
    return "text"


def decode(data: bytes, raw: RawDoc) -> str | None:
    """Bytes to text; binary content is refused, invalid UTF-8 is repaired and noted."""
    if not data.strip():
        raw.fail("empty", "the document is empty")
        return None
    sample = data[:8192]
    if b"\x00" in sample or _binary_ratio(sample) > 0.10:
        raw.fail("binary", "the document looks binary, not text")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raw.fail("invalid_utf8", f"invalid UTF-8 at byte {exc.start}; undecodable bytes replaced with U+FFFD")
        return data.decode("utf-8", errors="replace")


def _binary_ratio(sample: bytes) -> float:
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control / max(1, len(sample))


def _strip_nul(text: str) -> str:
    return text.replace("\x00", " ")


_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_FIELDS = ("doc_id", "text", "html", "published", "title", "outlet", "author", "url", "fallback_published")


def scrub_surrogates(raw: RawDoc) -> RawDoc:
    """Replace lone surrogates (JSON's ``"\\ud800"`` decodes to one) with U+FFFD, noting it.

    They are not Unicode scalar values: UTF-8 cannot encode them, so spaCy's
    tokenizer, JSON output and DuckDB would each fail on them; one such record
    once stopped a whole ``extract`` run.
    """
    found = False
    for name in _TEXT_FIELDS:
        value = getattr(raw, name)
        if isinstance(value, str) and _SURROGATE.search(value):
            setattr(raw, name, _SURROGATE.sub("\ufffd", value))
            found = True
    if found:
        raw.fail("invalid_unicode", "lone surrogate code points replaced with U+FFFD")
    return raw


def from_content(doc_id: str, content: str, **meta) -> RawDoc:
    raw = RawDoc(doc_id=doc_id, **meta)
    kind = sniff_kind(content)
    raw.kind = kind
    if kind == "html":
        raw.html = content
    else:
        raw.text = content
    return raw


def read_file(path: str) -> Iterator[RawDoc]:
    """A file on disk: one document, or one per line for ``.jsonl``."""
    p = Path(path)
    doc_id = p.name
    if p.suffix.lower() == ".jsonl":
        if not p.is_file():
            yield RawDoc(doc_id=doc_id).fail("not_found", f"no such file: {path}")
            return
        try:
            with p.open("rb") as fh:
                yield from read_jsonl(fh, source=doc_id)
        except OSError as exc:
            yield RawDoc(doc_id=doc_id).fail("unreadable", f"cannot read {path}: {exc.strerror or exc}")
        return
    from . import volume  # WARC, feeds and folders; imported here to keep the modules acyclic

    raw = RawDoc(doc_id=doc_id)
    try:
        if not p.exists():
            yield raw.fail("not_found", f"no such file: {path}")
            return
        if p.is_dir():
            for child in volume.walk(p):
                yield from read_file(str(child))
            return
        if volume.is_warc(p):
            yield from volume.read_warc(p)
            return
        if volume.is_feed(p):
            yield from volume.read_feed(p)
            return
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        yield raw.fail("unreadable", f"cannot read {path}: {exc.strerror or exc}")
        return
    if len(data) > MAX_FILE_BYTES:
        data = data[:MAX_FILE_BYTES]
        raw.fail("truncated", f"file larger than {MAX_FILE_BYTES} bytes; only the head was read")
    content = decode(data, raw)
    if content is None:
        yield raw
        return
    doc = from_content(doc_id, _strip_nul(content))
    doc.errors = raw.errors + doc.errors
    yield doc


def read_jsonl(stream: IO[bytes] | Iterable[bytes], source: str = "<stdin>") -> Iterator[RawDoc]:
    """JSON lines, one document each: ``{"id", "text" | "html", "published"?, "title"?, "outlet"?, "url"?}``."""
    for lineno, line in enumerate(stream, start=1):
        if isinstance(line, str):
            line = line.encode("utf-8", errors="replace")
        if not line.strip():
            continue
        fallback_id = f"{source}:{lineno}"
        holder = RawDoc(doc_id=fallback_id)
        text = decode(line, holder)
        if text is None:
            yield holder
            continue
        try:
            obj = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield holder.fail("bad_json", f"line {lineno} is not valid JSON: {exc}")
            continue
        yield _from_json_object(obj, fallback_id, holder.errors)


def _from_json_object(obj, fallback_id: str, errors: list[ErrorInfo]) -> RawDoc:
    if not isinstance(obj, dict):
        return RawDoc(doc_id=fallback_id, errors=errors).fail("bad_record", "a JSON line must be an object")
    doc_id = obj.get("id", obj.get("doc_id"))
    doc_id = str(doc_id) if doc_id not in (None, "") else fallback_id
    meta = {}
    for key in ("published", "title", "outlet", "author", "url"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            value = str(value)
        meta[key] = value or None
    text, html = obj.get("text"), obj.get("html")
    raw = RawDoc(doc_id=doc_id, errors=list(errors), **meta)
    if isinstance(html, str) and html.strip() and not (isinstance(text, str) and text.strip()):
        raw.html, raw.kind = _strip_nul(html), "html"
        return raw
    if not isinstance(text, str):
        return raw.fail("missing_text", "the record has no 'text' (or 'html') string")
    if not text.strip():
        return raw.fail("empty", "the record's text is empty")
    raw.text = _strip_nul(text)
    raw.kind = "markdown" if sniff_kind(text) == "markdown" else "text"
    return raw


def read_inputs(files: Iterable[str], jsonl: str | None = None, stdin: IO[bytes] | None = None) -> Iterator[RawDoc]:
    """Every input the CLI names, in order: files, then ``--jsonl``, with ``-`` meaning stdin."""
    for f in files:
        if f == "-":
            if stdin is not None:
                yield from read_jsonl(stdin)
        else:
            yield from read_file(f)
    if jsonl:
        if jsonl == "-":
            if stdin is not None:
                yield from read_jsonl(stdin)
        else:
            yield from _jsonl_any(jsonl)


def _jsonl_any(path: str) -> Iterator[RawDoc]:
    """``--jsonl`` names a JSON-lines file whatever its extension."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            yield from read_jsonl(fh, source=p.name)
    except OSError as exc:
        yield RawDoc(doc_id=p.name).fail("not_found" if not p.exists() else "unreadable", f"cannot read {path}: {exc.strerror or exc}")
