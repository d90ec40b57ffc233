"""Answer fields and checks that WTForms lacks: a ranking, a number typed as people write it,
and a date within reason. Messages are lazy, in the respondent's language."""

import math
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from app.records import library_today

EARLIEST_YEAR, YEARS_AHEAD = 1900, 10
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")

NOT_A_NUMBER = _l("Please write a number, like 3 or 2.5.")
NUMBER_BETWEEN = _l("Please write a number from %(min)s to %(max)s.")
NUMBER_AT_LEAST = _l("Please write a number of %(min)s or more.")
NUMBER_AT_MOST = _l("Please write a number of %(max)s or less.")
DATE_BETWEEN = _l("Please give a date between the years %(first)s and %(last)s.")
RANK_NUMBERS = _l("Please use only the numbers 1 to %(count)s.")
RANK_ONCE = _l("Please give each number only once.")


class RankingField(Field):
    """A number per option, 1 for the most important; each number once, blanks allowed."""

    def __init__(self, label=None, validators=None, options=(), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.options = list(options)

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.data = {option_id: "" for option_id, _ in self.options}
        if formdata is not None:
            for option_id in self.data:
                self.data[option_id] = formdata.get(self.part_name(option_id), "").strip()
        self.raw_data = [value for value in self.data.values() if value]

    def part_name(self, option_id: int) -> str:
        """Return the name of the select that ranks one option."""
        return f"{self.name}-{option_id}"

    def pre_validate(self, form) -> None:
        count = len(self.options)
        if not all(value.isdecimal() and 1 <= int(value) <= count for value in self.raw_data):
            raise ValidationError(RANK_NUMBERS % {"count": count})
        if len({int(value) for value in self.raw_data}) != len(self.raw_data):
            raise ValidationError(RANK_ONCE)

    def ranks(self) -> dict[int, int]:
        """Return option id -> rank for the options given a number."""
        return {option_id: int(value) for option_id, value in self.data.items() if value}


class NumberInRange:
    """Check that a typed number reads as a number within the question's limits."""

    def __init__(self, low: float | None, high: float | None):
        self.low, self.high = low, high

    def __call__(self, form, field) -> None:
        try:
            value = parse_number(field.data)
        except ValueError:
            raise ValidationError(NOT_A_NUMBER) from None
        if (self.low is not None and value < self.low) or (
                self.high is not None and value > self.high):
            limits = {"min": _plain_number(self.low), "max": _plain_number(self.high)}
            message = NUMBER_BETWEEN if None not in (self.low, self.high) else (
                NUMBER_AT_LEAST if self.high is None else NUMBER_AT_MOST)
            raise ValidationError(message % limits)


def date_limits() -> tuple[date, date]:
    """Return the earliest and latest date a date question accepts."""
    today = library_today()
    return date(EARLIEST_YEAR, 1, 1), date(today.year + YEARS_AHEAD, 12, 31)


def date_in_range(form, field) -> None:
    """Refuse dates that cannot be meant, such as the year 202 or 3026."""
    first, last = date_limits()
    if field.data is not None and not first <= field.data <= last:
        raise ValidationError(DATE_BETWEEN % {"first": first.year, "last": last.year})


def parse_number(text: str | None) -> float:
    """Return the number in `text`: '3', '2.5', '2,5' and Arabic-Indic digits all read."""
    text = re.sub(r"\s", "", text or "").replace("\u066b", ".")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not NUMBER.match(text):
        raise ValueError(text)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _plain_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def date_bounds() -> dict[str, str]:
    """Return the min and max attributes of a date input."""
    first, last = date_limits()
    return {"min": first.isoformat(), "max": last.isoformat()}
