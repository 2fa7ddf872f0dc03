"""Readers, metadata, sections and text views: everything before the NLP stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Document, ErrorInfo, Section
from .html import html_to_text
from .metadata import read_metadata
from .readers import RawDoc, read_file, read_inputs, read_jsonl, scrub_surrogates, sniff_kind
from .sections import classify
from .views import CleanText, blank, broken_lines, clean_view, markdown_syntax, merge

__all__ = ["Prepared", "prepare", "RawDoc", "read_file", "read_inputs", "read_jsonl", "sniff_kind"]


@dataclass
class Prepared:
    """A document ready for the NLP stages: its contract shell and the views they read."""

    document: Document
    nlp_text: str | None = None  # same length as document.text; None when unreadable
    published: dt.date | None = None
    clean: CleanText | None = None
    skip: list[tuple[int, int]] = field(default_factory=list)  # boilerplate ranges


def prepare(raw: RawDoc, max_chars: int = 1_000_000) -> Prepared:
    """Read, measure and section one document; never raises for bad content."""
    scrub_surrogates(raw)
    doc = Document(doc_id=raw.doc_id, errors=list(raw.errors))
    prepared = Prepared(document=doc)
    if raw.html is not None and raw.text is None:
        raw.text = html_to_text(raw)
        doc.errors = list(raw.errors)
    if raw.text is None:
        _copy_given(raw, doc)
        return prepared
    text = raw.text
    if len(text) > max_chars:
        text = text[:max_chars]
        doc.errors.append(ErrorInfo(code="truncated", message=f"text longer than {max_chars} characters; the rest was not read"))
    doc.text = text
    if not text.strip():  # the readers say so for files and JSON lines; a library caller's text gets the same
        doc.errors.append(ErrorInfo(code="empty", message="the document has no text"))
    syntax = markdown_syntax(text) if raw.kind == "markdown" else []
    view = blank(text, syntax)
    meta = read_metadata(view, raw.kind)
    _copy_given(raw, doc)
    doc.title = doc.title or meta.title
    doc.outlet = doc.outlet or meta.outlet
    doc.author = doc.author or meta.author
    doc.published = doc.published or meta.published or raw.fallback_published
    doc.original_source = meta.original_source
    doc.relays = meta.relays
    doc.sections = classify(view, doc.author)
    skip = [(s.start, s.end) for s in doc.sections if s.kind == "boilerplate"]
    joins = broken_lines(view)
    prepared.clean = clean_view(text, skip, syntax, joins)
    doc.clean_text = prepared.clean.text
    prepared.skip = skip
    prepared.nlp_text = blank(blank(view, skip), joins, keep_newlines=False)
    prepared.published = _as_date(doc, doc.published)
    return prepared


def _copy_given(raw: RawDoc, doc: Document) -> None:
    doc.title, doc.outlet, doc.author, doc.url = raw.title, raw.outlet, raw.author, raw.url
    if raw.published:
        doc.published = raw.published[:10]


def _as_date(doc: Document, value: str | None) -> dt.date | None:
    if not value:
        return None
    from ..time import parse_date
    from ..time.mentions import FIRST_YEAR, LAST_YEAR, plausible

    try:
        parsed = dt.date.fromisoformat(value[:10])
        why = f"published date {value!r} is not between the years {FIRST_YEAR} and {LAST_YEAR}"
    except ValueError:
        parsed = parse_date(value)
        why = f"cannot read published date {value!r}"
    if plausible(parsed) is None:
        doc.errors.append(ErrorInfo(code="bad_date", message=why))
        doc.published = None
        return None
    doc.published = parsed.isoformat()
    return parsed


def section_at(sections: list[Section], offset: int) -> str:
    for s in sections:
        if s.start <= offset < s.end:
            return s.kind
    return "report"
