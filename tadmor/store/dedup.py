"""Change detection (sha256 of normalised text) and near-duplicate detection (MinHash + LSH bands).

Why MinHash over word 3-shingles: a syndicated copy or the same page with
other boilerplate shares almost all of its shingles with the original
(Jaccard ≥ 0.8), while two different reports of one event are worded
differently and share few — those are the fuse stage's business (clusters),
not duplicates. LSH bands (32 bands of 4 rows) let the store find candidates
with one indexed join instead of comparing against every stored document;
each candidate is then confirmed on the exact Jaccard, and then word by
word (``same_story``): templated texts about different events ("protested in
Lahore" / "protested in Rawalpindi", the same note with another date) overlap
as much as a syndicated copy does, but differ in a name or a number.

Every constant here is part of the stored format (see ``schema.MINHASH_SCHEME``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

NUM_PERM = 128
BANDS, ROWS = 32, 4
SHINGLE = 3
THRESHOLD = 0.8  # shingle Jaccard at or above which a document can be a near-duplicate
SCREEN_MARGIN = 0.15  # candidates whose MinHash estimate falls this far below THRESHOLD are not checked exactly
MIN_SHINGLES = 10  # below this a text is too short to judge by overlap: only an identical shingle set links
MAX_LOST = 0.10  # at most this share of the shorter text's words may be missing from the longer

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_MASK64 = (1 << 64) - 1


def normalise(text: str) -> str:
    """NFKC, whitespace collapsed, trimmed: what must differ for a document to count as changed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def _h64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _params():
    """Fixed multiply-shift hash parameters derived from names, so they never depend on a library's RNG."""
    import numpy as np

    a = np.array([_h64(f"tadmor-minhash-a-{i}".encode()) | 1 for i in range(NUM_PERM)], dtype=np.uint64)
    b = np.array([_h64(f"tadmor-minhash-b-{i}".encode()) for i in range(NUM_PERM)], dtype=np.uint64)
    return a, b


_PARAMS: list = []  # filled on first use (numpy stays unimported until a document is stored)


def shingles(text: str) -> set[str]:
    words = _WORD.findall(normalise(text).lower())
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


@dataclass(frozen=True)
class Signature:
    minhash: tuple[int, ...]  # NUM_PERM unsigned 32-bit values; empty for a text without words
    count: int  # number of distinct shingles

    def bands(self) -> list[tuple[int, int]]:
        return self._bands

    @cached_property
    def _bands(self) -> list[tuple[int, int]]:
        """(band, bucket) pairs; the bucket is a signed 63-bit hash of the band's rows (fits BIGINT)."""
        if not self.minhash:
            return []
        import numpy as np

        data = np.asarray(self.minhash, dtype="<u4").tobytes()
        step = ROWS * 4
        return [(band, _h64(data[band * step:(band + 1) * step]) >> 1) for band in range(BANDS)]


def signature(text: str) -> Signature:
    sh = shingles(text)
    if not sh:
        return Signature((), 0)
    import numpy as np

    if not _PARAMS:
        _PARAMS.extend(_params())
    a, b = _PARAMS
    x = np.array([_h64(s.encode("utf-8")) for s in sh], dtype=np.uint64)
    with np.errstate(over="ignore"):  # multiply-shift hashing relies on wrap-around modulo 2**64
        hashed = (x[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)
    return Signature(tuple(int(v) for v in hashed.min(axis=0)), len(sh))


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets (0 when either text has no words)."""
    if not a.minhash or not b.minhash:
        return 0.0
    return sum(1 for x, y in zip(a.minhash, b.minhash) if x == y) / NUM_PERM


def is_near_duplicate(a: Signature, b: Signature, a_text: str, b_text: str) -> tuple[bool, float]:
    """Whether b_text repeats a_text, and their shingle Jaccard. The MinHash estimate (±0.04 at 128
    permutations) only screens; the decision is taken on the exact Jaccard and then word by word."""
    if similarity(a, b) < THRESHOLD - SCREEN_MARGIN:
        return False, similarity(a, b)
    sa, sb = shingles(a_text), shingles(b_text)
    sim = len(sa & sb) / len(sa | sb) if sa or sb else 1.0
    if min(len(sa), len(sb)) < MIN_SHINGLES:
        near = sa == sb
    else:
        near = sim >= THRESHOLD
    return near and same_story(a_text, b_text), sim


def _content(word: str) -> bool:
    """A word that carries a fact: a number or a name (capitalised)."""
    return any(c.isdigit() for c in word) or word[:1].isupper()


def same_story(a_text: str, b_text: str) -> bool:
    """The shorter text reappears in the longer with only boilerplate added around or inside it.

    Words the longer text adds are allowed (headers, footers, share buttons). Words
    the shorter text has and the longer lacks or replaces must be few, and none of
    them may be a number or a name: a changed place, date or figure makes a
    different event, however alike the rest. (So a copy whose dateline credits
    another agency is not linked: counting a story twice is the lesser harm than
    hiding a different event.)
    """
    from difflib import SequenceMatcher

    a, b = _WORD.findall(normalise(a_text)), _WORD.findall(normalise(b_text))
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return not long_
    matcher = SequenceMatcher(None, [w.lower() for w in short], [w.lower() for w in long_], autojunk=False)
    lost = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "insert"):
            continue
        lost += i2 - i1
        changed = short[i1:i2] + (long_[j1:j2] if op == "replace" else [])
        if any(_content(w) for w in changed):
            return False
    return lost <= MAX_LOST * len(short)
