"""What respondents see: the public form, the kiosk, the thank-you and closed pages. For staff:
the preview, and typing in paper sheets."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from app.accounts.access import Access, allow
from app.accounts.models import Branch
from app.accounts.services import branch_choices
from app.extensions import csrf, db, limiter
from app.privacy.models import ConsentMethod
from app.surveys import bp
from app.surveys.answer_forms import AnswerForm, PaperSheetForm, build_answer_form
from app.surveys.locale import use_interface_language
from app.surveys.models import (
    Channel,
    KioskLink,
    Question,
    Survey,
    SurveyStatus,
    is_right_to_left,
)
from app.surveys.responding import (
    ConflictingSubmission,
    DuplicateSubmission,
    SurveyClosed,
    accepts_responses,
    record_contact_consent,
    record_response,
    sheets_typed_today,
)
from app.surveys.sharing import own_language_name

#: Kiosk pages must not be kept by the browser: the next person could go Back to them.
KIOSK_HEADERS = {"Cache-Control": "no-store, max-age=0", "Pragma": "no-cache", "Expires": "0"}
#: Seconds the kiosk thank-you page shows before a blank form; idle seconds before the
#: warning; seconds the warning counts down before the form clears.
KIOSK_TIMINGS = {"return": 8, "idle": 60, "warning": 20}
#: The branch of the last paper sheet typed in, offered for the next one.
PAPER_BRANCH_KEY = "paper_entry_branch_id"


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


def _submit_limit() -> str:
    return current_app.config["PUBLIC_SUBMIT_RATE_LIMIT"]


def survey_for_respondents_or_404(token: str, *, with_questions: bool = False) -> Survey:
    """Return the form behind a public link; drafts and unknown tokens are not found.

    `with_questions` loads its questions and their options with it, in two more queries, for
    the pages that build the answer form: loading each question's options on first use cost
    a query per question on every view and every submission (issue 8, P1)."""
    query = sa.select(Survey).where(Survey.token == token)
    if with_questions:
        query = query.options(selectinload(Survey.questions).selectinload(Question.options))
    survey = db.session.scalar(query)
    if survey is None or survey.status == SurveyStatus.DRAFT:
        raise NotFound()
    return survey


def respondent_language(survey: Survey) -> str:
    """Return the language the page asks for when the form offers it, else the form's default.

    A sent page names its language in a hidden field; a link names it as ?lang=.
    """
    requested = request.form.get("language") or request.args.get("lang")
    return requested if requested and survey.offers(requested) else survey.default_language


def _public_page(survey: Survey, language: str, endpoint: str, **values) -> dict:
    """Switch the interface words to `language`; return what every public page shows with
    them: the language, its direction and links to the form's other languages."""
    use_interface_language(language)
    links = [LanguageLink(code, own_language_name(code), url_for(endpoint, lang=code, **values),
                          code == language)
             for code in survey.languages or [survey.default_language]]
    return {"survey": survey, "language": language, "language_links": links,
            "direction": "rtl" if is_right_to_left(language) else "ltr"}


def _closed_page(page: dict):
    return render_template("surveys/public/closed.html", **page)


def _answer(survey: Survey, page: dict, *, thanks_url: str, link: KioskLink | None = None):
    """Show the answer form, or store what was sent and go to the thank-you page."""
    form = build_answer_form(survey, page["language"])()
    form.language.data = page["language"]
    if form.is_submitted() and form.caught_a_bot():
        return redirect(thanks_url, 303)
    if form.validate_on_submit():
        try:
            _store(form, survey, page["language"], channel=Channel.KIOSK if link else Channel.WEB,
                   branch=link.branch if link else None, kiosk_link=link)
        except DuplicateSubmission:
            return redirect(thanks_url, 303)
        except ConflictingSubmission:
            db.session.rollback()
            return render_template("surveys/public/conflict.html", **page), 409
        except SurveyClosed:
            db.session.rollback()
            return _closed_page(page)
        db.session.commit()
        return redirect(thanks_url, 303)
    return render_template("surveys/public/answer.html", form=form, kiosk_link=link, **page)


def _store(form: AnswerForm, survey: Survey, language: str, *, channel: str,
           branch: Branch | None = None, **origin) -> None:
    """Store the response and, apart from it, the contact consent when the box was ticked."""
    record_response(survey, form.answers(), channel=channel, language=language,
                    submission_id=form.submission_id.data, branch=branch, **origin)
    if form.wants_contact():
        record_contact_consent(
            survey, channel=form.contact_channel.data, value=form.contact_value.data,
            wording=form.consent_wording(), language=language,
            name=form.contact_name.data or "", branch=branch,
            method=ConsentMethod.PAPER if channel == Channel.PAPER else ConsentMethod.ONLINE)


@bp.route("/s/<code>", defaults={"language": None})
@bp.route("/s/<code>/<language>")
@allow(Access.PUBLIC)
def short_link(code: str, language: str | None):
    """Open a form from the short link printed on paper and posters, easy to type by hand."""
    survey = db.session.scalar(sa.select(Survey).where(Survey.short_code == code.strip().upper()))
    if survey is None or survey.status == SurveyStatus.DRAFT:
        raise NotFound()
    lang = language if language and survey.offers(language) else None
    return redirect(url_for(".fill", token=survey.token, lang=lang))


@bp.route("/f/<token>", methods=["GET", "POST"])
@allow(Access.PUBLIC)
@limiter.limit(_submit_limit, methods=["POST"])
@csrf.exempt
def fill(token: str):
    survey = survey_for_respondents_or_404(token, with_questions=True)
    language = respondent_language(survey)
    page = _public_page(survey, language, ".fill", token=token)
    if not survey.is_open:
        return _closed_page(page)
    return _answer(survey, page, thanks_url=url_for(".thanks", token=token, lang=language))


@bp.route("/f/<token>/thanks")
@allow(Access.PUBLIC)
def thanks(token: str):
    survey = survey_for_respondents_or_404(token)
    language = respondent_language(survey)
    return render_template("surveys/public/thanks.html",
                           **_public_page(survey, language, ".thanks", token=token))


def _kiosk_link(token: str) -> KioskLink | None:
    link = db.session.scalar(sa.select(KioskLink).where(KioskLink.token == token))
    if link is None or not link.is_active or link.survey.status == SurveyStatus.DRAFT:
        return None
    return link


def _for_kiosk(rv) -> object:
    response = make_response(rv)
    response.headers.update(KIOSK_HEADERS)
    return response


def _link_gone():
    use_interface_language(current_app.config["BABEL_DEFAULT_LOCALE"])
    return _for_kiosk((render_template("surveys/public/kiosk_gone.html", language="en",
                                       direction="ltr", language_links=[]), 404))


@bp.route("/kiosk/<token>", methods=["GET", "POST"])
@allow(Access.PUBLIC)
@limiter.limit(_submit_limit, methods=["POST"])
@csrf.exempt
def kiosk(token: str):
    link = _kiosk_link(token)
    if link is None:
        return _link_gone()
    survey = link.survey
    language = respondent_language(survey)
    page = _public_page(survey, language, ".kiosk", token=token)
    page.update(kiosk=True, timings=KIOSK_TIMINGS, reset_url=url_for(".kiosk", token=token),
                is_default_language=language == survey.default_language)
    if not survey.is_open:
        return _for_kiosk(_closed_page(page))
    thanks_url = url_for(".kiosk_thanks", token=token, lang=language)
    return _for_kiosk(_answer(survey, page, thanks_url=thanks_url, link=link))


@bp.route("/kiosk/<token>/thanks")
@allow(Access.PUBLIC)
def kiosk_thanks(token: str):
    link = _kiosk_link(token)
    if link is None:
        return _link_gone()
    language = respondent_language(link.survey)
    page = _public_page(link.survey, language, ".kiosk_thanks", token=token)
    page["language_links"] = []  # the next person chooses on the blank form
    return _for_kiosk(render_template(
        "surveys/public/thanks.html", kiosk=True, timings=KIOSK_TIMINGS,
        reset_url=url_for(".kiosk", token=token), **page))


@bp.route("/forms/<int:survey_id>/preview", methods=["GET", "POST"])
@allow(Access.STAFF)
def preview(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    language = respondent_language(survey)
    page = _public_page(survey, language, ".preview", survey_id=survey.id)
    form = build_answer_form(survey, language, base=AnswerForm)()
    form.language.data = language
    would_save = form.validate_on_submit() and not form.caught_a_bot()
    return render_template("surveys/public/answer.html", form=form, preview=True,
                           would_save=would_save, **page)


@bp.route("/forms/<int:survey_id>/paper-entry", methods=["GET", "POST"])
@allow(Access.STAFF)
def transcribe(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    language = respondent_language(survey)
    form = _paper_sheet_form(survey, language)
    if accepts_responses(survey, Channel.PAPER) and form.validate_on_submit():
        try:
            branch = db.session.get(Branch, form.branch_id.data) if form.branch_id.data else None
            _store(form, survey, language, channel=Channel.PAPER, branch=branch,
                   transcribed_by=current_user._get_current_object())
        except (DuplicateSubmission, ConflictingSubmission):
            db.session.rollback()
            flash("That sheet was already saved.", "info")
        else:
            db.session.commit()
            session[PAPER_BRANCH_KEY] = form.branch_id.data
            flash(f"Sheet {sheets_typed_today(survey, current_user)} saved.", "success")
        return redirect(url_for(".transcribe", survey_id=survey.id, lang=language))
    return _paper_entry_page(form, survey, language)


def _paper_sheet_form(survey: Survey, language: str) -> PaperSheetForm:
    form = build_answer_form(survey, language, base=PaperSheetForm)()
    form.branch_id.choices = branch_choices(include_blank="Not at a branch (a meeting, outreach)")
    remembered = session.get(PAPER_BRANCH_KEY, current_user.branch_id)
    form.asks_branch_first = remembered is None
    if not form.is_submitted():
        form.branch_id.data = remembered or 0
    form.language.data = language
    return form


def _paper_entry_page(form: PaperSheetForm, survey: Survey, language: str) -> str:
    return render_template(
        "surveys/public/transcribe.html", form=form, survey=survey, language=language,
        direction="rtl" if is_right_to_left(language) else "ltr",
        can_save=accepts_responses(survey, Channel.PAPER),
        typed_today=sheets_typed_today(survey, current_user),
        languages=[(code, own_language_name(code))
                   for code in survey.languages or [survey.default_language]])
