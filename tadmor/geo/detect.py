"""Find toponym mentions in a parsed document.

Three sources, merged so that no two mentions overlap:

1. FACILITY spans the SpanRuler marked (``doc.spans["tadmor"]``);
2. spaCy's entities: GPE/LOC/FAC as places, NORP demonyms ("Syrian") as
   adjectival mentions of their country, ORG names that contain a place
   ("Aleppo Governorate Council") as organisation mentions;
3. capitalised runs the small model leaves untagged or calls PERSON (it tags
   "Palmyra" PERSON, "Zari" PERSON): accepted when the gazetteer knows them
   well enough or the context says "place" ("in X district", "X, Kunar");
4. wire datelines ("HURRICANE, W.Va. -").

Not places: streets named after them ("Dublin Road"), a country named for its
currency ("the US dollar", kept as adjectival), single words the document uses
as a person's name ("Nelson said").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..claimed import Claimed
from ..nlp import doc_ents, doc_text, token_view
from .gazetteer import ADMIN1, ADMIN2, CONTINENT, COUNTRY, FACILITY, PLACE, REGION, Gazetteer
from .names import fold, strip_admin_words

SPANS_KEY = "tadmor"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# lower-case particles inside transliterated names ("Dier ez Zor", "Nawa-e Barakzayi", "Rio de Janeiro")
CONNECTORS = {"al", "el", "ez", "es", "as", "ad", "ash", "at", "az", "ar", "an", "e", "i", "de", "del", "da",
              "do", "du", "la", "le", "di", "bin", "ibn", "abu", "upon", "on", "sur", "am", "an", "der", "los",
              "las", "dos", "das", "des"}
# words after a name that make it a place ("Qalat district", "the village of X" is handled by CUE_BEFORE)
PLACE_NOUNS = {"district", "districts", "province", "provinces", "governorate", "village", "villages", "town",
               "city", "county", "region", "area", "subdistrict", "sub-district", "state", "neighbourhood",
               "neighborhood", "camp", "municipality", "department", "prefecture", "oblast", "parish",
               "township", "valley", "river", "island", "islands", "commune", "locality", "lga", "woreda",
               "countryside", "tehsil", "governorate", "neighbourhood", "outskirts"}
# nouns a town's name modifies ("a Gainesville man", "Gainesville police"): a place, not a person
LOCAL_NOUNS = {"man", "woman", "men", "women", "resident", "residents", "native", "natives", "teen", "teens",
               "teenager", "boy", "girl", "couple", "restaurant", "business", "businesses", "police", "officials",
               "council", "mayor", "school", "schools", "neighborhood", "neighbourhood", "hospital", "community",
               "voters", "firefighters", "homeowners", "area", "city", "downtown", "suburb", "suburbs"}
# of those, the ones that say "town" after a small town's name (not "the Al Thawrah Hospital",
# "the Taquaral community", which name an institution or a part of a town)
LOCAL_OFFICES = LOCAL_NOUNS - {"restaurant", "business", "businesses", "school", "schools", "hospital", "community",
                               "neighborhood", "neighbourhood", "area", "city", "downtown", "suburb", "suburbs"}
CUE_BEFORE = {"in", "near", "at", "from", "outside", "into", "toward", "towards", "around", "across",
              "to", "of", "via", "between", "and", "nearby", "north", "south", "east", "west", "northern",
              "southern", "eastern", "western", "central", "outskirts", "village", "town", "city", "district",
              "province", "entered", "took", "captured", "seized", "retook", "shelled", "bombed", "struck",
              "attacked", "stormed", "besieged", "liberated", "recaptured", "near", "visit", "visited"}
# function words that open a sentence capitalised: "A Gainesville man", "In Sochi", "The Homs offensive"
OPENERS = {"a", "an", "the", "in", "at", "on", "from", "to", "for", "after", "before", "near", "outside",
           "inside", "across", "throughout", "by", "with", "as", "when", "while", "since", "of", "and", "but",
           "this", "that", "these", "those", "some", "many", "two", "three", "several", "every", "each"}
# words that are capitalised for other reasons and are never places on their own
STOP = {"i", "a", "the", "mr", "mrs", "ms", "dr", "he", "she", "it", "we", "they", "this", "that", "there",
        "on", "in", "at", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "god", "allah", "police", "army", "president", "government",
        "news", "times", "post", "sun", "star", "mirror", "guardian", "independent", "herald", "tribune",
        "washington post", "new york times", "islamic", "christian", "muslim", "catholic", "state",
        "university", "college", "school", "church", "mosque", "hospital", "court", "council", "party",
        "union", "senate", "congress", "house", "white house", "republic", "kingdom", "city", "county",
        "north", "south", "east", "west", "central", "national", "federal", "western", "eastern",
        "northern", "southern", "ministry", "department", "office", "center", "centre", "street", "road",
        "avenue", "mall", "park", "square", "airport", "bridge", "station", "high", "middle", "of", "gulf",
        "metro", "northwest", "northeast", "southwest", "southeast", "man", "lot", "mercy", "culture",
        "easter", "passover", "christmas", "ramadan", "eid", "thanksgiving", "hanukkah", "halloween", "lent",
        "ramzan", "ramazan", "ramadhan", "muharram", "ashura", "diwali", "navratri"}
# lower-case words inside a longer place name the NER cut short ("Port of Spain", "Amatlan de los Reyes")
NAME_PARTICLES = {"of", "los", "las", "les", "des", "dos", "das", "y"}
# words that end a place's name and begin an office's ("Alachua County Sheriff", "DeKalb Police")
ORG_TAIL = {"sheriff", "police", "fire", "democrats", "republicans", "council", "schools", "mayor", "coroner",
            "commissioners", "board", "clerk", "court", "parks", "library", "department", "officials"}
ROAD_NOUNS = {"highway", "road", "motorway", "expressway", "freeway", "railway"}
# nouns after a name that only a place takes: "in Mohammad Agha district", "in Matana commune"
ADMIN_NOUNS = {"district", "districts", "province", "governorate", "village", "town", "city", "municipality",
               "commune", "lga", "woreda", "tehsil", "township", "subdistrict", "sub-district", "prefecture",
               "oblast", "county", "parish"}
LOCATIVE = {"in", "near", "at", "of", "from", "outside", "into", "around", "across", "and", ",", "("}
# "(R-Ocilla)", ", D-Kanawha,": a US legislator's party and home town; "Gori-based": where a unit is based
HYPHENATED_PLACE = re.compile(
    r"(?:(?<=[(,] )|(?<=\())(?:D|R|I|DFL)-(?P<name>[A-Z][a-z]+(?:[ .][A-Z][a-z]+)?)(?=[,);])"
    r"|(?<![\w-])(?P<based>[A-Z][a-z]+(?: [A-Z][a-z]+)?)-based\b")
SCHOOL_WORDS = {"elementary", "middle", "high", "primary", "secondary", "junior", "senior"}
DIVISIONS_LISTED = re.compile(r"[^.;:!?\n]{0,80}?\b(?:counties|districts|provinces|parishes|governorates|"
                              r"regions|states|municipalities|townships|boroughs|shires)\b", re.I)
CONJ_AFTER = re.compile(r",?\s+(?:and|or)\s+|,\s*")
CONJ_BEFORE = re.compile(r"(?:,\s*|\s+(?:and|or)\s+|,\s+(?:and|or)\s+)$")
# "from Dewsbury said": a preposition of place before a name that seems to speak
PLACE_PREP_BEFORE = re.compile(r"\b(?:in|near|at|from|outside|into|around|across|to)\s+$")


COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "northern",
           "southern", "eastern", "western", "central", "upper", "lower", "greater", "downtown"}
# a dateline at the start of a line or after the headline: "HURRICANE, W.Va. -", "COLUMBUS --"
DATELINE = re.compile(r"(?:^|\n|[.!?]\s+)(?P<name>[A-Z][A-Z'.]+(?: [A-Z][A-Z'.]+){0,3})"
                      r"(?:,\s+[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?\s*(?P<sep>—|–|--|-|:)\s")


# "forces of Artsakh", "the government of Yemen": a place named as the owner of an actor
OWNER_BEFORE = re.compile(r"\b(?:forces|army|armies|troops|soldiers|military|government|authorities|police|"
                          r"ministry|president|prime minister|navy|air force)\s+of\s+(?:the\s+)?"
                          r"(?:(?-i:[A-Z])[\w'-]+(?: (?-i:[A-Z])[\w'-]+)?,? (?:and|or) (?:the\s+)?)?$",  # "of India and Pakistan"
                          re.I)
# a name that speaks or bears a title is a person ("Nelson said", "coach Ripley", "Sen. Fumo")
SPEECH_AFTER = re.compile(r"^\s*(?:said|says|told|added|explained|asked|wrote|recalled|testified)\b")
TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Sgt|Lt|Capt|Col|Gen|Officer|Deputy|Detective|Coach|coach|"
                          r"Judge|Justice|Mayor|Chief|Sheriff|Pastor|Rev|Father|Sister|Brother|Professor|"
                          r"President|Prime Minister|Minister|Senator|Councilman|Councilwoman|Commissioner)\.?\s+$")
STREET_AFTER = re.compile(r" (?:Road|Rd|Street|St|Avenue|Ave|Boulevard|Blvd|Drive|Dr|Lane|Ln|Pike|Parkway|Pkwy|"
                          r"Court|Ct|Terrace|Circle|Cir)\b\.?")
# "the US dollar", "the Lebanese pound": a country named for its currency is no place where anything happened
CURRENCY_AFTER = re.compile(r"\s*(?:dollars?|euros?|pounds?|rupees?|rubles?|roubles?|lira|liras|dinars?|riyals?|"
                            r"rials?|currency|exchange rate)\b", re.I)

# "Colonia Los Olivos", "Barrio San Juan": a quarter of a town (Spanish and Portuguese words), not a town
# of the name elsewhere; the event is coded at the town
QUARTER_WORD = r"(?:[Cc]olonia|[Bb]arrio|[Bb]airro|[Ff]raccionamiento|[Cc]ol\.)"
QUARTER_BEFORE = re.compile(QUARTER_WORD + r"(?:\s+(?:[A-Z][\w'-]*|de|del|la|las|los|el|do|da|dos|das)){0,4}\s+$")
QUARTER_NAME = re.compile(QUARTER_WORD + r"(?=\s+[A-Z]|$)")
QUARTER_TAIL = re.compile(r"\s+[A-Z][\w'-]*(?: [A-Z][\w'-]*)*")

# "migrants (mostly from Afghanistan)", "people who came from Syria": where people came from, not
# where the story happens; the country still counts as a place mention
ORIGIN_BEFORE = re.compile(r"\b(?:(?:came|come|comes|coming|arrived|arrive|arriving|returned|returning|returnees|"
                           r"migrants|refugees|seekers|nationals|mostly|mainly|deportees|deported|repatriated)"
                           r"(?:\s+[a-z]+)?\s+from|fled|fleeing)\s+(?:the\s+)?$", re.I)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    source: str  # "facility" | "ner:GPE" | "ner:NORP" | "ner:ORG" | "gazetteer" | "cue"
    role: str = "literal"  # literal | adjectival | organisation
    facility: str | None = None  # facilities.yaml key
    country: str | None = None  # for demonyms
    cue: bool = False  # the context says it is a place
    fuzzy_ok: bool = False  # may be matched loosely (the context or NER vouches for it)
    org: str | None = None  # the organisation name this mention sits in
    partial: bool = False  # only part of a longer capitalised name ("Kala" of "Sufi Kala")
    votes: bool = True  # counts as evidence of the document's country ("the US dollar" does not)


def _whole_word_hits(text: str, name: str) -> Iterator[int]:
    """Where ``name`` occurs as a whole word (not inside "Nablus-based" or "Homsi"); a string scan,
    since a regex per name would be compiled for every new name a document brings."""
    n, i = len(name), text.find(name)
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + n] if i + n < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
            yield i
        i = text.find(name, i + 1)


def _people(doc) -> list:
    """The PERSON entities, but for those in a headline set in title case ("Freemason Bogdanov Joins
    Sochi Mayor Race"), where the small model reads capitals as names."""
    v = token_view(doc)
    out = []
    for ent in doc_ents(doc):
        if ent.label_ != "PERSON":
            continue
        sent = ent.sent
        if sent.start == 0:  # the document's first line: its headline, when it is one
            words = [i for i in range(sent.start, sent.end) if v.is_alpha[i]]
            if len(words) >= 4 and sum(v.is_title[i] or v.is_upper[i] for i in words) >= 0.8 * len(words):
                continue
        out.append(ent)
    return out


def _titled_word(text: str, is_title: bool) -> bool:
    """Title case, counting a transliteration's inner apostrophe as a letter ("Dar'a", "Sana'a")."""
    if is_title:
        return True
    if not text[:1].isupper() or ("'" not in text and "\u2019" not in text):
        return False
    rest = text[1:].replace("'", "").replace("\u2019", "")
    return len(rest) > 1 and rest.isalpha() and rest.islower()


SHORT_CAPS = re.compile(r"[A-Z]{2,3}")
INITIALS = re.compile(r"[A-Z]\.(?:[A-Z]\.)+")


def _trim(doc, start_tok: int, end_tok: int) -> tuple[int, int]:
    """Drop a leading 'the' and a trailing possessive or punctuation from a token range."""
    while start_tok < end_tok and doc[start_tok].lower_ in ("the", "'s", "’s"):
        start_tok += 1
    while end_tok > start_tok and (doc[end_tok - 1].lower_ in ("'s", "’s", "'", "’") or doc[end_tok - 1].is_punct
                                   and doc[end_tok - 1].text not in (".",)):
        end_tok -= 1
    return start_tok, end_tok


def _split_commas(doc, start_tok: int, end_tok: int) -> list[tuple[int, int]]:
    """'Gainesville, Ga.' as one entity -> two mentions."""
    parts, cur = [], start_tok
    for i in range(start_tok, end_tok):
        if doc[i].text in (",", ";", "(", ")"):
            if i > cur:
                parts.append((cur, i))
            cur = i + 1
    if end_tok > cur:
        parts.append((cur, end_tok))
    return parts


class Detector:
    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz

    def find(self, doc, text: str, skip=()) -> list[Mention]:
        out: list[Mention] = []
        taken = Claimed(skip)

        speakers = self._speakers(doc, text)

        def add(m: Mention) -> None:
            if m.role == "literal" and m.source != "facility" and self._person(text, m):
                return
            if m.source in ("gazetteer", "cue", "repeat") and m.text in speakers and not self._strong(m.text, -2):
                return  # one sense per discourse: "Nelson said" makes every lone "Nelson" the man
            if m.role == "literal" and m.source != "facility" and STREET_AFTER.match(text, m.end):
                return  # "6016 Dublin Road" is a street, not the capital of Ireland
            if m.source not in ("facility", "dateline") and SHORT_CAPS.fullmatch(m.text) and not self.gaz.as_acronym(m.text):
                return  # "IS militants", "a leader of AL": an organisation's initials, not the town Is or Ål
            if m.role in ("literal", "organisation") and m.source != "facility" and self._quarter(text, m):
                return
            if (m.role == "literal" and m.source != "facility" and ORIGIN_BEFORE.search(text, max(0, m.start - 50), m.start)
                    and self._named_place(m.text, kinds=(COUNTRY,))):
                m.votes = False
            if m.role == "literal" and CURRENCY_AFTER.match(text, m.end):
                m.role, m.votes = "adjectival", False
            if m.end > m.start and not taken.overlaps(m.start, m.end) and fold(m.text) not in STOP:
                out.append(m)
                taken.add(m.start, m.end)

        for span in doc.spans.get(SPANS_KEY, []) if hasattr(doc, "spans") else []:
            if span.label_ == "FACILITY":
                add(Mention(span.start_char, span.end_char, text[span.start_char:span.end_char], "facility",
                            facility=span.id_ or None, cue=True))
        # before NER: the small model splits capitals ("ST. PAUL" as "ST" and "PAUL")
        self._datelines(text, add)
        ents = list(doc_ents(doc))
        joined = -1  # the entity read as the end of the one before it
        read_to = 0  # tokens before this were read as part of an earlier entity's longer name
        for k, ent in enumerate(ents):
            if k == joined or ent.start < read_to:
                continue
            if ent.label_ in PLACE_LABELS:
                if not any(ch.isupper() for ch in ent.text):
                    continue  # "marijuana" tagged GPE: a place's name is a proper noun
                end = ent.end
                nxt = ents[k + 1] if k + 1 < len(ents) else None
                if (nxt is not None and nxt.start == end and nxt.label_ in PLACE_LABELS
                        and self.gaz.lookup(doc[ent.start:nxt.end].text)):
                    end, joined = nxt.end, k + 1  # "Baja" + "California" tagged apart: the name the gazetteer knows
                parts = None
                if (end == ent.end and nxt is not None and nxt.start == end and nxt.label_ in PLACE_LABELS
                        and not self.gaz.lookup(ent.text)):
                    # "Tijuana Baja" + "California": the town, then the division the model cut in two
                    cut = next((j for j in range(ent.start + 1, ent.end)
                                if self._named_place(doc[j:nxt.end].text, kinds=(ADMIN1, COUNTRY))
                                and self._named_place(doc[ent.start:j].text)), None)
                    if cut is not None:
                        parts, joined = [(ent.start, cut), (cut, nxt.end)], k + 1
                # "Ivano-Frankivsk" tagged "Ivano": the hyphenated name the gazetteer knows
                if (end + 1 < len(doc) and doc[end].text == "-" and doc[end].idx == doc[end - 1].idx + len(doc[end - 1])
                        and doc[end + 1].is_title and self.gaz.lookup(doc[ent.start:end + 2].text)):
                    end += 2
                # "San Jose" tagged without "del Monte", "Port" without "of Spain": the longer name
                # the gazetteer knows
                longer = self._longer_name(doc, ent.start, end)
                if longer > end:
                    end = read_to = longer
                # "Kansas City", "MEXICO CITY" tagged without their last word
                if end < len(doc) and doc[end].lower_ == "city" and not doc[end].is_lower and self.gaz.lookup(
                        doc[ent.start:end + 1].text):
                    end += 1
                for s, e in parts or self._split_pairs(doc, _split_commas(doc, ent.start, end)):
                    s, e = _trim(doc, s, e)
                    # "Northeast Georgia", "East Texas": a part of a known place, coded at the place
                    while e - s > 1 and doc[s].lower_ in COMPASS and not self.gaz.lookup(doc[s:e].text):
                        s += 1
                    # "Alachua County Sheriff", "Montgomery County Democrats" tagged as one place
                    tail = next((i for i in range(s + 1, e) if doc[i].lower_ in ORG_TAIL), None)
                    if tail is not None and not self.gaz.lookup(doc[s:e].text) and self.gaz.lookup(doc[s:tail].text):
                        e = tail
                    if e > s and not any(t.like_num for t in doc[s:e]):
                        span = doc[s:e]
                        add(Mention(span.start_char, span.end_char, text[span.start_char:span.end_char],
                                    f"ner:{ent.label_}", cue=self._cue(doc, s, e), fuzzy_ok=True))
            elif ent.label_ == "NORP":
                start, word = ent.start_char, ent.text
                if self.gaz.demonym(word) is None and "-" in word:
                    # "anti-Russian", "All-American": the demonym after the prefix
                    cut = word.rindex("-") + 1
                    start, word = start + cut, word[cut:]
                country = self.gaz.demonym(word)
                # "Syrian soldiers" names the country; "the Syrians" names people
                people = ent[-1].tag_ in ("NNS", "NNPS") or (
                    word.endswith("s") and self.gaz.demonym(word[:-1]) is not None)
                if country is not None and word[:1].isupper():
                    # "the Syrians" names people: still a mention of their country (the geoparsing gold
                    # counts it), but no evidence of where the story happens
                    add(Mention(start, ent.end_char, word, "ner:NORP", role="adjectival", country=country.cc,
                                votes=not people))
        self._org_demonyms(doc, add)
        self._org_places(doc, text, add)
        self._runs(doc, text, add)
        self._conjuncts(doc, text, out, add)
        self._hyphenated(text, add)
        self._repeats(doc, text, out, add)
        for m in out:
            owner = OWNER_BEFORE.search(text, max(0, m.start - 40), m.start) if m.role == "literal" else None
            if owner and m.source != "facility":
                # "military forces of Artsakh fired at ...": the place names who acted, not where
                m.role, m.org = "organisation", text[owner.start():m.end]
        out.sort(key=lambda m: m.start)
        return out

    def _quarter(self, text: str, m: Mention) -> bool:
        """ "in Colonia Centenario", "Barrio Obrero": the quarter's word, the name after it, or both, where
        no place bears the whole name ("Colonia del Sacramento" is a town; "Colonia Centenario", only an
        alternate name of Centenario in Argentina, is a quarter in a Mexican note)."""
        before = QUARTER_BEFORE.search(text, max(0, m.start - 60), m.start)
        if before:
            whole = text[before.start():m.end]
        elif QUARTER_NAME.fullmatch(m.text):  # the word alone: the name runs on after it
            tail = QUARTER_TAIL.match(text, m.end)
            if tail is None:
                return False
            whole = text[m.start:tail.end()]
        elif QUARTER_NAME.match(m.text):
            whole = m.text
        else:
            return False
        return not self._named_place(whole, kinds=None)

    def _split_pairs(self, doc, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """"the Sidon-Tyr highway" tagged as one place: the two towns a road is named after, when the
        gazetteer knows each but not the whole ("Winston-Salem", "Ivano-Frankivsk" stay one). Only
        before a road's noun: "the Greenbrier-Pocahontas County boundary" names two counties."""
        out = []
        for s, e in parts:
            s, e = _trim(doc, s, e)
            cuts = [i for i in range(s + 1, e - 1) if doc[i].text == "-"]
            if cuts and e < len(doc) and doc[e].lower_ in ROAD_NOUNS and not self.gaz.lookup(doc[s:e].text):
                pieces = list(zip([s] + [c + 1 for c in cuts], cuts + [e]))
                if all(b > a and self.gaz.lookup(doc[a:b].text) for a, b in pieces):
                    out += pieces
                    continue
            out.append((s, e))
        return out

    def _longer_name(self, doc, start: int, end: int) -> int:
        """The end of the longest name of known places that runs on past token ``end`` in capitals
        and particles ("San Jose| del Monte", "Amatlan| de los Reyes"); ``end`` when there is none."""
        v = token_view(doc)
        best, j = end, end
        while j < len(doc) and j - end < 5:
            titled = v.is_title[j] or v.is_upper[j]
            # "Mazar|-e Sharif": a hyphen joined to the words around it
            joined = v.text[j] == "-" and v.idx[j] == v.idx[j - 1] + len(v.text[j - 1])
            if not (titled or joined or v.lower[j] in CONNECTORS or v.lower[j] in NAME_PARTICLES):
                break
            j += 1
            if titled and self._named_place(doc[start:j].text):
                best = j
        return best

    def _named_place(self, name: str, kinds=(PLACE, ADMIN1, ADMIN2)) -> bool:
        """The gazetteer knows a place of one of ``kinds`` (a town or division unless told; any kind
        with None) by this very name, not only as an alternate."""
        return any(h.match == "name" and (kinds is None or h.entry.kind in kinds) for h in self.gaz.lookup(name))

    def _speakers(self, doc, text: str) -> set[str]:
        """Single words the document uses as a person's name: they speak, bear a title, or end a
        person's full name ("Dewly Nelson ... Nelson says")."""
        # not a name in a bracket of divisions: "in Shahdadkot town (Qambar Shahdadkot, Sindh)" is a district
        out = {ent[-1].text for ent in _people(doc) if len(ent) > 1 and not (
            ent.start > 0 and doc[ent.start - 1].text == "(" and self._divisions_after(doc, ent.end))}
        v = token_view(doc)  # no Token object for the many words that are not title-case
        for title, idx, word in zip(v.is_title, v.idx, v.text):
            n = len(word)
            if title and (SPEECH_AFTER.match(text[idx + n:idx + n + 16]) or TITLE_BEFORE.search(text[max(0, idx - 30):idx])):
                if PLACE_PREP_BEFORE.search(text, max(0, idx - 12), idx):
                    continue  # "Barry, who was from Dewsbury said": the place before the verb, not the speaker
                out.add(text[idx:idx + n])
        if out:
            # "Gainesville says no to discrimination" in a text about "Gainesville residents": a town
            # the document names by its people or offices speaks as a town, not as a person
            towns = {v.text[i] for i in range(len(v.text) - 1)
                     if v.is_title[i] and v.text[i] in out and v.lower[i + 1] in LOCAL_NOUNS}
            out -= {w for w in towns if self._strong(w, 1)}
        return out

    def _person(self, text: str, m: Mention) -> bool:
        """A lone word that speaks or bears a title is a person, unless only a place can be called so."""
        if " " in m.text.strip():
            return False
        if not (SPEECH_AFTER.match(text[m.end:m.end + 16]) or TITLE_BEFORE.search(text[max(0, m.start - 30):m.start])):
            return False
        if PLACE_PREP_BEFORE.search(text, max(0, m.start - 12), m.start):
            return False  # "Barry, who was from Dewsbury said": the place before the verb
        return not self._strong(m.text, -2)

    def _conjuncts(self, doc, text: str, found: list[Mention], add) -> None:
        """A name listed with a place is a place ("Hilversum and Almelo", "Gloucester and Cheltenham",
        "Dodge City, Great Bend, Hutchinson, Kingman"), when the gazetteer knows it by that very name:
        the small model tags the second one a person as often as not."""
        todo = [m for m in found if m.role == "literal" and not m.partial
                and (CONJ_AFTER.match(text, m.end) or CONJ_BEFORE.search(text, max(0, m.start - 8), m.start))]
        if not todo:
            return
        v = token_view(doc)
        starts = {idx: i for i, idx in enumerate(v.idx)}
        runs = self._capital_runs(doc, 0, len(doc))
        run_at = {a: (a, b) for a, b in runs}
        run_to = {b: (a, b) for a, b in runs}
        people = [(ent.start, ent.end) for ent in doc_ents(doc) if ent.label_ == "PERSON" and len(ent) > 1]
        seen = {(m.start, m.end) for m in found}

        while todo:
            m = todo.pop()
            nxt = CONJ_AFTER.match(text, m.end)
            prv = CONJ_BEFORE.search(text, max(0, m.start - 8), m.start)
            spans = []
            if nxt and nxt.end() in starts and starts[nxt.end()] in run_at:
                spans.append(run_at[starts[nxt.end()]])
            if prv:
                # the token right before the conjunction ends the run listed before
                k = bisect.bisect_right(v.idx, prv.start() - 1) - 1
                if k >= 0 and k + 1 in run_to:
                    spans.append(run_to[k + 1])
            for a, b in spans:
                if any(pa < b and a < pb and (pa < a or pb > b) for pa, pb in people):
                    continue  # "Rep. Harold Rogers and U.S. senators": the end of a longer person's name
                if b < len(doc) and v.lower[b] == v.text[b] and (doc[b].tag_ == "NNS" or v.lower[b] in SCHOOL_WORDS) \
                        and v.lower[b] not in LOCAL_NOUNS | PLACE_NOUNS | LOCAL_OFFICES:
                    continue  # "Lakeview and Harrison streets", "Reese Road and Claflin elementary schools"
                start, end = v.idx[a], v.idx[b - 1] + len(v.text[b - 1])
                name = text[start:end]
                if (start, end) in seen or fold(name) in STOP or SHORT_CAPS.fullmatch(name):
                    continue
                if DIVISIONS_LISTED.match(text, end):
                    continue  # "Becker, Clay, Grant and Mahnomen counties": divisions, not the towns so named
                if not self._named_place(name):
                    continue
                seen.add((start, end))
                before = len(found)
                add(Mention(start, end, name, "conjunct", cue=True))
                if len(found) > before:
                    todo.append(found[-1])

    def _hyphenated(self, text: str, add) -> None:
        """Places the tokenizer keeps inside a hyphenated word: a legislator's home town ("Rep. Jay
        Roberts (R-Ocilla)", "Carrie Webster, D-Kanawha") and a base ("the Gori-based brigade")."""
        for hit in HYPHENATED_PLACE.finditer(text):
            group = "name" if hit.group("name") else "based"
            name, start = hit.group(group), hit.start(group)
            if fold(name) in STOP or not self._named_place(name):
                continue
            add(Mention(start, start + len(name), name, "cue", cue=True))

    def _repeats(self, doc, text: str, found: list[Mention], add) -> None:
        """One sense per discourse: a name accepted once is a place wherever else it recurs
        (the small model tags "Gainesville" GPE once and PERSON twice) -- unless the document
        also uses it inside a person's name ("Linda McMahon")."""
        in_person = {t.text for ent in doc_ents(doc) if ent.label_ in ("PERSON", "ORG") and len(ent) > 1 for t in ent}
        reliable = ("ner:GPE", "ner:LOC", "cue", "facility")
        def local(m: Mention) -> bool:
            # "Gainesville residents", "a Gainesville man": a town named by its people or offices
            word = re.match(r"\s+(\w+)", text[m.end:m.end + 20])
            return m.source == "gazetteer" and not m.partial and word is not None \
                and word.group(1).lower() in LOCAL_NOUNS and self._strong(m.text, 1)

        names = {m.text for m in found if m.role == "literal" and (m.source in reliable or local(m))
                 and len(m.text) >= 4 and m.text[0].isupper() and not (set(m.text.split()) & in_person)}
        for name in sorted(names, key=len, reverse=True):
            for start in _whole_word_hits(text, name):
                add(Mention(start, start + len(name), name, "repeat", fuzzy_ok=True))

    def _datelines(self, text: str, add) -> None:
        """A wire dateline ("HURRICANE, W.Va. -", "UNION CITY —", "PESHAWAR:") names where the story was filed."""
        for hit in DATELINE.finditer(text):
            name = hit.group("name")
            if fold(name) in STOP or not self._known_town(name.title()):
                continue
            if hit.group("sep") == ":" and not self._strong(name.title(), 1):
                continue  # "BEIRUT:", "PESHAWAR:" open a story; "JEWELL:" credits a photograph
            add(Mention(hit.start("name"), hit.end("name"), name, "dateline", cue=True))

    def _known_town(self, name: str) -> bool:
        return any(h.entry.kind in (PLACE, ADMIN1, COUNTRY) for h in self.gaz.lookup(name))

    def _org_demonyms(self, doc, add) -> None:
        """"British Waterways", "the Polish People's Party": an organisation's demonym names its country."""
        for ent in doc_ents(doc):
            if ent.label_ not in ("ORG", "LAW", "EVENT", "FAC", "WORK_OF_ART"):
                continue
            for t in ent:
                plural = t.text.endswith("s") and self.gaz.demonym(t.text[:-1]) is not None
                country = self.gaz.demonym(t.text) if t.is_title and not plural else None
                if country is not None and t.i + 1 < len(doc) and doc[t.i + 1].text != "-":
                    add(Mention(t.idx, t.idx + len(t), t.text, "ner:NORP", role="adjectival", country=country.cc))

    # -- organisation names holding a place: "University of Florida", "Aleppo Governorate Council"
    def _org_places(self, doc, text, add) -> None:
        for ent in doc_ents(doc):
            if ent.label_ != "ORG" or len(ent) < 2:
                continue
            # the small model calls "Cuernavaca, Morelos" one ORG: a part that is all place is a place
            parts = [_trim(doc, a, b) for a, b in _split_commas(doc, ent.start, ent.end)]
            a, b = parts[0] if len(parts) == 1 else (0, 0)
            if b - a > 1 and doc[b - 1].text == ".":
                b -= 1
            if b > a and (self._cue(doc, a, b) or self._strong(doc[a:b].text, 0)) and self._known_town(doc[a:b].text):
                # "in Ar-Raqqa countryside" tagged ORG: the whole name is a place's
                span = doc[a:b]
                add(Mention(span.start_char, span.end_char, span.text, "ner:ORG", fuzzy_ok=True, cue=True))
                continue
            for s, e in self._capital_runs(doc, ent.start, ent.end):
                found = self._subspan(doc, s, e, cue_ok=False)
                if found and found != (ent.start, ent.end) and not (found[0] == s and found[1] == e == ent.end
                                                                    and s == ent.start + 1):
                    span = doc[found[0]:found[1]]
                    if len(parts) > 1 and found in parts:
                        add(Mention(span.start_char, span.end_char, span.text, "ner:ORG", fuzzy_ok=True,
                                    cue=self._cue(doc, found[0], found[1])))
                        continue
                    add(Mention(span.start_char, span.end_char, span.text, "ner:ORG", role="organisation",
                                org=ent.text))
                    break

    # -- capitalised runs the NER missed or mislabelled
    def _runs(self, doc, text, add) -> None:
        people = _people(doc)
        person = {t.i for ent in people for t in ent}
        whole = {(ent.start, ent.end) for ent in people}
        v = token_view(doc)
        for s, e in self._capital_runs(doc, 0, len(doc)):
            if any(i in person for i in range(s, e)):
                # a name the small model calls a PERSON is a place when only a place is called so
                # ("Tamil Nadu"), or when the context calls it a place ("city of Palmyra", "in Wichita
                # Falls", "(Al Hudaydah)") and the gazetteer knows it well
                inner = [(a, b) for a, b in whole if s <= a and b <= e]
                # "Shah Joy district" tagged PERSON as a whole: the run is the name, the noun after it
                # says what it names
                inner += [(a, e) for a, b in whole if s <= a < e < b and all(
                    v.lower[i] in ADMIN_NOUNS for i in range(e, b))]
                if (not inner or any(i in person and not any(a <= i < b for a, b in inner) for i in range(s, e))
                        or not (self._framed(doc, s, e)
                                or ((s, e) not in whole and self._place_named_person(doc, s, e))
                                or all(self._place_named_person(doc, a, b)
                                       # "Kankara LGA" tagged PERSON: the name before its noun
                                       or (b - a > 1 and v.lower[b - 1] in ADMIN_NOUNS
                                           and self._place_named_person(doc, a, b - 1))
                                       for a, b in inner))):
                    # "Tillsonburg Mayor Stephen Molnar": only the words before the person's name
                    e = min(i for i in range(s, e) if i in person)
                    if e == s:
                        continue
            # "A Gainesville man", "In Sochi": a capitalised function word opening the sentence is no
            # part of the name, so the name after it is the whole run, not a part of a longer one
            start = s + 1 if e - s > 1 and v.sent_start[s] and v.lower[s] in OPENERS else s
            i = s
            while i < e:
                found = self._subspan(doc, i, e, cue_ok=True)
                if not found:
                    break
                fi, fj = found
                span = doc[fi:fj]
                cue = self._cue(doc, fi, fj)
                add(Mention(span.start_char, span.end_char, span.text, "cue" if cue else "gazetteer",
                            cue=cue, fuzzy_ok=cue or fj - fi >= 2, partial=(fi, fj) not in ((s, e), (start, e))))
                i = fj

    def _place_named_person(self, doc, a: int, b: int) -> bool:
        name = doc[a:b].text
        paren = a > 0 and doc[a - 1].text == "(" and b < len(doc) and doc[b].text in (")", ",")
        # "a Gainesville man", "Gainesville residents": a town's people and places, not a person's
        local = b < len(doc) and doc[b].lower_ in LOCAL_NOUNS
        return (self._strong(name, -1) or ((paren or local or self._cue(doc, a, b)) and self._strong(name, 1))
                or self._framed(doc, a, b))

    def _framed(self, doc, a: int, b: int) -> bool:
        """A context only a place fits, for a name the gazetteer knows as a town however small:
        "in Mohammad Agha district", "in Coxilha, Rio Grande do Sul" (a town of that state),
        "Mulanje (Mulanje, Southern)" (the town, then its district named after it)."""
        towns = [h.entry for h in self.gaz.lookup(doc[a:b].text) if h.entry.kind == PLACE]
        if not towns:
            return False
        before = doc[a - 1].lower_ if a > 0 else ""
        after = doc[b].lower_ if b < len(doc) else ""
        if after in ADMIN_NOUNS and before in LOCATIVE:
            return True
        # "near Novoluhanske", "the town of Hasbaya": said of places, not of people
        if before == "near" or (before == "of" and a > 1 and doc[a - 2].lower_ in ("town", "village", "city")):
            return True
        if after == "(" and doc[b + 1:b + 1 + (b - a)].text == doc[a:b].text:
            return True
        k = b + 1 if after in ADMIN_NOUNS else b
        divisions = self._divisions_after(doc, k, within=True)
        return any(t.cc == d.cc and t.admin1 == d.admin1 and (d.kind == ADMIN1 or t.admin2 == d.admin2)
                   for t in towns for d in divisions if d.kind in (ADMIN1, ADMIN2))

    def _divisions_after(self, doc, k: int, within: bool = False) -> list:
        """The divisions or countries named right after token k's comma or bracket: "X, Rio Grande
        do Sul", "X (Takhar)", "X, Ga."; with ``within``, also the last name of a bracket ("X (Gujba
        LGA, Borno)") and a province that is a second-order division ("X, Nueva Ecija")."""
        if k + 1 >= len(doc) or doc[k].text not in (",", "("):
            return []
        starts = [k + 1]
        if within and doc[k].text == "(":
            j = k + 1
            while j < len(doc) and j - k <= 10 and doc[j].text != ")":
                if doc[j].text == ",":
                    starts.append(j + 1)
                j += 1
        kinds = (ADMIN1, COUNTRY, ADMIN2) if within else (ADMIN1, COUNTRY)
        v = token_view(doc)
        out = []
        for start in starts:
            j = start
            while j < len(doc) and j - start < 4 and (v.is_title[j] or v.is_upper[j] or v.lower[j] in CONNECTORS):
                j += 1
            for end in range(j, start, -1):
                if v.lower[end - 1] in CONNECTORS:
                    continue
                name = doc[start:end].text
                abbr = self.gaz.abbreviations.get(name)
                hits = [h.entry for h in self.gaz.lookup(name) if h.entry.kind in kinds]
                if abbr is not None or hits:
                    out += hits or [self.gaz.entry(abbr)]
                    break
        return out

    def _subspan(self, doc, s: int, e: int, cue_ok: bool) -> tuple[int, int] | None:
        """The first, longest sub-run of tokens s..e that the gazetteer knows well enough."""
        v = token_view(doc)
        text = doc_text(doc)
        for i in range(s, e):
            # a particle inside a name, not at its edge ("Dier ez Zor"); a capitalised one may
            # open it ("Al Hudaydah", "El Mina")
            connector = v.lower[i] in CONNECTORS
            for j in range(e, i, -1):
                opens = connector and not (v.is_title[i] and j - i >= 2)
                if v.lower[j - 1] in CONNECTORS or opens or v.text[i] == "-" or v.text[j - 1] == "-":
                    continue
                name = text[v.idx[i]:v.idx[j - 1] + len(v.text[j - 1])]
                if name.lower() in STOP:
                    continue
                cue = cue_ok and self._cue(doc, i, j)
                # a loose spelling is tried for one word or for the whole run, not for every part
                # of a long name (each try scans thousands of gazetteer keys)
                loose = j - i == 1 or (i == s and j == e and j - i <= 3)
                if self._strong(name, 2 if cue else 0) or (cue and self._known(name, loose)):
                    return i, j
                # "Newark police", "a Tillsonburg man": a town's own people and offices, for a town
                # the gazetteer knows as written
                if cue_ok and j < len(doc) and v.lower[j] in LOCAL_OFFICES and self._strong(name, 2):
                    return i, j
                # a transliteration spelled loosely ("Dier ez Zor"): several words, a notable place
                if j - i >= 2 and self._fuzzy_strong(name):
                    return i, j
        return None

    def _fuzzy_strong(self, name: str) -> bool:
        return any(h.similarity >= 0.9 for h in self.gaz.fuzzy(name, cutoff=90, strong=True))

    def _capital_runs(self, doc, start: int, end: int) -> list[tuple[int, int]]:
        v = token_view(doc)
        runs, i = [], start
        while i < end:
            word = v.text[i]
            if (_titled_word(word, v.is_title[i]) or (v.is_upper[i] and len(word) > 1 and v.is_alpha[i])
                    or INITIALS.fullmatch(word)):
                j = i + 1
                while j < end:
                    if _titled_word(v.text[j], v.is_title[j]) or (v.is_upper[j] and len(v.text[j]) > 1):
                        j += 1
                        continue
                    # particles and hyphens inside a name: "Dier ez Zor", "Pul-e Khumri", "Nawa-e Barakzayi"
                    k = j
                    while k < end and k - j < 3 and (v.lower[k] in CONNECTORS or v.text[k] == "-"):
                        k += 1
                    if k > j and k < end and v.is_title[k]:
                        j = k + 1
                    else:
                        break
                # sentence-initial common words ("Police said") are capitalised for grammar only
                if not (j == i + 1 and v.sent_start[i] and not v.propn[i]):
                    runs.append((i, j))
                i = j
            else:
                i += 1
        return runs

    def _cue(self, doc, s: int, e: int) -> bool:
        before = doc[s - 1].lower_ if s > 0 else ""
        after = doc[e].lower_ if e < len(doc) else ""
        after2 = doc[e + 1] if e + 1 < len(doc) else None
        if after in PLACE_NOUNS or before in ("village", "town", "city", "outskirts"):
            return True
        if after in ("refugee", "idp", "displacement") and after2 is not None and after2.lower_ in ("camp", "camps"):
            return True  # "the Tulkarm refugee camp"
        if before == "of" and s > 1 and doc[s - 2].lower_ in ("city", "town", "village", "outskirts", "province",
                                                               "district", "governorate", "suburbs", "area",
                                                               "countryside", "vicinity", "villages", "towns",
                                                               "areas", "parts", "part", "centre", "center",
                                                               "north", "south", "east", "west"):
            return True
        if before in CUE_BEFORE and before not in ("of", "and", "to"):
            return True
        if before == "of" and s > 2 and (doc[s - 2].lower_ in ("resident", "residents", "native", "natives")
                                         or (doc[s - 2].text == "," and doc[s - 3].like_num)):
            return True  # "Thomas Hellinghausen, 22, of Winfield", "a resident of Ravenel": a hometown
        if before == "," and s > 1 and doc[s - 2].lower_ in PLACE_NOUNS:
            return True  # "in Mohammad Agha district, Logar": the province
        if self._qualifier(doc, s, e):
            return True  # "Bambofa (Dori, Seno)": the district and province that hold the place named before
        # "X, Kunar" / "X, Ga." / "X (Takhar)" / "X, Rio Grande do Sul": a known division or state follows
        if after in (",", "(") and after2 is not None and (after2.is_title or after2.is_upper):
            # or a province, as a second-order division, that the gazetteer puts the town in
            return bool(self._divisions_after(doc, e)) or self._framed(doc, s, e)
        return False

    @staticmethod
    def _qualifier(doc, s: int, e: int) -> bool:
        """Tokens s..e are one of at most two comma-separated names in parentheses that follow a
        name or a place noun and close the parentheses: "Kolofata town (Mayo-Sava, Extreme-Nord)"."""
        if s < 2 or doc[s - 1].text not in ("(", ","):
            return False
        if doc[e - 1].idx + len(doc[e - 1]) - doc[s].idx < 2:
            return False  # "(D-Fla.)" is a senator's party and state
        i = s - 1
        names = 1
        while i >= 0 and doc[i].text == "," and i - 1 >= 0:
            # step back over the previous name in the list
            i -= 1
            while i >= 0 and doc[i].text not in ("(", ",", ")") and not doc[i].is_sent_start and s - i < 10:
                i -= 1
            names += 1
        if i < 1 or doc[i].text != "(" or names > 2:
            return False
        head = doc[i - 1]
        if not (head.is_title or head.lower_ in PLACE_NOUNS):
            return False
        j = e
        while j < len(doc) and doc[j].text != ")" and j - e < 10:
            if doc[j].text == ",":
                names += 1
            j += 1
        return j < len(doc) and doc[j].text == ")" and names <= 2

    def _known(self, name: str, loose: bool = True) -> bool:
        hits = self.gaz.lookup(name)
        if hits or name in self.gaz.abbreviations:
            return True
        return loose and len(fold(name)) >= 5 and any(h.similarity >= 0.88 for h in self.gaz.fuzzy(name))

    def _strong(self, name: str, slack: int) -> bool:
        """Known well enough to count as a place without NER's word: a country, a division,
        a region, a facility, or a sizeable town (smaller when the context cues a place)."""
        if fold(name) in STOP or len(fold(name)) < 2 or any(ch.isdigit() for ch in name):
            return False
        if name in self.gaz.abbreviations:  # "Minn.", "L.A.": written only for the place
            return True
        if slack == -2:  # what no one is named after: countries and cities of millions
            return any(h.match == "name" and (h.entry.kind == COUNTRY or h.entry.pop > 1_000_000)
                       for h in self.gaz.lookup(name))
        if slack < 0:  # only what cannot be a person: countries, divisions, cities of millions
            return any(h.match == "name" and (h.entry.kind in (COUNTRY, ADMIN1) or h.entry.pop > 1_000_000)
                       for h in self.gaz.lookup(name))
        min_pop = (100_000, 20_000, 1_000)[slack]
        for h in self.gaz.lookup(name):
            e = h.entry
            if h.match == "alternate" and e.kind == PLACE and slack == 0 and e.pop < 1_000_000:
                continue
            if e.kind in (COUNTRY, CONTINENT, REGION, FACILITY) or (e.kind == ADMIN1 and (h.match == "name" or slack)):
                return True
            if e.kind == ADMIN2 and h.match == "name" and fold(name).endswith(("county", "parish")):
                return True
            if e.kind == PLACE and e.pop >= min_pop:
                return True
        if slack and strip_admin_words(fold(name)) != fold(name):
            return True
        return False
