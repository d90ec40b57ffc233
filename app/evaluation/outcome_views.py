"""Staff screens for a plan's outcome forms and for the list of people who agreed to get the
follow-up form. The list holds personal details: staff only, and members get 403 on all of it.
"""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.documents.audience import Audience
from app.documents.pdf import pdf_filename, pdf_response, render_pdf
from app.evaluation import bp, outcomes
from app.evaluation.models import OutcomeMoment
from app.evaluation.outcome_forms import WithdrawConsentForm
from app.extensions import db
from app.plans.models import Plan
from app.plans.plan_views import get_plan_or_404


@bp.route("/plans/<int:plan_id>/evaluation/outcome-forms/<moment>", methods=["POST"])
@allow(Access.STAFF)
def create_outcome_form(plan_id: int, moment: str):
    """Create the plan's form for the end of a session or for the follow-up."""
    plan = get_plan_or_404(plan_id)
    if moment not in {choice.value for choice in OutcomeMoment}:
        abort(404)
    try:
        form = outcomes.create_outcome_form(plan, moment, by=current_user)
    except outcomes.OutcomeFormExists as exists:
        db.session.rollback()
        flash(str(exists), "warning")
        return redirect(url_for("surveys.detail", survey_id=exists.existing.survey_id))
    except outcomes.OutcomeFormRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for(".overview", plan_id=plan.id))
    db.session.commit()
    flash(f"Created “{form.survey.title}” as a draft. Check the questions, then open it for "
          "responses.", "success")
    return redirect(url_for("surveys.detail", survey_id=form.survey_id))


@bp.route("/plans/<int:plan_id>/evaluation/follow-up")
@allow(Access.STAFF)
def follow_up_list(plan_id: int):
    """List who agreed to get the follow-up form and may still be sent it."""
    plan = get_plan_or_404(plan_id)
    return render_template("evaluation/follow_up_list.html", plan=plan,
                           listing=outcomes.follow_up_list(plan), form=WithdrawConsentForm(),
                           channels=outcomes.CHANNEL_LABELS,
                           follow_up_link=_follow_up_link(plan))


@bp.route("/plans/<int:plan_id>/evaluation/follow-up/withdraw", methods=["POST"])
@allow(Access.STAFF)
def withdraw_follow_up(plan_id: int):
    """Record that a person asked not to get the follow-up form after all."""
    plan = get_plan_or_404(plan_id)
    form = WithdrawConsentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcomes.withdraw_follow_up_consent(plan, int(form.consent_id.data))
    except outcomes.ConsentNotOnList:
        abort(404)
    db.session.commit()
    flash("Taken off the list: this person will not be sent the follow-up form.", "success")
    return redirect(url_for(".follow_up_list", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>/evaluation/follow-up.csv")
@allow(Access.STAFF)
def follow_up_csv(plan_id: int):
    """Download the follow-up list as a spreadsheet (CSV)."""
    plan = get_plan_or_404(plan_id)
    text = outcomes.follow_up_csv(plan, by=current_user)
    db.session.commit()
    filename = pdf_filename("follow-up list", plan.title).removesuffix(".pdf") + ".csv"
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/plans/<int:plan_id>/evaluation/follow-up.pdf")
@allow(Access.STAFF)
def follow_up_pdf(plan_id: int):
    """Print the follow-up list: internal, for sending the follow-up form only."""
    plan = get_plan_or_404(plan_id)
    listing = outcomes.follow_up_list(plan)
    pdf = render_pdf("pdf/evaluation/follow_up_list.html", audience=Audience.INTERNAL,
                     title=f"Follow-up list: {plan.title}",
                     large_print=request.args.get("large") == "1", plan=plan, listing=listing,
                     channels=outcomes.CHANNEL_LABELS,
                     follow_up_link=_follow_up_link(plan))
    outcomes.log_export(plan, by=current_user,
                        what=f"follow-up list printed, {len(listing.people)} people")
    db.session.commit()
    return pdf_response(pdf, pdf_filename("follow-up list", plan.title))


def _follow_up_link(plan: Plan) -> str | None:
    """Return the public link of the plan's follow-up form, the one to send people."""
    form = outcomes.outcome_form(plan, OutcomeMoment.FOLLOW_UP)
    return url_for("surveys.fill", token=form.survey.token, _external=True) if form else None
