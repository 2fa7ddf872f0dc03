"""Typed records passed between stages; together they are the JSON contract.

Every model here serialises to exactly the shape described in
``../shared/CONTRACT.md``. Extra fields (``reason``, ``score``, ``provenance``)
are additions the contract allows; no contract field is ever renamed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Modality = Literal["asserted", "claimed", "reported", "uncertain", "hypothetical", "future", "negated"]
SectionKind = Literal["report", "commentary", "boilerplate"]
PlaceRole = Literal["literal", "adjectival", "organisation"]
Unit = Literal[
    "killed", "injured", "fighters", "civilians", "protesters", "strikes", "displaced",
    "arrested", "kidnapped", "vehicles", "aircraft", "other",
]

MODALITIES: tuple[str, ...] = Modality.__args__  # type: ignore[attr-defined]
UNITS: tuple[str, ...] = Unit.__args__  # type: ignore[attr-defined]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(Record):
    """Code-point offsets into ``Document.text``; ``text == doc.text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start=start, end=end, text=text[start:end])


class Section(Record):
    kind: SectionKind
    start: int
    end: int


class OriginalSource(Record):
    outlet: str | None = None
    published: str | None = None
    author: str | None = None


class ErrorInfo(Record):
    code: str
    message: str


class Quantity(Record):
    value: int | None = None
    qualifier: str | None = None
    unit: Unit = "other"
    about_actor: str | None = None
    modality: Modality = "asserted"
    claimed_by: str | None = None
    span: Span


class ActorEntry(Record):
    """An actor named in the document, with every mention that resolved to it."""

    name: str
    inter: int = Field(ge=0, le=8)
    aliases_seen: list[str] = []
    mentions: list[Span] = []


class Place(Record):
    name: str
    lat: float
    lon: float
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    feature: str | None = None
    role: PlaceRole = "literal"
    mentions: list[Span] = []
    reason: str | None = None
    score: float | None = None


class EventActor(Record):
    name: str
    inter: int = Field(ge=0, le=8)
    mention: Span | None = None


class AssocActor(Record):
    name: str
    inter: int = Field(ge=0, le=8)


class Location(Record):
    name: str
    lat: float
    lon: float
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    geonameid: int | None = None
    geo_precision: int = Field(ge=1, le=3)
    mention: Span | None = None
    reason: str | None = None


class Fatalities(Record):
    count: int | None = None
    modality: Modality = "asserted"
    claimed_by: str | None = None
    span: Span | None = None


class Event(Record):
    event_id: str
    event_type: str
    sub_event_type: str
    date: str | None = None
    time_precision: int = Field(default=3, ge=1, le=3)
    actor1: EventActor | None = None
    actor2: EventActor | None = None
    assoc_actors: list[AssocActor] = []
    location: Location | None = None
    fatalities: Fatalities | None = None
    quantities: list[Quantity] = []
    modality: Modality = "asserted"
    claimed_by: str | None = None
    section: Literal["report", "commentary"] = "report"
    historical: bool = False
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    evidence: Span
    trigger: Span | None = None
    reasons: list[str] = []


class Document(Record):
    doc_id: str
    text: str = ""
    clean_text: str = ""
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    original_source: OriginalSource | None = None
    relays: list[str] = []
    sections: list[Section] = []
    events: list[Event] = []
    actors: list[ActorEntry] = []
    places: list[Place] = []
    quantities: list[Quantity] = []
    errors: list[ErrorInfo] = []


class ClusterRef(Record):
    doc_id: str
    event_id: str


class Agreement(Record):
    field: str
    value: object


class SourceValue(Record):
    doc_id: str
    value: object


class Disagreement(Record):
    field: str
    values: list[SourceValue]


class Cluster(Record):
    cluster_id: str
    events: list[ClusterRef]
    event_type: str
    place: str | None = None
    date: str | None = None
    sources: list[str] = []
    agreements: list[Agreement] = []
    disagreements: list[Disagreement] = []
    corroboration: int = 1


class ControlPeriod(Record):
    place: str
    holder: str
    from_: str = Field(alias="from")
    to: str | None = None
    source_doc: str
    evidence: Span
    disputed_by: list[str] = []

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Comparison(Record):
    clusters: list[Cluster] = []
    control: list[ControlPeriod] = []


_LINE_BREAKERS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def to_json_line(record: BaseModel) -> str:
    """One JSON line in UTF-8, with U+0085/U+2028/U+2029 escaped so every line splitter agrees."""
    out = record.model_dump_json(by_alias=True)
    for ch, esc in _LINE_BREAKERS.items():
        if ch in out:
            out = out.replace(ch, esc)
    return out


def json_schema(kind: str = "document") -> dict:
    """The JSON Schema of one ``tadmor extract`` line (``document``) or of ``tadmor compare`` (``comparison``)."""
    model = {"document": Document, "comparison": Comparison}[kind]
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
