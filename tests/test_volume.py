"""WARC crawl files, RSS/Atom feeds and folders of mixed files, built here (no network)."""

from __future__ import annotations

import io

from tadmor.ingest import prepare, read_file

ARTICLE = ("<html><head><title>Clashes in Kidal</title></head><body><article><h1>Clashes in Kidal</h1>"
           "<p>Malian troops clashed with rebels near Kidal on Monday, killing four fighters, officials said.</p>"
           "<p>The army said it had regained control of two checkpoints north of the town after the fighting.</p>"
           "</article></body></html>")


def _warc(path, pages):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body, ctype in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode("utf-8")),
                                               http_headers=headers, warc_headers_dict={"WARC-Date": "2020-05-04T10:00:00Z"})
            writer.write_record(record)


def test_warc_html_responses_with_url_and_crawl_date(tmp_path):
    path = tmp_path / "news.warc.gz"
    _warc(path, [("https://example.org/kidal", ARTICLE, "text/html; charset=utf-8"),
                 ("https://example.org/logo.png", "PNG", "image/png")])
    raws = list(read_file(str(path)))
    assert len(raws) == 1 and raws[0].url == "https://example.org/kidal"
    doc = prepare(raws[0]).document
    assert doc.published == "2020-05-04"  # the crawl date, as the article gives none
    assert "Kidal" in doc.text and not doc.errors


def test_broken_warc_reports_an_error(tmp_path):
    path = tmp_path / "broken.warc"
    path.write_bytes(b"WARC/1.0\r\nnot really a warc\r\n\r\n")
    raws = list(read_file(str(path)))
    assert raws and raws[-1].errors and raws[-1].errors[0].code in ("bad_warc", "no_documents")


def test_rss_and_atom_entries(tmp_path):
    rss = tmp_path / "feed.xml"
    rss.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel Wire</title>
<item><title>Attack in Menaka</title><link>https://sahel.example/1</link><pubDate>Tue, 05 May 2020 08:00:00 GMT</pubDate>
<description>Gunmen killed three villagers near Menaka on Monday, a local official said.</description></item>
<item><title>Empty</title><link>https://sahel.example/2</link></item></channel></rss>""", encoding="utf-8")
    atom = tmp_path / "feed.atom"
    atom.write_text("""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Levant Notes</title>
<entry><id>tag:levant,1</id><title>Shelling in Ariha</title><link href="https://levant.example/a"/>
<updated>2020-01-30T09:00:00Z</updated><content type="html">&lt;p&gt;Government forces shelled Ariha on Thursday.&lt;/p&gt;</content></entry></feed>""", encoding="utf-8")
    items = list(read_file(str(rss))) + list(read_file(str(atom)))
    assert [r.doc_id for r in items] == ["https://sahel.example/1", "https://sahel.example/2", "tag:levant,1"]
    first = prepare(items[0]).document
    assert (first.title, first.published, first.outlet) == ("Attack in Menaka", "2020-05-05", "Sahel Wire")
    assert items[1].errors[0].code == "empty"
    assert "Ariha" in prepare(items[2]).document.text


def test_directory_of_mixed_files(tmp_path):
    (tmp_path / "a.txt").write_text("Protesters marched in Lagos on Monday.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".hidden").write_text("skip me", encoding="utf-8")
    assert [r.doc_id for r in read_file(str(tmp_path))] == ["a.txt", "b.html"]
