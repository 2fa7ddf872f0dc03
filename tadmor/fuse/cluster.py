"""Clusters: reports of one real event from different documents, lined up field by field.

Two events can be one real event only when they come from different documents,
have the same event type, compatible dates (within the precision each gives),
nearby places, and do not name incompatible actors. Among the compatible pairs,
the strongest are joined first, and a cluster never holds two events of one
document (one document tells an event once).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..geo.resolve import distance_km
from ..ingest.metadata import WIRE_DATELINE
from ..model import Agreement, Cluster, ClusterRef, Disagreement, Document, Event, SourceValue
from ..time.mentions import MONTHS

# Modalities of things that did not (yet) happen: never reports of a real event.
UNREAL = {"hypothetical", "future"}
# How each modality states the outcome, for the `modality` disagreement.
OUTCOME = {"asserted": "happened", "claimed": "claimed", "reported": "reported",
           "uncertain": "unclear", "negated": "denied"}
# days of slack a date of each precision allows (ACLED: 1 day, 2 week, 3 month)
DATE_SLACK = {1: 2, 2: 7, 3: 31}
MAX_KM = 60.0  # when either place is approximate (near a town, a district, a province)
SAME_TOWN_KM = 15.0  # two towns each named precisely are one place only when this close
JOIN_AT = 0.5


@dataclass
class Item:
    doc: Document
    event: Event
    index: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.doc.doc_id, self.event.event_id)


@dataclass
class Group:
    items: list[Item] = field(default_factory=list)

    @property
    def doc_ids(self) -> set[str]:
        return {i.doc.doc_id for i in self.items}


def _date(e: Event) -> dt.date | None:
    try:
        return dt.date.fromisoformat(e.date) if e.date else None
    except ValueError:
        return None


def km(a: Event, b: Event) -> float | None:
    if not a.location or not b.location:
        return None
    return distance_km(a.location.lat, a.location.lon, b.location.lat, b.location.lon)


def actor_names(e: Event) -> set[str]:
    names = {a.name for a in (e.actor1, e.actor2) if a} | {a.name for a in e.assoc_actors}
    return {norm_actor(n) for n in names if n}


# Generic actors say who in kind, not which group: they never contradict a named one
# ("unidentified gunmen" in one report, "Al Shabaab" in another may be the same attackers).
GENERIC = ("unidentified", "civilians", "protesters", "rioters")


def specific_actors(e: Event) -> set[str]:
    return {n for n in actor_names(e) if not n.startswith(GENERIC)}


def _same_region(a: Event, b: Event) -> bool:
    """One location is region-level (geo_precision 3) and both sit in the same admin1."""
    la, lb = a.location, b.location
    if not la or not lb or 3 not in (la.geo_precision, lb.geo_precision):
        return False
    return bool(la.admin1) and la.admin1 == lb.admin1 and la.country == lb.country


def norm_actor(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\([^)]*\)", " ", name)).strip().lower()


# Sub-types that outlets may tell one event as. Battles, protests and riots: any (reports
# differ on outcome and on how the crowd behaved). Remote violence and attacks on
# civilians: only within a group — a rocket and a roadside bomb are two events.
COMPATIBLE_SUBTYPES = [
    {"Air/drone strike", "Shelling/artillery/missile attack"},
    {"Suicide bomb", "Remote explosive/landmine/IED"},
    {"Attack", "Sexual violence"},
]
ANY_SUBTYPE = {"Battles", "Protests", "Riots"}
# Sub-types of different event types that reports of one event may still give: fire one side
# calls shelling and another says was returned (the codebook makes an exchange a battle), an
# attack the defenders say they intercepted.
CROSS_TYPE_SUBTYPES = [
    {"Armed clash", "Shelling/artillery/missile attack"},
    {"Disrupted weapons use", "Shelling/artillery/missile attack", "Air/drone strike"},
]


def compatible_subtypes(a: Event, b: Event) -> bool:
    if a.event_type != b.event_type:
        return any({a.sub_event_type, b.sub_event_type} <= group for group in CROSS_TYPE_SUBTYPES)
    if a.event_type in ANY_SUBTYPE or a.sub_event_type == b.sub_event_type:
        return True
    return any({a.sub_event_type, b.sub_event_type} <= group for group in COMPATIBLE_SUBTYPES)


def similarity(a: Event, b: Event) -> tuple[float, list[str]]:
    """How likely two events are one real event, 0..1, with the reasons; 0 when incompatible."""
    why: list[str] = []
    if not compatible_subtypes(a, b):
        if a.event_type != b.event_type:
            return 0.0, ["different event types"]
        return 0.0, [f"different kinds of {a.event_type}: {a.sub_event_type} vs {b.sub_event_type}"]
    score = 0.3 if a.event_type == b.event_type else 0.25  # a little doubt across types
    gap = None
    da, db = _date(a), _date(b)
    if da and db:
        slack = max(DATE_SLACK.get(a.time_precision, 2), DATE_SLACK.get(b.time_precision, 2))
        if _same_region(a, b):
            slack = 1  # a match on the province alone needs the days to agree (a day either way)
        gap = abs((da - db).days)
        if gap > slack:
            return 0.0, [f"dates {gap} days apart"]
        score += 0.2 * (1 - gap / (slack + 1))
        why.append(f"dates {gap} d apart")
    elif a.historical != b.historical:
        return 0.0, ["one is background history"]
    dist = km(a, b)
    same_spot = dist is not None and not _same_region(a, b) and (
        dist <= SAME_TOWN_KM or (a.location.name == b.location.name and 1 in (a.location.geo_precision,
                                                                             b.location.geo_precision)))
    if dist is not None and _same_region(a, b):
        score += 0.15  # one report knows only the province the other names a town in
        why.append(f"same region {a.location.admin1}")
    elif dist is not None:
        # two reports naming different towns or districts (not a province) tell of different places
        # unless the two are close: "Nad Ali district" is not "Nahr-e Saraj district" 45 km away
        precise = a.location.geo_precision <= 2 and b.location.geo_precision <= 2
        limit = SAME_TOWN_KM if precise and a.location.name != b.location.name else MAX_KM
        if dist > limit:
            return 0.0, [f"places {dist:.0f} km apart"]
        score += 0.3 * (1 - dist / limit)
        why.append(f"places {dist:.0f} km apart")
    elif a.location or b.location:
        score -= 0.1
    na, nb = specific_actors(a), specific_actors(b)
    if na and nb:
        shared = na & nb
        if shared:
            score += 0.2 * len(shared) / len(na | nb)
            why.append("shared actors: " + ", ".join(sorted(shared)))
        elif same_spot and gap is not None and gap <= 1:
            # one place, one day, one kind of event: sources that blame different groups (or name
            # the side that says it was hit rather than the one that fired) still tell one event
            score -= 0.15
            why.append("no actor in common, but the same place and day")
        else:
            return 0.0, ["no actor in common"]
    if a.sub_event_type == b.sub_event_type:
        score += 0.1
    return min(score, 1.0), why


LEND_DAYS = 3  # a year-less dateline takes a year from a dated report at most this many days off


def yearless_dateline(text: str) -> tuple[int, int] | None:
    """(month, day) of a wire dateline that gives no year: "KANO, Nigeria, Aug 11 (AFP) -"."""
    m = WIRE_DATELINE.search(text[:2000])
    if not m or not (m["mon"] or m["mon2"]):
        return None
    mon = MONTHS.get((m["mon"] or m["mon2"]).lower())
    day = int(m["day"] or m["day2"])
    return (mon, day) if mon and 1 <= day <= 31 else None


def lend_years(docs: list[Document]) -> list[Document]:
    """Reports whose only date is a year-less wire dateline take the year from the other reports
    being compared: the year in which another report's date falls within LEND_DAYS of that month
    and day (the issue's rule: a date with no year takes the year from context). The events get
    the dateline's day at week precision, and the reason says which report lent the year."""
    dated = [(d, dt.date.fromisoformat(x)) for d in docs for x in
             ([d.published] if d.published else []) + [e.date for e in d.events if e.date] if _iso_ok(x)]
    out = []
    for doc in docs:
        md = None if doc.published or any(e.date for e in doc.events) else yearless_dateline(doc.text or "")
        best = None
        if md:
            for other, day in dated:
                if other.doc_id == doc.doc_id:
                    continue
                try:
                    guess = dt.date(day.year, *md)
                except ValueError:
                    continue
                gap = abs((guess - day).days)
                if gap <= LEND_DAYS and (best is None or gap < best[0]):
                    best = (gap, guess, other)
        if best is None:
            out.append(doc)
            continue
        _, guess, other = best
        doc = doc.model_copy(deep=True)
        for e in doc.events:
            if not e.historical:
                e.date, e.time_precision = guess.isoformat(), 2
                e.reasons.append(f"date: the year-less dateline read as {guess.isoformat()}, the year taken from "
                                 f"{other.doc_id} (dated within {LEND_DAYS} days of it)")
        out.append(doc)
    return out


def _iso_ok(x: str) -> bool:
    try:
        dt.date.fromisoformat(x)
        return True
    except (TypeError, ValueError):
        return False


def cluster_events(docs: list[Document]) -> list[Group]:
    """Greedy single-link over compatible pairs, strongest first, one event per document per group."""
    docs = lend_years(docs)
    items = [Item(d, e, i) for d in docs for i, e in enumerate(d.events) if e.modality not in UNREAL]
    # each document's main event (the contract: highest confidence, the first on ties) is what the
    # document is about: links between main events are made first, so a background mention of the
    # same kind of event in one report does not take the place of the report's own event
    main = {d.doc_id: max(d.events, key=lambda e: e.confidence).event_id for d in docs if d.events}
    pairs = []
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.doc.doc_id == b.doc.doc_id:
                continue
            s, _ = similarity(a.event, b.event)
            if s >= JOIN_AT:
                # prefer the events each document leads with
                mains = sum(1 for it in (a, b) if main.get(it.doc.doc_id) == it.event.event_id)
                pairs.append(((mains, s + 0.05 * (a.event.confidence + b.event.confidence)), a, b))
    group_of: dict[tuple[str, str], Group] = {it.key: Group([it]) for it in items}
    for _, a, b in sorted(pairs, key=lambda p: p[0], reverse=True):
        ga, gb = group_of[a.key], group_of[b.key]
        if ga is gb or ga.doc_ids & gb.doc_ids:
            continue
        if not all(similarity(x.event, y.event)[0] >= JOIN_AT for x in ga.items for y in gb.items):
            continue  # every pair in a cluster must be compatible, not only the link
        ga.items.extend(gb.items)
        for it in gb.items:
            group_of[it.key] = ga
    _attach_repeats(items, group_of)
    seen, groups = set(), []
    for it in items:
        g = group_of[it.key]
        if id(g) not in seen:
            seen.add(id(g))
            groups.append(g)
    return groups


REPEAT_KM = 100.0


def is_repeat(a: Event, b: Event) -> bool:
    """Two events of one document that tell one action twice ("Russia launched 64 strikes near the T4
    airbase" ... "Russia has sent massive airstrikes against ISIS"): the same kind of event, the same
    two sides, the same day, places no further apart than one battlefield."""
    if a.sub_event_type != b.sub_event_type or not a.date or a.date != b.date:
        return False
    if not (a.actor1 and b.actor1 and a.actor1.name == b.actor1.name):
        return False
    if (a.actor2.name if a.actor2 else None) != (b.actor2.name if b.actor2 else None):
        return False
    dist = km(a, b)
    return dist is None or dist <= REPEAT_KM


def _attach_repeats(items: list[Item], group_of: dict) -> None:
    """An event left alone whose document already tells the same action in a cluster of several
    documents is a second telling of it: it joins that cluster (its fields are not compared again:
    each document speaks once, through its most confident telling)."""
    for it in items:
        if len(group_of[it.key].items) != 1:
            continue
        for other in items:
            g = group_of[other.key]
            if other.doc.doc_id == it.doc.doc_id and other is not it and len(g.doc_ids) > 1 \
                    and is_repeat(it.event, other.event):
                g.items.append(it)
                group_of[it.key] = g
                break


def source_name(doc: Document) -> str:
    return doc.outlet or (doc.relays[0] if doc.relays else None) or doc.doc_id


def independent_sources(docs: list[Document]) -> int:
    """Outlets that report independently: copies of one wire story, or of one original, count once."""
    origins = set()
    for d in docs:
        if d.original_source and d.original_source.outlet:
            origins.add(("orig", d.original_source.outlet.lower()))
        elif d.relays:
            origins.add(("wire", d.relays[0].lower()))
        else:
            origins.add(("outlet", source_name(d).lower()))
    return len(origins)


def field_values(e: Event) -> dict[str, object]:
    """The comparable value of each field, as a report states it."""
    fat = e.fatalities
    quantities: dict[str, object] = {}
    for q in e.quantities:
        if q.unit != "killed":
            quantities.setdefault(q.unit, (q.qualifier + " " if q.qualifier else "") + (str(q.value) if q.value is not None else "?"))
    return {
        "modality": OUTCOME.get(e.modality, e.modality),
        "fatalities": fat.count if fat and fat.count is not None else None,
        "actors": sorted({a.name for a in (e.actor1, e.actor2) if a}) or None,
        "quantities": quantities or None,
        "date": e.date,
        "location": e.location.name if e.location else None,
    }


def compare_fields(group: Group) -> tuple[list[Agreement], list[Disagreement]]:
    agreements, disagreements = [], []
    # one telling per document: its most confident (a repeat within a document is not a second source)
    primary: dict[str, Item] = {}
    for it in group.items:
        if it.doc.doc_id not in primary or it.event.confidence > primary[it.doc.doc_id].event.confidence:
            primary[it.doc.doc_id] = it
    values = [(it.doc.doc_id, field_values(it.event)) for it in group.items if primary[it.doc.doc_id] is it]
    for name in ("modality", "fatalities", "actors", "quantities", "date", "location"):
        stated = [(doc_id, v[name]) for doc_id, v in values if v[name] is not None]
        if len(stated) < 2:
            continue
        if name == "quantities":
            units = set.intersection(*(set(v) for _, v in stated))
            stated = [(doc_id, {u: v[u] for u in sorted(units)}) for doc_id, v in stated]
            if not units:
                continue
        distinct = {repr(v) for _, v in stated}
        if len(distinct) == 1:
            agreements.append(Agreement(field=name, value=stated[0][1]))
        else:
            disagreements.append(Disagreement(field=name, values=[SourceValue(doc_id=d, value=v) for d, v in stated]))
    return agreements, disagreements


def build_clusters(docs: list[Document]) -> tuple[list[Cluster], dict[tuple[str, str], str]]:
    """Contract clusters, plus a map from (doc_id, event_id) to cluster_id."""
    clusters, where = [], {}
    for n, group in enumerate(cluster_events(docs), start=1):
        cid = f"c{n}"
        lead = max(group.items, key=lambda it: it.event.confidence).event
        agreements, disagreements = compare_fields(group)
        docs_in = [it.doc for it in group.items]
        sources = []
        for d in docs_in:
            if (s := source_name(d)) not in sources:
                sources.append(s)
        clusters.append(Cluster(
            cluster_id=cid,
            events=[ClusterRef(doc_id=it.doc.doc_id, event_id=it.event.event_id) for it in group.items],
            event_type=lead.event_type,
            place=lead.location.name if lead.location else None,
            date=max((it.event.date for it in group.items if it.event.date), default=None),
            sources=sources, agreements=agreements, disagreements=disagreements,
            corroboration=independent_sources(docs_in),
        ))
        for it in group.items:
            where[it.key] = cid
    return clusters, where
