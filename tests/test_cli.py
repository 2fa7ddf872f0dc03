"""The command line as users and the scorer use it: the contract, bad input, usage errors."""

from __future__ import annotations

import json

import pytest

from .conftest import json_lines, run_cli, sample_files, seed_files


def iter_spans(node):
    if isinstance(node, dict):
        if {"start", "end", "text"} <= set(node) and isinstance(node.get("start"), int):
            yield node
        for v in node.values():
            yield from iter_spans(v)
    elif isinstance(node, list):
        for v in node:
            yield from iter_spans(v)


@pytest.fixture(scope="module")
def extracted():
    files = [str(p) for p in seed_files() + sample_files()]
    proc = run_cli("extract", *files)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return files, json_lines(proc.stdout)


@pytest.fixture(scope="module")
def schema():
    proc = run_cli("schema")
    assert proc.returncode == 0
    return json.loads(proc.stdout)


def test_one_line_per_document_in_order(extracted):
    files, docs = extracted
    assert [d["doc_id"] for d in docs] == [f.rsplit("/", 1)[-1] for f in files]


def test_every_output_validates_against_the_schema(extracted, schema):
    import jsonschema

    for doc in extracted[1]:
        jsonschema.validate(doc, schema)


def test_every_span_indexes_text(extracted):
    for doc in extracted[1]:
        text = doc["text"]
        spans = [s for key, value in doc.items() if key not in ("text", "clean_text", "sections")
                 for s in iter_spans(value)]
        assert spans, doc["doc_id"]
        for s in spans:
            assert text[s["start"]:s["end"]] == s["text"], (doc["doc_id"], s)


def test_text_input_is_kept_exactly(extracted):
    files, docs = extracted
    for path, doc in zip(files, docs):
        if not path.endswith(".html"):
            assert doc["text"] == open(path, encoding="utf-8").read()


def test_every_sample_yields_events_with_evidence(extracted):
    for doc in extracted[1]:
        assert not doc["errors"], (doc["doc_id"], doc["errors"])
        assert doc["events"], doc["doc_id"]
        for ev in doc["events"]:
            assert ev["event_id"].startswith(doc["doc_id"] + "#")
            assert len(ev["evidence"]["text"]) <= 400


def test_bad_inputs_each_get_a_line_and_the_run_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "latin1.txt").write_bytes("Protesters marched in S\xe3o Paulo on Monday.".encode("latin-1"))
    (tmp_path / "in.jsonl").write_text('{"id": "ok", "text": "Gunmen killed 2 villagers in Zamfara on 3 May 2020."}\n'
                                       '{broken\n{"id": "notext", "title": "x"}\n', encoding="utf-8")
    paths = [str(tmp_path / n) for n in ("empty.txt", "binary.bin", "latin1.txt", "missing.txt", "in.jsonl")]
    proc = run_cli("extract", *paths)
    assert proc.returncode == 0
    assert b"Traceback" not in proc.stderr
    docs = json_lines(proc.stdout)
    assert [d["doc_id"] for d in docs] == ["empty.txt", "binary.bin", "latin1.txt", "missing.txt", "ok", "in.jsonl:2", "notext"]
    codes = {d["doc_id"]: [e["code"] for e in d["errors"]] for d in docs}
    assert codes["empty.txt"] == ["empty"] and codes["binary.bin"] == ["binary"]
    assert codes["latin1.txt"] == ["invalid_utf8"] and codes["missing.txt"] == ["not_found"]
    assert codes["ok"] == [] and codes["in.jsonl:2"] == ["bad_json"] and codes["notext"] == ["missing_text"]
    assert docs[4]["events"], "the good line is still processed"


def test_stdin_and_line_separator_escaping():
    line = json.dumps({"id": "s1", "text": "Rebels shelled Kidal on 2 May 2020.\u2028 Two died."}, ensure_ascii=False)
    proc = run_cli("extract", "-", stdin=(line + "\n").encode("utf-8"))
    assert proc.returncode == 0
    raw = proc.stdout.decode("utf-8")
    assert "\u2028" not in raw and "\\u2028" in raw
    assert [d["doc_id"] for d in json_lines(proc.stdout)] == ["s1"]


@pytest.mark.parametrize("args", [["extract"], ["extract", "--no-such-flag", "x"], ["nonsense"], ["schema", "--kind", "x"]])
def test_usage_errors_exit_nonzero_without_traceback(args):
    proc = run_cli(*args)
    assert proc.returncode == 2, proc.stderr  # a usage error, not a failure of tadmor
    assert b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr
    assert proc.stdout == b""


def test_version():
    from tadmor import __version__

    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.decode().strip() == f"tadmor {__version__}"


def test_help_teaches():
    proc = run_cli("extract", "--help")
    assert proc.returncode == 0
    assert b"--jsonl" in proc.stdout and b"Examples" in proc.stdout


def test_control_of_a_place_from_the_seed_articles():
    seeds = [str(p) for p in seed_files()]
    if not seeds:
        pytest.skip("shared seeds not present")
    proc = run_cli("control", "Palmyra", *seeds, "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()[-500:]
    periods = json.loads(proc.stdout)
    taken = [p for p in periods if p["holder"].startswith("Islamic State") and p["from"] == "2016-12-11"]
    assert taken and taken[0]["source_doc"] == "000_33daf3ec7f57d53b.txt"
    assert "002_d5224450782a9409.txt" in taken[0]["disputed_by"]  # the analysis says the outcome is unclear


def test_compare_says_which_inputs_it_could_not_read(tmp_path):
    ok = tmp_path / "a.txt"
    ok.write_text("Rebels shelled Kidal on 2 May 2020, killing two soldiers.", encoding="utf-8")
    proc = run_cli("compare", str(ok), str(tmp_path / "missing.txt"), "--format", "json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["clusters"], "the readable file is still compared"
    assert b"missing.txt: not_found" in proc.stderr and b"Traceback" not in proc.stderr


def test_fronts_lists_the_line_of_contact_and_checks_a_text():
    listing = run_cli("fronts")
    assert listing.returncode == 0 and b"Donbas line of contact" in listing.stdout and b"Horlivka" in listing.stdout
    held = run_cli("fronts", "--check", "the monitors recorded 12 explosions near Avdiivka", "--date", "2020-05-01")
    out = held.stdout.decode()
    assert held.returncode == 0 and "Military Forces of Ukraine" in out and "NAF" in out
    assert run_cli("fronts", "--check", "explosions near Kyiv", "--date", "2020-05-01").returncode == 1
    assert run_cli("fronts", "--check", "explosions near Avdiivka").returncode == 2  # no date: a usage error
