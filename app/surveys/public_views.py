"""What respondents see: the public form, the kiosk, the thank-you and closed pages. For staff:
the preview, and typing in paper sheets."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
from werkzeug.exceptions import NotFound

from app.accounts.access import Access, allow
from app.accounts.models import Branch
from app.accounts.services import branch_choices
from app.database import read_until_writing, start_writing
from app.extensions import csrf, db, limit_sent_forms
from app.privacy.models import ConsentMethod
from app.surveys import bp
from app.surveys.answer_forms import AnswerForm, PaperSheetForm, build_answer_form
from app.surveys.form_cache import (
    SUBMISSION_ID_PLACEHOLDER,
    AnswerFormVersion,
    PublicForm,
    answer_form_version,
    full_survey,
    kept_page,
    public_form_or_404,
    with_new_submission_id,
)
from app.surveys.locale import use_interface_language
from app.surveys.models import (
    Channel,
    KioskLink,
    Survey,
    SurveyStatus,
    is_right_to_left,
)
from app.surveys.responding import (
    ConflictingSubmission,
    DuplicateSubmission,
    SurveyClosed,
    accepts_responses,
    insert_response,
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


def respondent_language(survey: Survey | PublicForm) -> str:
    """Return the language the page asks for when the form offers it, else the form's default.

    A sent page names its language in a hidden field; a link names it as ?lang=.
    """
    return chosen_language(survey, (request.form.get("language") if request.method == "POST"
                                    else None) or request.args.get("lang"))


def chosen_language(survey: Survey | PublicForm, requested: str | None) -> str:
    """Return `requested` when the form offers it, else the form's default language."""
    return requested if requested and survey.offers(requested) else survey.default_language


def blank_page_key(endpoint: str, language: str, values: dict,
                   timings: dict | None = None) -> tuple:
    """What the blank answer page is kept under: every input of the page (the kiosk timings
    too: tests shorten them)."""
    return ("answer", endpoint, language, tuple(sorted(values.items())),
            tuple(sorted((timings or {}).items())))


def fill_page_key(token: str, language: str) -> tuple:
    """The key of a public form's blank page (the `fill` view's)."""
    return blank_page_key(".fill", language, {"token": token})


def thanks_page_key(language: str) -> tuple:
    return ("thanks", language)


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


def _answer(form: PublicForm, language: str, endpoint: str, *, thanks_url: str,
            link: KioskLink | None = None, **values):
    """Show the blank answer form, or store what was sent and go to the thank-you page.

    The blank page and the answer form class are kept per form version (app/surveys/
    form_cache.py); the form's questions are loaded only to build them, or to show a page again
    with the problems in what was sent.
    """
    kiosk = _kiosk_page(link, language, values) if link else {}

    def page() -> dict:
        return {**_public_page(full_survey(form), language, endpoint, **values), **kiosk}

    if request.method != "POST":
        def blank() -> str:
            answer_form = answer_form_version(form, language).form_class()
            answer_form.submission_id.data = SUBMISSION_ID_PLACEHOLDER
            answer_form.language.data = language
            return render_template("surveys/public/answer.html", form=answer_form,
                                   kiosk_link=link, **page())

        key = blank_page_key(endpoint, language, values, kiosk.get("timings"))
        return with_new_submission_id(kept_page(form, key, blank))
    version = answer_form_version(form, language)
    channel = Channel.KIOSK if link else Channel.WEB
    answers = version.reader.read(request.form)
    if answers is not None:  # the usual page: nothing to say about it, so no form is built
        return _stored_then_thanked(
            lambda: _store_answers(form, version, answers, request.form["submission_id"],
                                   language, channel=channel, link=link),
            page, thanks_url)
    use_interface_language(language)
    answer_form = version.form_class()
    answer_form.language.data = language
    if answer_form.caught_a_bot():
        return redirect(thanks_url, 303)
    if answer_form.validate():
        def store() -> None:
            _store_answers(form, version, answer_form.answers(), answer_form.submission_id.data,
                           language, channel=channel, link=link)
            if answer_form.wants_contact():
                _store_consent(answer_form, full_survey(form), language, channel=channel,
                               branch=link.branch if link else None)

        return _stored_then_thanked(store, page, thanks_url)
    return render_template("surveys/public/answer.html", form=answer_form, kiosk_link=link,
                           **page())


def _stored_then_thanked(store: Callable[[], None], page: Callable[[], dict], thanks_url: str):
    """Store a sent page with the write lock and go to the thank-you page; a page sent twice
    is thanked again, one that conflicts or reaches a closed form says so."""
    start_writing()
    try:
        store()
    except DuplicateSubmission:
        return redirect(thanks_url, 303)
    except ConflictingSubmission:
        db.session.rollback()
        return render_template("surveys/public/conflict.html", **page()), 409
    except SurveyClosed:
        db.session.rollback()
        return _closed_page(page())
    db.session.commit()
    return redirect(thanks_url, 303)


def _store_answers(form: PublicForm, version: AnswerFormVersion, answers: dict[int, Any],
                   submission_id: str, language: str, *, channel: str,
                   link: KioskLink | None) -> None:
    """Store a public or kiosk response, only if the form is still open as it is written: a
    form closed while someone was answering takes nothing more."""
    insert_response(form.id, version.rules, answers, channel=channel, language=language,
                    submission_id=submission_id, branch_id=link.branch_id if link else None,
                    kiosk_link_id=link.id if link else None, while_open=True)


def _store(form: AnswerForm, survey: Survey, language: str, *, channel: str,
           branch: Branch | None = None, **origin) -> None:
    """Store a typed-in paper sheet and, apart from it, the contact consent when ticked."""
    record_response(survey, form.answers(), channel=channel, language=language,
                    submission_id=form.submission_id.data, branch=branch, **origin)
    if form.wants_contact():
        _store_consent(form, survey, language, channel=channel, branch=branch)


def _store_consent(form: AnswerForm, survey: Survey, language: str, *, channel: str,
                   branch: Branch | None) -> None:
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
@limit_sent_forms(_submit_limit)
@csrf.exempt
def fill(token: str):
    read_until_writing()  # a sent page is checked first; the write lock is taken to store it
    form = public_form_or_404(token)
    language = respondent_language(form)
    if not form.is_open:
        return _closed_page(_public_page(full_survey(form), language, ".fill", token=token))
    return _answer(form, language, ".fill", token=token,
                   thanks_url=url_for(".thanks", token=token, lang=language))


@bp.route("/f/<token>/thanks")
@allow(Access.PUBLIC)
def thanks(token: str):
    form = public_form_or_404(token)
    language = respondent_language(form)

    def render() -> str:
        survey = db.session.get(Survey, form.id)
        return render_template("surveys/public/thanks.html",
                               **_public_page(survey, language, ".thanks", token=token))

    return kept_page(form, thanks_page_key(language), render)


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
@limit_sent_forms(_submit_limit)
@csrf.exempt
def kiosk(token: str):
    read_until_writing()  # a sent page is checked first; the write lock is taken to store it
    link = _kiosk_link(token)
    if link is None:
        return _link_gone()
    form = PublicForm.of(link.survey)
    language = respondent_language(form)
    if not form.is_open:
        page = _public_page(link.survey, language, ".kiosk", token=token)
        return _for_kiosk(_closed_page({**page, **_kiosk_page(link, language, {"token": token})}))
    thanks_url = url_for(".kiosk_thanks", token=token, lang=language)
    return _for_kiosk(_answer(form, language, ".kiosk", thanks_url=thanks_url, link=link,
                              token=token))


def _kiosk_page(link: KioskLink, language: str, values: dict) -> dict:
    """What a kiosk page adds: the timings of its reset and the address it resets to."""
    return {"kiosk": True, "timings": KIOSK_TIMINGS, "reset_url": url_for(".kiosk", **values),
            "is_default_language": language == link.survey.default_language}


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
