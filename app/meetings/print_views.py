"""Printed documents of a meeting: the agenda, the minutes and the sign-in sheet."""

from flask import request
from flask_babel import force_locale, gettext
from flask_login import current_user

from app.accounts.access import Access, allow
from app.documents.audience import Audience, print_request
from app.documents.pdf import pdf_filename, pdf_response, render_pdf
from app.errors import render_error
from app.meetings import bp
from app.meetings.printing import VERSIONS, agenda, minutes, printed_language, sign_in_sheet
from app.meetings.views import get_meeting_or_404

STAFF_ONLY_AUDIENCE = ("Internal minutes are for library staff. Print the minutes for partners "
                       "or for the public instead.")
BAD_VERSION = ("That sign-in sheet does not exist. Use version=names for a sheet where people "
               "may write their name, or version=headcount for tally boxes only.")


@bp.route("/<int:meeting_id>/agenda.pdf")
@allow(Access.MEMBER)
def agenda_pdf(meeting_id: int):
    """Print the agenda in the meeting's language, with the feedback form's QR code."""
    meeting = get_meeting_or_404(meeting_id)
    language = printed_language(meeting)
    with force_locale(language):
        pdf = render_pdf("pdf/meetings/agenda.html", audience=Audience.PUBLIC,
                         title=meeting.title, lang=language,
                         large_print=request.args.get("large") == "1",
                         agenda=agenda(meeting, language))
    return pdf_response(pdf, pdf_filename("agenda", meeting.title))


@bp.route("/<int:meeting_id>/minutes.pdf")
@allow(Access.MEMBER)
def minutes_pdf(meeting_id: int):
    """Print the minutes; public minutes show decisions and action items only."""
    meeting = get_meeting_or_404(meeting_id)
    options = print_request(request.args, default=Audience.PARTNERS, viewer=current_user,
                            staff_only=STAFF_ONLY_AUDIENCE)
    pdf = render_pdf("pdf/meetings/minutes.html", audience=options.audience,
                     title=f"Minutes: {meeting.title}", large_print=options.large_print,
                     minutes=minutes(meeting, audience=options.audience))
    return pdf_response(pdf, pdf_filename("minutes", meeting.title))


@bp.route("/<int:meeting_id>/sign-in.pdf")
@allow(Access.STAFF)
def sign_in_pdf(meeting_id: int):
    """Print a sign-in sheet: optional names (version=names) or tally boxes (version=headcount)."""
    meeting = get_meeting_or_404(meeting_id)
    version = request.args.get("version", "names")
    if version not in VERSIONS:
        return render_error(400, BAD_VERSION)
    language = printed_language(meeting)
    large_print = request.args.get("large") == "1"
    with force_locale(language):
        sheet = sign_in_sheet(meeting, version=version, language=language,
                              large_print=large_print)
        title = (gettext("Sign-in sheet: %(title)s", title=meeting.title) if sheet.asks_for_names
                 else gettext("Headcount: %(title)s", title=meeting.title))
        pdf = render_pdf("pdf/meetings/sign_in.html", audience=Audience.PUBLIC, title=title,
                         lang=language, large_print=large_print, sheet=sheet)
    return pdf_response(pdf, pdf_filename("sign in", version, meeting.title))
