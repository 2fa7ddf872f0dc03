"""``Claimed``: the character spans mentions have already taken in one text.

Detection asks "does this overlap anything taken?" once per candidate. Against a list that
costs the number of spans taken, which a long document (tens of thousands of mentions)
turns quadratic; against a mark per character it costs the length of the span asked about.
"""

from __future__ import annotations


class Claimed:
    """Character spans taken so far; ``overlaps`` and ``add`` cost the span's length."""

    __slots__ = ("_chars",)

    def __init__(self, spans=()):
        self._chars = bytearray()
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        if end > len(self._chars):
            self._chars.extend(bytes(end - len(self._chars)))
        self._chars[start:end] = b"\x01" * max(0, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a taken span (an empty span: lies inside one)."""
        if start >= end:
            return 0 < start < len(self._chars) and self._chars[start - 1] == 1 and self._chars[start] == 1
        return self._chars.find(1, start, end) != -1
