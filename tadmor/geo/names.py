"""Name normalisation shared by the index builder, the gazetteer and detection.

Transliterated Arabic, Pashto and Cyrillic names reach us in many spellings
("Deir ez-Zor", "Dier ez Zor", "Dayr az Zawr"); folding them to one key
(no diacritics, no apostrophes or hyphens, lower case) and dropping the Arabic
article gives exact matches for most variants, and rapidfuzz handles the rest.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = dict.fromkeys(map(ord, "'`\u2018\u2019\u02bb\u02bc\u02be\u02bf\u00b4\u2032"), None)
_DASHES = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014_/"), " ")
_NON_KEY = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
# Arabic definite article as transliterated ("al-", "ar ", "ad-", "el-", ...)
_ARTICLE = re.compile(r"^(?:a[lrdnstz]|e[lrdnstz]|as|ash|az|at|ad|ath|adh) (?=\w{3})")
# words that say what kind of division a name is, in the gazetteer's sources and in ACLED notes
_ADMIN_WORDS = re.compile(
    r"^(?:muhafazat|shabiyat|wilayat e|wilayah|mayorality of|provincia de|departamento de|"
    r"etat de|region de|state of|province of)\s+|"
    r"\s+(?:governorate|province|provincia|oblast|oblast'|region|district|state|prefecture|"
    r"division|department|departement|municipality|territory|raion|rayon|city)$"
)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case ASCII key: diacritics, apostrophes and hyphens removed."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_DASHES).lower().replace("&", " and ")
    text = _NON_KEY.sub(" ", text.replace(".", ""))
    return _SPACES.sub(" ", text).strip()


def keys(text: str) -> list[str]:
    """The lookup keys of one name: folded, and without a leading Arabic article / 'the'."""
    return list(_keys(text))


@lru_cache(maxsize=2048)
def _keys(text: str) -> tuple[str, ...]:
    k = fold(text)
    out = [k] if k else []
    for pattern in (_ARTICLE, re.compile(r"^the ")):
        stripped = pattern.sub("", k, count=1)
        if stripped != k and stripped not in out:
            out.append(stripped)
    return tuple(out)


def forget() -> None:
    """Empty the caches of ``fold`` and ``keys``: a built index leaves them full of names a run may
    never meet again, and a run's own names should not pile on top (see ``Gazetteer.prepare``)."""
    fold.cache_clear()
    _keys.cache_clear()


def squash(key: str) -> str:
    """Key without spaces, for fuzzy comparison ("ez zor" ~ "ezzor")."""
    return key.replace(" ", "")


def clean_admin_name(name: str) -> str:
    """'Muhafazat Kirkuk' -> 'Kirkuk', 'Salah ad Din Governorate' -> 'Salah ad Din'."""
    low = fold(name)
    stripped = _ADMIN_WORDS.sub("", low).strip()
    if stripped == low or not stripped:
        return name
    # keep the original casing of the words that remain
    words = name.replace("`", "'").split()
    kept = [w for w in words if fold(w) and fold(w) in stripped.split()]
    return " ".join(kept) if kept else stripped.title()


def strip_admin_words(key: str) -> str:
    return _ADMIN_WORDS.sub("", key).strip()


_CITY_OF = re.compile(r"^(?:Heroica Ciudad de|Ciudad|Heroica) (?=[A-ZÁÉÍÓÚÑ])")


def city_short_name(name: str) -> str | None:
    """ "Ciudad Lázaro Cárdenas" -> "Lázaro Cárdenas", "Heroica Ciudad de Tlaxiaco" -> "Tlaxiaco": the
    name a town goes by in the news, where its official one starts with "city of" (Spanish)."""
    m = _CITY_OF.match(name)
    if m is None:
        return None
    short = name[m.end():]
    return short if len(short) >= 4 else None


def is_useful_alternate(alt: str, name: str) -> bool:
    """Latin-script spellings people write in English news; not codes or romanised junk."""
    if not alt or alt == name or len(alt) < 3 or any(ch.isdigit() for ch in alt):
        return False
    if alt.isupper() and len(alt) <= 4:  # airport / ISO codes ("ALP", "DEZ")
        return False
    if not alt[0].isupper():  # GeoNames' lower-case rows are machine romanisations ("adlb")
        return False
    try:
        folded = unicodedata.normalize("NFKD", alt)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
        folded.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return "(" not in alt and "," not in alt
