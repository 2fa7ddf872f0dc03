"""Hostile input, property-based (hypothesis): random and mutated documents through extraction, the store and
the comparison. Nothing crashes, every input gets its output record (with ``errors`` when it could not be read
fully), every span indexes its text, and memory stays bounded.

The default run tries a modest number of examples per property (``FAST``); ``pytest -m slow tests/test_fuzz.py``
tries many more (``MANY``). Figures measured with ``--hypothesis-show-statistics`` are in RELIABILITY.md.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="the fuzz tests need hypothesis (pip install -e '.[test]')")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tadmor.config import DEFAULT  # noqa: E402
from tadmor.ingest.readers import RawDoc, from_content, read_file, read_jsonl  # noqa: E402
from tadmor.model import Comparison, Document, to_json_line  # noqa: E402

from .conftest import ROOT, json_lines, run_cli, sample_files  # noqa: E402
from .test_cli import iter_spans  # noqa: E402

_COMMON = dict(deadline=None, database=None, derandomize=False, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large, HealthCheck.large_base_example])
FAST = settings(max_examples=15, **_COMMON)
MANY = settings(max_examples=1000, **_COMMON)

# ---- strategies -------------------------------------------------------------------------------

# Pieces a hostile or merely odd article is made of: prose the extractor acts on, numbers and dates that do not
# parse, scripts written right to left, emoji sequences, control and format characters, markup, SQL.
FRAGMENTS = [
    "Gunmen killed 3 villagers in Zamfara on 3 May 2020.",
    "Islamic State fighters attacked an army post near Menaka on Tuesday, killing 12 soldiers, a source said.",
    "Protesters marched in Kabul on Monday; police arrested dozens of them.",
    "At least 1e309 people were killed", "1e309", "-1e309", "NaN", "Infinity", "10**400", "0x1F", "٣٣", "१२",
    "99999999999999999999999999999 soldiers", "-5 killed", "3.5 civilians", "a few thousand", "twelve hundred and",
    "31 February 2021", "2021-02-30", "0000-00-00", "29 February 1900", "9999-12-31", "32/13/2020", "1 Smarch",
    "last Febtember", "on 31 February, between 30 April and 31 April",
    "قتل ثلاثة جنود في حلب يوم الاثنين", "נהרגו שלושה חיילים בעזה", "کابل", "Алеппо", "中文新闻 北京", "Ménaka",
    "\u202eevil\u202c", "\u2066isolate\u2069", "\u200b\u200c\u200d\ufeff", "\u0301\u0301\u0301",
    "👩‍👩‍👧‍👦", "💣💥🔥", "🇸🇾🇲🇱", "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "\x00", "\x00\x00\x00", "\ud800", "\udfff", "\ud83d", "\x1b[31m", "\x7f", "\x0c", "\x85", "\u2028", "\u2029",
    "\r\n", "\r", "\n", "\n\n", "\t", " ", "   ",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</p></b></div>", "<!--", "<![CDATA[", "&amp;&#0;&#xD800;&#99999999;",
    "[link](http://example.org)", "](", "**bold", "# Heading", "> quote", "* ", "| a | b |",
    "'; DROP TABLE events; --", "%_\\", "../../etc/passwd",
    "Reuters", "(AP) —", "By A. Writer", "Originally published by Al Jazeera on 2 May 2021", "Share this article",
    "Aleppo", "Homs", "Palmyra", "Kidal", "Syria", "Syrian", "al-Shabaab", "Taliban", "Hamas", "the army",
]

TAGS = ["div", "p", "b", "i", "span", "article", "section", "table", "tr", "td", "ul", "li", "a", "script",
        "style", "noscript", "iframe", "svg", "math", "template", "title", "head", "body", "html", "h1"]

piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30),
                  st.text(st.characters(codec="utf-8"), max_size=12))
texts = st.lists(piece, min_size=0, max_size=25).map("".join)


def _element(args) -> str:
    tag, attr, children, closed = args
    return f"<{tag}{attr}>" + "".join(children) + (f"</{tag}>" if closed else "")


html_docs = st.recursive(
    texts,
    lambda kids: st.tuples(st.sampled_from(TAGS), st.sampled_from(["", ' class="x"', " onload=alert(1)", ' a="', " /"]),
                           st.lists(kids, max_size=4), st.booleans()).map(_element),
    max_leaves=25,
).map(lambda body: "<html><head><title>t</title></head><body>" + body)

SAMPLE_BYTES = [p.read_bytes() for p in sample_files()]


@st.composite
def mutated(draw) -> bytes:
    """A real article's bytes, cut, overwritten, with bytes inserted and deleted (invalid UTF-8 likely)."""
    data = bytearray(draw(st.sampled_from(SAMPLE_BYTES)))
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "cut", "splice"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "cut":
            data = data[:at]
        else:
            data[at:at] = draw(st.sampled_from(FRAGMENTS)).encode("utf-8", "surrogatepass")
    return bytes(data)


file_bytes = st.one_of(st.binary(max_size=2000), mutated(), texts.map(lambda t: t.encode("utf-8", "surrogatepass")))

_ids = itertools.count()


def raw_docs():
    """One RawDoc as a library caller or the JSON-lines reader would hand it over."""
    def build(kind, body, meta):
        doc_id = f"f{next(_ids)}"
        if meta.get("url"):  # one url per document: two texts under one url are one document's versions
            meta = {**meta, "url": f"{meta['url']}/{doc_id}"}
        if kind == "html":
            return RawDoc(doc_id=doc_id, html=body, kind="html", **meta)
        return from_content(doc_id, body, **meta)

    meta = st.fixed_dictionaries({}, optional={
        "published": st.one_of(st.sampled_from(["2021-02-31", "31 February 2021", "1e309", "", "9999-99-99",
                                                "2021-03-04", "yesterday", "\x00"]), st.text(max_size=12)),
        "title": texts, "outlet": texts, "url": st.sampled_from([None, "https://x.example", "javascript:alert(1)//"]),
    })
    return st.builds(build, st.sampled_from(["text", "text", "html"]), st.one_of(texts, html_docs), meta)


# ---- checks -----------------------------------------------------------------------------------

def assert_sound(doc: Document, max_chars: int = DEFAULT.max_chars) -> dict:
    """The contract holds for one output document, however bad its input; returns the JSON it prints."""
    line = to_json_line(doc)
    assert "\n" not in line and "\u2028" not in line and "\u2029" not in line and "\u0085" not in line
    out = json.loads(line)
    assert Document.model_validate_json(line) == doc
    text = doc.text
    assert len(text) <= max_chars
    for s in iter_spans({k: v for k, v in out.items() if k not in ("sections",)}):
        assert 0 <= s["start"] <= s["end"] <= len(text), s
        assert text[s["start"]:s["end"]] == s["text"], s
    for sec in doc.sections:
        assert 0 <= sec.start <= sec.end <= len(text)
    ids = [e.event_id for e in doc.events]
    assert ids == [f"{doc.doc_id}#{n}" for n in range(1, len(ids) + 1)]
    if not text.strip():
        assert doc.errors, "an input with no readable text must say why"
    for e in doc.events:
        assert 0.0 <= e.confidence <= 1.0 and len(e.evidence.text) <= 1000
    return out


def assert_batch(raws: list[RawDoc], docs: list[Document]) -> None:
    assert [d.doc_id for d in docs] == [r.doc_id for r in raws]
    for d in docs:
        assert_sound(d)
        assert not [e for e in d.errors if e.code == "internal"], d.errors


TRIED: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def report_inputs_tried():
    """After the module: how many inputs its properties tried (shown with -s; the figures in RELIABILITY.md)."""
    yield
    if TRIED:
        sys.stdout.write(f"\nfuzz inputs tried: {json.dumps(TRIED, sort_keys=True)}\n")


def tried(name: str, n: int = 1) -> None:
    TRIED[name] = TRIED.get(name, 0) + n


# ---- extraction (library) ---------------------------------------------------------------------

def _extract(pipeline, raws):
    copies = [RawDoc(**{**r.__dict__, "errors": list(r.errors)}) for r in raws]  # run() may repair them in place
    docs = list(pipeline.run(copies))
    assert_batch(copies, docs)
    tried("extract", len(raws))
    return docs


@FAST
@given(st.lists(raw_docs(), min_size=1, max_size=4))
def test_extract_random_documents(pipeline, raws):
    _extract(pipeline, raws)


@pytest.mark.slow
@MANY
@given(st.lists(raw_docs(), min_size=1, max_size=4))
def test_extract_random_documents_many(pipeline, raws):
    _extract(pipeline, raws)


def _files(pipeline, tmp_path_factory, blobs):
    folder = tmp_path_factory.mktemp("blobs")
    paths = []
    for n, blob in enumerate(blobs):
        path = folder / f"doc{n}.txt"
        path.write_bytes(blob)
        paths.append(str(path))
    raws = [r for p in paths for r in read_file(p)]
    docs = list(pipeline.run(raws))
    assert [d.doc_id for d in docs] == [f"doc{n}.txt" for n in range(len(blobs))]
    for blob, d in zip(blobs, docs):
        assert_sound(d)
        if b"\x00" in blob[:8192] or not blob.strip():
            assert d.errors
        try:
            blob.decode("utf-8")
        except UnicodeDecodeError:
            assert {e.code for e in d.errors} & {"invalid_utf8", "binary"}, d.errors
    tried("files", len(blobs))


@FAST
@given(st.lists(file_bytes, min_size=1, max_size=4))
def test_random_and_mutated_files(pipeline, tmp_path_factory, blobs):
    _files(pipeline, tmp_path_factory, blobs)


@pytest.mark.slow
@MANY
@given(st.lists(file_bytes, min_size=1, max_size=4))
def test_random_and_mutated_files_many(pipeline, tmp_path_factory, blobs):
    _files(pipeline, tmp_path_factory, blobs)


json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | texts,
                          lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
                          max_leaves=8)
jsonl_line = st.one_of(
    st.fixed_dictionaries({"id": st.one_of(st.text(max_size=8), st.integers(), st.none())},
                          optional={"text": json_value, "html": st.one_of(html_docs, json_value),
                                    "published": json_value, "title": json_value, "outlet": json_value,
                                    "url": json_value}).map(lambda d: json.dumps(d).encode("ascii")),
    st.binary(max_size=200).filter(lambda b: b"\n" not in b),
)


@FAST
@given(st.lists(jsonl_line, min_size=1, max_size=5))
def test_jsonl_lines_each_get_a_document(pipeline, lines):
    raws = list(read_jsonl([line + b"\n" for line in lines], source="in.jsonl"))
    assert len(raws) == sum(1 for line in lines if line.strip())
    docs = list(pipeline.run(raws))
    assert len(docs) == len(raws)
    for d in docs:
        assert_sound(d)
    tried("jsonl", len(lines))


def test_a_spacy_failure_costs_one_document_not_the_run(pipeline):
    """Should spaCy raise on one text, that document gets an error and the batch goes on."""
    from tadmor.pipeline import Pipeline

    class Flaky:
        def __init__(self, nlp):
            self.nlp = nlp

        def _check(self, text):
            if "EXPLODE" in text:
                raise ValueError("boom")

        def pipe(self, texts, batch_size=64):
            for t in texts:
                self._check(t)
                yield self.nlp(t)

        def __call__(self, text):
            self._check(text)
            return self.nlp(text)

    flaky = Pipeline(pipeline.config)
    flaky.nlp, flaky.geo, flaky.actors, flaky.events = Flaky(pipeline.nlp), pipeline.geo, pipeline.actors, pipeline.events
    raws = [from_content(f"d{n}", t) for n, t in enumerate(
        ["Gunmen killed 3 villagers in Zamfara on 3 May 2020.", "EXPLODE here", "Rebels shelled Kidal on 2 May 2020."])]
    docs = list(flaky.run(raws))
    assert [d.doc_id for d in docs] == ["d0", "d1", "d2"]
    assert docs[0].events and docs[2].events and not docs[0].errors
    assert [e.code for e in docs[1].errors] == ["internal"] and "boom" in docs[1].errors[0].message


def test_lone_surrogates_are_repaired_and_noted(pipeline):
    raws = list(read_jsonl([b'{"id": "s\\ud800", "text": "Gunmen killed 3 in Kabul \\udfff on 3 May 2020.", '
                            b'"title": "\\ud83d"}\n', b'{"id": "ok", "text": "Rebels shelled Kidal."}\n']))
    docs = list(pipeline.run(raws))
    assert [d.doc_id for d in docs] == ["s\ufffd", "ok"]
    assert [e.code for e in docs[0].errors] == ["invalid_unicode"] and docs[0].events
    assert docs[0].title == "\ufffd" and assert_sound(docs[0])


# ---- sizes: a 50 MB line, 100k tiny lines, deep nesting ----------------------------------------

RSS_SCRIPT = textwrap.dedent("""
    import json, resource, sys, time
    sys.path.insert(0, {root!r})
    from tadmor.ingest.readers import read_file
    from tadmor.pipeline import Pipeline
    pipe = Pipeline().warm_up()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.monotonic()
    docs = list(pipe.run(read_file(sys.argv[1])))
    d = docs[0]
    print(json.dumps({{"docs": len(docs), "chars": len(d.text), "errors": [e.code for e in d.errors],
                       "seconds": round(time.monotonic() - t, 1), "rss_before_mb": base // 1024,
                       "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}}))
""")


def _peak(tmp_path, content: bytes) -> dict:
    path = tmp_path / "big.txt"
    path.write_bytes(content)
    script = tmp_path / "rss.py"
    script.write_text(RSS_SCRIPT.format(root=str(ROOT)))
    proc = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


@pytest.mark.slow
def test_a_50_mb_line_is_truncated_with_an_error_in_bounded_memory(tmp_path):
    """50 MB on one line (no spaces or punctuation: one token for spaCy): the reader keeps the first 20 MB, the
    pipeline the first 1,000,000 characters, each saying so in ``errors``."""
    out = _peak(tmp_path, b"x" * (50 * 1024 * 1024))
    assert out["docs"] == 1 and out["chars"] == DEFAULT.max_chars
    assert out["errors"].count("truncated") == 2, out  # the file's head only, then the text cut at max_chars
    assert out["peak_rss_mb"] - out["rss_before_mb"] < 1500, out
    print("50 MB line:", out)


@pytest.mark.slow
def test_a_50_mb_line_of_words_in_bounded_memory(tmp_path):
    """The same with spaces: 1,000,000 characters of words reach spaCy (about 10 minutes on 2 cores)."""
    out = _peak(tmp_path, b"gunmen killed 3 in Aleppo. " * (50 * 1024 * 1024 // 27))
    assert out["chars"] == DEFAULT.max_chars and "truncated" in out["errors"]
    assert out["peak_rss_mb"] - out["rss_before_mb"] < 4000, out
    print("50 MB line of words:", out)


def test_100k_tiny_lines_are_read_and_sectioned(pipeline):
    """100,000 one-character lines through ingest (reading, metadata, sections, views): linear, no crash. The
    whole pipeline on them is the slow variant below (spaCy takes minutes on 100k tokens)."""
    from tadmor.ingest import prepare

    text = "a\n" * 100_000
    p = prepare(from_content("lines", text))
    assert p.document.text == text and len(p.nlp_text) == len(text)
    docs = list(pipeline.run([from_content("lines", "a\n" * 5_000)]))
    assert_sound(docs[0])


@pytest.mark.slow
def test_100k_tiny_lines_through_the_pipeline(pipeline):
    text = "a\n" * 100_000
    doc = next(pipeline.run([from_content("lines", text)]))
    assert doc.text == text
    assert_sound(doc)


@pytest.mark.parametrize("depth", [100, 5_000, 50_000])
def test_deeply_nested_html(pipeline, depth):
    html = "<html><body>" + "<div><b>" * depth + "Gunmen killed 3 villagers in Zamfara on 3 May 2020." \
        + "</b></div>" * depth + "</body></html>"
    doc = next(pipeline.run([RawDoc(doc_id="deep.html", html=html, kind="html")]))
    assert_sound(doc)
    assert "Zamfara" in doc.text


# ---- the command line -------------------------------------------------------------------------

def test_hostile_inputs_through_the_cli(tmp_path):
    files = {
        "binary.bin": bytes(range(256)) * 40,
        "nul.txt": b"Gunmen killed 3 villagers\x00 in Zamfara on 3 May 2020.\x00",
        "bad_utf8.txt": b"Rebels shelled Kidal \xff\xfe on 2 May 2020 \xc3\x28 killing 4.",
        "rtl.txt": "قتل ثلاثة جنود في حلب. Gunmen killed 3 soldiers in Aleppo on 31 February 2021 \u202eevil\u202c 💣."
                   .encode("utf-8"),
        "numbers.txt": b"At least 1e309 people and 99999999999999999999999 soldiers were killed in Homs.",
        "deep.html": b"<html><body>" + b"<div>" * 20_000 + b"<p>Clashes in Kabul killed 2.</p>",
        "broken.html": b"<html><body><p>Clashes <b><i>in Kabul</p></b> killed <script>alert(1)</scr",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "in.jsonl").write_bytes(
        b'{"id": "sur", "text": "Gunmen killed 3 \\ud800 in Kabul.", "outlet": "\\udc00"}\n'
        b'\xff\xfe not json\n'
        b'{"id": "deep", "text": ' + b"[" * 5000 + b"]" * 5000 + b'}\n'
        b'{"id": "nested", "html": "' + b"<div>" * 3000 + b'Protesters marched in Homs."}\n'
        b'[1, 2]\n')
    paths = [str(tmp_path / n) for n in (*files, "in.jsonl")]
    proc = run_cli("extract", *paths)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert b"Traceback" not in proc.stderr
    docs = json_lines(proc.stdout)
    assert [d["doc_id"] for d in docs] == [*files, "sur", "in.jsonl:2", "in.jsonl:3", "nested", "in.jsonl:5"]
    for d in docs:
        assert_sound(Document.model_validate(d))
    codes = {d["doc_id"]: {e["code"] for e in d["errors"]} for d in docs}
    assert codes["binary.bin"] == {"binary"} and "invalid_utf8" in codes["bad_utf8.txt"]
    assert codes["sur"] == {"invalid_unicode"} and codes["in.jsonl:2"] == {"invalid_utf8", "bad_json"}
    assert codes["in.jsonl:3"] == {"bad_json"} and codes["in.jsonl:5"] == {"bad_record"}
    tried("cli", len(docs))


# ---- the store ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    return str(tmp_path_factory.mktemp("fuzzdb") / "fuzz.duckdb")


def storable(doc: Document) -> Document:
    """The document as the store gives it back: a count beyond BIGINT is kept as unknown."""
    out = doc.model_copy(deep=True)
    big = lambda n: n is not None and not -(2**63) <= n < 2**63  # noqa: E731
    for q in out.quantities + [q for e in out.events for q in e.quantities]:
        q.value = None if big(q.value) else q.value
    for e in out.events:
        if e.fatalities and big(e.fatalities.count):
            e.fatalities.count = None
    return out


def _ingest(pipeline, fuzz_db, raws):
    from tadmor.store import Store
    from tadmor.store.rows import doc_key

    docs = _extract(pipeline, raws)
    with Store(fuzz_db, batch_size=3) as store:
        stats = store.ingest(docs, "fuzz")
        assert stats.total == len(docs)
        textless = [d.doc_id for d in docs if not (d.text or d.clean_text).strip()]
        assert [f[0] for f in stats.failures] == textless
        for d in docs:
            if d.doc_id not in textless:
                assert store.document(doc_key(d, "fuzz")) == storable(d)
        again = store.ingest(docs, "fuzz")
        assert again.added == 0 and again.updated == 0 and again.failed == len(textless)
        rows = store.con.execute("SELECT count(*), count(DISTINCT doc_key) FROM documents").fetchone()
        assert rows[0] == rows[1]
    tried("ingest", len(docs))


@FAST
@given(st.lists(raw_docs(), min_size=1, max_size=4))
def test_ingest_random_documents(pipeline, fuzz_db, raws):
    _ingest(pipeline, fuzz_db, raws)


@pytest.mark.slow
@MANY
@given(st.lists(raw_docs(), min_size=1, max_size=4))
def test_ingest_random_documents_many(pipeline, fuzz_db, raws):
    _ingest(pipeline, fuzz_db, raws)


hostile_str = st.one_of(st.sampled_from(FRAGMENTS), texts).filter(lambda s: s.strip())


@FAST
@given(doc_id=hostile_str, outlet=hostile_str, actor=hostile_str, assoc=hostile_str, body=texts, source=hostile_str)
def test_store_round_trips_hostile_fields(fuzz_db, doc_id, outlet, actor, assoc, body, source):
    """Hand-built documents with every part filled (no pipeline: fast): any string in any field goes in and
    comes out the same, as bound parameters."""
    from tadmor.ingest.readers import _SURROGATE
    from tadmor.store import Store

    from .test_store import STORY, make_doc

    fix = lambda s: _SURROGATE.sub("\ufffd", s)  # noqa: E731 (the reader repairs these before a Document exists)
    doc = make_doc(fix(doc_id), fix(body) + " " + STORY, outlet=fix(outlet), actor1=fix(actor), assoc=fix(assoc))
    with Store(fuzz_db) as store:
        source = f"{fix(source)}{next(_ids)}"  # a new key each time (an unchanged text would keep the old record)
        stats = store.ingest([doc], source)
        assert stats.failed == 0, stats.failures
        assert store.document(f"{source}:{doc.doc_id}") == doc
        # every one shares STORY, so all but the first are linked as near-duplicates of it
        assert store.events(actor=doc.events[0].actor1.name, source=source, include_duplicates=True)
    tried("store", 1)


# ---- comparison ---------------------------------------------------------------------------------

def _compare(pipeline, raws):
    from tadmor.fuse import compare

    docs = _extract(pipeline, raws)
    result = compare(docs)
    line = to_json_line(result)
    assert Comparison.model_validate_json(line) == result
    known = {(d.doc_id, e.event_id) for d in docs for e in d.events}
    placed = [(r.doc_id, r.event_id) for c in result.clusters for r in c.events]
    assert sorted(placed) == sorted(known)  # every event in exactly one cluster
    by_id = {d.doc_id: d for d in docs}
    for p in result.control:
        d = by_id[p.source_doc]
        assert d.text[p.evidence.start:p.evidence.end] == p.evidence.text
    tried("compare", len(docs))


# documents that share places and actors, so that clusters and control periods form
related = st.lists(st.sampled_from(FRAGMENTS[:3] + ["Islamic State fighters took Palmyra from the army on Sunday.",
                                                    "The army retook Palmyra on 2 March 2017, state media said.",
                                                    "Rebels captured Kidal on 2 May 2020."]) | piece,
                   min_size=1, max_size=6).map(" ".join)


@FAST
@given(st.lists(st.one_of(raw_docs(), related.map(lambda t: from_content(f"r{next(_ids)}", t, outlet="Wire"))),
                min_size=1, max_size=6))
def test_compare_random_documents(pipeline, raws):
    _compare(pipeline, raws)


@pytest.mark.slow
@MANY
@given(st.lists(st.one_of(raw_docs(), related.map(lambda t: from_content(f"r{next(_ids)}", t, outlet="Wire"))),
                min_size=1, max_size=6))
def test_compare_random_documents_many(pipeline, raws):
    _compare(pipeline, raws)
