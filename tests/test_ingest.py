"""Readers, metadata, sections and views: the parts before NLP."""

from __future__ import annotations

import io

import pytest

from tadmor.ingest import prepare, read_file, read_jsonl, sniff_kind
from tadmor.ingest.readers import from_content
from tadmor.ingest.views import blank, broken_lines, clean_view, markdown_syntax

from .conftest import SAMPLES, SEEDS


def _prep(text: str, **meta):
    return prepare(from_content("t", text, **meta))


def test_sniff_kinds():
    assert sniff_kind("<!doctype html><html><body><p>x</p></body></html>") == "html"
    assert sniff_kind("By [Jane](#)\n\nText **bold**.") == "markdown"
    assert sniff_kind("Plain words. No markup here.") == "text"


def test_markdown_view_keeps_offsets_and_drops_syntax():
    text = "By [Jane Roe](#)\n\n**Bold** claim about [Aleppo](http://x.y/z)."
    view = blank(text, markdown_syntax(text))
    assert len(view) == len(text)
    assert "[" not in view and "**" not in view and "](" not in view
    assert view.index("Jane Roe") == text.index("Jane Roe")


def test_broken_line_is_joined_in_clean_text_with_offset_map():
    text = "Moscow's\n\nstrategic plans changed. Next.\n\nA new paragraph."
    joins = broken_lines(text)
    assert joins == [(8, 10)]
    clean = clean_view(text, [], [], joins)
    assert clean.text.startswith("Moscow's strategic plans")
    i = clean.text.index("strategic")
    assert text[clean.to_source(i):].startswith("strategic")
    assert "\n\nA new paragraph." in clean.text


def test_boilerplate_marked_and_left_out_of_clean_text():
    text = ("Thursday, 9 January 2020\n\nHeadline about a clash\n\nTroops clashed with rebels near Kidal on Monday.\n\n"
            "3 comments:\n\nLeave a reply\n\nDisclaimer: The views expressed are the author's own.")
    doc = _prep(text).document
    kinds = [s.kind for s in doc.sections]
    assert kinds[-1] == "boilerplate"
    assert "Leave a reply" not in doc.clean_text and "Disclaimer" not in doc.clean_text
    assert "Troops clashed" in doc.clean_text


def test_commentary_after_marker():
    text = ("Rebels shelled the town on Monday, officials said.\n\nOur take:\nThis is bad news and I think the army "
            "should have seen it coming.\n\nIt will get worse.")
    doc = _prep(text).document
    at = text.index("Our take:")
    assert any(s.kind == "commentary" and s.start <= at < s.end for s in doc.sections)
    assert any(s.kind == "report" and s.start == 0 for s in doc.sections)


@pytest.mark.parametrize(
    "head, field, value",
    [
        ("Sunday, March 1, 2020\n\nA headline here\n\n", "published", "2020-03-01"),
        ("Tuesday, 14 May 2019\n\nA headline here\n\n", "published", "2019-05-14"),
        ("A headline here\n\nThe Daily Example, June 8, 2020\n\n", "outlet", "The Daily Example"),
        ("A headline here\n\nDesert Courier\n12 March 2021\n\n", "outlet", "Desert Courier"),
        ("A headline here\n\nPublished 12:04 GMT, 4 May 2020\n\n", "published", "2020-05-04"),
        ("A headline here\n\nBy Jane Q. Roe\n\n", "author", "Jane Q. Roe"),
    ],
)
def test_datelines_outlets_and_bylines(head, field, value):
    doc = _prep(head + "Gunmen attacked a bus near Kano on Friday, police said.").document
    assert getattr(doc, field) == value
    assert doc.title == "A headline here" or field == "published"


def test_original_source_with_its_own_date():
    text = ("# A cross-posted piece\n\nBy [A. Writer](#)\n\nThe Weekly Lens, May 2, 2021\n\n"
            "Fighting went on near Marib.\n\nThis article was originally published at [Desert Review](#), 30 April 2021\n")
    doc = prepare(from_content("t.md", text)).document
    assert doc.original_source is not None
    assert doc.original_source.outlet == "Desert Review"
    assert doc.original_source.published == "2021-04-30"
    assert doc.outlet == "The Weekly Lens" and doc.published == "2021-05-02"


@pytest.mark.parametrize(
    "sentence, wire",
    [("KABUL, Afghanistan (AP) — A bomb exploded.", "AP"), ("ADEN, March 3 (Reuters) - Fighting resumed.", "Reuters"),
     ("Soldiers on patrol. AFP.\n\nMore text.", "AFP"), ("Militants attacked, Reuters reported.", "Reuters"),
     ("Six died, according to AFP.", "AFP")],
)
def test_relays(sentence, wire):
    assert wire in _prep("Headline words here\n\n" + sentence).document.relays


def test_outlet_from_its_own_wire_style_dateline():
    doc = _prep("Headline words here\n\nKANO, Nigeria, Aug 11 (Sahel Daily) - Gunmen attacked a bus.").document
    assert doc.outlet == "Sahel Daily" and doc.relays == []


def test_wire_abbreviation_in_lowercase_text_is_not_a_relay():
    assert _prep("Headline words here\n\nThe ap team said nothing. The map shows the area.").document.relays == []


def test_seed_metadata():
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not present")
    a = prepare(next(read_file(str(SEEDS / "000_33daf3ec7f57d53b.txt")))).document
    assert a.published == "2016-12-11" and a.relays == ["Reuters"]
    assert a.title.startswith("ISIS has retaken Palmyra")
    b = prepare(next(read_file(str(SEEDS / "002_d5224450782a9409.txt")))).document
    assert (b.outlet, b.author, b.published) == ("Global Research", "Andrew Korybko", "2016-12-13")
    assert b.original_source.outlet == "Oriental Review" and b.original_source.published == "2016-12-12"
    assert "Moscow's strategic calculations in this regard" in b.clean_text


def test_html_sample_reads_main_text_and_metadata():
    raw = next(read_file(str(SAMPLES / "news_page.html")))
    doc = prepare(raw).document
    assert raw.kind == "html"
    assert doc.title and doc.published and doc.outlet
    assert "<p>" not in doc.text and len(doc.text) > 200


# ---- bad input: every document still gets a record with errors


def test_empty_binary_invalid_utf8_and_missing(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "bad.txt").write_bytes("Clashes in Kabul on Monday \xff\xfe killed 3.".encode("latin-1", "replace") + b"\xff")
    results = {}
    for name in ("empty.txt", "bin.txt", "bad.txt", "missing.txt"):
        (raw,) = list(read_file(str(tmp_path / name)))
        results[name] = raw
    assert results["empty.txt"].errors[0].code == "empty"
    assert results["bin.txt"].errors[0].code == "binary"
    assert results["bad.txt"].errors[0].code == "invalid_utf8" and results["bad.txt"].text
    assert results["missing.txt"].errors[0].code == "not_found"


def test_jsonl_bad_lines_keep_their_place():
    data = b'{"id": "a", "text": "Protest in Lagos."}\nnot json\n{"id": "c"}\n[1, 2]\n{"id": "e", "html": "<html><body><p>Gunmen attacked a village.</p></body></html>"}\n'
    raws = list(read_jsonl(io.BytesIO(data), source="in.jsonl"))
    assert [r.doc_id for r in raws] == ["a", "in.jsonl:2", "c", "in.jsonl:4", "e"]
    assert [r.errors[0].code if r.errors else None for r in raws] == [None, "bad_json", "missing_text", "bad_record", None]
    assert raws[4].kind == "html"
