"""``Memo``: the one cache shape tadmor keeps between documents.

A long run meets new names for as long as it runs, so every cache that outlives a
document is bounded. A ``Memo`` is a plain dict (lookups at C speed) that forgets
everything when it is full: the names a desk meets daily ("Aleppo", "Kabul") are
back after a few documents, and peak memory is reached early and then stays flat
whatever the length of the input (``bench/bench_scale.py`` measures it).
"""

from __future__ import annotations


class Memo(dict):
    """A dict of at most ``limit`` entries; ``put`` clears it when full."""

    __slots__ = ("limit",)

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def put(self, key, value):
        """Remember ``value`` under ``key`` and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
