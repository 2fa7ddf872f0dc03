"""Inputs at volume: WARC crawl files, RSS/Atom feeds, and directories of mixed files.

Each yields ``RawDoc``s like the single-file readers, streaming: a WARC file of
any size is read record by record, never whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .readers import RawDoc, decode, sniff_kind

_FEED_SNIFF = re.compile(rb"<(?:rss|rdf:RDF|feed)[\s>]", re.I)
_CHARSET = re.compile(r"charset=([\w-]+)", re.I)


def is_warc(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))


def is_feed(path: Path, head: bytes | None = None) -> bool:
    if path.suffix.lower() in (".rss", ".atom"):
        return True
    if head is None:
        try:
            with path.open("rb") as fh:
                head = fh.read(2048)
        except OSError:
            return False
    stripped = head.lstrip()
    return bool(_FEED_SNIFF.search(head)) and stripped.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))


def read_warc(path: Path) -> Iterator[RawDoc]:
    """HTML responses of a WARC file (e.g. Common Crawl's news archive): URL kept, crawl date as fallback."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh, arc2warc=True):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    continue
                n += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                crawl_date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
                doc_id = record.rec_headers.get_header("WARC-Record-ID") or f"{path.name}#{n}"
                doc_id = doc_id.strip("<>").removeprefix("urn:uuid:")
                raw = RawDoc(doc_id=doc_id, url=url, kind="html")
                body = record.content_stream().read()
                charset = _CHARSET.search(ctype)
                text = _decode_html(body, charset.group(1) if charset else None, raw)
                if text is not None:
                    raw.html = text
                    raw.fallback_published = crawl_date
                yield raw
    except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
        yield RawDoc(doc_id=f"{path.name}#{n + 1}").fail("bad_warc", f"cannot read WARC {path.name} after {n} records: {exc}")
        return
    if n == 0:  # the file still gets its output line
        yield RawDoc(doc_id=path.name).fail("no_documents", f"the WARC file {path.name} holds no HTML responses")


def _decode_html(body: bytes, charset: str | None, raw: RawDoc) -> str | None:
    if charset and charset.lower().replace("-", "") not in ("utf8",):
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(body, raw)


def read_feed(path: Path) -> Iterator[RawDoc]:
    """Entries of an RSS or Atom file: title, link, date, and content or summary."""
    import feedparser

    try:
        data = path.read_bytes()
    except OSError as exc:
        yield RawDoc(doc_id=path.name).fail("unreadable", f"cannot read {path}: {exc.strerror or exc}")
        return
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        yield RawDoc(doc_id=path.name).fail("bad_feed", f"not a readable RSS/Atom feed: {parsed.get('bozo_exception')}")
        return
    if not parsed.entries:
        yield RawDoc(doc_id=path.name).fail("no_documents", f"the feed {path.name} has no entries")
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for i, entry in enumerate(parsed.entries, start=1):
        doc_id = entry.get("id") or entry.get("link") or f"{path.name}#{i}"
        body = ""
        if entry.get("content"):
            body = entry["content"][0].get("value", "")
        body = body or entry.get("summary", "") or ""
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
        raw = RawDoc(doc_id=str(doc_id), title=(entry.get("title") or "").strip() or None, url=entry.get("link"),
                     published=published, outlet=outlet)
        if not body.strip():
            yield raw.fail("empty", "the feed entry has no content or summary")
            continue
        if sniff_kind(body) == "html" or "<p" in body or "<br" in body:
            raw.html, raw.kind = f"<html><body><article>{body}</article></body></html>", "html"
        else:
            raw.text = body
        yield raw


def walk(directory: Path) -> Iterator[Path]:
    """Every file below a directory, in a stable order, hidden files skipped."""
    for p in sorted(directory.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(directory).parts):
            yield p
