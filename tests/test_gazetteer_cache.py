"""The pickled gazetteer (written by ``make setup``) answers exactly as one built from the data files."""

from __future__ import annotations

import pytest

from tadmor.geo import gazetteer as gz

NAMES = ["Palmyra", "Dier ez Zor", "Tadmur", "Aleppo", "Springfield", "Kharkiv", "Mazar-e Sharif", "Lagos",
         "Qalat", "Maiduguri", "Homs", "Syrian", "Ninawa", "Cheshire", "Kiev"]


def _answers(g: gz.Gazetteer) -> list:
    out = []
    for name in NAMES:
        out.append([(h.entry.gid, h.entry.name, h.match, round(h.similarity, 4)) for h in g.lookup(name)])
        out.append([(h.entry.gid, h.match, round(h.similarity, 4)) for h in g.fuzzy(name)])
        for h in g.lookup(name)[:3]:
            seat = g.seat(h.entry)
            out.append((g.admin1_of(h.entry), seat.gid if seat else None))
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory, monkeypatch_module):
    cache = tmp_path_factory.mktemp("gaz") / "gazetteer.pickle"
    monkeypatch_module.setattr(gz, "CACHE", cache)
    gz.write_cache(gz.Gazetteer().build(), "fingerprint-1")
    return cache


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_cached_gazetteer_answers_as_built(written):
    cached = gz._from_cache("fingerprint-1")
    assert cached is not None
    assert _answers(cached) == _answers(gz.Gazetteer().build())


def test_stale_or_broken_cache_is_not_used(written):
    assert gz._from_cache("fingerprint-2") is None  # code or data changed since it was written
    written.write_bytes(b"fingerprint-1\n" + b"not a pickle")
    assert gz._from_cache("fingerprint-1") is None


def test_fingerprint_follows_the_data_files(tmp_path, monkeypatch):
    (tmp_path / "regions.yaml").write_text("a: 1\n")
    monkeypatch.setattr(gz, "DATA", tmp_path)
    before = gz._fingerprint()
    (tmp_path / "regions.yaml").write_text("a: 2\n")
    assert gz._fingerprint() != before
