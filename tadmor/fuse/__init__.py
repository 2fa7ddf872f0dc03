"""Cross-source fusion: clusters of reports, field-by-field disagreements, control timelines."""

from __future__ import annotations

from ..model import Comparison, Document
from .cluster import build_clusters, similarity
from .control import control_timeline

__all__ = ["compare", "build_clusters", "control_timeline", "similarity"]


def compare(docs: list[Document]) -> Comparison:
    """Line up what several documents report: clusters of one real event, and who held which place."""
    clusters, where = build_clusters(docs)
    return Comparison(clusters=clusters, control=control_timeline(docs, where))
