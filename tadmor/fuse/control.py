"""Who controls what, from when, according to which source, and who disputes it.

Only territory-changing events speak to control (ACLED: Government regains
territory, Non-state actor overtakes territory, Non-violent transfer of
territory): the side that took the place (actor1) holds it from the event's
date until the next change. A report in the same cluster that does not state the
change as fact (the outcome unclear, denied) disputes it.
"""

from __future__ import annotations

import datetime as dt

from ..model import ControlPeriod, Document, Event

TERRITORIAL = {
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Non-violent transfer of territory",
}
STATES_CONTROL = {"asserted", "claimed", "reported"}
DISPUTES = {"uncertain", "negated"}


def control_timeline(docs: list[Document], cluster_of: dict[tuple[str, str], str]) -> list[ControlPeriod]:
    by_cluster: dict[str, list[tuple[Document, Event]]] = {}
    for d in docs:
        for e in d.events:
            cid = cluster_of.get((d.doc_id, e.event_id))
            if cid:
                by_cluster.setdefault(cid, []).append((d, e))
    periods: list[ControlPeriod] = []
    for d in docs:
        for e in d.events:
            if e.sub_event_type not in TERRITORIAL or e.modality not in STATES_CONTROL:
                continue
            if not e.location or not e.actor1 or not e.date or e.section != "report":
                continue  # the author's commentary tells no one's control of anything
            if e.location.geo_precision == 3 and e.location.admin1 is None:
                continue  # a whole country changes no hands in one event
            peers = by_cluster.get(cluster_of.get((d.doc_id, e.event_id), ""), [])
            disputed = sorted({pd.doc_id for pd, pe in peers
                               if pd.doc_id != d.doc_id and (pe.modality in DISPUTES or
                                                             (pe.sub_event_type in TERRITORIAL and pe.actor1
                                                              and pe.actor1.name != e.actor1.name))})
            periods.append(ControlPeriod(
                place=e.location.name, holder=e.actor1.name, from_=e.date, to=None,
                source_doc=d.doc_id, evidence=e.evidence, disputed_by=disputed,
            ))
    return _close_periods(periods)


def _close_periods(periods: list[ControlPeriod]) -> list[ControlPeriod]:
    """Order each place's periods in time; each ends the day the next holder takes over."""
    out: list[ControlPeriod] = []
    by_place: dict[str, list[ControlPeriod]] = {}
    for p in periods:
        by_place.setdefault(p.place, []).append(p)
    for place in sorted(by_place):
        items = sorted(by_place[place], key=lambda p: p.from_)
        for cur, nxt in zip(items, items[1:] + [None]):
            if nxt is not None and nxt.holder != cur.holder:
                cur.to = (dt.date.fromisoformat(nxt.from_) - dt.timedelta(days=1)).isoformat() \
                    if nxt.from_ > cur.from_ else nxt.from_
            out.append(cur)
    return out
