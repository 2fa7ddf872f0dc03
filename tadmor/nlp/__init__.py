"""The spaCy pipeline: the small English model plus tadmor's rule components."""

from __future__ import annotations

import bisect
from typing import NamedTuple

from .pipeline import load_nlp, SPANS_KEY

__all__ = ["load_nlp", "SPANS_KEY", "LONGEST_MENTION", "doc_ents", "doc_text", "forget", "lemma_view", "starting_in",
           "subtree_ids", "token_view", "TokenView"]

LONGEST_MENTION = 300  # characters: longer than any actor or place mention tadmor's readers make


def doc_text(doc) -> str:
    """A spaCy Doc's text, joined from its tokens once per document (``Doc.text`` rejoins it on every read)."""
    text = doc.user_data.get("tadmor.text")
    if text is None:
        text = doc.user_data["tadmor.text"] = doc.text
    return text


def doc_ents(doc) -> tuple:
    """A spaCy Doc's entity spans, built once per document (``Doc.ents`` builds new Spans on every read).
    The spans point back at the Doc: ``forget`` breaks that cycle when the document is done."""
    ents = doc.user_data.get("tadmor.ents")
    if ents is None:
        ents = doc.user_data["tadmor.ents"] = tuple(doc.ents)
    return ents


class TokenView(NamedTuple):
    """The token attributes the rule readers test again and again, as plain lists indexed like the Doc
    (``doc[i]`` makes a new Token object on every access)."""

    text: list[str]
    lower: list[str]
    is_title: list[bool]
    is_upper: list[bool]
    is_alpha: list[bool]
    idx: list[int]
    sent_start: list[bool]
    propn: list[bool]
    like_num: list[bool]


def token_view(doc) -> TokenView:
    """The Doc's ``TokenView``, made once per document from one ``to_array`` (no Token objects)."""
    view = doc.user_data.get("tadmor.tokens")
    if view is None:
        from spacy.attrs import IDX, IS_ALPHA, IS_TITLE, IS_UPPER, LENGTH, LIKE_NUM, POS, SENT_START
        from spacy.symbols import PROPN

        text = doc_text(doc)
        rows = doc.to_array([IDX, LENGTH, IS_TITLE, IS_UPPER, IS_ALPHA, SENT_START, POS, LIKE_NUM]).tolist() \
            if len(doc) else []
        words = [text[i:i + n] for i, n, *_ in rows]
        view = TokenView(words, [w.lower() for w in words], *(
            [bool(r[k]) for r in rows] for k in (2, 3, 4)), [r[0] for r in rows],
            [r[5] == 1 for r in rows], [r[6] == PROPN for r in rows], [bool(r[7]) for r in rows])
        doc.user_data["tadmor.tokens"] = view
    return view


def lemma_view(doc) -> list[str]:
    """Every token's lemma, lower-cased, indexed like the Doc; made once per document."""
    lemmas = doc.user_data.get("tadmor.lemmas")
    if lemmas is None:
        from spacy.attrs import LEMMA

        strings = doc.vocab.strings
        lemmas = [strings[h].lower() for h in doc.to_array([LEMMA]).tolist()] if len(doc) else []
        doc.user_data["tadmor.lemmas"] = lemmas
    return lemmas


def subtree_ids(tok) -> set[int]:
    """The indexes of ``tok.subtree``, walked on a per-document table of children (no Token objects)."""
    doc = tok.doc
    kids = doc.user_data.get("tadmor.children")
    if kids is None:
        from spacy.attrs import HEAD

        kids = [[] for _ in range(len(doc))]
        for i, rel in enumerate(doc.to_array([HEAD]).astype("int64").tolist() if len(doc) else []):
            if rel:
                kids[i + rel].append(i)
        doc.user_data["tadmor.children"] = kids
    out, todo = set(), [tok.i]
    while todo:
        i = todo.pop()
        out.add(i)
        todo.extend(kids[i])
    return out


def starting_in(doc, items: list, lo: int, hi: int) -> list:
    """The ``items`` (mentions with a ``start`` character offset) that start in [lo, hi), in text
    order, by bisection over an index built once per document and list: a long document holds
    thousands of mentions, and its events read them window by window."""
    indexes = doc.user_data.setdefault("tadmor.by_start", {})
    index = indexes.get(id(items))
    if index is None:  # (the index keeps ``items`` alive, so its id is not reused)
        ordered = sorted(items, key=lambda m: m.start)
        index = indexes[id(items)] = (items, [m.start for m in ordered], ordered)
    _, starts, ordered = index
    return ordered[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]


def forget(doc) -> None:
    """Drop the per-document views and memos (``tadmor.*`` in ``user_data``) once a document is read, so
    that the Doc is freed at once rather than at the next cyclic garbage collection."""
    for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith("tadmor.")]:
        del doc.user_data[key]
