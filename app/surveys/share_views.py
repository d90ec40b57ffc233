"""Routes of the forms area that take a form out to people: the share page with its links and
QR codes, kiosk links for branch devices, the paper form and the poster."""

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user

from app.accounts.access import Access, allow
from app.accounts.services import branch_choices
from app.documents.audience import Audience
from app.documents.pdf import paper_size, pdf_filename, pdf_response, render_pdf
from app.errors import render_error
from app.extensions import db
from app.languages import language_name
from app.surveys import bp
from app.surveys.models import KioskLink, Survey
from app.surveys.printing import direction_of, paper_form, poster
from app.surveys.share_forms import KioskLinkForm
from app.surveys.sharing import UnknownBranch, add_kiosk_link, kiosk_url, language_links


def _kiosk_form() -> KioskLinkForm:
    form = KioskLinkForm()
    form.branch_id.choices = branch_choices(include_blank=None)
    return form


def _share_page(survey: Survey, form: KioskLinkForm, status: int = 200):
    links = sorted(survey.kiosk_links, key=lambda link: (not link.is_active, -link.id))
    return render_template(
        "surveys/share/share.html", survey=survey, form=form, links=language_links(survey),
        kiosk_links=[(link, kiosk_url(link)) for link in links],
        paper_size_name=paper_size().capitalize()), status


@bp.route("/forms/<int:survey_id>/share")
@allow(Access.STAFF)
def share(survey_id: int):
    """Show a form's public links and QR codes, its printouts and its kiosk links."""
    return _share_page(db.get_or_404(Survey, survey_id), _kiosk_form())


@bp.route("/forms/<int:survey_id>/kiosk-links", methods=["POST"])
@allow(Access.STAFF)
def create_kiosk_link(survey_id: int):
    """Add a kiosk link for a branch device."""
    survey = db.get_or_404(Survey, survey_id)
    form = _kiosk_form()
    if form.validate_on_submit():
        try:
            link = add_kiosk_link(survey, branch_id=form.branch_id.data,
                                  label=form.label.data or "", created_by=current_user)
        except UnknownBranch:
            form.branch_id.errors.append("That branch is closed or gone. Choose another one.")
        else:
            db.session.commit()
            flash(f"Made a kiosk link for {link.branch.name}. Open it on the device.", "success")
            return redirect(url_for(".share", survey_id=survey.id, _anchor="kiosk-links"))
    return _share_page(survey, form, 400)


@bp.route("/forms/<int:survey_id>/kiosk-links/<int:link_id>/revoke", methods=["POST"])
@allow(Access.STAFF)
def revoke_kiosk_link(survey_id: int, link_id: int):
    """Stop a kiosk link from showing the form; the device gets a page saying so."""
    link = db.get_or_404(KioskLink, link_id)
    if link.survey_id != survey_id:
        abort(404)
    link.revoke()
    db.session.commit()
    flash(f"Revoked the kiosk link for {link.branch.name}.", "success")
    return redirect(url_for(".share", survey_id=survey_id, _anchor="kiosk-links"))


@bp.route("/forms/<int:survey_id>/paper.pdf")
@allow(Access.STAFF)
def paper_pdf(survey_id: int):
    """Print the form on paper in one of its languages, in large print when asked."""
    survey = db.get_or_404(Survey, survey_id)
    language = request.args.get("lang") or survey.default_language
    if not survey.offers(language):
        return _not_offered(survey, language)
    with force_locale(language):
        paper = paper_form(survey, language)
        pdf = _render("pdf/surveys/paper_form.html", paper.title, language,
                      large_print=request.args.get("large") == "1", paper=paper)
    return pdf_response(pdf, pdf_filename("form", survey.title, language))


@bp.route("/forms/<int:survey_id>/poster.pdf")
@allow(Access.STAFF)
def poster_pdf(survey_id: int):
    """Print a one-page poster with the form's QR code and short link."""
    survey = db.get_or_404(Survey, survey_id)
    language = request.args.get("lang") or survey.default_language
    if not survey.offers(language):
        return _not_offered(survey, language)
    with force_locale(language):
        sheet = poster(survey, language)
        pdf = _render("pdf/surveys/poster.html", sheet.title, language, poster=sheet)
    return pdf_response(pdf, pdf_filename("poster", survey.title, language))


def _render(template: str, title: str, language: str, **data: Any) -> bytes:
    # Paper forms and posters go to the public; they carry no personal details.
    return render_pdf(template, audience=Audience.PUBLIC, title=title, lang=language,
                      direction_of=direction_of, **data)


def _not_offered(survey: Survey, language: str):
    offered = ", ".join(f"{language_name(code)} (lang={code})"
                        for code in survey.languages or [survey.default_language])
    return render_error(400, f"This form is not offered in the language “{language[:20]}”. "
                             f"It is offered in: {offered}.")
