"""Screens for the codebook, coding a text, and the "to code" queue. Staff only."""

from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.accounts.services import safe_next_url
from app.extensions import db
from app.themes import bp
from app.themes.codebook import (
    CodebookError,
    codebook,
    coding_screen,
    merge_themes,
    plan_merge,
    save_theme,
    theme_excerpts,
    theme_for_coding,
    uncode,
)
from app.themes.codebook_forms import (
    CodebookFilterForm,
    CodingForm,
    MergeForm,
    QueueFilterForm,
    ThemeForm,
    community_choices,
    parent_choices,
    theme_choices,
)
from app.themes.coding import CodingError, Source, code_words, excerpts_in, source_for_ref
from app.themes.models import Excerpt, SourceKind, Theme
from app.themes.queue import (
    QueueFilters,
    coding_url,
    describe,
    next_in_queue,
    queue_page,
    skip_source,
)
from app.themes.suggesting import dismiss_suggestion


def get_theme_or_404(theme_id: int) -> Theme:
    return db.get_or_404(Theme, theme_id)


def get_source_or_404(kind: str, record_id: int) -> Source:
    source = source_for_ref(f"{kind}:{record_id}")
    if source is None:
        abort(404)
    return source


@bp.route("/", endpoint="codebook")
@allow(Access.STAFF)
def codebook_list():
    form = CodebookFilterForm(request.args)
    form.focus_community_id.choices = community_choices("Any focus community")
    filters = form.filters() if form.validate() else CodebookFilterForm(formdata=None).filters()
    args = {name: value for name, value in request.args.items() if value and value != "0"}
    return render_template("themes/codebook.html", form=form, groups=codebook(filters),
                           is_filtered=bool(args))


@bp.route("/new", methods=["GET", "POST"])
@allow(Access.STAFF)
def new_theme():
    return _theme_screen(Theme(kind=request.args.get("kind", "need")))


@bp.route("/<int:theme_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_theme(theme_id: int):
    return _theme_screen(get_theme_or_404(theme_id))


def _theme_screen(theme: Theme):
    form = ThemeForm(obj=theme)
    form.parent_id.choices = parent_choices(theme)
    form.focus_community_id.choices = community_choices("All focus communities")
    if form.validate_on_submit():
        try:
            save_theme(theme, form.draft(), by=current_user)
        except CodebookError as error:
            field = form.name if "name" in type(error).__name__.lower() else form.parent_id
            field.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Saved the theme “{theme.name}”.", "success")
            return redirect(url_for(".theme", theme_id=theme.id))
    return render_template("themes/edit_theme.html", form=form, theme=theme)


@bp.route("/<int:theme_id>")
@allow(Access.STAFF)
def theme(theme_id: int):
    theme = get_theme_or_404(theme_id)
    return render_template("themes/theme.html", theme=theme, excerpts=theme_excerpts(theme))


@bp.route("/<int:theme_id>/excerpts/<int:excerpt_id>/remove", methods=["POST"])
@allow(Access.STAFF)
def uncode_excerpt(theme_id: int, excerpt_id: int):
    theme = get_theme_or_404(theme_id)
    excerpt = db.get_or_404(Excerpt, excerpt_id)
    deleted = uncode(excerpt, theme)
    db.session.commit()
    flash(f"Took “{theme.name}” off the passage." + (
        " It had no other theme, so it is no longer coded." if deleted else ""), "success")
    back = safe_next_url(request.args.get("next"))
    return redirect(back or url_for(".theme", theme_id=theme.id))


@bp.route("/<int:theme_id>/merge", methods=["GET", "POST"])
@allow(Access.STAFF)
def merge_theme(theme_id: int):
    theme = get_theme_or_404(theme_id)
    form = MergeForm(request.values)
    form.into_id.choices = theme_choices(leave_out=theme)
    if "into_id" not in request.values or not form.into_id.validate(form):
        return render_template("themes/merge_theme.html", theme=theme, form=form, plan=None)
    plan = plan_merge(theme, get_theme_or_404(form.into_id.data))
    if request.method == "POST":
        name, into = theme.name, plan.into
        merge_themes(theme, into)
        db.session.commit()
        flash(f"Merged “{name}” into “{into.name}”.", "success")
        return redirect(url_for(".theme", theme_id=into.id))
    return render_template("themes/merge_theme.html", theme=theme, form=form, plan=plan)


@bp.route("/to-code")
@allow(Access.STAFF)
def queue():
    form = _queue_filter_form()
    filters = _queue_filters(form)
    page = queue_page(filters, page=request.args.get("page", 1, type=int),
                      per_page=current_app.config["PAGE_SIZE"])
    return render_template("themes/queue.html", form=form, page=page, args=filters.args())


@bp.route("/to-code/<kind>/<int:id>/skip", methods=["POST"])
@allow(Access.STAFF)
def skip(kind: str, id: int):
    source = get_source_or_404(kind, id)
    skip_source(source, by=current_user)
    db.session.commit()
    flash(f"Took “{describe(source).title}” off the queue: nothing to code.", "success")
    return redirect(url_for(".queue", **_queue_filters().args()))


def _queue_filter_form() -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    form.focus_community_id.choices = community_choices("Any focus community")
    return form


def _queue_filters(form: QueueFilterForm | None = None) -> QueueFilters:
    """Return the queue's filters from the query string; the coding screen carries them."""
    form = form or _queue_filter_form()
    return form.filters() if form.validate() else QueueFilters()


@bp.route("/code/<kind>/<int:id>", methods=["GET", "POST"])
@allow(Access.STAFF)
def code_source(kind: str, id: int):
    source = get_source_or_404(kind, id)
    form = CodingForm()
    if form.validate_on_submit():
        try:
            excerpt = _code(source, form)
        except CodingError as error:
            db.session.rollback()
            form.passage.errors.append(str(error))
        else:
            db.session.commit()
            flash("Coded to " + ", ".join(f"“{t.name}”" for t in excerpt.themes) + ".",
                  "success")
            return redirect(_after_coding(source, form))
    return render_template("themes/code_source.html", form=form,
                           screen=coding_screen(source), queue_args=_queue_filters().args())


def _code(source: Source, form: CodingForm) -> Excerpt:
    themes = list(db.session.scalars(db.select(Theme).where(Theme.id.in_(form.theme_ids.data))))
    if form.new_theme_name.data:
        themes.append(theme_for_coding(form.new_theme_name.data, form.new_theme_kind.data,
                                       by=current_user,
                                       focus_community_id=source.focus_community_id))
    passage = None if form.whole.data else form.passage.data
    return code_words(source, themes, by=current_user, passage=passage, near=form.start.data)


def _after_coding(source: Source, form: CodingForm) -> str:
    filters = _queue_filters()
    if not form.save_next.data:
        return coding_url(source, **filters.args())
    following = next_in_queue(filters, after_ref=source.ref)
    if following is None:
        flash("Nothing else is waiting to be coded.", "info")
        return url_for(".queue", **filters.args())
    return coding_url(following, **filters.args())


@bp.route("/code/<kind>/<int:id>/ignore/<int:theme_id>", methods=["POST"])
@allow(Access.STAFF)
def dismiss(kind: str, id: int, theme_id: int):
    source = get_source_or_404(kind, id)
    theme = get_theme_or_404(theme_id)
    dismiss_suggestion(source, theme, by_id=current_user.id)
    db.session.commit()
    flash(f"“{theme.name}” will not be suggested for this text again.", "info")
    return redirect(coding_url(source, **_queue_filters().args()))


@dataclass(frozen=True)
class CodedPassages:
    """What a source page shows of its coding: excerpts, and links to code its texts."""

    excerpts: list[Excerpt]
    code_links: list[tuple[str, str]]


#: What the link to a source's coding screen says on its page.
CODE_LINK_LABELS = {
    SourceKind.CONVERSATION: "Code the notes",
    SourceKind.QUOTE: "Code this quote",
    SourceKind.MEETING: "Code the meeting notes",
}


def _code_link_label(source: Source) -> str:
    if source.kind is SourceKind.ANSWER:
        return f"Code the answer to “{source.record.question.text('prompt')}”"
    return CODE_LINK_LABELS[source.kind]


def coded_passages(source_ref: str) -> CodedPassages | None:
    """Return the coding of a source page for staff (None for anyone else)."""
    if not (current_user.is_authenticated and current_user.is_staff):
        return None
    excerpts, sources = excerpts_in(source_ref)
    return CodedPassages(excerpts=excerpts, code_links=[
        (_code_link_label(source), coding_url(source)) for source in sources])


@dataclass(frozen=True)
class SourceLink:
    label: str
    url: str | None
    code_url: str


def source_page_url(source: Source) -> str | None:
    """Return the address of the page where the source's text is shown."""
    record = source.record
    if source.kind is SourceKind.CONVERSATION:
        return url_for("conversations.detail", conversation_id=record.id)
    if source.kind is SourceKind.QUOTE:
        return url_for("conversations.detail", conversation_id=record.conversation_id)
    if source.kind is SourceKind.ANSWER:
        return url_for("surveys.response", survey_id=record.response.survey_id,
                       response_id=record.response_id)
    if "meetings.meeting" in current_app.view_functions:  # built by the meetings area
        return url_for("meetings.meeting", meeting_id=record.id)
    return None


def excerpt_source(excerpt: Excerpt) -> SourceLink:
    """Return where an excerpt was taken from: a label, its page, and its coding screen."""
    kind = excerpt.source_kind
    source = source_for_ref(f"{kind}:{getattr(excerpt, f'{kind}_id')}")
    label = describe(source).title if source else excerpt.source_kind_label
    return SourceLink(label=label, url=source_page_url(source) if source else None,
                      code_url=url_for(".code_source", kind=kind,
                                       id=getattr(excerpt, f"{kind}_id")))


@bp.app_context_processor
def coding_helpers() -> dict:
    return {"coded_passages": coded_passages, "excerpt_source": excerpt_source,
            "source_page_url": source_page_url, "describe_source": describe,
            "coding_url": coding_url}
