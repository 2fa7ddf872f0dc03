"""One exception tree for tadmor, translated to exit codes and HTTP statuses at the edges."""

from __future__ import annotations


class TadmorError(Exception):
    """Base of every error tadmor raises on purpose."""

    code = "error"


class InputError(TadmorError):
    """A document could not be read or decoded."""

    code = "input"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


class ConfigError(TadmorError):
    code = "config"


class StoreError(TadmorError):
    code = "store"


class UsageError(TadmorError):
    """The caller asked for something that cannot be done (bad flags, missing files)."""

    code = "usage"
