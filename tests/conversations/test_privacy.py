"""The personal-details detector: phone numbers and email addresses, not dates or counts."""

import pytest

from app.conversations.privacy import EMAIL, PHONE, Finding, find_personal_details


@pytest.mark.parametrize("text, found", [
    ("Call her at 613-555-0199 tomorrow", "613-555-0199"),
    ("(613) 555 0199", "(613) 555 0199"),
    ("(613)555-0199", "(613)555-0199"),
    ("+1 613 555 0199", "+1 613 555 0199"),
    ("1-613-555-0199", "1-613-555-0199"),
    ("6135550199", "6135550199"),
    ("613.555.0199.", "613.555.0199"),
    ("tel:613-555-0199", "613-555-0199"),
    ("her sister in London: +44 20 7946 0958", "+44 20 7946 0958"),
    ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
    ("the office line is 555-0199", "555-0199"),
])
def test_phone_numbers_are_found(text, found):
    assert find_personal_details(text) == [Finding(PHONE, found)]


@pytest.mark.parametrize("text, found", [
    ("write to amina.h+library@example.org.", "amina.h+library@example.org"),
    ("Email: J_Doe@mail.example.co.uk", "J_Doe@mail.example.co.uk"),
])
def test_email_addresses_are_found(text, found):
    assert find_personal_details(text) == [Finding(EMAIL, found)]


@pytest.mark.parametrize("text", [
    "We met on 2026-03-14 with 10 people",
    "20 people on 2026-03-14 13:00",
    "03/14/2026 and 14.03.2026",
    "from 9:30-11:00, then at 14:05",
    "in 2026, since 2019, for 2024-2025",
    "about 25 parents, 300 books, 1,250 visits",
    "between 100-1000 people",
    "ISBN 978-0-14-312755-0",
    "order number 12345678901234567",
    "Mar 14 2026 613 people",
    "version 2.555.0199",
    "the score was 3-2",
    "+1 2 more",
    "room 12, bus 95, postal code K1A 0B1",
    "an @ sign alone, or x@y",
    "",
])
def test_dates_times_years_counts_and_short_numbers_pass(text):
    assert find_personal_details(text) == []


def test_every_detail_is_found_in_the_order_it_appears():
    text = "Write to ana@example.org or call 613-555-0199; her friend's is (613) 555-0123."
    assert [finding.text for finding in find_personal_details(text)] == [
        "ana@example.org", "613-555-0199", "(613) 555-0123"]


def test_a_finding_describes_itself_in_plain_words():
    assert Finding(PHONE, "613-555-0199").describe() == "a phone number: 613-555-0199"
    assert Finding(EMAIL, "a@b.org").describe() == "an email address: a@b.org"
