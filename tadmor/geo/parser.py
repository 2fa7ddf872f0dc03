"""The geo stage: ``Geoparser.parse(doc, text, skip) -> GeoResult``."""

from __future__ import annotations

from collections import Counter

from .. import model
from ..config import DEFAULT, Config
from .detect import Detector
from .gazetteer import ADMIN1, CONTINENT, FACILITY, Gazetteer, load
from .resolve import Resolved, Resolver
from .result import GeoResult


class Geoparser:
    def __init__(self, config: Config = DEFAULT) -> None:
        self.config = config
        self._gaz: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = load()  # once per process, shared by every Geoparser
        return self._gaz

    def _resolve(self, doc, text: str, skip=()) -> list[Resolved]:
        gaz = self.gazetteer
        mentions = Detector(gaz).find(doc, text, list(skip))
        return Resolver(gaz).resolve(mentions, text)

    def parse(self, doc, text: str, skip: list[tuple[int, int]] = ()) -> GeoResult:
        gaz = self.gazetteer
        resolved = self._resolve(doc, text, skip)
        places: dict[tuple[int, str], model.Place] = {}
        countries: Counter = Counter()
        for r in resolved:
            if r.chosen is None:
                continue
            e, m = r.chosen.entry, r.mention
            if e.cc and e.kind != CONTINENT and m.votes:
                countries[e.cc] += 1.0 if m.role == "literal" else 0.5
            key = (e.idx, m.role)
            span = model.Span.of(text, m.start, m.end)
            if key in places:
                places[key].mentions.append(span)
                continue
            admin1 = gaz.admin1_of(e)
            reason = "; ".join(r.chosen.reasons)
            if m.role == "organisation":
                reason = f"inside the name {m.org!r}; " + reason
            places[key] = model.Place(
                name=e.name, lat=e.lat, lon=e.lon, country=e.cc, admin1=admin1, geonameid=e.gid,
                feature=e.kind, role=m.role, mentions=[span], reason=reason, score=round(r.confidence, 3))
        focus = countries.most_common(1)[0][0] if countries else None
        return GeoResult(list(places.values()), focus, resolved, text, gaz)

    def explain(self, text: str) -> list[dict]:
        """Every mention with its candidates, their scores and reasons, and the choice (for `tadmor geocode`)."""
        from ..nlp import load_nlp

        doc = load_nlp(self.config)(text)
        out = []
        for r in self._resolve(doc, text):
            m = r.mention
            out.append({
                "mention": m.text, "start": m.start, "end": m.end, "source": m.source, "role": m.role,
                "chosen": r.chosen.entry.name if r.chosen else None,
                "confidence": round(r.confidence, 3),
                "candidates": [
                    {"name": c.entry.name, "kind": c.entry.kind, "country": c.entry.cc,
                     "admin1": c.entry.admin1, "population": c.entry.pop, "lat": c.entry.lat,
                     "lon": c.entry.lon, "geonameid": c.entry.gid, "score": round(c.score, 3),
                     "reasons": c.reasons}
                    for c in r.candidates[:8]
                ],
            })
        return out
