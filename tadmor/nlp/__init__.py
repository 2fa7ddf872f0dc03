"""The spaCy pipeline: the small English model plus tadmor's rule components."""

from .pipeline import load_nlp, SPANS_KEY

__all__ = ["load_nlp", "SPANS_KEY", "doc_text"]


def doc_text(doc) -> str:
    """A spaCy Doc's text, joined from its tokens once per document (``Doc.text`` rejoins it on every read)."""
    text = doc.user_data.get("tadmor.text")
    if text is None:
        text = doc.user_data["tadmor.text"] = doc.text
    return text
