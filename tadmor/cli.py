"""The ``tadmor`` command: thin shells over the library.

stdout carries only results (JSON lines for ``extract``); logs, warnings and
progress go to stderr. Errors become one-line messages and exit codes here, in
one place; no traceback reaches a user.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import TadmorError, UsageError

app = typer.Typer(
    help="tadmor: conflict news in; structured, sourced ACLED-style events out.\n\n"
    "Start with `tadmor demo`, then `tadmor extract ARTICLE.txt`.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="markdown",
)


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"tadmor {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version,
                                       help="Print tadmor's version and exit.")) -> None:
    pass  # the app's help is the Typer(help=...) above; this callback only adds --version

EXIT_USAGE = 2
EXIT_OUTPUT = 3
EXIT_ERROR = 1


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _config(batch_size: int | None = None, workers: int | None = None):
    from dataclasses import replace

    from .config import DEFAULT

    cfg = DEFAULT
    if batch_size:
        cfg = replace(cfg, batch_size=batch_size)
    if workers:
        cfg = replace(cfg, workers=workers)
    return cfg


@app.command()
def extract(
    files: list[str] = typer.Argument(None, help="Articles: plain text, Markdown, HTML or .jsonl files; `-` reads JSON lines from stdin."),
    jsonl: Optional[str] = typer.Option(None, "--jsonl", help="A JSON-lines file, one document a line: {id, text|html, published?, title?, outlet?, url?}. `-` for stdin."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, max=10_000, help="Documents per spaCy batch."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, max=64, help="Worker processes (each loads the models once); pays off on long inputs."),
    progress: bool = typer.Option(False, "--progress", help="Show a progress bar on stderr."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logs on stderr."),
):
    """Extract events, actors, places, dates and quantities: one JSON line per input document.

    Every input gets its line, in input order, even when it cannot be read (then
    `errors` says why). The exit code is 0 whenever every input got its line.

    Examples:

        tadmor extract article.txt page.html

        tadmor extract --jsonl notes.jsonl > events.jsonl

        cat notes.jsonl | tadmor extract -
    """
    _setup_logging(verbose)
    if not files and not jsonl:
        raise UsageError("give at least one FILE, `-` for stdin, or --jsonl FILE")
    from .ingest import read_inputs
    from .model import to_json_line
    from .pipeline import Pipeline

    pipeline = Pipeline(_config(batch_size, workers))
    raws = read_inputs(files or [], jsonl, stdin=sys.stdin.buffer)
    out = sys.stdout
    # with workers, each line is serialised where its document was made: the parent only writes
    lines = pipeline.run_parallel(raws, workers, transform=to_json_line)
    with _maybe_progress(progress) as tick:
        for line in lines:
            try:
                out.write(line + "\n")
                out.flush()
            except (BrokenPipeError, OSError) as exc:
                raise _OutputError(str(exc)) from exc
            tick()


class _OutputError(TadmorError):
    code = "output"


class _maybe_progress:
    """A rich spinner with a count on stderr, when asked for; a no-op otherwise."""

    def __init__(self, enabled: bool, label: str = "documents"):
        self.enabled, self.label, self.count = enabled, label, 0

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(SpinnerColumn(), TextColumn("{task.completed} " + self.label), BarColumn(),
                                 TimeElapsedColumn(), console=_stderr_console(), transient=False)
        self.progress.start()
        task = self.progress.add_task("extract", total=None)
        return lambda: self.progress.advance(task)

    def __exit__(self, *exc):
        if self.enabled:
            self.progress.stop()
        return False


@app.command()
def compare(
    files: list[str] = typer.Argument(None, help="Articles to line up (any format `extract` reads)."),
    db: Optional[str] = typer.Option(None, "--db", help="Compare the documents of a tadmor store instead of files."),
    fmt: str = typer.Option("table", "--format", help="`json` (the contract's comparison object) or `table`."),
):
    """Line up several reports: same-event clusters, their disagreements, and who held which place.

    Examples:

        tadmor compare a.txt b.txt --format json

        tadmor compare --db tadmor.duckdb
    """
    if fmt not in ("json", "table"):
        raise UsageError("--format is `json` or `table`")
    if not files and not db:
        raise UsageError("give FILES to compare, or --db STORE")
    from .fuse import compare as fuse_compare

    docs = list(_documents(files or [], db))
    result = fuse_compare(docs)
    if fmt == "json":
        from .model import to_json_line

        typer.echo(to_json_line(result))
        return
    _print_comparison(result, docs)


@app.command()
def control(
    place: str = typer.Argument(..., help="A place, as the gazetteer names it or as the articles write it (\"Palmyra\")."),
    files: list[str] = typer.Argument(None, help="Articles to read (any format `extract` reads)."),
    db: Optional[str] = typer.Option(None, "--db", help="Read the documents of a tadmor store instead of files."),
    fmt: str = typer.Option("table", "--format", help="`table` or `json`."),
):
    """Who held PLACE, from when, according to which source, and who disputes it.

    Built from territory-changing events (government regains territory, non-state
    actor overtakes territory, non-violent transfer) reported as fact, claimed or reported.

    Examples:

        tadmor control Palmyra ../shared/seeds/*.txt

        tadmor control Palmyra --db tadmor.duckdb --format json
    """
    if fmt not in ("json", "table"):
        raise UsageError("--format is `json` or `table`")
    if not files and not db:
        raise UsageError("give FILES to read, or --db STORE")
    from .fuse import compare as fuse_compare

    want = place.strip().lower()
    periods = [p for p in fuse_compare(list(_documents(files or [], db))).control
               if p.place.lower() == want or want in p.evidence.text.lower()]
    if fmt == "json":
        typer.echo(json.dumps([p.model_dump(mode="json", by_alias=True) for p in periods], ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Control of {place}")
    for col in ("holder", "from", "to", "source", "disputed by", "evidence"):
        table.add_column(col, overflow="fold", max_width=60 if col == "evidence" else None)
    for p in periods:
        table.add_row(p.holder, p.from_, p.to or "—", p.source_doc, ", ".join(p.disputed_by) or "—", p.evidence.text)
    Console().print(table if periods else f"No change of control of {place} is reported.")


def _documents(files: list[str], db: str | None):
    if db:
        from .store import Store

        with Store(db) as store:
            yield from store.all_documents()
    if files:
        from .ingest import read_inputs
        from .pipeline import Pipeline

        for doc in Pipeline().run(read_inputs(files, None, stdin=sys.stdin.buffer)):
            for err in doc.errors:  # compared without it, or only in part: say so, off stdout
                sys.stderr.write(f"tadmor: {doc.doc_id}: {err.code}: {err.message}\n")
            yield doc


def _print_comparison(result, docs) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    by_id = {(d.doc_id, e.event_id): (d, e) for d in docs for e in d.events}
    for c in result.clusters:
        if len(c.events) < 2:
            continue
        table = Table(title=f"{c.cluster_id}: {c.event_type} · {c.place or '?'} · {c.date or '?'} "
                            f"· {c.corroboration} independent source(s)")
        table.add_column("field")
        refs = [by_id[(r.doc_id, r.event_id)] for r in c.events]
        for d, _ in refs:
            table.add_column(f"{d.outlet or d.doc_id}", overflow="fold")
        from .fuse.cluster import field_values

        values = [field_values(e) for _, e in refs]
        disputed = {dis.field for dis in c.disagreements}
        for name in ("modality", "fatalities", "actors", "quantities", "date", "location"):
            mark = "[bold red]≠ " if name in disputed else ""
            table.add_row(mark + name + ("[/]" if mark else ""), *[str(v.get(name) if v.get(name) is not None else "—") for v in values])
        table.add_row("evidence", *[e.evidence.text for _, e in refs])
        console.print(table)
    if result.control:
        table = Table(title="Control timeline")
        for col in ("place", "holder", "from", "to", "source", "disputed by"):
            table.add_column(col)
        for p in result.control:
            table.add_row(p.place, p.holder, p.from_, p.to or "—", p.source_doc, ", ".join(p.disputed_by) or "—")
        console.print(table)
    singles = sum(1 for c in result.clusters if len(c.events) < 2)
    console.print(f"{len(result.clusters) - singles} multi-source clusters, {singles} events told by one document.")


@app.command()
def schema(
    kind: str = typer.Option("document", "--kind", help="`document` (one `extract` line) or `comparison` (`compare` output)."),
):
    """Print the JSON Schema of tadmor's output."""
    from .model import json_schema

    if kind not in ("document", "comparison"):
        raise UsageError("--kind is `document` or `comparison`")
    typer.echo(json.dumps(json_schema(kind), indent=2))


@app.command()
def demo(
    serve: bool = typer.Option(False, "--serve", help="Also ingest the samples and start the web app."),
):
    """Run extraction over the bundled sample articles and print a table of their events."""
    from .demo import run_demo

    run_demo(serve=serve)


@app.command()
def geocode(text: str = typer.Argument(..., help="Text to geoparse, e.g. \"Clashes in Qalat district, Zabul\".")):
    """Show every toponym's gazetteer candidates, their scores, and the one chosen."""
    from rich.console import Console
    from rich.table import Table

    from .pipeline import Pipeline

    pipe = Pipeline()
    rows = pipe.geo.explain(text)
    table = Table(title="Toponyms: candidates, scores, and the choice", show_lines=True)
    for col in ("mention", "role", "candidate", "country", "admin1", "lat, lon", "score", "", "why"):
        table.add_column(col, overflow="fold", max_width=60 if col == "why" else None)
    for row in rows:
        for i, cand in enumerate(row.get("candidates", [])):
            first = i == 0
            chosen = first and row.get("chosen") == cand.get("name")  # candidates come best first
            reasons = cand.get("reasons") or []
            table.add_row(row.get("mention", "") if first else "", str(row.get("role") or "") if first else "",
                          str(cand.get("name")), str(cand.get("country") or ""), str(cand.get("admin1") or ""),
                          f"{cand.get('lat', 0):.4f}, {cand.get('lon', 0):.4f}", f"{cand.get('score', 0):.2f}",
                          "[green]✓ chosen[/green]" if chosen else "",
                          "; ".join(str(r) for r in reasons) if isinstance(reasons, list) else str(reasons))
        if not row.get("candidates"):
            table.add_row(row.get("mention", ""), str(row.get("role") or ""), "—", "", "", "", "", "no candidate", "")
    Console().print(table)


@app.command()
def actors(
    check: Optional[str] = typer.Option(None, "--check", help="Resolve the actor mentions in this text instead of listing the catalogue."),
    country: Optional[str] = typer.Option(None, "--country", help="ISO2 country for naming generic actors, e.g. SY."),
    year: Optional[int] = typer.Option(None, "--year", help="Year for choosing a state's regime years."),
):
    """List the actor catalogue, or show how the mentions in a text resolve (`--check`)."""
    from rich.console import Console
    from rich.table import Table

    from .pipeline import Pipeline

    pipe = Pipeline()
    console = Console()
    if check is None:
        table = Table(title="Actor catalogue")
        for col in ("key", "name", "inter", "aliases"):
            table.add_column(col)
        for entry in pipe.actors.catalogue():
            aliases = entry.get("aliases") or []
            table.add_row(str(entry.get("key")), str(entry.get("name")), str(entry.get("inter")),
                          ", ".join(aliases[:6]) + (" …" if len(aliases) > 6 else ""))
        console.print(table)
        return
    sdoc = pipe.nlp(check)
    table = Table(title="Actor mentions")
    for col in ("mention", "offsets", "resolves to", "inter", "via"):
        table.add_column(col)
    for m in pipe.actors.find(sdoc, check):
        name, inter = pipe.actors.name(m.key, m.country or country, year)
        table.add_row(m.text, f"{m.start}-{m.end}", name, str(inter), m.via)
    console.print(table)


@app.command()
def fronts(
    check: Optional[str] = typer.Option(None, "--check", help="Find a front-line settlement in this text and say who held it."),
    date: Optional[str] = typer.Option(None, "--date", help="ISO date for --check, e.g. 2020-05-01 (control changes with time)."),
):
    """List the lines of contact tadmor knows (who held which settlement, and when), or check a text.

    Fire a report attributes to nobody, near a settlement one side held, is coded as the other
    side's (tadmor/geo/data/fronts.yaml; `tadmor fronts --check "12 explosions near Horlivka" --date 2020-05-01`).
    """
    from rich.console import Console
    from rich.table import Table

    from .geo.fronts import fronts as list_fronts
    from .geo.fronts import held_near

    console = Console()
    if check is not None:
        if not date:
            raise typer.BadParameter("--check needs --date (who held a place depends on when)", param_hint="--date")
        held = held_near(check, 0, len(check), date)
        if held is None:
            console.print("no settlement that one side held on that date is named (or the text names a contested one)")
            raise typer.Exit(1)
        from .actors import ActorResolver

        resolver, year = ActorResolver(), int(date[:4])
        holder = resolver.name(held.side, held.country, year, event_country=held.country)[0]
        other = resolver.name(held.other, held.country, year, event_country=held.country)[0]
        console.print(f"{held.place!r} ({held.oblast}, {held.country}) was held by {holder} on {date} ({held.front}); "
                      f"fire nobody is named firing there is coded as {other}'s")
        return
    for front in list_fronts():
        table = Table(title=f"{front['name']} ({front['country']}), {front['from']} to {front['until']}", show_lines=True)
        for col in ("held by", "oblast", "settlements"):
            table.add_column(col, overflow="fold")
        for side, oblasts in front["held"].items():
            for oblast, names in oblasts.items():
                table.add_row(side, oblast, ", ".join(names))
        table.add_row("contested or split", "", ", ".join(front["contested"]))
        console.print(table)


def _register_store_commands() -> None:
    from .store import commands as store_commands

    app.command("ingest")(store_commands.ingest)
    app.command("events")(store_commands.events)
    app.command("export")(store_commands.export)


def _register_scale_commands() -> None:
    from .scale import commands as scale_commands

    app.command("batch")(scale_commands.batch)


def _register_api_commands() -> None:
    from .api import commands as api_commands

    app.command("serve")(api_commands.serve)


_register_store_commands()
_register_api_commands()
_register_scale_commands()


def run() -> None:
    """Console entry point: maps errors to one-line messages and exit codes, in one place."""
    # click's exceptions, or the copy of click that typer >= 0.20 vendors as typer._click
    click_errors = sys.modules[typer.BadParameter.__module__]
    from .heap import tune_malloc

    tune_malloc()  # batch after batch of parse arrays reuse freed memory (tadmor/heap.py)
    try:
        rv = app(standalone_mode=False)
    except click_errors.ClickException as exc:  # bad flags, missing arguments
        exc.show()
        sys.exit(exc.exit_code)
    except typer.Abort:  # click's Abort, or typer's own beside its vendored click
        sys.stderr.write("tadmor: aborted\n")
        sys.exit(130)
    except UsageError as exc:
        _stderr_console().print(f"[red]tadmor: {exc}[/red]", highlight=False)
        sys.exit(EXIT_USAGE)
    except _OutputError as exc:
        sys.stderr.write(f"tadmor: cannot write output: {exc}\n")
        sys.exit(EXIT_OUTPUT)
    except TadmorError as exc:
        _stderr_console().print(f"[red]tadmor: {exc}[/red]", highlight=False)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("tadmor: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line; --verbose logs carry the details
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        sys.stderr.write(f"tadmor: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(EXIT_ERROR)
    sys.exit(rv if isinstance(rv, int) else 0)
