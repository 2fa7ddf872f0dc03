"""Batch extraction at volume: the same pipeline over JSONL/Parquet inputs, Parquet out.

Two engines write the same two datasets (``documents/`` and ``events/``, see
``README.md`` beside this file): ``local`` (the in-process pipeline, optionally
across ``--workers`` processes) and ``spark`` (PySpark, the pipeline loaded once
per executor process). ``documents_from_parquet`` rebuilds contract
``Document``s from a batch result, for ``tadmor ingest --from-parquet``.

Nothing heavy is imported here: pyarrow and pyspark load when a batch runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Document
    from .batch import BatchStats

__all__ = ["run_batch", "documents_from_parquet"]


def run_batch(inputs: list[str], output: str, *, engine: str = "local", **options) -> "BatchStats":
    """Extract every input document and write ``output/documents`` and ``output/events``."""
    from .batch import run_batch as _run

    return _run(inputs, output, engine=engine, **options)


def documents_from_parquet(directory: str | Path) -> Iterator["Document"]:
    """The contract ``Document``s of a batch result, in input order (source file, then line)."""
    from .read import documents_from_parquet as _read

    return _read(directory)
