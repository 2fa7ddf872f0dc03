"""HTML pages: main text and metadata with trafilatura."""

from __future__ import annotations

import logging
import re

from .readers import RawDoc

log = logging.getLogger(__name__)

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def html_to_text(raw: RawDoc) -> str | None:
    """Fill ``raw.text`` and missing metadata from ``raw.html``; paragraphs joined by blank lines.

    trafilatura returns ``None`` for several reasons; we say which one we know.
    """
    import trafilatura

    html = raw.html or ""
    try:
        result = trafilatura.bare_extraction(
            html, url=raw.url, with_metadata=True, include_comments=False, include_tables=False,
            favor_recall=True,
        )
    except Exception as exc:  # trafilatura raises lxml errors of many kinds on hostile markup
        log.debug("trafilatura failed on %s: %s", raw.doc_id, exc)
        result = None
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        fallback = _strip_tags(html)
        if not fallback.strip():
            raw.fail("no_text", "no readable text found in the HTML")
            return None
        raw.fail("html_fallback", "main-text extraction found nothing; using all visible text")
        text = fallback
    else:
        for attr, key in (("title", "title"), ("author", "author"), ("date", "published"),
                          ("sitename", "outlet"), ("url", "url")):
            value = getattr(result, attr, None)
            if value and not getattr(raw, key):
                setattr(raw, key, str(value).strip())
    if not raw.title:
        m = _TITLE.search(html)
        if m:
            raw.title = re.sub(r"\s+", " ", _unescape(m.group(1))).strip() or None
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n\n".join(paragraphs)


def _unescape(s: str) -> str:
    import html as htmllib

    return htmllib.unescape(s)


def _strip_tags(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|noscript)[^>]*>.*?</\1>", " ", html)
    text = re.sub(r"(?s)<[^>]+>", "\n", html)
    return "\n".join(line.strip() for line in _unescape(text).splitlines() if line.strip())
