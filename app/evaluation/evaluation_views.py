"""Screens for evaluations: start one, write it together, choose its stories, sign it off, and
print the evaluation summary and the "You said, we did" handout.

Staff start and sign off evaluations; members of the plan's action group read them, write their
text parts and print them for partners and the public; any other plan answers 403.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user

from app.accounts.access import Access, allow
from app.documents import background
from app.documents.audience import Audience, print_request
from app.documents.pdf import pdf_filename, pdf_response, render_pdf, render_print_html
from app.evaluation import bp
from app.evaluation.evaluating import (
    SIGNED_OFF_MESSAGE,
    EvaluationRefused,
    choose_stories,
    save_evaluation,
    sign_off_evaluation,
    start_evaluation,
)
from app.evaluation.evaluation_forms import EvaluationForm, SignOffForm, StoriesForm
from app.evaluation.models import Evaluation
from app.evaluation.stories import plan_stories
from app.evaluation.summary import evaluation_summary, you_said_we_did
from app.extensions import db
from app.languages import language_name
from app.plans.membership import require_group
from app.plans.plan_views import get_plan_or_404
from app.plans.planning import decision_choices
from app.surveys.locale import FALLBACK, interface_language
from app.surveys.printing import direction_of

BAD_AUDIENCE = ("That audience is not one we print the evaluation summary for. Use "
                "audience=internal or audience=partners, or leave it out.")
PUBLIC_REFUSED = ("The evaluation summary is for the library and its partners. For the public, "
                  "print the “You said, we did” handout of this evaluation instead.")


def get_evaluation_or_404(evaluation_id: int) -> Evaluation:
    """Return the evaluation: 404 if there is none, 403 if it is another group's."""
    evaluation = db.get_or_404(Evaluation, evaluation_id)
    require_group(current_user, evaluation.plan.action_group_id)
    return evaluation


@bp.route("/plans/<int:plan_id>/evaluations/new", methods=["GET", "POST"])
@allow(Access.STAFF)
def new_evaluation(plan_id: int):
    plan = get_plan_or_404(plan_id)
    form = EvaluationForm()
    if form.validate_on_submit():
        try:
            evaluation = start_evaluation(plan, form.values(), by=current_user)
        except EvaluationRefused as refused:
            form.title.errors.append(str(refused))
        else:
            db.session.commit()
            flash("Started the evaluation. Write it together with the group.", "success")
            return redirect(url_for(".evaluation", evaluation_id=evaluation.id))
    return render_template("evaluation/evaluation_edit.html", plan=plan, evaluation=None,
                           form=form)


@bp.route("/evaluations/<int:evaluation_id>")
@allow(Access.MEMBER)
def evaluation(evaluation_id: int):
    evaluation = get_evaluation_or_404(evaluation_id)
    audience = Audience.INTERNAL if current_user.is_staff else Audience.PARTNERS
    sign_off_form = SignOffForm()
    sign_off_form.decision_id.choices = decision_choices(evaluation.plan)
    return render_template("evaluation/evaluation.html", evaluation=evaluation,
                           plan=evaluation.plan, summary=evaluation_summary(evaluation, audience),
                           sign_off_form=sign_off_form, audience=audience)


@bp.route("/evaluations/<int:evaluation_id>/edit", methods=["GET", "POST"])
@allow(Access.MEMBER)
def edit_evaluation(evaluation_id: int):
    evaluation = get_evaluation_or_404(evaluation_id)
    if evaluation.is_signed_off:
        return _refused(evaluation, SIGNED_OFF_MESSAGE)
    form = EvaluationForm(obj=evaluation)
    if not current_user.is_staff:
        form.without_setup()
    if form.validate_on_submit():
        try:
            summary = save_evaluation(evaluation, form.values(), by=current_user)
        except EvaluationRefused as refused:
            return _refused(evaluation, str(refused))
        db.session.commit()
        flash(f"{summary}." if summary else "Nothing had changed, so nothing was saved.",
              "success" if summary else "info")
        return redirect(url_for(".evaluation", evaluation_id=evaluation.id))
    return render_template("evaluation/evaluation_edit.html", plan=evaluation.plan,
                           evaluation=evaluation, form=form)


@bp.route("/evaluations/<int:evaluation_id>/stories", methods=["GET", "POST"])
@allow(Access.MEMBER)
def evaluation_stories(evaluation_id: int):
    evaluation = get_evaluation_or_404(evaluation_id)
    if evaluation.is_signed_off:
        return _refused(evaluation, SIGNED_OFF_MESSAGE)
    stories = plan_stories(evaluation.plan)
    form = StoriesForm(data={"story_ids": [story.id for story in evaluation.stories]})
    form.story_ids.choices = [(story.id, story.title) for story in stories]
    if form.validate_on_submit():
        try:
            changed = choose_stories(evaluation, form.story_ids.data or [], by=current_user)
        except EvaluationRefused as refused:
            return _refused(evaluation, str(refused))
        db.session.commit()
        flash("Saved the stories this evaluation features." if changed
              else "Nothing had changed, so nothing was saved.", "success" if changed else "info")
        return redirect(url_for(".evaluation", evaluation_id=evaluation.id,
                                _anchor="stories-heading"))
    return render_template("evaluation/evaluation_stories.html", evaluation=evaluation,
                           plan=evaluation.plan, form=form,
                           stories={story.id: story for story in stories})


@bp.route("/evaluations/<int:evaluation_id>/sign-off", methods=["POST"])
@allow(Access.STAFF)
def sign_off(evaluation_id: int):
    evaluation = get_evaluation_or_404(evaluation_id)
    form = SignOffForm()
    if not form.validate_on_submit():
        return _refused(evaluation, "Choose the decision that signed off this evaluation.")
    try:
        sign_off_evaluation(evaluation, form.decision_id.data, by=current_user)
    except EvaluationRefused as refused:
        return _refused(evaluation, str(refused))
    db.session.commit()
    flash("The evaluation is signed off.", "success")
    return redirect(url_for(".evaluation", evaluation_id=evaluation.id))


@bp.route("/evaluations/<int:evaluation_id>/summary.pdf")
@allow(Access.MEMBER)
def summary_pdf(evaluation_id: int):
    """Print the evaluation summary: internal for staff by default, partners for members."""
    evaluation = get_evaluation_or_404(evaluation_id)
    default = Audience.INTERNAL if current_user.is_staff else Audience.PARTNERS
    options = print_request(request.args, default=default, viewer=current_user,
                            unknown=BAD_AUDIENCE, public_refused=PUBLIC_REFUSED)
    html = render_print_html("pdf/evaluation/summary.html", audience=options.audience,
                             title=evaluation.title, large_print=options.large_print,
                             summary=evaluation_summary(evaluation, options.audience))
    subject = (f"{_summary_subject(evaluation)} audience={options.audience.value} "
               f"large={int(options.large_print)}")
    return background.print_or_start(
        html, kind="evaluation-summary", subject=subject, title=evaluation.title,
        filename=pdf_filename("evaluation", evaluation.title, options.audience.value),
        user_id=current_user.id, place=_summary_place(evaluation))


@bp.route("/evaluations/<int:evaluation_id>/summary/<token>")
@allow(Access.MEMBER)
def summary_document(evaluation_id: int, token: str):
    """How a big evaluation summary printed in the background is coming along."""
    evaluation = get_evaluation_or_404(evaluation_id)
    return background.job_page(token, user_id=current_user.id,
                               subject_prefix=_summary_subject(evaluation),
                               place=_summary_place(evaluation))


@bp.route("/evaluations/<int:evaluation_id>/summary/<token>/file")
@allow(Access.MEMBER)
def summary_document_file(evaluation_id: int, token: str):
    """The big evaluation summary itself, for the person who asked for it."""
    evaluation = get_evaluation_or_404(evaluation_id)
    return background.job_file(token, user_id=current_user.id,
                               subject_prefix=_summary_subject(evaluation),
                               place=_summary_place(evaluation))


def _summary_subject(evaluation: Evaluation) -> str:
    return f"evaluation {evaluation.id} "


def _summary_place(evaluation: Evaluation) -> background.Place:
    def urls(token: str) -> tuple[str, str]:
        return (url_for(".summary_document", evaluation_id=evaluation.id, token=token),
                url_for(".summary_document_file", evaluation_id=evaluation.id, token=token))

    return background.Place(
        urls=urls, back_url=url_for(".evaluation", evaluation_id=evaluation.id),
        back_label=evaluation.title,
        narrow=("To print less, shorten the evaluation's period or feature fewer stories."))


@bp.route("/evaluations/<int:evaluation_id>/you-said-we-did.pdf")
@allow(Access.MEMBER)
def you_said_we_did_pdf(evaluation_id: int):
    """Print the "You said, we did" handout for the public, in a chosen language."""
    evaluation = get_evaluation_or_404(evaluation_id)
    asked = request.args.get("lang") or FALLBACK
    language = interface_language(asked)
    with force_locale(language):
        pdf = render_pdf("pdf/evaluation/you_said_we_did.html", audience=Audience.PUBLIC,
                         title=gettext("You said, we did"), lang=language,
                         large_print=request.args.get("large") == "1",
                         handout=you_said_we_did(evaluation), direction_of=direction_of,
                         asked_language=language_name(asked),
                         is_translated=language != FALLBACK or asked.startswith(FALLBACK))
    return pdf_response(pdf, pdf_filename("you said we did", evaluation.title, language))


def _refused(evaluation: Evaluation, message: str):
    flash(message, "error")
    return redirect(url_for(".evaluation", evaluation_id=evaluation.id))
