"""``tadmor demo``: extraction over the bundled sample articles, shown as a table."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_paths() -> list[Path]:
    """The bundled sample articles (every file in ``samples/`` but its README)."""
    folder = resources.files("tadmor.demo") / "samples"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.is_file() and p.name != "README.md")


def run_demo(serve: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..ingest import read_file
    from ..pipeline import Pipeline

    console = Console()
    if not console.is_terminal:
        console = Console(width=180)  # piped output: a wide table rather than a folded one
    err = Console(stderr=True)
    with err.status("Loading models (spaCy, gazetteer, actor catalogue)…"):
        pipeline = Pipeline().warm_up()
    paths = sample_paths()
    raws = (raw for p in paths for raw in read_file(str(p)))
    table = Table(title=f"tadmor demo: events in {len(paths)} sample articles", show_lines=False)
    for col in ("document", "event", "actors", "place", "date", "deaths", "modality", "source"):
        table.add_column(col, overflow="fold", max_width=48 if col in ("actors", "event") else 24)
    docs = []
    with err.status("Extracting…"):
        for doc in pipeline.run(raws):
            docs.append(doc)
    for doc in docs:
        source = doc.outlet or ", ".join(doc.relays) or "—"
        if doc.errors:
            table.add_row(doc.doc_id, "[red]" + "; ".join(e.message for e in doc.errors) + "[/red]", "", "", "", "", "", source)
        for ev in doc.events:
            actors = " → ".join(a.name for a in (ev.actor1, ev.actor2) if a) or "—"
            place = ev.location.name if ev.location else "—"
            fat = "—" if not ev.fatalities or ev.fatalities.count is None else str(ev.fatalities.count)
            modality = ev.modality + (f" ({ev.claimed_by})" if ev.claimed_by else "")
            if ev.section == "commentary":
                modality += " · commentary"
            table.add_row(doc.doc_id, ev.sub_event_type, actors, place,
                          f"{ev.date or '—'} (p{ev.time_precision})", fat, modality, source)
    console.print(table)
    n_events = sum(len(d.events) for d in docs)
    console.print(f"{len(docs)} documents, {n_events} events. Try: tadmor extract {paths[0]}")
    if serve:
        from ..web.demo import serve_demo

        serve_demo()
