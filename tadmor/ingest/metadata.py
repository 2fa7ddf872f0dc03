"""Metadata read from the article itself when the input gives none.

Title, published date (datelines in their many forms), outlet, author,
the original source of a cross-posted piece, and the wire services the text
credits. Rules look at the shape of lines, never at one outlet's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import OriginalSource

HEAD_LINES = 16  # datelines, bylines and titles sit at the top of an article

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun)\.?,?\s+"
_DATE = (
    rf"(?:{_WEEKDAY})?(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
_TIME = r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|UTC[+-]?\d*)?\s*[,|·-]?\s*)"

DATE_ONLY = re.compile(rf"^\s*(?:{_TIME})?(?P<date>{_DATE})\s*(?:{_TIME})?\s*$", re.I)
OUTLET_COMMA_DATE = re.compile(rf"^\s*(?P<outlet>[A-Z][\w&.'’-]*(?:\s+[\w&.'’-]+){{0,5}}?)\s*[,|·–—-]\s*(?P<date>{_DATE})\s*$")
OUTLET_SPACE_DATE = re.compile(rf"^\s*(?P<outlet>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){{0,5}})\s+(?P<date>{_DATE})\s*$")
PUBLISHED = re.compile(
    rf"^\s*(?:Published|Posted|First published|Last updated|Updated|Date)(?:\s+(?:on|at))?\s*:?\s*"
    rf"(?:{_TIME})?(?P<date>{_DATE})", re.I,
)
BYLINE = re.compile(r"^\s*(?:By|BY|Written by|Words by)\s*:?\s+(?P<name>[^\n]{2,120}?)\s*$")
WIRE_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .'’-]{1,40})(?:,\s*[A-Za-z .'’-]{2,40})?"
    rf"(?:,\s*(?:(?P<mon>{_MONTHS})\.?\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<mon2>{_MONTHS})))?\s*"
    r"\((?P<wire>[A-Za-z .'’-]{2,40})\)\s*[-—–]", re.M,
)
ORIGINAL = re.compile(
    r"(?:original source of this (?:article|piece|post) is|(?:was\s+)?(?:first|originally)\s+(?:published|appeared|posted)"
    r"\s+(?:in|at|by|on)|(?:article|piece|post)\s+(?:first\s+)?appeared\s+(?:first\s+)?(?:in|at|on)|republished\s+from|"
    r"cross-posted\s+from|reprinted\s+(?:with permission\s+)?from)\s*:?\s+(?:the\s+)?"
    r"(?P<outlet>(?-i:[A-Z][\w&.'’-]*(?:[ \t]+(?:(?:of|the|and|for|on|&)[ \t]+)?[A-Z][\w&.'’-]*){0,5}))"
    rf"(?P<rest>[^\n]{{0,80}})", re.I,
)
_DATE_IN = re.compile(_DATE, re.I)

# Wire services and agencies whose reports outlets relay, with the name we report.
WIRES = {
    "reuters": "Reuters", "ap": "AP", "associated press": "AP", "afp": "AFP",
    "agence france-presse": "AFP", "agence france presse": "AFP", "xinhua": "Xinhua",
    "anadolu": "Anadolu Agency", "anadolu agency": "Anadolu Agency", "dpa": "dpa", "efe": "EFE",
    "ansa": "ANSA", "upi": "UPI", "tass": "TASS", "ria novosti": "RIA Novosti", "ani": "ANI",
    "pti": "PTI", "ians": "IANS", "kyodo": "Kyodo", "yonhap": "Yonhap", "bernama": "Bernama",
    "sana": "SANA", "irna": "IRNA", "bloomberg": "Bloomberg",
}
_WIRE_NAMES = "|".join(sorted((re.escape(k) for k in WIRES), key=len, reverse=True))
# A wire credited as a source: "(Reuters)", "Reuters reported", "according to AFP", "told Reuters",
# a photo or line credit "… Palmyra. Reuters." and "Photo: AP".
CREDIT = re.compile(
    rf"\((?P<a>{_WIRE_NAMES})\)"
    rf"|\b(?P<b>{_WIRE_NAMES})\s+(?:reported|reports|said|news agency|contributed|correspondent)"
    rf"|(?:according to|told|reported by|via|cited by|quoted by)\s+(?:the\s+)?(?P<c>{_WIRE_NAMES})\b"
    rf"|(?:Photo|Image|Source|Credit|Photograph)\s*:\s*(?P<d>{_WIRE_NAMES})\b"
    rf"|(?:(?<=[.!?] )|(?<=^))(?P<e>{_WIRE_NAMES})\.(?=\s|$)",
    re.M | re.I,
)
_CASE_SENSITIVE_WIRES = {"ap", "ani", "pti", "efe", "upi", "sana", "afp", "dpa"}


@dataclass
class Metadata:
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    original_source: OriginalSource | None = None
    relays: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)


def _lines(text: str, limit: int | None = None):
    pos = 0
    out = []
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
            if limit and len(out) >= limit:
                break
        pos += len(line) + 1
    return out


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _iso(s: str) -> str | None:
    from ..time import parse_date

    d = parse_date(_squash(s))
    return d.isoformat() if d else None


def read_metadata(view: str, kind: str) -> Metadata:
    """Metadata from ``view``: the text with Markdown syntax blanked (same offsets as the input)."""
    meta = Metadata()
    head = _lines(view, HEAD_LINES)
    original = _original_source(view)
    if original:
        meta.original_source = original
    used: set[int] = set()  # head lines that are datelines, bylines or outlet names, not the title
    for i, (pos, line) in enumerate(head):
        flat = _squash(line)
        date_line = DATE_ONLY.match(flat) or PUBLISHED.match(flat)
        if date_line:
            used.add(pos)
            iso = _iso(date_line["date"])
            if iso and not meta.published:
                meta.published, meta.reasons["published"] = iso, f"date line {flat!r}"
            # an outlet's name on the line just above its date, in the same block
            if i and pos - len(head[i - 1][1]) - 1 == head[i - 1][0]:
                above = _squash(head[i - 1][1])
                if _looks_like_name(above) and not meta.outlet:
                    meta.outlet = re.split(r"\s+[-|–—·]\s+", above)[0]
                    used.add(head[i - 1][0])
        elif (m := OUTLET_COMMA_DATE.match(flat) or OUTLET_SPACE_DATE.match(flat)) and not BYLINE.match(flat):
            iso = _iso(m["date"])
            outlet = m["outlet"].strip(" ,|-–—")
            if not iso:
                continue
            used.add(pos)
            if original and _same_name(outlet, original.outlet):
                original.published = original.published or iso
            elif not meta.published or not meta.outlet:
                meta.outlet = meta.outlet or outlet
                meta.published = iso
                meta.reasons["published"] = f"outlet dateline {flat!r}"
        elif (m := BYLINE.match(flat)):
            used.add(pos)
            meta.author = meta.author or _clean_author(m["name"])
    meta.title = _title(view, kind, used)
    meta.relays = _relays(view)
    if not meta.outlet and (m := WIRE_DATELINE.search(view[:2000])):
        credit = _squash(m["wire"])
        if credit.lower() not in WIRES and _looks_like_name(credit):
            meta.outlet = credit  # "KANO, Aug 11 (Sahel Daily) -": the outlet's own dateline
    if original and original.outlet and meta.outlet and _same_name(original.outlet, meta.outlet):
        meta.original_source = None  # the outlet naming itself is not a cross-post
    return meta


def _looks_like_name(line: str) -> bool:
    """A masthead: a few capitalised words, no sentence punctuation."""
    words = line.split()
    if not 1 <= len(words) <= 9 or line[-1:] in ".!?:,;":
        return False
    caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return caps / len(words) >= 0.6


def _same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    norm = lambda s: re.sub(r"[^a-z0-9]", "", s.lower().removeprefix("the "))
    return norm(a) == norm(b)


def _clean_author(name: str) -> str | None:
    name = re.split(r"\s+[|·•]\s+|,\s+(?=[A-Z][a-z]+\s+(?:Correspondent|Editor|Reporter|Staff))|\s+-\s+", name)[0]
    name = name.strip(" ,.;:*_")
    words = name.split()
    if not words or len(words) > 8 or not name[0].isupper():
        return None
    return name


def _original_source(view: str) -> OriginalSource | None:
    m = ORIGINAL.search(view)
    if not m:
        return None
    outlet = _squash(m["outlet"]).rstrip(".,;:")
    outlet = re.split(r"\s+(?:on|in|at)\s*$", outlet)[0]
    published = None
    if d := _DATE_IN.search(m["rest"]):
        published = _iso(d.group(0))
    return OriginalSource(outlet=outlet, published=published)


def _title(view: str, kind: str, skip: set[int]) -> str | None:
    if kind == "markdown":
        if m := re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", view, re.M):
            return _squash(m.group(1)) or None
    lines = _lines(view, HEAD_LINES)
    if len(lines) < 2:
        return None  # a single paragraph (a note, a snippet) has no headline
    for pos, line in lines[:8]:
        flat = _squash(line)
        if pos in skip or BYLINE.match(flat) or PUBLISHED.match(flat) or WIRE_DATELINE.match(flat):
            continue
        words = flat.split()
        if 2 <= len(words) <= 30 and not flat.endswith(":"):
            return flat
        break
    return None


def _relays(view: str) -> list[str]:
    found: list[str] = []
    for m in WIRE_DATELINE.finditer(view):
        name = WIRES.get(m["wire"].strip().lower())
        if name and name not in found:
            found.append(name)
    for m in CREDIT.finditer(view):
        raw = next(g for g in m.groups() if g)
        key = raw.lower()
        if key in _CASE_SENSITIVE_WIRES and raw != raw.upper():
            continue  # "ap" or "Ani" in running text is not the agency
        name = WIRES.get(key)
        if name and name not in found:
            found.append(name)
    return found
