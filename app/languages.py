"""Languages the community speaks, stored as codes and shown by name."""

from babel import Locale, UnknownLocaleError
from flask import current_app

#: Names that libraries use where Babel's differ or are missing.
COMMON_NAMES = {"prs": "Dari", "fa-AF": "Dari", "tl": "Tagalog"}


def language_name(code: str) -> str:
    """Return the English name of a language code, or the code when Babel does not know it."""
    if code in COMMON_NAMES:
        return COMMON_NAMES[code]
    try:
        return Locale.parse(code, sep="-").get_language_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def language_choices() -> list[tuple[str, str]]:
    """Return (code, name) pairs for the languages this library works in."""
    codes = [code.strip() for code in current_app.config["COMMUNITY_LANGUAGES"] if code.strip()]
    return [(code, language_name(code)) for code in codes]
