"""Filters and globals that templates use to show stored values to people."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from app.documents.fonts import print_font_gap
from app.forms import SubmitForm
from app.languages import language_name
from app.records import as_utc, library_today


def local_time(moment: datetime | None) -> datetime | None:
    """Return `moment` in the library's time zone."""
    if moment is None:
        return None
    return as_utc(moment).astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def format_date(value: date | datetime | None) -> str:
    """Return a date as people read it: 'Tue 3 Mar 2026'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value)
    return f"{value:%a} {value.day} {value:%b %Y}"


def format_datetime(value: datetime | None) -> str:
    """Return a moment as '3 Mar 2026, 14:05' in the library's time zone."""
    if value is None:
        return ""
    value = local_time(value)
    return f"{value.day} {value:%b %Y, %H:%M}"


def language_names(codes: list[str] | None) -> str:
    """Return 'Arabic, French' for ['ar', 'fr']."""
    return ", ".join(language_name(code) for code in codes or [])


#: Which item of the main menu a page belongs to, by endpoint prefix; the longest match wins.
NAV_SECTIONS = {
    "conversations.": "conversations", "conversations.my_follow_ups": "follow_ups",
    "surveys.": "forms", "community.": "community", "accounts.": "admin",
    "themes.": "themes", "themes.heard": "heard", "themes.priorit": "priorities",
    "themes.new_priority": "priorities", "themes.edit_priority": "priorities",
    "themes.endorse_priority": "priorities", "themes.return_priority": "priorities",
    "themes.dot_vote": "priorities", "themes.enter_votes": "priorities",
    "themes.decide_from_votes": "priorities", "meetings.": "meetings",
    "plans.": "plans", "plans.group": "groups", "plans.new_group": "groups",
    "plans.edit_group": "groups", "plans.new_membership": "groups",
    "plans.edit_membership": "groups", "plans.end_membership": "groups",
    "plans.invite": "groups", "privacy.": "admin", "evaluation.": "plans",
}


def nav_section(endpoint: str | None) -> str:
    """Return the menu item to mark as current for `endpoint` ('' for none)."""
    matches = [prefix for prefix in NAV_SECTIONS if (endpoint or "").startswith(prefix)]
    return NAV_SECTIONS[max(matches, key=len)] if matches else ""


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(date=format_date, datetime=format_datetime,
                                 languages=language_names)
    app.jinja_env.globals.update(library_today=library_today, nav_section=nav_section,
                                 print_font_gap=print_font_gap)

    @app.context_processor
    def shared_context() -> dict:
        return {"library_name": current_app.config["LIBRARY_NAME"], "button_form": SubmitForm}
