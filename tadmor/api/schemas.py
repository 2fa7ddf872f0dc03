"""The API's request and response models: typed records at the HTTP edge.

Contract records (``Document``, ``Cluster``, ``ControlPeriod``) are reused as
they are, so the API speaks the same JSON as ``tadmor extract`` and
``tadmor compare``; the models here only wrap them (pages, views, requests).
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..model import Cluster, ControlPeriod, Document, Event, Span

T = TypeVar("T")

MAX_PAGE = 500
DEFAULT_PAGE = 100
MAX_OFFSET = 10_000_000
MAX_FILTER_CHARS = 200

ExportFormat = Literal["acled-csv", "geojson", "parquet"]


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(ApiModel):
    code: str
    message: str
    details: list[dict] | None = None


class ErrorResponse(ApiModel):
    """Every 4xx/5xx answer has this shape."""

    error: ErrorBody


class Page(ApiModel, Generic[T]):
    """One page of a list; ``next_offset`` is null on the last page."""

    items: list[T]
    limit: int
    offset: int
    next_offset: int | None = None


# ---- documents ------------------------------------------------------------------------------

class DocumentIn(ApiModel):
    """An article to extract: plain text (or Markdown) in ``text``, or a web page in ``html``."""

    text: str | None = Field(None, description="Plain text or Markdown.")
    html: str | None = Field(None, description="An HTML page (its article text is extracted).")
    doc_id: str | None = Field(None, max_length=200, description="Defaults to `pasted-<hash of the content>`.")
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=300)
    url: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, max_length=40, description="YYYY-MM-DD (or a date string).")
    store: bool = Field(False, description="Also store the result in the database.")
    source: str = Field("api", min_length=1, max_length=100, description="The ingest source label when stored.")

    @model_validator(mode="after")
    def _one_body(self) -> "DocumentIn":
        given = [k for k in ("text", "html") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of `text` or `html`")
        if not (self.text or self.html or "").strip():
            raise ValueError("the article is empty")
        return self


class IngestOut(ApiModel):
    added: int
    updated: int
    unchanged: int
    near_duplicates: int
    failed: int
    failures: list[tuple[str, str]] = []


class ExtractionOut(ApiModel):
    document: Document
    date_spans: dict[str, Span] = Field(default_factory=dict,
                                        description="event_id → the date mention the event's date was read from.")
    stored: bool = False
    doc_key: str | None = None
    ingest: IngestOut | None = None


class DocumentRow(ApiModel):
    model_config = ConfigDict(extra="ignore")

    doc_key: str
    doc_id: str
    source: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: dt.date | None = None
    near_duplicate_of: str | None = None
    similarity: float | None = None
    ingested_at: dt.datetime | None = None
    n_events: int = 0
    n_duplicates: int = 0


class DocumentView(ApiModel):
    """One stored document with every span; ``date_spans`` adds the date mention behind each event's date."""

    key: str
    document: Document
    date_spans: dict[str, Span] = {}


# ---- events ---------------------------------------------------------------------------------

class EventRow(ApiModel):
    """A stored event as a flat record (the store's query row)."""

    model_config = ConfigDict(extra="ignore")

    doc_key: str
    doc_id: str
    source: str | None = None
    event_id: str
    event_type: str
    sub_event_type: str
    event_date: dt.date | None = None
    time_precision: int | None = None
    actor1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    inter2: int | None = None
    assoc_actors: list[str] = []
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_modality: str | None = None
    fatalities_claimed_by: str | None = None
    modality: str
    claimed_by: str | None = None
    section: str | None = None
    historical: bool | None = None
    confidence: float | None = None
    evidence: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    near_duplicate_of: str | None = None
    duplicate_outlets: list[str] = []


# ---- fusion ---------------------------------------------------------------------------------

class ClusterMember(ApiModel):
    doc_id: str
    doc_key: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    event: Event | None = None
    values: dict[str, object] = {}


class ClusterDetail(ApiModel):
    cluster: Cluster
    members: list[ClusterMember]


class ControlRow(ControlPeriod):
    source_key: str | None = None


class ControlOut(ApiModel):
    place: str | None
    matched: list[str] = Field(default_factory=list, description="The place names the query matched.")
    periods: list[ControlRow]


class PlaceRow(ApiModel):
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    events: int = 0
    first: str | None = None
    last: str | None = None
    control_periods: int = 0
    aliases: list[str] = []


class Health(ApiModel):
    status: Literal["ok"] = "ok"
    version: str
    db: str
    documents: int
    events: int
    pipeline_loaded: bool
