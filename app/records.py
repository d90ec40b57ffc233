"""Shapes shared by stored records: timestamps and fixed vocabularies.

A vocabulary is a `Choice` (a StrEnum) stored as a short string column and guarded by a
CheckConstraint, which reads the same on SQLite and PostgreSQL and migrates without native enums.
"""

from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def library_today() -> date:
    """Return today's date where the library is, not where the server is."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


def library_day_start(day: date) -> datetime:
    """Return the moment `day` begins where the library is, in UTC as moments are stored."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """Return `moment` as an aware UTC datetime (SQLite hands back naive values)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class Choice(StrEnum):
    """A fixed vocabulary; `label` is what people read, the value is what is stored.

    Members are written `NAME = "value"` or `NAME = "value", "Label people read"`.
    """

    label: str

    def __new__(cls, value: str, label: str | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.replace("_", " ").capitalize()
        return member

    @classmethod
    def pairs(cls) -> list[tuple[str, str]]:
        """Return (value, label) pairs for a select field."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def check(cls, column: str, name: str | None = None) -> sa.CheckConstraint:
        """Return a CheckConstraint that keeps `column` within this vocabulary."""
        allowed = ", ".join(f"'{member.value}'" for member in cls)
        return sa.CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_valid")


def choice_column(choice: type[Choice], *, default: Choice | None = None, **kwargs):
    """Return a String column long enough for every value of `choice`."""
    length = max(len(member.value) for member in choice)
    return mapped_column(sa.String(length), default=default, **kwargs)


class Timestamped:
    """Adds created_at and updated_at, kept by the database session."""

    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
