"""Staff screens for what comes back from a form: the review queue, one response, the results
(on screen and printed) and the exports. Routes of the forms area; see ROUTE_MODULES in
app/surveys/__init__.py."""

from io import BytesIO

import sqlalchemy as sa
from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.accounts.access import Access, allow
from app.accounts.services import safe_next_url
from app.documents import background
from app.documents.audience import Audience, print_request
from app.documents.pdf import pdf_filename, render_print_html
from app.errors import render_error
from app.extensions import db
from app.surveys import bp
from app.surveys.exports import csv_chunks, export_filename, xlsx_bytes
from app.surveys.models import Survey, SurveyResponse
from app.surveys.results import breakdowns, ordered_questions, summarise
from app.surveys.results_charts import results_charts
from app.surveys.results_data import SurveySummary
from app.surveys.results_forms import ResponseFilterForm, ResultsForm
from app.surveys.reviewing import (
    ResponseCursor,
    UnknownReviewStatus,
    change_review_status,
    first_text_answers,
    kiosk_label,
    response_answers,
    response_page,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_response_or_404(survey_id: int, response_id: int) -> SurveyResponse:
    """Return a response of the form, or answer 404; every staff member may read it."""
    return db.first_or_404(
        sa.select(SurveyResponse)
        .where(SurveyResponse.id == response_id, SurveyResponse.survey_id == survey_id)
        .options(selectinload(SurveyResponse.branch), selectinload(SurveyResponse.transcribed_by),
                 selectinload(SurveyResponse.answers)))


@bp.route("/forms/<int:survey_id>/responses")
@allow(Access.STAFF)
def responses(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = _filter_form(ResponseFilterForm, survey)
    filters = form.filters()
    page = response_page(survey, filters, page=request.args.get("page", 1, type=int),
                         per_page=current_app.config["PAGE_SIZE"],
                         older_than=ResponseCursor.parse(request.args.get("older")),
                         newer_than=ResponseCursor.parse(request.args.get("newer")))
    return render_template(
        "surveys/results/responses.html", survey=survey, form=form, filters=filters, page=page,
        snippets=first_text_answers([response.id for response in page.items]))


@bp.route("/forms/<int:survey_id>/responses/<int:response_id>")
@allow(Access.STAFF)
def response(survey_id: int, response_id: int):
    response = get_response_or_404(survey_id, response_id)
    back = safe_next_url(request.args.get("next")) or url_for(".responses", survey_id=survey_id)
    return render_template("surveys/results/response.html", survey=response.survey,
                           response=response, answers=response_answers(response),
                           kiosk=kiosk_label(response), back=back)


@bp.route("/forms/<int:survey_id>/responses/<int:response_id>/review/<status>", methods=["POST"])
@allow(Access.STAFF)
def set_review_status(survey_id: int, response_id: int, status: str):
    response = get_response_or_404(survey_id, response_id)
    try:
        change_review_status(response, status)
    except UnknownReviewStatus:
        return render_error(400, "A response can be new, reviewed or archived; nothing else.")
    db.session.commit()
    flash(f"Response {response.id} is now marked {status}.", "success")
    fallback = url_for(".response", survey_id=survey_id, response_id=response.id)
    return redirect(safe_next_url(request.args.get("next")) or fallback)


@bp.route("/forms/<int:survey_id>/results")
@allow(Access.STAFF)
def results(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = _filter_form(ResultsForm, survey)
    summary = summarise(survey, form.filters(), audience=form.chosen_audience)
    return render_template(
        "surveys/results/results.html", survey=survey, form=form, summary=summary,
        charts=results_charts(summary), breakdowns=_breakdowns(survey, summary,
                                                               form.chosen_breakdown),
        args=_link_args(summary, form.chosen_breakdown))


@bp.route("/forms/<int:survey_id>/results.pdf")
@allow(Access.STAFF)
def results_pdf(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    options = print_request(request.args, default=Audience.INTERNAL, viewer=current_user)
    form = _filter_form(ResultsForm, survey)
    summary = summarise(survey, form.filters(), audience=options.audience)
    title = f"Results: {survey.title}"
    html = render_print_html("pdf/surveys/results.html", audience=options.audience,
                             title=title, large_print=options.large_print,
                             summary=summary, charts=results_charts(summary),
                             breakdowns=_breakdowns(survey, summary, form.chosen_breakdown))
    return background.print_or_start(
        html, kind="form-results", subject=_results_subject(survey) + request.query_string.decode(),
        title=title, filename=pdf_filename("results", survey.title), user_id=current_user.id,
        place=_results_place(survey))


@bp.route("/forms/<int:survey_id>/results/<token>")
@allow(Access.STAFF)
def results_document(survey_id: int, token: str):
    """How a big results document printed in the background is coming along."""
    survey = db.get_or_404(Survey, survey_id)
    return background.job_page(token, user_id=current_user.id,
                               subject_prefix=_results_subject(survey),
                               place=_results_place(survey))


@bp.route("/forms/<int:survey_id>/results/<token>/file")
@allow(Access.STAFF)
def results_document_file(survey_id: int, token: str):
    """The big results document itself, for the person who asked for it."""
    survey = db.get_or_404(Survey, survey_id)
    return background.job_file(token, user_id=current_user.id,
                               subject_prefix=_results_subject(survey),
                               place=_results_place(survey))


def _results_subject(survey: Survey) -> str:
    return f"form {survey.id} "


def _results_place(survey: Survey) -> background.Place:
    def urls(token: str) -> tuple[str, str]:
        return (url_for(".results_document", survey_id=survey.id, token=token),
                url_for(".results_document_file", survey_id=survey.id, token=token))

    return background.Place(
        urls=urls, back_url=url_for(".results", survey_id=survey.id),
        back_label=f"Results: {survey.title}",
        narrow="To print less, choose a shorter period or one channel or branch on the results "
               "page, or leave out the breakdown.")


@bp.route("/forms/<int:survey_id>/export.csv")
@allow(Access.STAFF)
def export_csv(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    filters = _filter_form(ResponseFilterForm, survey).filters()
    chunks = stream_with_context(csv_chunks(survey, filters))
    return Response(chunks, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{export_filename(survey, "csv")}"'})


@bp.route("/forms/<int:survey_id>/export.xlsx")
@allow(Access.STAFF)
def export_xlsx(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    filters = _filter_form(ResponseFilterForm, survey).filters()
    return send_file(BytesIO(xlsx_bytes(survey, filters)), mimetype=XLSX_TYPE,
                     as_attachment=True, download_name=export_filename(survey, "xlsx"))


def _filter_form(form_class: type[ResponseFilterForm], survey: Survey) -> ResponseFilterForm:
    form = form_class(request.args)
    form.use_choices(survey)
    return form


def _breakdowns(survey: Survey, summary: SurveySummary, by: str | None) -> dict:
    if by is None:
        return {}
    return breakdowns(survey, ordered_questions(survey), by=by, filters=summary.filters,
                      audience=summary.audience)


def _link_args(summary: SurveySummary, by: str | None) -> dict[str, str]:
    """Return the query arguments that reopen these results, for the PDF and export links."""
    args = dict(summary.filters.query_args(), audience=summary.audience.value)
    return dict(args, by=by) if by else args
