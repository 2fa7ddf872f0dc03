"""Views of a document's text that keep offsets honest.

* ``nlp_text``: the input with non-prose characters (Markdown syntax,
  boilerplate, line breaks inside a sentence) replaced by spaces. It has the
  same length as the input, so every spaCy offset is an offset into
  ``Document.text``.
* ``clean_text``: the readable article for people (boilerplate dropped, broken
  lines joined, Markdown link syntax gone), with an offset map back to the input.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_LINK = re.compile(r"(!?)\[([^\]\n]{0,500})\]\(([^)\s]*)(?:\s+\"[^\"\n]*\")?\)")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+", re.M)
_QUOTE_MARK = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
# a line that stops without closing punctuation, a blank line, then a lowercase continuation
_BROKEN = re.compile(r"(?<=[\w,'’;\-–])[ \t]*\n(?:[ \t]*\n)+[ \t]*(?=[a-z])")

Ranges = list[tuple[int, int]]


def markdown_syntax(text: str) -> Ranges:
    """Character ranges that are Markdown syntax, not words."""
    ranges: Ranges = []
    for m in _LINK.finditer(text):
        bang, label = m.group(1), m.group(2)
        start = m.start()
        label_start = start + len(bang) + 1
        ranges.append((start, label_start))  # "[" or "!["
        ranges.append((label_start + len(label), m.end()))  # "](url)"
    for m in _EMPHASIS.finditer(text):
        marker = m.group(1) or "*"
        ranges.append((m.start(), m.start() + len(marker)))
        ranges.append((m.end() - len(marker), m.end()))
    for m in _HEADING.finditer(text):
        ranges.append((m.start(1), m.end()))
    for m in _QUOTE_MARK.finditer(text):
        ranges.append((m.start(), m.end()))
    return merge(ranges)


def broken_lines(text: str) -> Ranges:
    """Whitespace runs that break a sentence across lines; to be read as one space."""
    return [(m.start(), m.end()) for m in _BROKEN.finditer(text)]


def merge(ranges: Ranges) -> Ranges:
    out: Ranges = []
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def blank(text: str, ranges: Ranges, keep_newlines: bool = True) -> str:
    """Replace the characters in ``ranges`` by spaces, keeping the length (and newlines if asked)."""
    if not ranges:
        return text
    chars = list(text)
    for s, e in ranges:
        for i in range(s, min(e, len(chars))):
            if not (keep_newlines and chars[i] == "\n"):
                chars[i] = " "
    return "".join(chars)


@dataclass(frozen=True)
class CleanText:
    """Readable text plus a map from each of its characters back to the input."""

    text: str
    _clean_starts: tuple[int, ...]
    _source_starts: tuple[int, ...]

    def to_source(self, i: int) -> int:
        """Offset in the input of ``clean_text[i]``."""
        k = bisect.bisect_right(self._clean_starts, i) - 1
        if k < 0:
            return 0
        return self._source_starts[k] + (i - self._clean_starts[k])


def clean_view(text: str, drop: Ranges, syntax: Ranges, joins: Ranges) -> CleanText:
    """Build ``clean_text``: drop ``drop`` and ``syntax`` ranges, read ``joins`` as one space."""
    dropped = merge(list(drop) + list(syntax))
    edits = [(s, e, "") for s, e in dropped]
    for s, e in joins:
        if not any(ds <= s < de for ds, de in dropped):
            edits.append((s, e, " "))
    edits.sort()
    if not edits and "\n\n\n" not in text and not text[:1].isspace():
        # nothing to drop or collapse (most short texts): the text itself, its end trimmed
        out = text.rstrip()
        return CleanText(out, (0,) if out else (), (0,) if out else ())
    chars: list[str] = []
    source: list[int] = []
    pos = 0
    for s, e, repl in edits + [(len(text), len(text), "")]:
        s = max(s, pos)
        chars.extend(text[pos:s])
        source.extend(range(pos, s))
        if repl and e > s:
            chars.append(repl)
            source.append(s)
        pos = max(pos, e)
    # collapse the runs of blank lines left where boilerplate was; strip the ends
    out_chars: list[str] = []
    out_source: list[int] = []
    newlines = 2
    for ch, src in zip(chars, source):
        if ch == "\n":
            if newlines >= 2:
                continue
            newlines += 1
        elif ch in " \t" and newlines >= 2 and not out_chars:
            continue
        else:
            newlines = 0
        out_chars.append(ch)
        out_source.append(src)
    while out_chars and out_chars[-1].isspace():
        out_chars.pop()
        out_source.pop()
    clean_starts: list[int] = []
    source_starts: list[int] = []
    for i, src in enumerate(out_source):
        if not i or src != out_source[i - 1] + 1:
            clean_starts.append(i)
            source_starts.append(src)
    return CleanText("".join(out_chars), tuple(clean_starts), tuple(source_starts))
