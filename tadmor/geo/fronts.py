"""Which side held a settlement on a line of contact on a date (``data/fronts.yaml``).

A report of fire near a front-line settlement that names no shooter ("the SMM recorded
12 explosions near Zolote") tells of fire from across the line: the side that did not
hold the place fired. ``held_near`` finds such a settlement in a stretch of text and says
who held it and who was across the line from it.

    >>> h = held_near("the SMM recorded 12 explosions near Zolote-5.", 0, 45, "2020-05-02")
    >>> (h.place, h.side, h.other)
    ('Zolote-5', 'naf', 'ua-military')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .names import fold

DATA = Path(__file__).parent / "data" / "fronts.yaml"
CONTESTED = "contested"
# a run of capitalised words, hyphen- or space-joined ("Kalynove-Borshchuvate", "Zolote-5", "Oktiabr Mine")
_RUN = re.compile(r"[A-Z][\w'\u2019]*(?:(?: |-)(?:[A-Z0-9][\w'\u2019/]*))*")
# "Donetsk region", "Luhansk People's Republic": the division or the side, not the town
_NOT_TOWN = re.compile(r"\s*(?:region|oblast|province|regional|people|republic|militia|authorities)\b", re.I)
_LONGEST = 4  # words


def skeleton(name: str) -> str:
    """One key for a Ukrainian or Russian transliteration: "Avdiyivka" = "Avdiivka",
    "Kashtanovoye" = "Kashtanove", "Mar'yinka" = "Marinka"."""
    k = fold(name).replace("kh", "h").replace("ye", "e").replace("y", "i")
    k = re.sub(r"i+", "i", k)
    return re.sub(r"oe\b", "e", k)


@dataclass(frozen=True)
class Holder:
    front: str  # the front's name
    place: str  # the settlement as the text names it
    start: int
    end: int
    oblast: str  # ACLED admin1 spelling
    country: str
    side: str  # actor key of the side that held it
    other: str  # actor key of the side across the line


@dataclass(frozen=True)
class _Entry:
    front: dict
    name: str
    oblast: str | None
    side: str  # actor key, or CONTESTED


@lru_cache(maxsize=1)
def _data() -> tuple[dict, ...]:
    from ..yamlio import read_yaml

    return tuple(read_yaml(DATA))


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[_Entry, ...]]:
    index: dict[str, list[_Entry]] = {}
    for front in _data():
        for side, oblasts in front["held"].items():
            for oblast, names in oblasts.items():
                for item in names:
                    _add(index, front, item, oblast, side)
        for item in front.get("contested") or ():
            _add(index, front, item, None, CONTESTED)
    return {k: tuple(v) for k, v in index.items()}


def _spellings(item) -> list[str]:
    """A data file entry: a name, or a list [name, other spellings...]."""
    return [item] if isinstance(item, str) else list(item)


def _add(index, front, item, oblast, side) -> None:
    spellings = _spellings(item)
    for spelling in spellings:
        entries = index.setdefault(skeleton(spelling), [])
        entry = _Entry(front, spellings[0], oblast, side)
        if entry not in entries:
            entries.append(entry)


def _decide(entries: tuple[_Entry, ...], date: str, admin1: str | None) -> _Entry | None:
    live = [e for e in entries if str(e.front["from"]) <= date <= str(e.front["until"])]
    if admin1 and any(e.oblast == admin1 for e in live):
        # the oblast settles a name two oblasts list; a namesake elsewhere settles nothing
        live = [e for e in live if e.oblast in (admin1, None)]
    sides = {e.side for e in live}
    return live[0] if len(sides) == 1 else None


def held_near(text: str, start: int, end: int, date: str | None, admin1: str | None = None) -> Holder | None:
    """The one front-line settlement named in ``text[start:end]`` that a single side held on
    ``date`` (ISO), with both sides; None when no such place is named, when a place named is
    contested or split, or when the places named were held by different sides. ``admin1``, when
    it is one of the oblasts listing the name, settles names that more than one oblast lists."""
    if not date:
        return None
    index = _index()
    found: list[Holder] = []
    for run in _RUN.finditer(text, start, end):
        words = [(w.start() + run.start(), w.end() + run.start()) for w in re.finditer(r"[^ ]+", run.group())]
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + _LONGEST), i, -1):
                s, e = words[i][0], words[j - 1][1]
                entries = index.get(skeleton(text[s:e]))
                if not entries:
                    continue
                if _NOT_TOWN.match(text, e):
                    break  # "Donetsk region", "Luhansk People's Militia": the division or the side
                entry = _decide(entries, date, admin1)
                if entry is None or entry.side == CONTESTED:
                    return None
                sides = list(entry.front["held"])
                other = next(k for k in sides if k != entry.side)
                found.append(Holder(entry.front["name"], text[s:e], s, e, entry.oblast, entry.front["country"],
                                    entry.side, other))
                i = j - 1
                break
            i += 1
    if not found or len({h.side for h in found}) > 1:
        return None
    return found[0]


def fronts() -> list[dict]:
    """The lines of contact as written: name, country, period, and per side, by oblast, the settlements
    (first spelling) it held; plus the contested places (for `tadmor fronts`)."""
    return [{
        "key": front["key"], "name": front["name"], "country": front["country"],
        "from": str(front["from"]), "until": str(front["until"]),
        "held": {side: {oblast: [_spellings(i)[0] for i in names] for oblast, names in oblasts.items()}
                 for side, oblasts in front["held"].items()},
        "contested": [_spellings(i)[0] for i in front.get("contested") or ()],
    } for front in _data()]
