"""Documents: extract an article (and optionally store it), list stored documents, read one with its spans."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from ..model import Document
from .errors import ApiError
from .params import Paging, paging, state
from .schemas import MAX_FILTER_CHARS, DocumentIn, DocumentRow, DocumentView, ExtractionOut, IngestOut, Page
from .spans import date_spans
from .state import AppState

router = APIRouter(prefix="/api/documents", tags=["documents"])

_TEXT_TYPES = {"text/plain": "text", "text/markdown": "text", "text/html": "html"}

_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/DocumentIn"}},
            "text/plain": {"schema": {"type": "string"}, "example": "KABUL (Reuters) - Taliban fighters attacked…"},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}


def doc_key(doc: Document, source: str) -> str:
    """The store's identity of a document (SCHEMA.md): its url, else ``source:doc_id``."""
    return doc.url if doc.url else f"{source}:{doc.doc_id}"


@router.post("", response_model=ExtractionOut, openapi_extra=_POST_BODY,
             summary="Extract events from an article (JSON, or a raw text/plain or text/html body)")
async def post_document(
    request: Request,
    st: AppState = Depends(state),
    store: bool = Query(False, description="For raw bodies: also store the result."),
    doc_id: str | None = Query(None, max_length=200, description="For raw bodies."),
    title: str | None = Query(None, max_length=1000, description="For raw bodies."),
    outlet: str | None = Query(None, max_length=300, description="For raw bodies."),
    url: str | None = Query(None, max_length=2000, description="For raw bodies."),
    published: str | None = Query(None, max_length=40, description="For raw bodies."),
    source: str = Query("api", min_length=1, max_length=100, description="For raw bodies."),
) -> ExtractionOut:
    """The models load on the first extraction of the process. With ``store``, the document is also written
    to the database (idempotent: the same content under the same id adds nothing)."""
    ctype = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    raw = await request.body()
    try:
        if ctype == "application/json" or ctype.endswith("+json"):
            try:
                payload = json.loads(raw or b"null")
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ApiError(422, "invalid", f"body: not valid JSON ({exc})") from None
            data = DocumentIn.model_validate(payload)
        elif ctype in _TEXT_TYPES:
            try:
                content = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ApiError(422, "invalid", f"body: not UTF-8 (byte {exc.start})") from None
            data = DocumentIn.model_validate({_TEXT_TYPES[ctype]: content, "store": store, "doc_id": doc_id,
                                              "title": title, "outlet": outlet, "url": url,
                                              "published": published, "source": source})
        else:
            raise ApiError(415, "unsupported_media_type",
                           "send application/json, text/plain, text/markdown or text/html")
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors()]) from None
    return await run_in_threadpool(extract, st, data)


def extract(st: AppState, data: DocumentIn) -> ExtractionOut:
    from ..ingest.readers import RawDoc, sniff_kind

    content = data.text if data.text is not None else data.html
    doc_id = data.doc_id or "pasted-" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]
    raw = RawDoc(doc_id=doc_id, title=data.title, outlet=data.outlet, url=data.url, published=data.published)
    if data.html is not None:
        raw.html, raw.kind = data.html, "html"
    else:
        raw.text, raw.kind = data.text, ("markdown" if sniff_kind(data.text) == "markdown" else "text")
    doc = st.extract(raw)
    out = ExtractionOut(document=doc, date_spans=date_spans(doc))
    if data.store:
        with st.locked():
            stats = st.store().ingest([doc], data.source)
        st.changed()
        out.ingest = IngestOut(added=stats.added, updated=stats.updated, unchanged=stats.unchanged,
                               near_duplicates=stats.near_duplicates, failed=stats.failed,
                               failures=stats.failures)
        out.stored = stats.failed == 0
        out.doc_key = doc_key(doc, data.source) if out.stored else None
    return out


@router.get("", response_model=Page[DocumentRow], summary="Stored documents, in ingest order")
def list_documents(
    st: AppState = Depends(state),
    page: Paging = Depends(paging),
    source: str | None = Query(None, max_length=MAX_FILTER_CHARS),
    outlet: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Outlet containing this (any case)."),
    since: dt.date | None = Query(None, description="Published on or after."),
    until: dt.date | None = Query(None, description="Published on or before."),
) -> Page[DocumentRow]:
    with st.locked():
        rows = st.store().documents(source=source or None, outlet=outlet or None, since=since, until=until,
                                    limit=page.limit + 1, offset=page.offset)
    rows, nxt = page.page(rows)
    return Page[DocumentRow](items=[DocumentRow.model_validate(r) for r in rows], limit=page.limit,
                             offset=page.offset, next_offset=nxt)


@router.get("/{key:path}", response_model=DocumentView, summary="One stored document with every span",
            responses={404: {"description": "No such document"}})
def get_document(
    key: str = Path(..., min_length=1, max_length=2100, description="doc_key (url or source:doc_id), or a doc_id."),
    st: AppState = Depends(state),
) -> DocumentView:
    with st.locked():
        doc = st.store().document(key)
    if doc is None:
        raise ApiError(404, "not_found", "no stored document has this key (or the doc_id is ambiguous)")
    return DocumentView(key=key, document=doc, date_spans=date_spans(doc))
