"""Spot personal contact details typed into free text, so staff can move them somewhere safer.

Notes and quotes can end up in reports and printouts; phone numbers and email addresses belong in
a contact person's record, with their consent. The detector errs towards numbers shaped like real
phone numbers, so dates, times, years and headcounts pass without a warning.
"""

import re
from dataclasses import dataclass

PHONE = "phone number"
EMAIL = "email address"

_SEP = r"[ .\-]?"
# Digits may not touch letters, digits, "+", "-", "/" or "." followed by a digit: that keeps
# ISBNs, dates and longer codes out.
_BEFORE = r"(?<![\w+\-/])(?<!\d\.)"
_AFTER = r"(?![\w\-/])(?!\.\d)"

_PATTERNS = [
    # North American: 613-555-0199, (613) 555 0199, +1 613 555 0199, 1-613-555-0199, 6135550199
    (PHONE, re.compile(
        _BEFORE + r"(?:\+?1" + _SEP + r")?(?:\([2-9][0-9]{2}\)[ ]?|[2-9][0-9]{2}" + _SEP + r")"
        r"[2-9][0-9]{2}" + _SEP + r"[0-9]{4}" + _AFTER)),
    # International, with the country code: +44 20 7946 0958, +33 1 23 45 67 89
    (PHONE, re.compile(
        _BEFORE + r"\+[1-9][0-9]{0,2}(?:[ .\-]?\(?[0-9]{1,5}\)?){2,6}" + _AFTER)),
    # A local number without the area code, written with a separator: 555-0199
    (PHONE, re.compile(_BEFORE + r"[2-9][0-9]{2}[.\-][0-9]{4}" + _AFTER)),
    (EMAIL, re.compile(
        r"(?<![\w.+\-])[\w.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![\w\-])")),
]
_MIN_INTERNATIONAL_DIGITS = 8
_MAX_PHONE_DIGITS = 15


@dataclass(frozen=True)
class Finding:
    """Something in a text that looks like a personal contact detail."""

    kind: str
    text: str

    @property
    def kind_phrase(self) -> str:
        """What was found, with its article: 'a phone number', 'an email address'."""
        return f"{'an' if self.kind == EMAIL else 'a'} {self.kind}"

    def describe(self) -> str:
        """Return 'a phone number: 613-555-0199'."""
        return f"{self.kind_phrase}: {self.text}"


def find_personal_details(text: str | None) -> list[Finding]:
    """Return the phone numbers and email addresses in `text`, in the order they appear."""
    if not text:
        return []
    taken: list[tuple[int, int, Finding]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end, _ in taken):
                continue
            if kind == PHONE and not _has_phone_length(match.group()):
                continue
            taken.append((start, end, Finding(kind, match.group())))
    return [finding for _, _, finding in sorted(taken, key=lambda item: item[0])]


def _has_phone_length(candidate: str) -> bool:
    digits = sum(character.isdigit() for character in candidate)
    if candidate.startswith("+"):
        return _MIN_INTERNATIONAL_DIGITS <= digits <= _MAX_PHONE_DIGITS
    return digits <= _MAX_PHONE_DIGITS
