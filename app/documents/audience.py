"""Who a printed document is for, and what each audience may be shown."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext

from app.errors import Refused
from app.records import Choice

#: Counts below this are hidden from documents that leave the library.
SMALL_CELL = 5


class Audience(Choice):
    PUBLIC = "public", "For the public"
    PARTNERS = "partners", "For partners"
    INTERNAL = "internal", "Internal: not for sharing outside the library"

    @property
    def is_internal(self) -> bool:
        return self is Audience.INTERNAL

    @property
    def printed_label(self) -> str:
        """The label in the language of the document being printed (its running footer)."""
        return str(PRINTED_LABELS[self])


#: The labels as printed documents show them, translated (paper forms and handouts leave the
#: library in Arabic or Spanish too).
PRINTED_LABELS = {Audience.PUBLIC: lazy_gettext("For the public"),
                  Audience.PARTNERS: lazy_gettext("For partners"),
                  Audience.INTERNAL: lazy_gettext("Internal: not for sharing outside the library")}


class UnknownAudience(ValueError):
    """The audience asked for is not one of public, partners or internal."""


@dataclass(frozen=True)
class PrintOptions:
    """What the person asked for when they opened a document."""

    audience: Audience
    large_print: bool


BAD_AUDIENCE = ("That audience is not one we print for. Use audience=public, audience=partners "
                "or audience=internal, or leave it out.")
STAFF_ONLY = ("The internal version is for library staff. Print it for partners or for the "
              "public instead.")


def print_request(args: Mapping[str, str], *, default: Audience, viewer,
                  unknown: str = BAD_AUDIENCE, staff_only: str = STAFF_ONLY,
                  public_refused: str | None = None) -> PrintOptions:
    """Read what a document was asked for, or refuse in words: 400 for an audience we do not
    print for (`public_refused` names why a document has no public version), 403 for the
    internal version to anyone but staff."""
    try:
        options = print_options(args, default=default)
    except UnknownAudience:
        raise Refused(400, unknown) from None
    if public_refused and options.audience is Audience.PUBLIC:
        raise Refused(400, public_refused)
    if options.audience.is_internal and not viewer.is_staff:
        raise Refused(403, staff_only)
    return options


def print_options(args: Mapping[str, str], *, default: Audience) -> PrintOptions:
    """Read `audience` and `large` from query arguments; raise UnknownAudience on a bad value."""
    value = args.get("audience") or default.value
    try:
        audience = Audience(value)
    except ValueError:
        raise UnknownAudience(value) from None
    return PrintOptions(audience=audience, large_print=args.get("large") == "1")


def suppress_small(count: int, audience: Audience) -> str:
    """Return `count` as text, or "fewer than 5" when a small count leaves the library."""
    if audience.is_internal or count >= SMALL_CELL:
        return str(count)
    return f"fewer than {SMALL_CELL}"
