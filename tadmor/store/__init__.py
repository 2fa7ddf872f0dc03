"""The DuckDB store: documents and events ingested idempotently, queried, exported.

This package is the only place that imports duckdb, and only when a ``Store``
is opened (nothing heavy at import time). Tables: ``SCHEMA.md`` beside this file.
"""

from .queries import EventFilter
from .store import IngestStats, Store

__all__ = ["Store", "IngestStats", "EventFilter"]
