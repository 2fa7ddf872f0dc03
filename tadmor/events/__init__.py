"""Event coding: ACLED type and sub-type, modality, fatalities, quantities, evidence.

    from tadmor.events import EventExtractor, EventContext

Rules are data beside the code (``rules.yaml``, ``modality.yaml``,
``numbers.yaml``); they are read when an extractor is first used.
"""

from .extractor import EventContext, EventExtractor

__all__ = ["EventContext", "EventExtractor"]
