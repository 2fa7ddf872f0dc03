"""Toponyms: detection, resolution against an offline gazetteer, and event locations.

``from tadmor.geo import Geoparser, GeoResult, span_patterns``. Nothing heavy
happens at import: the gazetteer loads on the first parse.
"""

from __future__ import annotations

from .facilities import span_patterns
from .parser import Geoparser
from .result import GeoResult

__all__ = ["Geoparser", "GeoResult", "span_patterns"]
