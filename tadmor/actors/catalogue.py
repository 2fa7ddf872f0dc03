"""The actor catalogue and the country table, loaded once from the YAML files beside this module.

Everything here is data access: typed views over ``catalogue.yaml`` and ``states.yaml``
and the naming rules ACLED applies to them (state forces dated by regime, groups active in
several countries named by branch, generic actors named by the event's country).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATALOGUE_FILE = HERE / "catalogue.yaml"
STATES_FILE = HERE / "states.yaml"

FORCE_WORD = {"military": "Military Forces", "police": "Police Forces", "government": "Government"}
# generic keys that name a state's force; value = the force word above
STATE_KEYS = {"state-military": "military", "state-police": "police", "state-government": "government"}
UNIT_PREFIX = "state-unit-"


def is_state_key(key: str) -> bool:
    """A generic key whose name comes from the force's own country ("Syrian soldiers")."""
    return key in STATE_KEYS or key.startswith(UNIT_PREFIX)


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str                    # ACLED's country name
    of: str                      # as written after "Military Forces of"
    adjectives: tuple[str, ...]
    capitals: tuple[str, ...]
    years: tuple[int, ...]       # regime start years, ascending
    abroad: dict[str, str] = field(default_factory=dict)   # event country -> catalogue key

    def regime(self, year: int | None) -> str | None:
        """ACLED's regime label for ``year``, as ACLED coded it at the time: "2014-".

        Coded-at-the-time labels stay open-ended ("Military Forces of Syria (2000-)" for a
        2016 event, the form ACLED's exports of that period and our contract use); ACLED's
        later re-exports close finished periods ("2014-2021"), see ``closed`` below.
        """
        start = self.regime_start(year)
        return None if start is None else f"{start}-"

    def regime_start(self, year: int | None) -> int | None:
        if not self.years:
            return None
        if year is None:
            return self.years[-1]
        starts = [y for y in self.years if y <= year]
        return starts[-1] if starts else self.years[0]

    def closed(self, year: int | None) -> str | None:
        """The re-export form: "2014-2021" once the period is over."""
        start = self.regime_start(year)
        if start is None:
            return None
        later = [y for y in self.years if y > start]
        return f"{start}-{later[0]}" if later else f"{start}-"


@dataclass(frozen=True)
class Variant:
    name: str
    inter: int


@dataclass(frozen=True)
class Entry:
    """One named actor, or one state force spelled by name ("Syrian Arab Army")."""

    key: str
    name: str | None
    inter: int
    aliases: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    by_country: dict[str, Variant] = field(default_factory=dict)
    by_year: dict[int, Variant] = field(default_factory=dict)
    state: str | None = None     # ISO2 of the state whose force this is
    force: str | None = None     # military | police | government
    unit: str | None = None

    @property
    def is_state_force(self) -> bool:
        return self.state is not None and self.force is not None


@dataclass(frozen=True)
class Description:
    """Common nouns that describe an actor ("gunmen", "soldiers"), named by country."""

    key: str
    inter: int
    phrases: tuple[str, ...]
    adjective_phrases: tuple[str, ...] = ()
    from_phrases: tuple[str, ...] = ()  # "<phrase> from <Name>": the name names the actor
    groups: tuple[str, ...] = ()
    by_country: dict[str, str] = field(default_factory=dict)
    fallback: str | None = None
    force: str | None = None     # a state force unit ("military police"): its force ...
    unit: str | None = None      # ... and unit name
    countries: tuple[str, ...] = ()   # where ACLED names the unit (elsewhere: the plain force)


@dataclass(frozen=True)
class Catalogue:
    entries: dict[str, Entry]
    descriptions: dict[str, Description]
    countries: dict[str, Country]
    adjectives: dict[str, str]   # lower-case adjective -> ISO2 ("syrian" -> SY)
    places: dict[str, str]       # lower-case country or capital name -> ISO2
    defaults: dict[str, dict]    # "unattributed_fire" / "unknown_perpetrator": ISO2 -> key(s)

    def country(self, iso2: str | None) -> Country | None:
        return self.countries.get(iso2.upper()) if iso2 else None



def _variant(value, default_inter: int) -> Variant:
    if isinstance(value, dict):
        return Variant(str(value["name"]), int(value.get("inter", default_inter)))
    return Variant(str(value), default_inter)


def _entry(raw: dict) -> Entry:
    inter = int(raw.get("inter", 1))
    return Entry(
        key=raw["key"],
        name=raw.get("name"),
        inter=inter,
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
        exact=tuple(str(a) for a in raw.get("exact", ())),
        countries=tuple(raw.get("countries", ())),
        by_country={str(k): _variant(v, inter) for k, v in (raw.get("by_country") or {}).items()},
        by_year={int(k): _variant(v, inter) for k, v in (raw.get("by_year") or {}).items()},
        state=raw.get("state"),
        force=raw.get("force"),
        unit=raw.get("unit"),
    )


def _description(raw: dict) -> Description:
    return Description(
        key=raw["key"],
        inter=int(raw["inter"]),
        phrases=tuple(str(p) for p in raw.get("phrases", ())),
        adjective_phrases=tuple(str(p) for p in raw.get("adjective_phrases", ())),
        from_phrases=tuple(str(p) for p in raw.get("from_phrases", ())),
        groups=tuple(str(g) for g in raw.get("groups", ())),
        by_country={str(k): str(v) for k, v in (raw.get("by_country") or {}).items()},
        fallback=raw.get("fallback"),
        force=raw.get("force"),
        unit=raw.get("unit"),
        countries=tuple(raw.get("countries") or ()),
    )


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """Parse the two data files; cached so a process reads them once."""
    from ..yamlio import read_yaml

    raw = read_yaml(CATALOGUE_FILE)
    states = read_yaml(STATES_FILE)
    entries = {e["key"]: _entry(e) for e in raw["named"]}
    descriptions = {d["key"]: _description(d) for d in raw["descriptions"]}
    countries = {
        iso: Country(
            iso2=iso,
            name=str(c["name"]),
            of=str(c.get("of") or c["name"]),
            adjectives=tuple(str(a) for a in c.get("adj") or ()),
            capitals=tuple(str(a) for a in c.get("cap") or ()),
            years=tuple(sorted(int(y) for y in c.get("years") or ())),
            abroad={str(k): str(v) for k, v in (c.get("abroad") or {}).items()},
        )
        for iso, c in states.items()
    }
    return Catalogue(entries=entries, descriptions=descriptions, countries=countries,
                     adjectives=_adjective_index(countries), places=_place_index(countries),
                     defaults=dict(raw.get("defaults") or {}))


def _adjective_index(countries: dict[str, Country]) -> dict[str, str]:
    # "Congolese" is both Congos; the later entry (DR Congo, the larger conflict) wins
    out: dict[str, str] = {}
    for iso, c in countries.items():
        for adj in c.adjectives:
            out[adj.lower()] = iso
    return out


def _place_index(countries: dict[str, Country]) -> dict[str, str]:
    """Country and capital names -> ISO2, for "Russia launched ..." metonymy and "forces of X"."""
    out: dict[str, str] = {}
    for iso, c in countries.items():
        for name in (c.name, c.of, *c.capitals):
            out[name.lower()] = iso
            if name.lower().startswith("the "):
                out[name.lower()[4:]] = iso
    return out
