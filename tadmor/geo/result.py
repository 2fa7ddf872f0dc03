"""What geoparsing one document yields: its places and a way to locate events."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .. import model
from .detect import ROAD_NOUNS
from .gazetteer import ADMIN1, ADMIN2, CONTINENT, COUNTRY, FACILITY, PLACE, REGION, Gazetteer
from .resolve import Resolved

# most specific first: ACLED codes the smallest place the report names
SPECIFICITY = {FACILITY: 0, PLACE: 1, ADMIN2: 2, REGION: 3, ADMIN1: 4, COUNTRY: 5, CONTINENT: 6}
# ACLED geo_precision 2: "near X", "outskirts of X", "X district", "20 km north of X"
NEAR = re.compile(r"(?:near|nearby|outskirts of|outside(?: of)?|around|close to|vicinity of|"
                  r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?(?: part)? of|"
                  r"\bkm\b[^.]{0,25}of|kilometers?[^.]{0,25}of|miles?[^.]{0,25}of|villages? (?:in|of|near)|"
                  r"countryside of|rural|areas? of|parts? of|surroundings of)\W*$", re.I)
DISTRICT_AFTER = re.compile(r"^\s*(?:district|districts|sub-?district|area|countryside|region|county)\b", re.I)
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|on|inside|outside|into|of)\s+(?:the\s+)?(?:\w+\s+){0,3}$", re.I)
LOOK_BACK = 1_800  # characters before an event within which a place named (ending < 1,500 before) may start
PART_OF_TOWN = re.compile(r"\s+(?:neighbou?rhoods?|quarter|suburb)\b", re.I)
ANAPHOR = re.compile(r"\b(?:the|this|that) (?:city|town)\b(?! of\b)", re.I)
SOURCE_BEFORE = re.compile(r"\b(?:from|to|toward|towards)\s+(?:the\s+)?$", re.I)
# "blocked the Quba-Baku highway in Sumqayit": a road's end is where it leads, not where it was blocked
_ROAD = rf"\s+(?i:{'|'.join(sorted(ROAD_NOUNS))})\b"
_NAME = r"[A-Z][\w'’.]*(?:\s[A-Z][\w'’.]*){0,2}"
ROAD_FROM = re.compile(rf"\s?-\s?{_NAME}{_ROAD}")  # after the road's first town
ROAD_TO_BEFORE = re.compile(rf"{_NAME}\s?-\s?$")  # before its last town ...
ROAD_TO_AFTER = re.compile(_ROAD)  # ... and after it
# a wire dateline opening a paragraph: "BEIRUT -", "MORELIA, Michoacán -", "KANO, Nigeria, Aug 11 (AFP) -".
# It names where the story was filed, which is often not where the event happened.
DATELINE_HEAD = re.compile(r"^[ \t]*(?P<name>[^\W\d_][^\W\d_'’.]*(?:[ '’.-][^\W\d_]+){0,3})"
                           r"(?:,[ \t]*[^\n,()\-—–]{2,40}){0,2}(?:[ \t]*\([^()\n]{2,40}\))?[ \t]*(?:—|–|--|-)[ \t]",
                           re.M)


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the wire datelines opening paragraphs, from the place name (in capitals)
    to the dash: "KANO, Nigeria, Aug 11 (AFP) -"."""
    out = []
    for m in DATELINE_HEAD.finditer(text):
        name = m.group("name")
        if len(name) >= 3 and name == name.upper() and any(c.isalpha() for c in name):
            out.append((m.start("name"), m.end()))
    return out


@dataclass
class GeoResult:
    places: list[model.Place]
    focus_country: str | None
    resolved: list[Resolved] = field(default_factory=list, repr=False)
    text: str = field(default="", repr=False)
    gazetteer: Gazetteer | None = field(default=None, repr=False)
    _datelines: list[tuple[int, int]] | None = field(default=None, repr=False, compare=False)
    _divisions: tuple[list, list] | None = field(default=None, repr=False, compare=False)
    _placed: tuple | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------ events
    def _by_start(self) -> tuple[list[int], list[Resolved], list[Resolved]]:
        """Once per document: the places named outside datelines in text order with their
        starts (for bisection: a long text places many events), and those in datelines."""
        if self._placed is None:
            everything = sorted((r for r in self.resolved if r.chosen is not None and r.mention.role == "literal"),
                                key=lambda r: r.mention.start)
            filed = [self._in_dateline(r) for r in everything]
            literal = [r for r, d in zip(everything, filed) if not d]
            self._placed = ([r.mention.start for r in literal], literal,
                            [r for r, d in zip(everything, filed) if d])
        return self._placed

    def _window(self, lo: int, hi: int) -> list[Resolved]:
        """The places named (outside datelines) starting in [lo, hi), in text order."""
        starts, literal, _ = self._by_start()
        return literal[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]

    def _in_dateline(self, r: Resolved) -> bool:
        if self._datelines is None:
            self._datelines = dateline_spans(self.text)
        return r.mention.source == "dateline" or any(s <= r.mention.start < e for s, e in self._datelines)

    def locate(self, start: int, end: int) -> model.Location | None:
        # a dateline names where the story was filed: the event's place only when the report names no other
        window = self._window
        datelined = [r for r in self._by_start()[2] if r.mention.start < end
                     and r.chosen.entry.kind not in (COUNTRY, CONTINENT)]
        inside = [r for r in window(start, end) if r.mention.end <= end]
        specific = [r for r in inside if r.chosen.entry.kind not in (COUNTRY, CONTINENT)]
        first = min((r.mention.start for r in specific), default=end)
        if ANAPHOR.search(self.text, start, first):
            # "... defending the city in order to throw them into the battle in Aleppo": "the city",
            # said before any name, is the town the text named last
            before = [r for r in window(start - LOOK_BACK, start) if r.mention.end <= start
                      and start - r.mention.end < 1500 and r.chosen.entry.kind == PLACE]
            if before:
                r = max(before, key=lambda r: r.mention.start)
                return self._location(r, "the town the evidence calls 'the city'")
        if specific:
            best = min(specific, key=lambda r: self._rank(r))
            if self._weak(best):
                # a neighbourhood, or a namesake outside the division named: the sentence's town instead
                s0, s1 = self._sentence(start, end)
                pool = [r for r in window(s0, s1) if r.mention.end <= s1
                        and r.chosen.entry.kind not in (COUNTRY, CONTINENT)]
                alt = min(pool, key=lambda r: self._rank(r))
                if not self._weak(alt) and SPECIFICITY.get(alt.chosen.entry.kind, 9) <= SPECIFICITY[ADMIN2]:
                    return self._location(alt, "named in the evidence's sentence")
            return self._location(best, "named in the evidence")
        # A country alone in the evidence is often the actor ("Russia launched 64 strikes in
        # the area"): a specific place named around it says where, as an analyst reads it.
        # the evidence may be one clause of a sentence that names the place elsewhere
        s0, s1 = self._sentence(start, end)
        around = [r for r in window(s0, s1) if r.mention.end <= s1
                  and r.chosen.entry.kind not in (COUNTRY, CONTINENT)]
        if around:
            best = min(around, key=lambda r: self._rank(r))
            return self._location(best, "named in the evidence's sentence")
        before = [r for r in window(start - LOOK_BACK, start) if r.mention.end <= start
                  and start - r.mention.end < 1500 and r.chosen.entry.kind not in (COUNTRY, CONTINENT)]
        if before:
            # the sentence before that names a place, read as the evidence's own: its most specific
            # place ("In Jussara, Goias, police seized ... Two people were arrested": Jussara)
            last = max(before, key=lambda r: r.mention.start)
            b0, _ = self._sentence(last.mention.start, last.mention.end)
            r = min((r for r in before if r.mention.start >= b0), key=lambda r: self._rank(r))
            return self._location(r, "the last place named before the evidence", floor=2)
        if datelined:
            r = max(datelined, key=lambda r: r.mention.start)
            return self._location(r, "no other place in or before the evidence: the dateline's town", floor=2)
        after = [r for r in window(end, end + 300) if r.chosen.entry.kind not in (COUNTRY, CONTINENT)]
        if after:
            r = min(after, key=lambda r: r.mention.start)
            return self._location(r, "the first place named after the evidence", floor=2)
        if inside:
            return self._location(min(inside, key=lambda r: self._rank(r)), "only a country is named in the evidence")
        countries = [r for r in window(s0, s1) if r.chosen.entry.kind == COUNTRY and r.mention.end <= s1]
        if countries:
            return self._location(countries[0], "only a country is named around the evidence")
        return self.at_country(self.focus_country, "no place in or near the evidence: the document's country")

    def at_country(self, cc: str | None, why: str) -> model.Location | None:
        """A country known from elsewhere than a place name, coded at its capital (precision 3)."""
        e = self.gazetteer.country.get(cc) if cc and self.gazetteer is not None else None
        return self._at_seat(e, None, 3, why) if e is not None else None

    def at_division(self, cc: str | None, admin1: str | None, why: str) -> model.Location | None:
        """A first-order division known from elsewhere than a place name, coded at its largest
        town (precision 3)."""
        e = self.gazetteer.admin1_entry(cc, admin1) if self.gazetteer is not None else None
        return self._at_seat(e, None, 3, why) if e is not None else None

    def _sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence(s) holding text[start:end], by punctuation (the spaCy doc is not kept)."""
        text = self.text
        cut = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("? ", 0, start),
                  text.rfind("! ", 0, start))
        s0 = cut + 1 if cut >= 0 else 0
        ends = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
        s1 = min(ends) if ends else len(text)
        return s0, s1

    def _at_seat(self, e, m, precision: int, why: str) -> model.Location:
        """A country or division coded at its capital or largest town, as ACLED codes an event
        known only to a province ("in Balkh province" -> Mazar-e Sharif, precision 3)."""
        gaz = self.gazetteer
        seat = gaz.seat(e) if gaz is not None else None
        at = seat or e
        admin1 = gaz.admin1_of(at) if gaz is not None else at.admin1
        if at.kind == COUNTRY:
            admin1 = None
        where = f"; coded at {seat.name}, its {'capital' if e.kind == COUNTRY else 'largest town'}" if seat else ""
        return model.Location(
            name=at.name, lat=at.lat, lon=at.lon, country=e.cc, admin1=admin1, admin2=at.admin2,
            geonameid=at.gid, geo_precision=precision,
            mention=model.Span.of(self.text, m.start, m.end) if m is not None else None,
            reason=f"{why}{where}; precision {precision}")

    def country_of(self, start: int, end: int) -> str | None:
        loc = self.locate(start, end)
        return (loc.country if loc else None) or self.focus_country

    def _rank(self, r: Resolved) -> tuple:
        m, e = r.mention, r.chosen.entry
        before = self.text[max(0, m.start - 40):m.start]
        source = 1 if SOURCE_BEFORE.search(before) else 0  # "fighters redirected from Raqqa" is not where
        spec = SPECIFICITY.get(e.kind, 9)
        local = spec <= SPECIFICITY[ADMIN2]
        if e.kind == ADMIN2:
            # a district ranks with the towns: "Majzar district west of Marib city" is in Majzar,
            # "Hays district (Al Hudaydah)" in Hays -- the first named, as ACLED notes lead with it
            spec = SPECIFICITY[PLACE]
        # "in Aracaju, Sergipe ... in Santa Maria neighborhood": a part of a town is coded at the town
        # (ACLED), and a namesake town elsewhere is no reading of it
        part = bool(PART_OF_TOWN.match(self.text, m.end))
        # a town that ends a road's name ranks after every place not so named
        road = bool(ROAD_FROM.match(self.text, m.end)
                    or (ROAD_TO_BEFORE.search(before) and ROAD_TO_AFTER.match(self.text, m.end)))
        # towns and districts first; among them, a town the text puts in another division gives way
        # to one that fits (never to the division itself, whose tables may be older than the note,
        # or the note wrong); then parts of towns; then, among equally specific places, the first
        # named (ACLED notes lead with the event's place)
        return (road, not local, local and self._contradicted(r), part, spec, source, m.start, -r.confidence)

    def _weak(self, r: Resolved) -> bool:
        """Ranked down: a part of a town, or a town outside the division the text names for it."""
        rank = self._rank(r)
        return bool(rank[2] or rank[3])

    def _contradicted(self, r: Resolved) -> bool:
        """A town whose chosen namesake lies outside the division the text puts it in: "Deh-e Now
        area of Mohammad Agha district, Logar" read as a Deh-e Now of another province is a village
        the gazetteer does not hold, so the place that does fit says where."""
        e = r.chosen.entry
        if e.kind not in (PLACE, FACILITY):
            return False
        stop = r.mention.end + 60
        for k in (".", "\n", ";"):
            i = self.text.find(k, r.mention.end, stop)
            if i >= 0:
                stop = i
        if self._divisions is None:  # the divisions named, in text order, found by bisection
            named = sorted((o.mention.start, o.chosen.entry) for o in self.resolved if o.chosen is not None
                           and o.mention.role == "literal" and o.chosen.entry.kind == ADMIN1)
            self._divisions = ([at for at, _ in named], [d for _, d in named])
        starts, divisions = self._divisions
        k = bisect.bisect_left(starts, r.mention.end)
        if k == len(starts) or starts[k] >= stop:
            return False
        d = divisions[k]
        # (or in another country: "Eastleigh residents (Kamukunji, Nairobi)" is not in Hampshire)
        return d.cc != e.cc or e.admin1 != d.admin1

    def _location(self, r: Resolved, why: str, floor: int = 1) -> model.Location:
        e, m = r.chosen.entry, r.mention
        gaz = self.gazetteer
        before = self.text[max(0, m.start - 60):m.start]
        after = self.text[m.end:m.end + 25]
        if e.kind in (FACILITY, PLACE):
            precision = 1
            if NEAR.search(before) or DISTRICT_AFTER.match(after):
                precision = 2
        elif e.kind == ADMIN2:
            precision = 2
        else:
            precision = 3
        precision = max(precision, floor)
        if e.kind in (ADMIN1, ADMIN2, COUNTRY):
            return self._at_seat(e, m, precision, f"{why}: {m.text!r} -> {e.name} ({e.kind})")
        admin1 = gaz.admin1_of(e) if gaz is not None else e.admin1
        return model.Location(
            name=e.name, lat=e.lat, lon=e.lon, country=e.cc, admin1=admin1, admin2=e.admin2,
            geonameid=e.gid, geo_precision=precision, mention=model.Span.of(self.text, m.start, m.end),
            reason=f"{why}: {m.text!r} -> {e.name} ({e.kind}); precision {precision}",
        )
