"""A stored event as one row of an ACLED export: ACLED's columns, codes and habits.

Habits followed (ACLED codebook): unknown and claimed fatalities are written as
0; `interaction` joins the two inter codes smaller first, a lone actor is X0;
several sources are joined with "; "; `notes` is a one-sentence summary.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

# ACLED's export column order (the API's and the Data Export Tool's CSV).
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)

# Events that did not happen (yet) are not ACLED events; claimed ones are, with 0 fatalities.
NOT_EVENTS = ("negated", "hypothetical", "future")

_DEMONSTRATIONS = {"Protests", "Riots"}


def disorder_type(event_type: str, sub_event_type: str) -> str:
    """ACLED's disorder type: excessive force against protesters counts as both; mob violence is political violence."""
    if sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if sub_event_type == "Mob violence":
        return "Political violence"
    if event_type in _DEMONSTRATIONS:
        return "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


def interaction(inter1: int | None, inter2: int | None) -> int | str:
    if not inter1 and not inter2:
        return ""
    if not inter2:
        return int(inter1) * 10
    if not inter1:
        return int(inter2) * 10
    lo, hi = sorted((int(inter1), int(inter2)))
    return lo * 10 + hi


@lru_cache(maxsize=1)
def _countries() -> tuple[dict, dict]:
    from ..yamlio import read_yaml

    data = read_yaml(Path(__file__).with_name("acled_countries.yaml"))
    region = {iso2: name for name, codes in data["regions"].items() for iso2 in codes}
    return data["names"], region


@lru_cache(maxsize=512)
def country(iso2: str | None) -> tuple[str, int | str, str]:
    """(ACLED country name, ISO 3166 numeric code, ACLED region) for an ISO2 code; blanks when unknown."""
    if not iso2:
        return "", "", ""
    import pycountry

    names, regions = _countries()
    iso2 = iso2.upper()
    rec = pycountry.countries.get(alpha_2=iso2)
    name = names.get(iso2) or (getattr(rec, "common_name", None) or rec.name if rec else iso2)
    numeric = int(rec.numeric) if rec else ""
    return name, numeric, regions.get(iso2, "")


def split_assoc(ev: dict) -> tuple[list[str], list[str]]:
    """Associated actors by side. The contract lists them without a side, so an actor whose inter code is
    actor2's and not actor1's goes with actor2; every other goes with actor1."""
    side1, side2 = [], []
    for name, inter in zip(ev.get("assoc_actors") or [], ev.get("assoc_inters") or []):
        if ev.get("actor2") and inter == ev.get("inter2") and inter != ev.get("inter1"):
            side2.append(name)
        else:
            side1.append(name)
    return side1, side2


def sources(ev: dict) -> str:
    """The outlet, then the outlets of the near-duplicates folded into it, joined as ACLED joins sources."""
    names = [ev.get("outlet")] + list(ev.get("duplicate_outlets") or [])
    if not ev.get("outlet"):
        names += list(ev.get("relays") or [])
    return "; ".join(dict.fromkeys(n for n in names if n))


def fatalities(ev: dict) -> int:
    """ACLED's figure: unknown is 0, and so is a figure only a party to the fight claims."""
    if ev.get("fatalities") is None or ev.get("fatalities_modality") == "claimed":
        return 0
    return int(ev["fatalities"])


def row(ev: dict) -> dict:
    """One ACLED export row (column → value) from a flat stored event (`Store.events()` record)."""
    a1, a2 = split_assoc(ev)
    name, numeric, region = country(ev.get("country"))
    date: dt.date | None = ev.get("event_date")
    updated = ev.get("updated_at")
    return {
        "event_id_cnty": ev["event_id"],
        "event_date": date.isoformat() if date else "",
        "year": date.year if date else "",
        "time_precision": ev.get("time_precision") or "",
        "disorder_type": disorder_type(ev["event_type"], ev["sub_event_type"]),
        "event_type": ev["event_type"],
        "sub_event_type": ev["sub_event_type"],
        "actor1": ev.get("actor1") or "",
        "assoc_actor_1": "; ".join(a1),
        "inter1": ev.get("inter1") if ev.get("inter1") is not None else "",
        "actor2": ev.get("actor2") or "",
        "assoc_actor_2": "; ".join(a2),
        "inter2": ev.get("inter2") if ev.get("inter2") is not None else "",
        "interaction": interaction(ev.get("inter1"), ev.get("inter2")),
        "civilian_targeting": "Civilian targeting" if ev.get("inter2") == 7 else "",
        "iso": numeric,
        "region": region,
        "country": name,
        "admin1": ev.get("admin1") or "",
        "admin2": ev.get("admin2") or "",
        "admin3": "",
        "location": ev.get("location") or "",
        "latitude": round(ev["latitude"], 4) if ev.get("latitude") is not None else "",
        "longitude": round(ev["longitude"], 4) if ev.get("longitude") is not None else "",
        "geo_precision": ev.get("geo_precision") or "",
        "source": sources(ev),
        "source_scale": "",
        "notes": notes(ev),
        "fatalities": fatalities(ev),
        "tags": "",
        "timestamp": int(updated.replace(tzinfo=dt.timezone.utc).timestamp()) if updated else "",
    }


# ---- notes -----------------------------------------------------------------------------------

# What actor1 did to actor2, per sub-event type: "{a1} <verb> {a2}" or, with no actor2, the second form.
_VERBS: dict[str, tuple[str, str]] = {
    "Armed clash": ("clashed with {a2}", "clashed with unidentified armed men"),
    "Government regains territory": ("regained {loc} from {a2}", "regained {loc}"),
    "Non-state actor overtakes territory": ("took {loc} from {a2}", "took {loc}"),
    "Chemical weapon": ("used a chemical weapon against {a2}", "used a chemical weapon"),
    "Air/drone strike": ("carried out an air/drone strike on {a2}", "carried out an air/drone strike"),
    "Suicide bomb": ("carried out a suicide bombing targeting {a2}", "carried out a suicide bombing"),
    "Shelling/artillery/missile attack": ("shelled {a2}", "fired artillery, shells or missiles"),
    "Remote explosive/landmine/IED": ("detonated an explosive device targeting {a2}", "detonated an explosive device"),
    "Grenade": ("threw a grenade at {a2}", "threw a grenade"),
    "Sexual violence": ("committed sexual violence against {a2}", "committed sexual violence"),
    "Attack": ("attacked {a2}", "attacked civilians"),
    "Abduction/forced disappearance": ("abducted {a2}", "abducted people"),
    "Peaceful protest": ("protested", "protested"),
    "Protest with intervention": ("protested and were met with intervention by {a2}", "protested and were dispersed"),
    "Excessive force against protesters": ("used excessive force against {a2}", "used excessive force against protesters"),
    "Violent demonstration": ("rioted, clashing with {a2}", "rioted"),
    "Mob violence": ("attacked {a2}", "engaged in mob violence"),
    "Agreement": ("reached an agreement with {a2}", "reached an agreement"),
    "Arrests": ("arrested {a2}", "made arrests"),
    "Change to group/activity": ("changed group or activity, involving {a2}", "changed group or activity"),
    "Disrupted weapons use": ("disrupted weapons use by {a2}", "defused or seized weapons"),
    "Headquarters or base established": ("established a headquarters or base", "established a headquarters or base"),
    "Looting/property destruction": ("looted or destroyed property of {a2}", "looted or destroyed property"),
    "Non-violent transfer of territory": ("took over {loc} from {a2} without fighting", "took over {loc} without fighting"),
    "Other": ("was involved in a development with {a2}", "was involved in a strategic development"),
}


def _place(ev: dict) -> str:
    loc, adm = ev.get("location"), ev.get("admin1")
    if loc and adm and adm != loc:
        return f"{loc} ({adm})"
    return loc or adm or ""


def _when(ev: dict) -> str:
    date: dt.date | None = ev.get("event_date")
    if not date:
        return ""
    day = f"{date.day} {date:%B %Y}"
    precision = ev.get("time_precision") or 1
    if precision >= 3:
        return f"In {date:%B %Y}, "
    if precision == 2:
        return f"Around {day}, "
    return f"On {day}, "


def notes(ev: dict) -> str:
    """e.g. "On 11 December 2016, Islamic State took Palmyra (Homs) from Military Forces of Syria (2000-)." """
    place = _place(ev)
    with_a2, alone = _VERBS.get(ev["sub_event_type"], ("acted against {a2}", "acted"))
    verb = with_a2 if ev.get("actor2") else alone
    names_place = "{loc}" in verb  # a verb that names the place gets no " in <place>"
    if names_place and not place:
        verb = verb.replace(" {loc}", " territory").replace("{loc}", "territory")
    verb = verb.format(a2=ev.get("actor2") or "", loc=place)
    subject = ev.get("actor1") or "Unidentified actors"
    text = f"{_when(ev)}{subject} {verb}"
    if place and not names_place:
        text += f" in {place}"
    count, modality = ev.get("fatalities"), ev.get("fatalities_modality")
    if count:
        if modality == "claimed":
            who = ev.get("fatalities_claimed_by") or "a party to the fighting"
            text += f", with {count} fatalities claimed by {who} (coded as 0)"
        else:
            text += f", with {count} {'fatality' if count == 1 else 'fatalities'}"
    if ev.get("modality") == "claimed":
        text += f", according to a claim by {ev.get('claimed_by') or 'a party to the fighting'}"
    elif ev.get("modality") in ("reported", "uncertain"):
        text += ", as reported" if ev["modality"] == "reported" else " (unconfirmed)"
    text = text[0].upper() + text[1:]
    return text + "."
