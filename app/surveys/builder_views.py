"""Staff screens that build forms: settings, questions, order, translations, copies, areas."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.community.services import focus_community_choices, languages_with
from app.extensions import db
from app.languages import language_name
from app.surveys import bp, building, question_building
from app.surveys.builder_forms import (
    AreaForm,
    QuestionForm,
    SurveyFilterForm,
    SurveyForm,
    translation_form,
)
from app.surveys.models import (
    Question,
    QuestionKind,
    Survey,
    SurveyArea,
    SurveyStateError,
    is_right_to_left,
)
from app.surveys.translating import grouped, save_translations, text_slots, translation_progress


def get_survey_or_404(survey_id: int) -> Survey:
    """Return the form with its questions, or answer 404; every staff member may edit it."""
    survey = building.get_survey(survey_id)
    if survey is None:
        abort(404)
    return survey


def get_question_or_404(survey: Survey, question_id: int) -> Question:
    """Return an active question of `survey`, or answer 404."""
    question = next((q for q in survey.active_questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


@bp.route("/forms/")
@allow(Access.STAFF)
def index():
    """List the forms with their status and responses."""
    form = SurveyFilterForm(request.args)
    status = form.status.data if form.validate() else ""
    return render_template("surveys/builder/index.html", form=form, status=status,
                           rows=building.survey_rows(status=status))


@bp.route("/forms/new", methods=["GET", "POST"], defaults={"survey_id": None})
@bp.route("/forms/<int:survey_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_survey(survey_id: int | None):
    """Create a form, or change its settings and texts in the default language."""
    survey = get_survey_or_404(survey_id) if survey_id else Survey(created_by_id=current_user.id)
    form = SurveyForm(data=SurveyForm.values_for(survey))
    form.focus_community_id.choices = focus_community_choices(blank="None")
    form.default_language.choices = languages_with(survey.languages or [])
    form.other_languages.choices = form.default_language.choices
    if form.validate_on_submit():
        try:
            building.save_survey(survey, settings=form.settings())
        except building.DefaultLanguageIncomplete as refused:
            progress = refused.args[0]
            form.default_language.errors.append(
                f"Only {progress.done} of {progress.total} texts are translated into "
                f"{language_name(form.default_language.data)}. Translate them all first.")
        else:
            db.session.commit()
            flash(f"Saved “{survey.title}”.", "success")
            return redirect(url_for(".detail", survey_id=survey.id))
    return render_template("surveys/builder/edit_survey.html", form=form, survey=survey)


@bp.route("/forms/<int:survey_id>")
@allow(Access.STAFF)
def detail(survey_id: int):
    """Show a form's status, questions, languages and the ways to share it."""
    survey = get_survey_or_404(survey_id)
    progress = {code: translation_progress(survey, code) for code in survey.languages
                if code != survey.default_language}
    return render_template(
        "surveys/builder/detail.html", survey=survey, progress=progress,
        questions=sorted(survey.active_questions, key=lambda q: q.position),
        retired=[q for q in survey.questions if q.is_retired],
        answered=question_building.answered_question_ids(survey),
        conditions=question_building.describe_conditions(survey),
        responses=building.response_count(survey), kinds=QuestionKind)


@bp.route("/forms/<int:survey_id>/open", methods=["POST"])
@allow(Access.STAFF)
def open_survey(survey_id: int):
    """Open (or reopen) a form for responses."""
    survey = get_survey_or_404(survey_id)
    if not survey.is_open:
        try:
            survey.open()
        except SurveyStateError as refused:
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash("The form is open for responses.", "success")
    return redirect(url_for(".detail", survey_id=survey.id))


@bp.route("/forms/<int:survey_id>/close", methods=["POST"])
@allow(Access.STAFF)
def close_survey(survey_id: int):
    """Stop a form taking responses; the responses stay."""
    survey = get_survey_or_404(survey_id)
    try:
        survey.close()
    except SurveyStateError as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash("The form is closed. Its responses stay, and you can reopen it.", "success")
    return redirect(url_for(".detail", survey_id=survey.id))


@bp.route("/forms/<int:survey_id>/questions/new", methods=["GET", "POST"],
          defaults={"question_id": None})
@bp.route("/forms/<int:survey_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_question(survey_id: int, question_id: int | None):
    """Add a question of the kind in ?kind=, or edit one (?kind= changes an unanswered one's)."""
    survey = get_survey_or_404(survey_id)
    question = get_question_or_404(survey, question_id) if question_id else Question()
    kind, refusal = _kind_to_edit(question)
    if kind is None:
        return redirect(url_for(".detail", survey_id=survey.id, _anchor="add-question"))
    form = QuestionForm(data=QuestionForm.values_for(question))
    form.prepare(kind, question_building.earlier_questions(survey, question))
    if not refusal and form.validate_on_submit():
        try:
            question_building.save_question(survey, question, draft=form.draft())
        except (question_building.ShowIfNotEarlier, question_building.NoAreasListed) as refused:
            refusal = str(refused)
        else:
            db.session.commit()
            flash("Saved the question.", "success")
            return redirect(url_for(".detail", survey_id=survey.id, _anchor=f"q{question.id}"))
    return render_template("surveys/builder/edit_question.html", survey=survey, form=form,
                           question=question, kind=QuestionKind(kind), kinds=QuestionKind,
                           is_answered=question_building.is_answered(question), refusal=refusal)


def _kind_to_edit(question: Question) -> tuple[str | None, str | None]:
    """Return the kind the editor shows (None if unknown) and why a change of kind is refused."""
    kind = request.args.get("kind") or question.kind
    if kind not in QuestionKind.__members__.values():
        return None, None
    try:
        question_building.check_kind_change(question, kind)
    except question_building.KindLocked as refused:
        return question.kind, str(refused)
    return kind, None


@bp.route("/forms/<int:survey_id>/questions/<int:question_id>/remove", methods=["POST"])
@allow(Access.STAFF)
def remove_question(survey_id: int, question_id: int):
    """Take a question off the form: retired when answered, deleted when not."""
    survey = get_survey_or_404(survey_id)
    removal = question_building.remove_question(get_question_or_404(survey, question_id))
    db.session.commit()
    if removal.is_retired:
        flash("People have answered that question, so it is retired: off the form, still in "
              "the results.", "success")
    else:
        flash("Removed the question.", "success")
    if removal.freed:
        flash(f"{len(removal.freed)} question(s) that depended on it now always show.", "info")
    return redirect(url_for(".detail", survey_id=survey.id))


@bp.route("/forms/<int:survey_id>/questions/<int:question_id>/move", methods=["POST"])
@allow(Access.STAFF)
def move_question(survey_id: int, question_id: int):
    """Move a question one place up (?direction=up) or down."""
    survey = get_survey_or_404(survey_id)
    try:
        question_building.move_question(get_question_or_404(survey, question_id),
                      up=request.args.get("direction") == "up")
    except question_building.MoveBreaksShowIf as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
    return redirect(url_for(".detail", survey_id=survey.id, _anchor=f"q{question_id}"))


@bp.route("/forms/<int:survey_id>/translations/<language>", methods=["GET", "POST"])
@allow(Access.STAFF)
def translations(survey_id: int, language: str):
    """Translate every text of the form into one of its other languages, on one screen."""
    survey = get_survey_or_404(survey_id)
    if language not in survey.languages or language == survey.default_language:
        abort(404)
    slots = text_slots(survey)
    form = translation_form(slots, language)
    if form.validate_on_submit():
        progress = save_translations(survey, language, values={
            slot.name: form[slot.name].data or "" for slot in slots})
        db.session.commit()
        flash(f"Saved the {language_name(language)} texts: {progress.done} of "
              f"{progress.total} translated.", "success")
        return redirect(url_for(".detail", survey_id=survey.id, _anchor="languages"))
    return render_template("surveys/builder/translations.html", survey=survey, form=form,
                           groups=grouped(slots), language=language,
                           language_label=language_name(language),
                           default_label=language_name(survey.default_language),
                           is_rtl=is_right_to_left(language),
                           progress=translation_progress(survey, language))


@bp.route("/forms/<int:survey_id>/duplicate", methods=["POST"])
@allow(Access.STAFF)
def duplicate(survey_id: int):
    """Copy a form, questions and texts included, as a new draft."""
    twin = building.duplicate_survey(get_survey_or_404(survey_id), created_by_id=current_user.id)
    db.session.commit()
    flash(f"Made “{twin.title}”, a draft. Change what you need, then open it.", "success")
    return redirect(url_for(".detail", survey_id=twin.id))


@bp.route("/forms/areas", methods=["GET", "POST"])
@allow(Access.STAFF)
def areas():
    """List the library's areas for "area" questions, and add one."""
    return _area_screen(SurveyArea(), template="surveys/builder/areas.html")


@bp.route("/forms/areas/<int:area_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_area(area_id: int):
    """Rename an area."""
    return _area_screen(db.get_or_404(SurveyArea, area_id),
                        template="surveys/builder/edit_area.html")


def _area_screen(area: SurveyArea, *, template: str):
    form = AreaForm(obj=area)
    if form.validate_on_submit():
        try:
            building.save_area(area, name=form.name.data)
        except building.AreaNameTaken:
            form.name.errors.append("The list already has an area with this name.")
        else:
            db.session.commit()
            flash(f"Saved {area.name}.", "success")
            return redirect(url_for(".areas"))
    return render_template(template, form=form, area=area, areas=building.survey_areas())


@bp.route("/forms/areas/<int:area_id>/move", methods=["POST"])
@allow(Access.STAFF)
def move_area(area_id: int):
    """Move an area one place up (?direction=up) or down."""
    building.move_area(db.get_or_404(SurveyArea, area_id),
                       up=request.args.get("direction") == "up")
    db.session.commit()
    return redirect(url_for(".areas", _anchor=f"area{area_id}"))


@bp.route("/forms/areas/<int:area_id>/switch", methods=["POST"])
@allow(Access.STAFF)
def switch_area(area_id: int):
    """Switch an area off, or back on."""
    area = db.get_or_404(SurveyArea, area_id)
    building.switch_area(area)
    db.session.commit()
    flash(f"{area.name} is {'on' if area.is_active else 'off'} the list for new questions.",
          "success")
    return redirect(url_for(".areas", _anchor=f"area{area_id}"))
