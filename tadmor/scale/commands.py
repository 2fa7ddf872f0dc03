"""The ``tadmor batch`` command; the main app registers it (``app.command("batch")(commands.batch)``).

A thin shell: check the flags, call ``run_batch``, print one summary line on stderr.
"""

from __future__ import annotations

from typing import Optional

import typer

from ..errors import UsageError


def batch(
    inputs: list[str] = typer.Option(..., "--input", "-i", help="A JSONL or Parquet file, or a directory of them (repeatable)."),
    output: str = typer.Option(..., "--output", "-o", help="The result directory: documents/ and events/ Parquet datasets go inside."),
    engine: str = typer.Option("local", "--engine", help="`local` (this process, or --workers processes) or `spark`."),
    master: str = typer.Option("local[*]", "--master", help="Spark master: local[N], spark://host:7077, yarn, k8s://... (spark engine)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, max=64, help="Worker processes (local engine)."),
    partitions: Optional[int] = typer.Option(None, "--partitions", min=1, help="Repartition the input into N Spark tasks (spark engine; default: one large task per core, then ever smaller ones)."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, max=10_000, help="Documents per spaCy batch."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace documents/ and events/ if the output already has them."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logs on stderr."),
):
    """Extract events from JSONL/Parquet inputs at volume; write Parquet partitioned by month and country.

    Every input document gets its row in `documents/` (with its `errors`), every
    event its row in `events/`; the results equal `tadmor extract` on the same
    input. Load them into a store with `tadmor ingest --from-parquet DIR`.

    Examples:

        tadmor batch --input notes.jsonl --output out/ --workers 2

        tadmor batch --engine spark --master local[2] --input inputs/ --output out/
    """
    import logging
    import sys

    from . import run_batch

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    if engine != "spark" and (partitions or master != "local[*]"):
        raise UsageError("--master and --partitions are for --engine spark")
    if engine == "spark" and workers > 1:
        raise UsageError("--workers is for --engine local; Spark runs one pipeline per executor core (--master local[N])")
    stats = run_batch(inputs, output, engine=engine, workers=workers, batch_size=batch_size, master=master,
                      partitions=partitions, overwrite=overwrite)
    typer.echo(f"{output}: {stats.summary()}", err=True)
