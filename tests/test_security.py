"""Attacks on the API and the server: every endpoint from the OpenAPI schema under generated requests
(schemathesis) answers without a server error; SQL-like and path-traversal values are plain strings; body limits
hold over a real socket; the server listens on loopback unless told otherwise; the supply chain is pinned.

Fast by default; ``pytest -m slow tests/test_security.py`` runs many more generated requests and the
vulnerability audit (which needs the network). Figures are in RELIABILITY.md.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="needs hypothesis (pip install -e '.[test]')")
schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis (pip install -e '.[test]')")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from .conftest import ROOT, SAMPLES, TADMOR  # noqa: E402
from .test_api import CSP_PARTS, HOSTILE, SECURITY, cluster_documents  # noqa: E402

_COMMON = dict(deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                      HealthCheck.filter_too_much, HealthCheck.data_too_large])
CALLS: dict[str, int] = {}


# The schema-driven tests are generated at collection time, so the app is built at import: nothing is opened or
# loaded until the first request (create_app is lazy), and the `app` fixture fills the store before any.
DB = str(Path(tempfile.mkdtemp(prefix="tadmor-sec-")) / "sec.duckdb")
_PIPELINE: list = []


def _pipeline():
    if not _PIPELINE:
        from tadmor.pipeline import Pipeline

        _PIPELINE.append(Pipeline().warm_up())
    return _PIPELINE[0]


def _build_app():
    from tadmor.api import create_app

    return create_app(DB, pipeline_factory=_pipeline)


APP = _build_app()


@pytest.fixture(scope="module")
def app(pipeline):
    """The real app over a real store (two samples and the hand-written cluster documents), its own copy:
    generated POSTs may store documents in it."""
    from tadmor.ingest import read_file
    from tadmor.store import Store

    _PIPELINE[:] = [pipeline]  # the session's pipeline, loaded once
    raws = [raw for name in ("wire_report.txt", "two_sides.txt") for raw in read_file(str(SAMPLES / name))]
    with Store(DB) as store:
        assert store.ingest(list(pipeline.run(raws)) + cluster_documents(), "t").failed == 0
    yield APP
    shutil.rmtree(Path(DB).parent, ignore_errors=True)


@pytest.fixture(scope="module", autouse=True)
def report_calls():
    """After the module: requests made per operation (shown with -s; the figures in RELIABILITY.md)."""
    yield
    if CALLS:
        sys.stdout.write(f"\nrequests per operation: {json.dumps(CALLS, sort_keys=True)}\n")


@pytest.fixture(scope="module")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def api_schema(app, client):
    return schema


def _header(r, name: str) -> str:
    value = r.headers.get(name, "")
    return value[0] if isinstance(value, list) else value  # schemathesis keeps each header's values in a list


def assert_secured(r) -> None:
    csp = _header(r, "content-security-policy")
    assert all(part in csp for part in CSP_PARTS), csp
    for name, value in SECURITY.items():
        assert _header(r, name) == value


# ---- every endpoint from the schema ----------------------------------------------------------------

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


def _call(case):
    response = case.call_and_validate(checks=[not_a_server_error])
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:500])
    assert_secured(response)
    key = f"{case.method} {case.path}"
    CALLS[key] = CALLS.get(key, 0) + 1


@schema.parametrize()
@settings(max_examples=15, **_COMMON)
def test_every_endpoint_answers_generated_requests_without_a_server_error(client, case):
    _call(case)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=1000, **_COMMON)
def test_every_endpoint_many_generated_requests(client, case):
    _call(case)


def test_schemathesis_saw_every_operation(api_schema):
    """The schema-driven tests above cover every operation the API documents (nothing silently skipped)."""
    ops = {f"{op.method.upper()} {op.path}" for op in (r.ok() for r in api_schema.get_all_operations())}
    assert {"GET /api/health", "POST /api/documents", "GET /api/documents", "GET /api/documents/{key}",
            "GET /api/events", "GET /api/exports/{fmt}", "GET /api/clusters", "GET /api/clusters/{cluster_id}",
            "GET /api/control", "GET /api/places"} <= ops


# ---- SQL-like and path-traversal values ------------------------------------------------------------

SQLISH = ["' OR '1'='1", "1; DROP TABLE documents; --", "\" OR \"\"=\"", "') UNION SELECT * FROM meta --",
          "%' AND 1=1 --", "1e309", "NULL", "\\", "\\'", "$$; COPY documents TO '/tmp/x'; $$", "read_csv('/etc/passwd')",
          "'; ATTACH '/tmp/evil.duckdb' AS e; --", "?", "$1", "\u0000", "%00", "ménaka' --"]
TRAVERSAL = ["../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
             "..%252F..%252Fetc%252Fpasswd", "....//....//etc/passwd", "..\\..\\..\\windows\\win.ini",
             "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "\uff0e\uff0e/\uff0e\uff0e/etc/passwd", "/etc/passwd",
             "file:///etc/passwd", "..%00/etc/passwd", "%2e%2e/%2e%2e/tadmor/api/app.py", "../../pyproject.toml"]
GET_PARAMS = {"/api/events": ("place", "actor", "type", "source", "since", "until", "modality"),
              "/api/documents": ("source", "outlet", "since", "until"),
              "/api/exports/acled-csv": ("place", "actor", "type", "since"),
              "/api/clusters": ("place", "type"), "/api/control": ("place",), "/api/places": ("q",)}
hostile_value = st.one_of(st.sampled_from(SQLISH + TRAVERSAL + HOSTILE),
                          st.lists(st.sampled_from(SQLISH + TRAVERSAL + ["a", "'", "%", "_", "/", "."]),
                                   max_size=4).map("".join),
                          st.text(max_size=20))


def _counts(client) -> tuple[int, int]:
    h = client.get("/api/health").json()
    return h["documents"], h["events"]


def _no_leak(r) -> None:
    assert "root:" not in r.text and "[build-system]" not in r.text and "create_app" not in r.text


def _hostile_query(client, path, data):
    before = _counts(client)
    name = data.draw(st.sampled_from(GET_PARAMS[path]))
    value = data.draw(hostile_value)
    r = client.get(path, params={name: value})
    assert r.status_code in (200, 400, 422), (path, name, value, r.status_code, r.text[:300])
    assert_secured(r)
    _no_leak(r)
    assert _counts(client) == before
    CALLS["hostile query"] = CALLS.get("hostile query", 0) + 1


@settings(max_examples=50, **_COMMON)
@given(path=st.sampled_from(sorted(GET_PARAMS)), data=st.data())
def test_hostile_query_values_are_plain_strings(client, path, data):
    _hostile_query(client, path, data)


@pytest.mark.slow
@settings(max_examples=1000, **_COMMON)
@given(path=st.sampled_from(sorted(GET_PARAMS)), data=st.data())
def test_hostile_query_values_many(client, path, data):
    _hostile_query(client, path, data)


TRAVERSAL_PREFIXES = ["/static/", "/api/documents/", "/api/exports/", "/api/clusters/", "/", "/docs/"]
traversal_value = st.one_of(st.sampled_from(TRAVERSAL + SQLISH), st.text(max_size=30))


def _traversal(client, prefix, value):
    # the listed attacks go as written (some are pre-encoded); anything else is percent-encoded as a client would
    quoted = value if value in TRAVERSAL and "%" in value else urllib.parse.quote(value, safe="/.\\")
    r = client.get(prefix + quoted)
    assert r.status_code < 500, (prefix, value, r.status_code)
    _no_leak(r)
    assert_secured(r)
    if prefix == "/static/" and r.status_code == 200:  # only files inside static/ are ever served
        from tadmor.web import STATIC

        served = (STATIC / urllib.parse.unquote(quoted)).resolve()
        assert served.is_relative_to(STATIC.resolve()) and served.is_file()
    CALLS["traversal"] = CALLS.get("traversal", 0) + 1


@settings(max_examples=100, **_COMMON)
@given(prefix=st.sampled_from(TRAVERSAL_PREFIXES), value=traversal_value)
def test_path_traversal_reaches_no_file(client, prefix, value):
    _traversal(client, prefix, value)


@pytest.mark.slow
@settings(max_examples=1000, **_COMMON)
@given(prefix=st.sampled_from(TRAVERSAL_PREFIXES), value=traversal_value)
def test_path_traversal_many(client, prefix, value):
    _traversal(client, prefix, value)


def test_known_traversals_are_404(client):
    for t in TRAVERSAL:
        for prefix in ("/static/", "/api/documents/"):
            r = client.get(prefix + t)
            assert r.status_code == 404, (prefix, t, r.status_code)
            _no_leak(r)


# ---- body limits, over a real socket ----------------------------------------------------------------

@pytest.fixture(scope="module")
def server(app):
    from tadmor.api.server import BackgroundServer

    with BackgroundServer(app) as srv:
        yield srv


def _raw_request(srv, head: bytes, body_chunks=(), read=True) -> tuple[int, bytes]:
    with socket.create_connection((srv.host, srv.port), timeout=60) as s:
        s.sendall(head)
        try:
            for chunk in body_chunks:
                s.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):  # the server may refuse before reading it all
            pass
        data = b""
        while read:
            try:
                part = s.recv(65536)
            except ConnectionResetError:
                break
            if not part:
                break
            data += part
            if b"\r\n\r\n" in data and b"content-length" in data.lower():
                head_end = data.index(b"\r\n\r\n") + 4
                length = int(re.search(rb"(?i)content-length:\s*(\d+)", data).group(1))
                if len(data) >= head_end + length:
                    break
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, data


def test_upload_limits_hold_on_a_real_socket(server):
    from tadmor.api.state import Limits

    limit = Limits().max_body
    text = b"Gunmen killed 3 villagers in Zamfara on 3 May 2020. "
    at_limit = (text * (limit // len(text) + 1))[:limit]
    head = (f"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
            f"Content-Length: {{n}}\r\nConnection: close\r\n\r\n")
    # declared too large: refused before the body is read
    status, data = _raw_request(server, head.format(n=limit + 1).encode(), [at_limit + b"x"])
    assert status == 413 and b"too_large" in data
    # declared small but sending more: the server reads only what was declared (h11), so no overrun
    status, _ = _raw_request(server, head.format(n=10).encode(), [b"x" * (limit + 10)])
    assert status in (200, 400, 413, 422)
    # chunked without a length, over the limit: refused while reading
    chunk = b"y" * (256 * 1024)
    chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(limit // len(chunk) + 2)] + [b"0\r\n\r\n"]
    status, data = _raw_request(server, b"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain"
                                        b"\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", chunks)
    assert status == 413 and b"too_large" in data
    # a bad Content-Length header
    status, _ = _raw_request(server, b"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n"
                                     b"Connection: close\r\n\r\n")
    assert status in (400, 413, 422)
    # the server is still up and answers
    status, data = _raw_request(server, b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert status == 200 and b'"status":"ok"' in data.replace(b" ", b"")


def test_a_body_at_the_limit_is_accepted(pipeline):
    """Exactly the limit passes, one byte more is 413 (a small limit, so the extraction it runs stays short)."""
    from fastapi.testclient import TestClient

    from tadmor.api import create_app
    from tadmor.api.state import Limits

    limit = 4096
    small = create_app(DB, pipeline=pipeline, limits=Limits(max_body=limit), web=False)
    body = ("Protesters marched in Kabul on Monday. " * (limit // 39 + 1)).encode()[:limit]
    with TestClient(small) as c:
        r = c.post("/api/documents", content=body, headers={"content-type": "text/plain"})
        assert r.status_code == 200, r.text[:300]
        r = c.post("/api/documents", content=body + b"x", headers={"content-type": "text/plain"})
        assert r.status_code == 413
        r = c.post("/api/documents", json={"text": "x" * limit})
        assert r.status_code == 413


# ---- binding -------------------------------------------------------------------------------------

def _listening(port: int) -> list[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for name in ("tcp", "tcp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if int(p, 16) == port and state == "0A":  # LISTEN
                found.append(addr)
    return found


def test_serve_binds_to_loopback_by_default(tmp_path):
    import inspect

    from tadmor.api import commands, server

    assert inspect.signature(server.serve).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(commands.serve).parameters["host"].default.default == "127.0.0.1"
    from tadmor.api.server import free_port

    port = free_port()
    proc = subprocess.Popen(TADMOR + ["serve", "--db", str(tmp_path / "s.duckdb"), "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not _listening(port) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        addrs = _listening(port)
        assert addrs == ["0100007F"], addrs  # 127.0.0.1, little-endian hex; never 0.0.0.0 or ::
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert s.recv(100).startswith(b"HTTP/1.1 200")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stdout.close(), proc.stderr.close()
    assert proc.returncode is not None


# ---- supply chain --------------------------------------------------------------------------------

def _requirements() -> list[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return reqs


def test_every_dependency_is_pinned_exactly():
    loose = [r for r in _requirements() if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", r.strip())]
    assert loose == [], f"pin these exactly (name==version): {loose}"


def test_installed_versions_match_the_pins():
    from importlib.metadata import PackageNotFoundError, version

    wrong = {}
    for req in _requirements():
        name, want = req.split("==")
        name = name.split("[")[0]
        try:
            have = version(name)
        except PackageNotFoundError:
            continue  # an optional extra not installed here
        if have != want:
            wrong[name] = (want, have)
    assert wrong == {}, f"installed versions differ from the pins: {wrong}"


@pytest.mark.slow
def test_no_known_vulnerabilities_in_the_environment():
    """pip-audit over the installed environment. It asks the PyPI vulnerability service, so it needs the network:
    offline, it is skipped (CI with network runs ``bench/audit.sh``, which is the same check)."""
    pytest.importorskip("pip_audit", reason="needs pip-audit (pip install -e '.[test]')")
    proc = subprocess.run(["bash", str(ROOT / "bench" / "audit.sh")], capture_output=True, timeout=600, cwd=ROOT)
    out = proc.stdout.decode() + proc.stderr.decode()
    if proc.returncode == 3:
        pytest.skip("the vulnerability service is unreachable from here: " + out.strip()[-300:])
    assert proc.returncode == 0, out[-3000:]
