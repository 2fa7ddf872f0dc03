"""Sections: the report, the author's commentary, and boilerplate.

A paragraph is the unit. Boilerplate (comment forms, membership appeals,
disclaimers, bios, share links, tag lines) is recognised by its shape; the
commentary starts at a marker line ("My Comment:", "Analysis:") or is a
paragraph written in the author's own opinion voice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Section

# A line that opens the author's commentary; everything after it, up to boilerplate, is commentary.
COMMENTARY_MARKER = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?\s*(?:my|our|the editor'?s?|editor'?s?)?\s*"
    r"(?:comment(?:ary)?|take|view|opinion|analysis|thoughts|verdict|note|perspective)s?\s*(?:\*\*)?\s*:?\s*(?:\*\*)?\s*$",
    re.I,
)
COMMENTARY_INLINE = re.compile(r"^\s*(?:\*\*)?(?:My|Our)\s+(?:comment|take|view|opinion)s?\s*:", re.I)

# Boilerplate by shape: these lines are never part of the story.
BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"(?:no|\d+)\s+comments?\s*:?"
    r"|post\s+a\s+comment|leave\s+a\s+(?:reply|comment)|add\s+(?:a|your)\s+comment|comments?\s+(?:are\s+)?closed"
    r"|comment\s+on\s+.{0,80}|share\s+(?:this|on|via)\b.{0,60}|tweet\s+this|print\s+this|email\s+this"
    r"|(?:become|sign\s+up|subscribe|register)\b.{0,80}(?:member|newsletter|subscri).{0,60}"
    r"|(?:support|donate|fund)\b.{0,40}(?:our|us|independent|journalism|work).{0,80}"
    r"|articles?\s+by\s*:.{0,80}|related\s*(?:articles|stories|posts|:).{0,80}|read\s+more\s*:.{0,120}"
    r"|(?:\W*)?about\s+the\s+author\s*:?\W*|disclaimer\s*:.*|for\s+media\s+inquiries.*"
    r"|(?:all\s+rights\s+reserved|copyright|©).*|(?:follow|like)\s+us\b.{0,80}"
    r"|(?:tags?|categor(?:y|ies)|filed\s+under|region|theme|topics?|in-depth\s+report|labels?)\s*:.{0,200}"
    r"|(?:www\.|https?://)\S+.*(?:copyright|material|rights).*"
    r"|we\s+use\s+cookies.*|(?:this\s+(?:site|website)\s+uses\s+cookies).*|click\s+here\b.{0,80}"
    r"|the\s+original\s+source\s+of\s+this\s+article\s+is.{0,120}"
    r")\s*$",
    re.I,
)
# Paragraphs of boilerplate prose: legal notices, fair-use statements, author bios.
BOILERPLATE_PROSE = re.compile(
    r"contains copyrighted material|fair use|will not be responsible for any|grants permission to cross-post"
    r"|of sole responsibility of the author|views expressed (?:in this article )?are (?:those|the author)"
    r"|do not necessarily reflect|is a frequent contributor|is a regular contributor|writes regularly for"
    r"|you can follow (?:him|her|them) on|is the author of the book",
    re.I,
)

# Cues of the author's own opinion voice (op-ed and analysis), counted per paragraph.
OPINION_CUES = re.compile(
    r"\b(?:I|I'm|I've|I'd|me|my|myself|let's|let us)\b"
    r"|\b(?:should|shouldn't|must|ought to|needs? to)\b"
    r"|\b(?:of course|surely|clearly|undeniabl[ey]|no denying|it seems|it goes without saying|ironically"
    r"|in my (?:view|opinion)|the author|perhaps|needless to say|to say the least|let's remember)\b",
)
_QUOTED = re.compile(r"[\"“][^\"”]{0,400}[\"”]")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str


def paragraphs(view: str) -> list[Paragraph]:
    """Blank-line separated blocks (a single line break keeps a paragraph together)."""
    out = []
    for m in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", view):
        block = m.group(0)
        if block.strip():
            lead = len(block) - len(block.lstrip())
            trail = len(block.rstrip())
            out.append(Paragraph(m.start() + lead, m.start() + trail, block.strip()))
    return out


def classify(view: str, author: str | None = None) -> list[Section]:
    """Sections covering every paragraph of ``view`` (the input with Markdown syntax blanked)."""
    paras = paragraphs(view)
    kinds: list[str] = []
    in_commentary = False
    bio_next = False
    for i, p in enumerate(paras):
        first_line = p.text.split("\n", 1)[0]
        if bio_next or _is_boilerplate(p, author, i, len(paras)):
            bio_next = bool(re.match(r"^\W*about\s+the\s+author", p.text, re.I))
            kinds.append("boilerplate")
            continue
        if COMMENTARY_MARKER.match(first_line) or COMMENTARY_INLINE.match(first_line):
            in_commentary = True
        if in_commentary or _opinion_voice(p.text):
            kinds.append("commentary")
        else:
            kinds.append("report")
    # boilerplate at the end swallows the short lines between its pieces (share links, names)
    sections: list[Section] = []
    for p, kind in zip(paras, kinds):
        if sections and sections[-1].kind == kind:
            sections[-1] = Section(kind=kind, start=sections[-1].start, end=p.end)
        else:
            sections.append(Section(kind=kind, start=p.start, end=p.end))
    return sections


def _is_boilerplate(p: Paragraph, author: str | None, index: int, total: int) -> bool:
    lines = [line for line in p.text.split("\n") if line.strip()]
    if lines and all(BOILERPLATE_LINE.match(line) for line in lines):
        return True
    if BOILERPLATE_PROSE.search(p.text):
        return True
    # an author's bio: "<Author> is an American analyst …" in the last part of the article
    if author and index > total * 0.6:
        flat = re.sub(r"[*_]", "", p.text).strip()
        if flat.startswith(author) and re.match(r"\s+(?:is|was|has|writes|works)\b", flat[len(author):]):
            return True
    return False


def _opinion_voice(text: str) -> bool:
    """An analyst's or op-ed writer's own voice: several opinion cues outside quotations."""
    bare = _QUOTED.sub(" ", text)
    sentences = max(1, len(re.findall(r"[.!?](?:\s|$)", bare)))
    cues = len(OPINION_CUES.findall(bare))
    return cues >= 3 and cues / sentences >= 0.5
