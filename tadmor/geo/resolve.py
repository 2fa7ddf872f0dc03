"""Pick one gazetteer entry per mention, the way a careful analyst would.

Each candidate's score adds up evidence, and the reason string lists it:

- how the name matched (primary name > alternate name > fuzzy spelling);
- a prior from the kind of place and its population (a country or a city of
  millions is what an unqualified name usually means);
- the container the text gives right after the name ("Qalat, Zabul",
  "Gainesville, Ga.", "Chawkay (Kunar)"): a candidate inside it wins;
- coherence with the rest of the document: the countries and first-order
  divisions the other mentions resolve to, and nearness to them;
- readings of different names that lie within 60 km of each other support each
  other before any is chosen ("Paris" and "Henry County": Tennessee's pair);
- a name whose every reading lies outside the province that ends its phrase
  ("Haidarabad area of Nahri Saraj district, Helmand") gets none: the gazetteer
  lacks it, and a namesake abroad is a wrong fact.

Two passes: the first without context, the second with the context that the
first pass's confident choices give.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from .detect import Mention
from .gazetteer import (ADMIN1, ADMIN2, CONTINENT, COUNTRY, FACILITY, PLACE, REGION, Entry, Gazetteer, Hit)
from .names import fold, strip_admin_words

# the further cost of a town named after a division of millions that it is not in ("Moscow, Idaho")
ELSEWHERE = 0.6


def _within(e: Entry, division: Entry) -> bool:
    """Whether place ``e`` lies in ``division`` (by the names of its country and first-order division)."""
    if e.cc != division.cc or not e.admin1:
        return False
    a, b = fold(e.admin1), fold(division.name)
    return a == b or a in b or b in a


# a curated region has no population: its prior stands in for that of a large city
KIND_PRIOR = {COUNTRY: 0.9, CONTINENT: 0.7, REGION: 1.5, FACILITY: 1.2, ADMIN1: 0.15, ADMIN2: -0.3, PLACE: 0.0}
MATCH_WEIGHT = {"name": 1.0, "alternate": 0.6, "abbreviation": 1.0, "facility": 1.5, "demonym": 1.0}
MAX_CANDIDATES = 25
NEIGHBOUR_CANDIDATES = 10  # the readings of each name that may support another name's
NEIGHBOUR_KM = 60
NEIGHBOUR_MARGIN = 1.0
NEIGHBOUR_BONUS = 0.4
TOWN_AFTER = re.compile(r"[\s-]+(?:city|town)\b", re.I)
# "Trujillo state", "Balkh Province": the name is the first-order division's (not Trujillo in Peru or Mexico)
STATE_AFTER = re.compile(r"\s+(?:state|province|governorate|oblast|prefecture)\b(?!\s+(?:of|capital|police|"
                         r"government|governor|council|assembly|media|television|tv|radio|university|"
                         r"university's|house|security|forces)\b)", re.I)
STRAY_POP = 100_000
PARTIAL_STRAY_POP = 5_000_000
_CLAUSE_END = re.compile(r"\s*(?:$|[.;:)\n]|,\s+(?![A-Z]|and\b|or\b))")


# "Hays city (Al Hudaydah)", "Tabaj village in Jalawla": a place noun, then its container
_CONTAINER_GAP = re.compile(r"(?:(?:sector )?area|sector|city|town|village|villages|district|districts|sub-?district|"
                            r"province|county|"
                            r"governorate|municipality|locality|lga|tehsil|township|commune|camp|neighbou?rhood)"
                            r"\s*(?:,|\(|in|of|,\s*in)")

AFTER_DIVISION_NOUN = re.compile(
    r"\b(?:district|districts|sub-?district|county|municipality|tehsil|lga|woreda)\s*,\s*$", re.I)


def _name_key(text: str) -> str:
    """One name however the text dresses it: "Hays city", "Hays district" and "Hays" do not vote for each other."""
    return strip_admin_words(fold(text))


def _ends_clause(text: str, end: int) -> bool:
    return bool(_CLAUSE_END.match(text, end))
DIVISION_NAMED = " (the phrase ends with a province in another country)"
DIVISION_WORDS = ("county", "parish", "province", "governorate", "district", "region", "oblast", "state")


@dataclass
class Candidate:
    entry: Entry
    match: str
    similarity: float
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    base: float = 0.0  # the score before context
    base_reasons: list[str] = field(default_factory=list)
    near: int = 0  # other places of the document within 150 km (set with the context)


@dataclass
class Resolved:
    mention: Mention
    candidates: list[Candidate]  # best first
    chosen: Candidate | None
    confidence: float


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth's mean radius)."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def km(a: Entry, b: Entry) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


class Resolver:
    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self._ctx_adjectival: Counter = Counter()  # the current pass's demonym-only country votes
        self._closing: set[int] = set()  # containers whose name ends the phrase

    # ------------------------------------------------------------ candidates
    def candidates(self, m: Mention, text: str) -> list[Candidate]:
        gaz = self.gaz
        if m.role == "adjectival":
            e = gaz.demonym(m.text)
            if e is None:  # a country named for its currency ("the US dollar")
                e = next((h.entry for h in gaz.lookup(m.text) if h.entry.kind == COUNTRY), None)
            return [Candidate(e, "demonym", 1.0)] if e else []
        if m.facility:
            idx = next((i for i, k in gaz.facility_keys.items() if k == m.facility), None)
            if idx is not None:
                return [Candidate(gaz.entry(idx), "facility", 1.0)]
        if m.text in gaz.abbreviations:
            return [Candidate(gaz.entry(gaz.abbreviations[m.text]), "abbreviation", 1.0)]
        hits: list[Hit] = gaz.lookup(m.text)
        key = fold(m.text)
        bare = strip_admin_words(key)
        if bare != key and bare:
            # "Kunar province", "Laurel County": the division first, its namesake town next;
            # "Kansas City", "Gaza City", "San Fernando City" are names of their own ("Hays city"
            # is not): beside them only towns of the bare name, never the state or province
            kinds = (PLACE,) if hits and m.text.endswith((" City", " CITY")) else (ADMIN1, ADMIN2, PLACE, REGION)
            hits += [h for h in gaz.lookup(bare) if h.entry.kind in kinds]
        if not hits and "-" in m.text:
            # "Petion-Ville" is Pétionville: the same letters as one name come first
            hits = [h for h in gaz.fuzzy(m.text) if h.similarity >= 0.999]
        if not hits and "-" in m.text:
            # ACLED's "Mogadishu-Bondhere", "Lima-San Juan de Lurigancho": a city and its quarter;
            # the most specific known part wins ("Pul-e Khumri" is one name: its parts are not capitalised)
            parts = [p.strip() for p in m.text.split("-")]
            if len(parts) == 2 and all(len(p) >= 4 and p[0].isupper() for p in parts):
                for part in reversed(parts):
                    hits = [Hit(h.entry, "alternate", 0.9) for h in gaz.lookup(part)
                            if h.entry.kind in (PLACE, ADMIN2, FACILITY)]
                    if hits:
                        break
        if not hits and m.fuzzy_ok:
            hits = gaz.fuzzy(m.text)
            if " " not in m.text.strip() and not m.source.startswith("ner:"):
                # one capitalised word that only the context calls a place ("Health Department",
                # "at Super Bowl") is more often a common word than a misspelt town
                hits = [h for h in hits if h.similarity >= 0.92]
        seen: dict[int, Candidate] = {}
        for h in hits:
            c = seen.get(h.entry.idx)
            if c is None or c.similarity < h.similarity:
                seen[h.entry.idx] = Candidate(h.entry, h.match, h.similarity)
        return list(seen.values())

    # ------------------------------------------------------------ scoring
    def prior(self, m: Mention, c: Candidate) -> None:
        e = c.entry
        if c.match == "fuzzy":
            w = 0.6 - 4 * (1 - c.similarity)
        else:
            w = MATCH_WEIGHT.get(c.match, 0.6)
        c.score = w
        c.reasons = [f"{c.match} match {w:+.2f}"]
        kind = KIND_PRIOR.get(e.kind, 0.0)
        low = fold(m.text)
        if e.kind in (ADMIN1, ADMIN2) and low.endswith(DIVISION_WORDS):
            kind += 0.8  # the text itself says it is a division
        if e.kind == PLACE and low.endswith(DIVISION_WORDS) and not fold(e.name).endswith(DIVISION_WORDS):
            kind -= 0.4
        if (m.text.isupper() and len(m.text.replace(".", "")) <= 4 and e.kind == PLACE and not e.name.isupper()
                and m.source != "dateline"):
            kind -= 1.5  # an acronym ("EU", "UK") names a country or union, not a town called "Eu"
        pop = min(1.9, 0.25 * math.log10(e.pop + 1)) if e.pop else 0.0
        if e.kind in (ADMIN1, ADMIN2):
            pop *= 0.75  # a division's population is the sum of its towns: discount it against cities
        c.score += kind + pop
        c.reasons.append(f"{e.kind} prior {kind:+.2f}, population {pop:+.2f}")

    @staticmethod
    def _rivals(cs: list[Candidate], town: bool = False, state: bool = False) -> None:
        """A name that is a country's or a region's ("China", "Middle East", "Pacific") means
        that, not the small town named after it; and a name that is some place's own name is
        not first read as another place's alternate spelling in the same country
        ("Montana" is not Montana City). "Ghazni city" is the town; "Trujillo state" the state."""
        state = state and any(c.entry.kind == ADMIN1 for c in cs)
        famous = any(c.match == "name" and (c.entry.kind in (COUNTRY, CONTINENT) or (c.entry.kind == REGION
                                                                                  and not c.entry.cc)) for c in cs)
        # a region inside one country ("Manhattan", "Gaza Strip") weighs like a division: its
        # namesake town elsewhere wins when the document names that town's state
        local = not famous and any(c.match == "name" and c.entry.kind == REGION and c.entry.cc for c in cs)
        named = {c.entry.cc for c in cs if c.match in ("name", "abbreviation")}
        divisions = [c.entry for c in cs if c.match == "name" and c.entry.kind == ADMIN1]
        for c in cs:
            if town and c.entry.kind in (ADMIN1, ADMIN2):
                c.score -= 1.0  # "Ghazni city" is the town
                c.reasons.append("the text calls it a city or town -1.00")
            if divisions and not town and not famous and c.entry.kind == PLACE and c.entry.pop < 500_000:
                c.score -= 0.6  # "Kansas", "Montana", "Balkh": the state or province, not its namesake town
                c.reasons.append("shares the name of a first-order division -0.60")
                if any(d.pop >= 1_000_000 for d in divisions) and not any(_within(c.entry, d) for d in divisions):
                    # a town named after a division of millions far away ("Florida, NY", "Moscow, Idaho"),
                    # unlike the division's own seat ("Lahij", "Valparaiso"), is the rarer reading still
                    c.score -= ELSEWHERE
                    c.reasons.append(f"not in that division -{ELSEWHERE:.2f}")
            if famous and c.entry.kind in (PLACE, ADMIN2):
                c.score -= 1.2
                c.reasons.append("shares the name of a country or region -1.20")
            elif local and c.entry.kind in (PLACE, ADMIN2):
                c.score -= 0.6
                c.reasons.append("shares the name of a region -0.60")
            # only a homonym in the same country: Syria's Tadmur is still "Palmyra" beside Palmyra, NY
            if c.entry.cc in named and c.match == "alternate" and c.entry.kind in (PLACE, ADMIN2):
                c.score -= 0.6
                c.reasons.append("alternate name where another place has it as its own -0.60")
            if state and c.entry.kind != ADMIN1:
                c.score -= 1.0
                c.reasons.append("the text calls it a state or province -1.00")

    def resolve(self, mentions: list[Mention], text: str) -> list[Resolved]:
        cands = []
        for m in mentions:
            cs = self.candidates(m, text)
            for c in cs:
                self.prior(m, c)
            # "in Kunduz city", the noun after the name or tagged with it (lower case: "Kansas City" is a name)
            town = bool(TOWN_AFTER.match(text, m.end)) or m.text.endswith((" city", " town"))
            self._rivals(cs, town=town, state=bool(STATE_AFTER.match(text, m.end)))
            for c in cs:
                c.base, c.base_reasons = c.score, list(c.reasons)
            # context reorders close calls; it never lifts the 40th Springfield to the top
            cs.sort(key=lambda c: -c.base)
            cands.append(cs[:MAX_CANDIDATES])
        containers = self._containers(mentions, text)
        boxes = set(containers.values())
        # containers that end the phrase: "in Obe district, Herat." (not "Miami, New York, and")
        self._closing = {j for j in boxes if _ends_clause(text, mentions[j].end)}
        for j, m in enumerate(mentions):
            if (j not in boxes and AFTER_DIVISION_NOUN.search(text, max(0, m.start - 40), m.start)
                    and _ends_clause(text, m.end)):
                # "in the Zangitan area of Shah Wali Kot district, Kandahar": the province, though
                # the gazetteer knows neither place before it
                for c in cands[j]:
                    if c.entry.kind == ADMIN1:
                        c.base += 0.8
                        c.base_reasons.append("follows 'district,' and ends the phrase: a province +0.80")
                cands[j].sort(key=lambda c: -c.base)
        for j in self._closing:  # "Homs, Hama and Idlib" is a list of towns, not a town in its province
            for c in cands[j]:
                if c.entry.kind in (ADMIN1, COUNTRY):
                    # "in Obe district, Herat": what follows a place and ends the phrase is its province
                    c.base += 0.8
                    c.base_reasons.append("names the division of the place before it +0.80")
            cands[j].sort(key=lambda c: -c.base)
        for i, j in containers.items():
            # "in Sao Goncalo, Rio de Janeiro, ...": the state a town of the place before it lies in,
            # not the state's capital of the same name
            inner = {(c.entry.cc, c.entry.admin1) for c in cands[i] if c.entry.kind == PLACE}
            states = {(c.entry.cc, c.entry.admin1) for c in cands[j]
                      if c.entry.kind == ADMIN1 and c.match == "name"} & inner
            if states and cands[j] and cands[j][0].entry.kind == PLACE and (
                    cands[j][0].entry.cc, cands[j][0].entry.admin1) in states:
                for c in cands[j]:
                    if c.entry.kind == PLACE and (c.entry.cc, c.entry.admin1) in states:
                        c.base -= 0.8
                        c.base_reasons.append("the city of a state's name, after a town in that state -0.80")
                cands[j].sort(key=lambda c: -c.base)
        self._neighbours(mentions, cands)
        out = self._pick(mentions, cands)
        for _ in range(2):
            ctx = self._context(out)
            self._ctx_adjectival = ctx["adjectival"]
            views: dict[str, tuple] = {}
            for i, cs in enumerate(cands):
                m = mentions[i]
                key = _name_key(m.text) if m.role != "adjectival" else None
                for c in cs:
                    c.score, c.reasons, c.near = c.base, list(c.base_reasons), 0
                    k = key if key is not None else f"adj:{c.entry.cc}"
                    view = views.get(k)
                    if view is None:
                        view = views[k] = self._view(ctx, k)
                    self._contextual(i, c, out, view, containers)
            out = self._pick(mentions, cands)
        return self._drop_strays(self._one_sense(out))

    @staticmethod
    def _one_sense(out: list[Resolved]) -> list[Resolved]:
        """One sense per discourse: every literal mention of a name takes the reading its most
        confident mention chose ("Richmond and Twickenham town centres" settles the later lone
        "Richmond"s), when that reading is among its own candidates."""
        best: dict[str, Resolved] = {}
        for r in out:
            if r.chosen is not None and r.mention.role == "literal":
                key = fold(r.mention.text)
                if key not in best or r.confidence > best[key].confidence:
                    best[key] = r
        for i, r in enumerate(out):
            if r.chosen is None or r.mention.role != "literal":
                continue
            top = best[fold(r.mention.text)]
            if top.chosen.entry.idx == r.chosen.entry.idx:
                continue
            same = next((c for c in r.candidates if c.entry.idx == top.chosen.entry.idx), None)
            if same is not None:
                out[i] = Resolved(r.mention, r.candidates, same, top.confidence)
        return out

    @staticmethod
    def _neighbours(mentions: list[Mention], cands: list[list[Candidate]]) -> None:
        """Readings of different names that lie close together support each other ("Paris" and
        "Henry County" are Paris, Tennessee, and the county around it), whichever each name's
        first choice is. Candidates are bucketed by one-degree cells, so this costs little."""
        cells: dict[tuple[int, int], list[tuple[str, Entry]]] = {}
        names: dict[str, list[Candidate]] = {}
        for m, cs in zip(mentions, cands):
            if m.role != "literal" or not cs:
                continue
            key = _name_key(m.text)
            if key in names:
                continue
            # a reading far below its name's best supports nothing (Moscow, Idaho beside Petersburg)
            top = [c for c in cs[:NEIGHBOUR_CANDIDATES] if c.entry.kind in (PLACE, ADMIN2, FACILITY)
                   and c.base >= cs[0].base - NEIGHBOUR_MARGIN]
            names[key] = top
            for c in top:
                cells.setdefault((int(c.entry.lat // 1), int(c.entry.lon // 1)), []).append((key, c.entry))
        if len(names) < 2:
            return
        for key, top in names.items():
            if len(top) < 2 and not any(len(v) > 1 for v in names.values()):
                continue
            for c in top:
                e = c.entry
                la, lo = int(e.lat // 1), int(e.lon // 1)
                near = {k for dla in (-1, 0, 1) for dlo in (-1, 0, 1)
                        for k, o in cells.get((la + dla, lo + dlo), ()) if k != key and km(o, e) < NEIGHBOUR_KM}
                if near:
                    bonus = min(2 * NEIGHBOUR_BONUS, NEIGHBOUR_BONUS * len(near))
                    c.base += bonus
                    c.base_reasons.append(f"near a reading of {', '.join(sorted(near)[:3])} {bonus:+.2f}")
        for cs in cands:
            cs.sort(key=lambda c: -c.base)

    def _drop_strays(self, out: list[Resolved]) -> list[Resolved]:
        """A village abroad, named by nothing else in a document whose other places agree on
        a country, is a homonym of a place the gazetteer lacks ("Shewan" in a note about
        Farah is not the Shewan in Henan): no reading beats a wrong one."""
        ctx = self._context(out)
        for i, r in enumerate(out):
            if r.chosen is None or r.mention.role != "literal":
                continue
            e = r.chosen.entry
            if e.kind != PLACE or r.mention.source == "facility":
                continue
            # a word of a longer unknown name ("Kala" of "Sufi Kala") abroad is that name's homonym
            limit = PARTIAL_STRAY_POP if r.mention.partial else STRAY_POP
            if e.pop >= limit:
                continue
            if not r.mention.partial and r.chosen.near:
                continue  # a town across a border from the document's other places ("Erie" by "London", Ont.)
            countries, total, _, _ = self._view(ctx, _name_key(r.mention.text))
            if (total >= 1.0 or (r.mention.partial and total > 0)) and countries[e.cc] <= 0:
                out[i] = Resolved(r.mention, r.candidates, None, 0.0)
        return out

    @staticmethod
    def _view(ctx: dict, key: str) -> tuple:
        """The context as one mention sees it: without the votes of its own name."""
        own_c, own_a = ctx["by_key"].get(key, (Counter(), Counter()))
        countries = ctx["countries"] - own_c
        admin1s = ctx["admin1s"] - own_a
        points = [e for e, ks in ctx["points"].values() if ks - {key}]
        return countries, sum(countries.values()), admin1s, points

    def _pick(self, mentions, cands) -> list[Resolved]:
        out = []
        for m, cs in zip(mentions, cands):
            cs.sort(key=lambda c: -c.score)
            if cs and cs[0].match == "fuzzy" and any("outside the document's countries" in r for r in cs[0].reasons):
                # "Maadan" in a note about Raqqa is not Magadan: a loose spelling abroad is no reading
                out.append(Resolved(m, cs, None, 0.0))
                continue
            if (cs and cs[0].entry.kind in (PLACE, ADMIN2)
                    and any(r.startswith("outside ") for r in cs[0].reasons)
                    and (cs[0].entry.pop < 100_000 or any(r.endswith(DIVISION_NAMED) for r in cs[0].reasons))):
                # "Orikhove, Luhansk" is not the Orikhove in Crimea, nor "Haidarabad area of Nahri
                # Saraj district, Helmand" Hyderabad in Sindh: the text names the province
                out.append(Resolved(m, cs, None, 0.0))
                continue
            if not cs:
                out.append(Resolved(m, [], None, 0.0))
                continue
            exps = [math.exp(2 * (c.score - cs[0].score)) for c in cs]
            out.append(Resolved(m, cs, cs[0], exps[0] / sum(exps)))
        return out

    def _containers(self, mentions: list[Mention], text: str) -> dict[int, int]:
        """mention i -> mention j that names its container: 'X, Y', 'X (Y)', 'X of Y district'."""
        out = {}
        for i in range(len(mentions) - 1):
            a, b = mentions[i], mentions[i + 1]
            gap = text[a.end:b.start]
            low = gap.lower().strip()
            if b.role == "literal" and (low in (",", "(", "in", ", in", "of", "district,", "province,")
                                        or _CONTAINER_GAP.fullmatch(low)
                                        or (len(gap) < 40 and low.endswith(("district,", "districts,",
                                                                             "province,", "county,")))):
                out[i] = i + 1
        return out

    def _context(self, resolved: list[Resolved]) -> dict:
        """Votes of the current choices; a name's own repetitions do not vote for it ("Georgia" x3)."""
        countries: Counter = Counter()
        adjectival: Counter = Counter()  # the share of the votes that only demonyms cast
        admin1s: Counter = Counter()
        by_key: dict[str, tuple[Counter, Counter]] = {}
        points: dict[int, tuple[Entry, set]] = {}  # entry idx -> (entry, the names that chose it)
        for r in resolved:
            if r.chosen is None or not r.mention.votes:
                continue
            e, w = r.chosen.entry, 0.5 + r.confidence / 2
            if r.mention.role == "adjectival":
                w *= 0.5  # "Russian military police", "Turkish forces": an actor's nationality, not where
            key = _name_key(r.mention.text) if r.mention.role != "adjectival" else f"adj:{e.cc}"
            own_c, own_a = by_key.setdefault(key, (Counter(), Counter()))
            if e.cc and e.kind != CONTINENT:
                countries[e.cc] += w
                own_c[e.cc] += w
                if r.mention.role == "adjectival":
                    adjectival[e.cc] += w
            if e.kind == ADMIN1 and e.cc:
                a1, v = (e.cc, fold(e.admin1 or e.name)), w  # the text names the division
            elif e.kind in (PLACE, ADMIN2, FACILITY) and e.cc and e.admin1:
                a1, v = (e.cc, fold(e.admin1)), 0.3 * w
            else:
                a1 = None
            if a1:
                admin1s[a1] += v
                own_a[a1] += v
            if e.kind in (PLACE, ADMIN2, FACILITY):
                points.setdefault(e.idx, (e, set()))[1].add(key)
        return {"countries": countries, "admin1s": admin1s, "by_key": by_key, "points": points,
                "adjectival": adjectival}

    def _contextual(self, i: int, c: Candidate, resolved: list[Resolved], view: tuple,
                    containers: dict[int, int]) -> None:
        e = c.entry
        countries, total, admin1s, points = view
        adjectival = self._ctx_adjectival
        if e.cc and total > 0 and e.kind != CONTINENT:
            share = countries[e.cc] / total
            bonus = 2.0 * share
            if bonus > 0.05:
                c.score += bonus
                c.reasons.append(f"document country {e.cc} {bonus:+.2f}")
        if e.cc and e.admin1 and e.kind != ADMIN1:
            n = admin1s[(e.cc, fold(e.admin1))]
            if n > 0.25:
                bonus = min(0.9, 0.6 * n)
                c.score += bonus
                c.reasons.append(f"document mentions {e.admin1} {bonus:+.2f}")
        j = containers.get(i)
        while j is not None and resolved[j].chosen is None and j in containers:
            j = containers[j]  # "Ashkhabad area of Maywand district, Kandahar": Maywand unknown, Kandahar holds both
        if j is not None and resolved[j].chosen is not None:
            box = resolved[j].chosen.entry
            # "Rupnagar city (Punjab)": a division named alike in two countries holds the town in either
            boxes = [box] + [o.entry for o in resolved[j].candidates if box.kind == ADMIN1 and o.entry.kind == ADMIN1
                             and o.entry.idx != box.idx and o.match == "name" and fold(o.entry.name) == fold(box.name)]
            inside = any((b.kind == COUNTRY and e.cc == b.cc) or (
                b.kind == ADMIN1 and e.cc == b.cc and fold(e.admin1 or "") == fold(b.admin1 or b.name)) for b in boxes)
            if inside and e.idx != box.idx:
                c.score += 1.5
                c.reasons.append(f"inside {box.name} (named next to it) +1.50")
            elif box.kind in (COUNTRY, ADMIN1) and not inside:
                c.score -= 2.0  # "Imam Sahib district, Kunduz" is not a town in Quebec
                # a large town abroad is no reading at all; at home the text may have misnamed its province
                named = DIVISION_NAMED if box.kind == ADMIN1 and j in self._closing and e.cc != box.cc else ""
                c.reasons.append(f"outside {box.name} (named next to it) -2.00{named}")
        literal_total = total - sum(adjectival.values())
        if c.match == "fuzzy" and e.cc and literal_total > 0.01 and countries[e.cc] - adjectival[e.cc] <= 0.01:
            c.score -= 1.0  # a loose spelling match only counts in the document's own countries
            c.reasons.append("fuzzy match outside the document's countries -1.00")
        if e.kind in (PLACE, ADMIN2, FACILITY) and points:
            close = [(d, p) for p in points if p.idx != e.idx and (d := km(p, e)) < 150]
            c.near = len(close)
            if close:
                d, p = min(close, key=lambda dp: dp[0])
                bonus = 0.3 + 0.2 * min(3, len(close)) - (0.2 if d > 50 else 0.0)
                c.score += bonus
                c.reasons.append(f"{len(close)} other places within 150 km (nearest {p.name}) {bonus:+.2f}")
