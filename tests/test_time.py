"""tadmor.time: absolute and relative dates, ranges, precision, historical, year assumption.

All texts here are written for the tests; none comes from the measuring data.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tadmor.time import DateMention, event_date, find_dates, parse_date

PUB = dt.date(2016, 12, 11)  # a Sunday


def one(text: str, published: dt.date | None = PUB) -> DateMention:
    ms = find_dates(text, published)
    assert len(ms) == 1, ms
    m = ms[0]
    assert text[m.start:m.end] == m.text
    return m


# ------------------------------------------------------------------ parse_date

@pytest.mark.parametrize("s,want", [
    ("Sunday, December 11, 2016", dt.date(2016, 12, 11)),
    ("12 December 2016", dt.date(2016, 12, 12)),
    ("Dec. 3, 2016", dt.date(2016, 12, 3)),
    ("Dec 3 2016", dt.date(2016, 12, 3)),
    ("December 3rd, 2016", dt.date(2016, 12, 3)),
    ("the 3rd of May 2020", dt.date(2020, 5, 3)),
    ("29 April, 2020", dt.date(2020, 4, 29)),
    ("1st May 2020", dt.date(2020, 5, 1)),
    ("28 Apr 2020", dt.date(2020, 4, 28)),
    ("2016-12-11", dt.date(2016, 12, 11)),
    ("2016/12/11", dt.date(2016, 12, 11)),
    ("3/12/2016", dt.date(2016, 12, 3)),      # day-first by default
    ("13/12/2016", dt.date(2016, 12, 13)),
    ("12/13/2016", dt.date(2016, 12, 13)),    # the part over 12 decides
    ("03.12.2016", dt.date(2016, 12, 3)),
])
def test_parse_date_forms(s, want):
    assert parse_date(s) == want


def test_parse_date_month_first_and_rejects():
    assert parse_date("3/12/2016", dayfirst=False) == dt.date(2016, 3, 12)
    assert parse_date("3 May") is None           # no year: not one absolute date
    assert parse_date("next to the river") is None
    assert parse_date("31 April 2020") is None


def test_parse_date_fallback_is_deterministic():
    # An unusual form goes to dateparser, with a fixed relative base and no clock.
    assert parse_date("11th day of December 2016") == dt.date(2016, 12, 11)


# ------------------------------------------------------------------ absolute in text

@pytest.mark.parametrize("text,want", [
    ("On 2 March 2020, gunmen attacked a post.", dt.date(2020, 3, 2)),
    ("Gunmen attacked a post on March 2, 2020.", dt.date(2020, 3, 2)),
    ("On 29 April, 2020, protesters gathered.", dt.date(2020, 4, 29)),
    ("On Sunday, December 11, 2016 the city fell.", dt.date(2016, 12, 11)),
])
def test_absolute_in_text(text, want):
    m = one(text, None)
    assert (m.date, m.precision, m.kind) == (want, 1, "absolute")


def test_offsets_index_the_text():
    text = "Intro.\n\nOn 2 March 2020, X happened."
    m = one(text, None)
    assert m.text == "2 March 2020" and text[m.start:m.end] == m.text


# ------------------------------------------------------------------ year assumption

def test_year_from_publication():
    m = one("Clashes on 2 December killed 4.")
    assert m.date == dt.date(2016, 12, 2) and "assumed" in m.reason and "publication" in m.reason


def test_year_from_publication_prefers_the_past():
    # A December date in a January paper is last year's.
    m = one("Clashes on 28 December killed 4.", dt.date(2017, 1, 3))
    assert m.date == dt.date(2016, 12, 28)


def test_year_from_other_dates_in_the_document():
    ms = find_dates("On 1 May 2020 X happened. On 3 May Y happened.", None)
    assert ms[1].date == dt.date(2020, 5, 3)
    assert "another date in the document" in ms[1].reason


def test_year_from_a_named_year():
    m = find_dates("Fighting in 2019 was heavy; on 3 May a town fell.", None)[-1]
    assert m.date == dt.date(2019, 5, 3) and "year named" in m.reason


def test_no_year_anywhere_gives_no_mention():
    assert find_dates("Around 1 May, workers protested.", None) == []


# ------------------------------------------------------------------ relative

@pytest.mark.parametrize("text,want,precision", [
    ("It fell yesterday.", dt.date(2016, 12, 10), 1),
    ("It fell on Tuesday.", dt.date(2016, 12, 6), 1),
    ("It fell on Sunday night.", dt.date(2016, 12, 11), 1),   # publication day is a Sunday
    ("It fell last Sunday.", dt.date(2016, 12, 4), 1),
    ("It fell this morning.", dt.date(2016, 12, 11), 1),
    ("It fell last night.", dt.date(2016, 12, 10), 1),
    ("It fell three days ago.", dt.date(2016, 12, 8), 1),
    ("It was shelled in the past 24 hours.", dt.date(2016, 12, 11), 1),
    ("It fell last week.", dt.date(2016, 12, 4), 2),
    ("It fell over the weekend.", dt.date(2016, 12, 11), 2),
    ("It fell earlier this month.", dt.date(2016, 12, 11), 3),
    ("It fell last month.", dt.date(2016, 11, 30), 3),
    ("It was liberated last March.", dt.date(2016, 3, 31), 3),
    ("It fell last year.", dt.date(2015, 12, 31), 3),
])
def test_relative(text, want, precision):
    m = one(text)
    assert (m.date, m.precision) == (want, precision), m.reason
    assert "reference day 2016-12-11" in m.reason


def test_relative_needs_a_reference():
    assert find_dates("It fell yesterday.", None) == []


def test_a_placeholder_year_is_no_date():
    # "9999-12-31" reads as a date, but reading "Tuesday" against it would step off the calendar.
    assert parse_date("9999-12-31") is None
    assert parse_date("31 December 9999") is None
    assert parse_date("0001-01-01") is None
    assert find_dates("9999-12-31\n\nThe town fell on Tuesday.", None) == []


def test_a_placeholder_publication_date_is_an_error_not_a_crash(pipeline):
    from tadmor.ingest.readers import from_content

    text = "Islamic State fighters attacked an army post near Menaka on Tuesday, killing 12 soldiers."
    for published in ("9999-12-31", "0001-01-01"):
        doc = next(iter(pipeline.run([from_content("d", text, published=published)])))
        assert [e.code for e in doc.errors] == ["bad_date"] and doc.published is None
        assert doc.events and doc.events[0].date is None
    doc = next(iter(pipeline.run([from_content("d", "9999-12-31\n\n" + text)])))
    assert not doc.errors and doc.events


def test_dateline_is_the_reference_without_publication():
    text = "Sunday, December 11, 2016\n\nThe town fell yesterday."
    ms = find_dates(text, None)
    assert ms[0].kind == "dateline"
    assert ms[1].date == dt.date(2016, 12, 10) and "dateline" in ms[1].reason


def test_holiday_names_are_not_weekdays():
    assert find_dates("Pilgrims marked Good Friday in the city.", PUB) == []


def test_anaphora_counts_from_the_previous_date():
    ms = find_dates("On 2 May 2020 the town was shelled. The following day it fell.", None)
    assert ms[1].date == dt.date(2020, 5, 3) and ms[1].kind == "relative"


# ------------------------------------------------------------------ ranges, periods, approximations

def test_between_range_takes_the_last_day():
    m = one("Between 24 April and 8 May 2020, police arrested 50 people.", None)
    assert (m.date, m.kind, m.precision) == (dt.date(2020, 5, 8), "range", 3)


@pytest.mark.parametrize("text,want,precision", [
    ("Clashes on 3-4 May 2020.", dt.date(2020, 5, 4), 2),
    ("Clashes from 30 April to 2 May 2020.", dt.date(2020, 5, 2), 2),
    ("Clashes on May 3-5, 2020.", dt.date(2020, 5, 5), 2),
])
def test_short_ranges(text, want, precision):
    m = one(text, None)
    assert (m.date, m.precision, m.kind) == (want, precision, "range")


def test_range_is_cut_at_publication():
    m = one("Between 1 and 20 December 2016 the siege went on.")
    assert m.date == PUB


def test_around_with_parenthesised_range_keeps_the_stated_day():
    m = one("Around 27 April 2020 (from 27 - 28 April), forces raided a camp.", None)
    assert (m.date, m.precision, m.kind) == (dt.date(2020, 4, 27), 2, "approximate")
    assert m.text.endswith("28 April)")


def test_parenthesised_long_range_is_month_precision():
    m = one("Around 8 May 2020 (from 24 April-8 May), police arrested 50.", None)
    assert (m.date, m.precision) == (dt.date(2020, 5, 8), 3)


@pytest.mark.parametrize("text,precision,kind", [
    ("As reported on 4 March 2020, militants surrendered.", 2, "reported"),
    ("Reported on 4 March 2020, militants surrendered.", 2, "reported"),
    ("Around 4 March 2020 (as reported), militants surrendered.", 2, "reported"),
    ("On 4 March 2020 (or around), militants surrendered.", 2, "approximate"),
    ("Around 4 March 2020 (week of), militants surrendered.", 2, "approximate"),
    ("Around 4 March 2020 (beginning of month), militants surrendered.", 3, "approximate"),
    ("A group reported that on 4 March 2020 militants surrendered.", 1, "absolute"),
])
def test_qualifiers_set_precision(text, precision, kind):
    m = one(text, None)
    assert m.date == dt.date(2020, 3, 4)
    assert (m.precision, m.kind) == (precision, kind), m.reason


@pytest.mark.parametrize("text,want", [
    ("Fighting resumed in early May 2020.", dt.date(2020, 5, 10)),
    ("Fighting resumed in mid-May 2020.", dt.date(2020, 5, 20)),
    ("Fighting resumed at the end of May 2020.", dt.date(2020, 5, 31)),
    ("Fighting resumed in May 2020.", dt.date(2020, 5, 31)),
    ("Fighting resumed in 2019.", dt.date(2019, 12, 31)),
])
def test_periods(text, want):
    m = one(text, None)
    assert (m.date, m.precision, m.kind) == (want, 3, "period")


def test_week_of():
    m = one("Protests in the week of 28 November 2016.")
    assert (m.date, m.precision) == (dt.date(2016, 12, 4), 2)


def test_future_period_keeps_its_date():
    m = one("Raqqa may fall by June 2017.")
    assert m.date == dt.date(2017, 6, 30)


def test_numeric_order_follows_the_document():
    ms = find_dates("Filed 25/11/2016. Clashes on 3/12/2016.", None)
    assert ms[1].date == dt.date(2016, 12, 3)
    ms = find_dates("Filed 11/25/2016. Clashes on 3/12/2016.", None)
    assert ms[1].date == dt.date(2016, 3, 12)


def test_counts_are_not_years():
    assert find_dates("A force of 2000 fighters massed near the town.", None) == []


# ------------------------------------------------------------------ event_date

def test_event_date_prefers_the_evidence():
    text = "On 2 May 2020, X attacked Y. On 4 May 2020, Z attacked W."
    ms = find_dates(text, None)
    i = text.index("On 4 May")
    e = event_date(ms, i, len(text), None)
    assert (e.date, e.precision, e.historical) == ("2020-05-04", 1, False)


def test_event_date_inherits_within_the_paragraph_only():
    text = "On 2 May 2020, X attacked Y. Later, Z attacked W.\n\nA new paragraph says W fled."
    ms = find_dates(text, None)
    i = text.index("Later")
    assert event_date(ms, i, i + 20, None).date == "2020-05-02"
    j = text.index("A new")
    assert event_date(ms, j, len(text), None).date is None


def test_event_date_does_not_inherit_a_background_period():
    text = "The city was liberated last March. Russia launched 64 strikes."
    ms = find_dates(text, PUB)
    i = text.index("Russia")
    e = event_date(ms, i, len(text), PUB)
    assert (e.date, e.precision, e.historical) == ("2016-12-11", 2, False)


def test_event_date_historical():
    text = "Palmyra was liberated last March."
    ms = find_dates(text, PUB)
    e = event_date(ms, 0, len(text), PUB)
    assert e.date.startswith("2016-03") and e.precision == 3 and e.historical
    assert "historical" in e.reason


def test_event_date_falls_back_to_the_dateline():
    text = "Sunday, December 11, 2016\n\nISIS has retaken the city."
    ms = find_dates(text, None)
    i = text.index("ISIS")
    e = event_date(ms, i, len(text), None)
    assert (e.date, e.precision) == ("2016-12-11", 2) and "dateline" in e.reason


def test_event_date_ignores_future_dates():
    text = "Forces will push on to Raqqa by June 2017."
    e = event_date(find_dates(text, PUB), 0, len(text), PUB)
    assert (e.date, e.precision) == ("2016-12-11", 2)


def test_event_date_body_found_is_week_precision():
    text = "On 2 May 2020, a man was found dead near the road."
    e = event_date(find_dates(text, None), 0, len(text), None, text=text)
    assert (e.date, e.precision) == ("2020-05-02", 2)


def test_event_date_without_anything():
    e = event_date([], 0, 10, None)
    assert e.date is None and e.mention is None


def test_deterministic_and_no_clock():
    text = "It fell on Tuesday, a week after clashes on 28 November."
    assert find_dates(text, PUB) == find_dates(text, PUB)


def test_year_from_another_date_is_nearest_that_date():
    ms = find_dates("On 3 May 2020 protesters removed tents set up on 17 October.", None)
    assert ms[1].date == dt.date(2019, 10, 17)
    ms = find_dates("On 28 December 2019 X happened; on 2 January Y happened.", None)
    assert ms[1].date == dt.date(2020, 1, 2)
