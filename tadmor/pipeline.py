"""The whole path from raw input to contract ``Document``s, streamed in batches.

Each document passes: ingest (read, metadata, sections, views) → spaCy
(``nlp.pipe`` in batches) → geo, actors, time → events. A stage that fails on a
document records an error on that document and the others go on: every input
gets its output line.
"""

from __future__ import annotations

import gc
import logging
from contextlib import nullcontext
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from itertools import islice

from .config import DEFAULT, Config
from .ingest import Prepared, RawDoc, prepare
from .model import Document, ErrorInfo
from .nlp.blas import one_blas_thread

log = logging.getLogger(__name__)


def batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def split_by_chars(texts: list[str], max_chars: int) -> Iterator[list[str]]:
    """Consecutive runs of ``texts`` of at most ``max_chars`` characters together (a longer text alone)."""
    run: list[str] = []
    size = 0
    for text in texts:
        if run and size + len(text) > max_chars:
            yield run
            run, size = [], 0
        run.append(text)
        size += len(text)
    if run:
        yield run


class Pipeline:
    """Loads every model once, then turns ``RawDoc``s into ``Document``s in input order."""

    def __init__(self, config: Config = DEFAULT):
        self.config = config
        self._loaded = False

    @cached_property
    def nlp(self):
        from .nlp import load_nlp

        return load_nlp(self.config)

    @cached_property
    def geo(self):
        from .geo import Geoparser

        return Geoparser(self.config)

    @cached_property
    def actors(self):
        from .actors import ActorResolver

        return ActorResolver(self.config)

    @cached_property
    def events(self):
        from .events import EventExtractor

        return EventExtractor(self.config)

    def load(self) -> "Pipeline":
        """Load the models, and what they load on first use, once (``run`` calls it at its first batch).

        Loading builds about a million objects that live as long as the process (the
        gazetteer's names, spaCy's tables, the patterns). The cyclic garbage collector is
        paused meanwhile: its passes over them found nothing and cost ~0.3 s of a 2 s start.
        They are then frozen (``gc.freeze``), so the collector's full passes during a run
        no longer walk them (~0.13 s a pass). Objects are still freed when no longer referenced.
        """
        if self._loaded:
            return self
        collecting = gc.isenabled()
        gc.disable()
        try:
            _ = self.nlp, self.geo, self.actors, self.events
            self.geo.gazetteer.prepare()
        finally:
            if collecting:
                gc.enable()
        gc.freeze()
        self._loaded = True
        return self

    def warm_up(self) -> "Pipeline":
        """Load everything now and run one document (the first would otherwise pay for what is built on first use).

        Also loads dateparser, which only dates no rule reads need (~0.3 s): a long-lived
        process should not pay it, or grow by it, at whatever document first needs it."""
        from .ingest.readers import RawDoc
        from .time.absolute import load_fallback

        self.load()
        load_fallback()
        for _doc in self.run([RawDoc(doc_id="warm-up", published="2020-05-04",
                                     text="Government forces shelled Homs on Sunday, killing 2 civilians.")]):
            pass
        return self

    def run(self, raws: Iterable[RawDoc]) -> Iterator[Document]:
        """Documents out, one per input, in order; memory bounded by the batch size."""
        for batch in batched(raws, self.config.batch_size):
            self.load()
            prepared = [self._prepare(raw) for raw in batch]
            readable = [p for p in prepared if p.nlp_text is not None]
            # spaCy's memory zone frees the strings and lexemes a batch adds (spaCy >= 3.8):
            # memory stays flat on endless input. Nothing spaCy made leaves the zone.
            zone = getattr(self.nlp, "memory_zone", None)
            with zone() if zone is not None else nullcontext():
                parsed = self._parse(readable)
                for p in readable:
                    sdoc = next(parsed)
                    if isinstance(sdoc, Exception):
                        p.document.errors.append(ErrorInfo(
                            code="internal", message=f"nlp stage failed: {type(sdoc).__name__}: {sdoc}"))
                    else:
                        self._analyse(p, sdoc)
                    del sdoc
                parsed.close()
            for p in prepared:
                yield p.document

    def _parse(self, readable: list[Prepared]) -> Iterator:
        """spaCy Docs in order, streamed; should spaCy fail inside a batch, the rest are parsed one by one and
        a document that still fails yields its exception (it gets an error; the others go on)."""
        done = 0
        with one_blas_thread() if self.config.blas == "numpy" else nullcontext():
            try:
                for texts in split_by_chars([p.nlp_text for p in readable], self.config.batch_chars):
                    for sdoc in self.nlp.pipe(texts, batch_size=len(texts)):
                        done += 1
                        yield sdoc
            except Exception:
                log.debug("spaCy failed inside a batch; parsing one document at a time", exc_info=True)
                for p in readable[done:]:
                    try:
                        yield self.nlp(p.nlp_text)
                    except Exception as exc:
                        yield exc

    def run_parallel(self, raws: Iterable[RawDoc], workers: int, transform=None) -> Iterator:
        """Like ``run`` across ``workers`` processes; order kept.

        Where processes fork (Linux), the models are loaded and warmed here, once, and
        the workers inherit them: no worker pays the start-up again. Elsewhere each
        worker loads its own. At most ``2 * workers`` batches are in flight, so memory
        stays bounded however long the input (``Pool.imap`` would read the whole input ahead).
        ``transform`` (a module-level function of a Document, e.g. ``model.to_json_line``) runs
        in the workers, so the parent receives its results rather than whole Documents.
        """
        if workers <= 1:
            docs = self.run(raws)
            yield from (map(transform, docs) if transform is not None else docs)
            return
        import multiprocessing as mp
        from collections import deque
        from concurrent.futures import ProcessPoolExecutor

        ctx = None
        if "fork" in mp.get_all_start_methods():
            ctx = mp.get_context("fork")
            _loaded_pipeline.cache_clear()
            _INHERITED[self.config] = self.warm_up()
            gc.freeze()  # the loaded models stay out of the children's collections: no copy-on-write storm
        try:
            with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                     initargs=(self.config,)) as pool:
                pending: deque = deque()
                for batch in batched(raws, self.config.batch_size):
                    pending.append(pool.submit(_work, self.config, batch, transform))
                    while len(pending) >= 2 * workers:
                        yield from pending.popleft().result()
                while pending:
                    yield from pending.popleft().result()
        finally:
            _INHERITED.pop(self.config, None)
            gc.unfreeze()

    def extract_text(self, text: str, doc_id: str = "text", **meta) -> Document:
        from .ingest.readers import from_content

        return next(self.run([from_content(doc_id, text, **meta)]))

    def _prepare(self, raw: RawDoc) -> Prepared:
        try:
            return prepare(raw, self.config.max_chars)
        except Exception as exc:  # never lose a document to a bug in reading it
            log.debug("prepare failed for %s", raw.doc_id, exc_info=True)
            doc = Document(doc_id=raw.doc_id, errors=list(raw.errors))
            doc.errors.append(ErrorInfo(code="internal", message=f"ingest failed: {type(exc).__name__}: {exc}"))
            return Prepared(document=doc)

    def _analyse(self, p: Prepared, sdoc) -> None:
        from .events import EventContext
        from .nlp import forget
        from .time import find_dates

        doc, text = p.document, p.document.text
        sdoc.user_data["tadmor.text"] = p.nlp_text  # what spaCy was given, as its tokens rejoin it (doc_text)
        stage = "actors"
        try:
            mentions = self.actors.find(sdoc, text)
            stage = "geo"
            # "Murle raiders", "Fulani herdsmen": a people named as an armed side is no place (nor Mure in Japan)
            peoples = [(m.start, m.end) for m in mentions if m.key.startswith("ethnic-militia:")]
            geo = self.geo.parse(sdoc, text, list(p.skip) + peoples)
            doc.places = geo.places
            stage = "time"
            dates = find_dates(p.nlp_text, p.published, doc=sdoc)
            stage = "events"
            ctx = EventContext(
                doc_id=doc.doc_id, text=text, sections=doc.sections, published=p.published,
                geo=geo, actors=mentions, resolver=self.actors, dates=dates, config=self.config,
            )
            doc.events, doc.quantities = self.events.extract(sdoc, ctx)
            stage = "actors"
            year = p.published.year if p.published else _first_year(doc)
            doc.actors = self.actors.entries(mentions, text, geo.focus_country, year)
        except Exception as exc:
            log.debug("stage %s failed for %s", stage, doc.doc_id, exc_info=True)
            doc.errors.append(ErrorInfo(code="internal", message=f"{stage} stage failed: {type(exc).__name__}: {exc}"))
        finally:
            forget(sdoc)


# the warmed pipeline a forked worker inherits from its parent (run_parallel)
_INHERITED: dict[Config, Pipeline] = {}


def _worker_pipeline(config: Config) -> Pipeline:
    """One pipeline per worker process: the parent's when forked, else loaded here once."""
    inherited = _INHERITED.get(config)
    if inherited is not None:
        return inherited
    return _loaded_pipeline(config)


@lru_cache(maxsize=1)
def _loaded_pipeline(config: Config) -> Pipeline:
    return Pipeline(config).warm_up()


def _init_worker(config: Config) -> None:
    _worker_pipeline(config)


def _work(config: Config, batch: list[RawDoc], transform=None) -> list:
    docs = _worker_pipeline(config).run(batch)
    return [transform(d) for d in docs] if transform is not None else list(docs)


def _first_year(doc: Document) -> int | None:
    for e in doc.events:
        if e.date:
            return int(e.date[:4])
    return None
