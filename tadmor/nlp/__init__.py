"""The spaCy pipeline: the small English model plus tadmor's rule components."""

from .pipeline import load_nlp, SPANS_KEY

__all__ = ["load_nlp", "SPANS_KEY"]
