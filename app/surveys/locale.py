"""Which language the interface words of a page come out in.

Public form pages speak the respondent's chosen language when a catalogue exists for it
(translations/<code>/LC_MESSAGES/messages.po); everything else, staff pages included, is English.
"""

from flask import Flask, g, has_app_context
from flask_babel import get_locale, refresh

#: Languages with a catalogue of the public pages' interface words.
INTERFACE_LANGUAGES = frozenset({"en", "es", "fr", "ar"})
FALLBACK = "en"


def interface_language(language: str | None) -> str:
    """Return the catalogue that serves `language` ('es-MX' -> 'es'), else English."""
    base = (language or "").replace("_", "-").split("-")[0].lower()
    return base if base in INTERFACE_LANGUAGES else FALLBACK


def current_interface_language() -> str:
    """Return the language interface words are coming out in now (English outside an app)."""
    locale = get_locale() if has_app_context() else None
    return str(locale) if locale else FALLBACK


def use_interface_language(language: str) -> None:
    """Show this request's interface words in `language`, when a catalogue exists."""
    g.interface_language = interface_language(language)
    refresh()


def select_locale() -> str:
    """Return the locale of the current request for Flask-Babel."""
    return g.get("interface_language", FALLBACK)


def register_locale_selector(app: Flask) -> None:
    """Let public form pages choose the language of their interface words."""
    app.extensions["babel"].locale_selector = select_locale
