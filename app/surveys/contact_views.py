"""Staff screens for the people who asked to be contacted through a form."""

from flask import Response, abort, flash, redirect, render_template, url_for

from app.accounts.access import Access, allow
from app.extensions import db
from app.privacy.audit import AuditAction, record
from app.surveys import bp
from app.surveys.contact_requests import (
    ConsentNotFound,
    contact_list_csv,
    contact_requests,
    withdraw_consent,
)
from app.surveys.exports import export_filename
from app.surveys.models import Survey


@bp.route("/forms/<int:survey_id>/contact-requests")
@allow(Access.STAFF)
def contact_requests_page(survey_id: int):
    """List who asked to be contacted, and whether their consent still holds."""
    survey = db.get_or_404(Survey, survey_id)
    return render_template("surveys/results/contact_requests.html", survey=survey,
                           requests=contact_requests(survey))


@bp.route("/forms/<int:survey_id>/contact-requests/<int:consent_id>/withdraw", methods=["POST"])
@allow(Access.STAFF)
def withdraw_contact_request(survey_id: int, consent_id: int):
    """Record that a person asked not to be contacted after all."""
    survey = db.get_or_404(Survey, survey_id)
    try:
        withdraw_consent(survey, consent_id)
    except ConsentNotFound:
        abort(404)
    db.session.commit()
    flash("Marked as withdrawn: this person will not be contacted.", "success")
    return redirect(url_for(".contact_requests_page", survey_id=survey.id))


@bp.route("/forms/<int:survey_id>/contact-requests.csv")
@allow(Access.ADMIN)
def contact_requests_csv(survey_id: int):
    """Download the people who may still be contacted. Admins only: it is personal data."""
    survey = db.get_or_404(Survey, survey_id)
    filename = export_filename(survey, "contacts.csv")
    record(AuditAction.EXPORT, f"form {survey.id}", detail="contact requests CSV")
    db.session.commit()
    return Response(contact_list_csv(survey), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
