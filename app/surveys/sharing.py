"""The ways a form reaches people: its public links per language, and kiosk links for branch
devices."""

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from flask import url_for
from markupsafe import Markup

from app.accounts.models import Branch, User
from app.documents.qr import qr_svg
from app.extensions import db
from app.languages import language_name
from app.surveys.models import KioskLink, Survey, is_right_to_left


class UnknownBranch(Exception):
    """The branch does not exist or is no longer open."""


@dataclass(frozen=True)
class LanguageLink:
    """The public link of a form in one of its languages, with its QR code."""

    language: str
    name: str
    own_name: str
    url: str
    short_link: str
    qr_svg: Markup
    is_right_to_left: bool


def public_link(survey: Survey, language: str | None = None) -> str:
    """Return the absolute public link of a form, opening in `language` when given."""
    if language:
        return url_for("surveys.fill", token=survey.token, lang=language, _external=True)
    return url_for("surveys.fill", token=survey.token, _external=True)


def kiosk_url(link: KioskLink) -> str:
    """Return the absolute link a branch device opens to run a form as a kiosk."""
    return url_for("surveys.kiosk", token=link.token, _external=True)


def short_link(survey: Survey, language: str | None = None) -> str:
    """Return the link as people type it from paper: /s/<short code>, without https://.

    The default language needs no suffix; another language adds itself (/s/CODE/ar).
    """
    language = None if language == survey.default_language else language
    url = url_for("surveys.short_link", code=survey.short_code, language=language, _external=True)
    return url.split("://", 1)[-1]


def own_language_name(code: str) -> str:
    """Return a language's name in that language ('Español', 'العربية'), else in English."""
    try:
        name = Locale.parse(code, sep="-").get_language_name(code)
    except (ValueError, UnknownLocaleError):
        name = None
    return (name[:1].upper() + name[1:]) if name else language_name(code)


def language_links(survey: Survey) -> list[LanguageLink]:
    """Return the public link of the form in each of its languages, default first."""
    links = []
    for code in survey.languages or [survey.default_language]:
        url = public_link(survey, code)
        links.append(LanguageLink(
            language=code, name=language_name(code), own_name=own_language_name(code), url=url,
            short_link=short_link(survey, code), is_right_to_left=is_right_to_left(code),
            qr_svg=qr_svg(url, title=f"QR code: the form in {language_name(code)}")))
    return links


def add_kiosk_link(survey: Survey, *, branch_id: int, label: str,
                   created_by: User) -> KioskLink:
    """Add a kiosk link that runs `survey` on a device at a branch. The caller commits."""
    branch = db.session.get(Branch, branch_id)
    if branch is None or not branch.is_active:
        raise UnknownBranch(branch_id)
    link = KioskLink(survey=survey, branch=branch, label=label.strip(), created_by=created_by)
    db.session.add(link)
    db.session.flush()
    return link

