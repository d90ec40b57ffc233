"""Screens for a plan's stories of change, the panel's selections and the stories booklet.

Staff and members of the plan's action group add stories and record selections; a member
changes the stories they collected, staff change and remove any. Another group's stories
answer 403.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.documents.audience import Audience, print_request
from app.documents.pdf import pdf_filename, pdf_response, render_pdf
from app.evaluation import bp
from app.evaluation.models import Story, StorySelection
from app.evaluation.stories import (
    NameNeedsConsent,
    PersonalDetailsFound,
    add_selection,
    add_story,
    booklet,
    collector_label,
    delete_selection,
    delete_story,
    may_edit_story,
    period_text,
    plan_stories,
    update_selection,
    update_story,
)
from app.evaluation.story_forms import (
    SelectionForm,
    StoryFilterForm,
    StoryForm,
    selection_values,
    story_values,
)
from app.extensions import db
from app.plans.membership import require_group
from app.plans.plan_views import get_plan_or_404
from app.records import library_today

NOT_YOURS = ("Only library staff and the person who collected a story can change it. Ask them, "
             "or record the panel's choice instead.")


def get_story_or_404(story_id: int) -> Story:
    """Return the story: 404 if there is none, 403 if it is another group's."""
    story = db.get_or_404(Story, story_id)
    require_group(current_user, story.plan.action_group_id)
    return story


def get_selection_or_404(selection_id: int) -> StorySelection:
    """Return the selection: 404 if there is none, 403 if it is another group's."""
    selection = db.get_or_404(StorySelection, selection_id)
    require_group(current_user, selection.story.plan.action_group_id)
    return selection


@bp.route("/plans/<int:plan_id>/stories")
@allow(Access.MEMBER)
def stories(plan_id: int):
    plan = get_plan_or_404(plan_id)
    form = StoryFilterForm(request.args)
    selected, consent = (form.selected.data, form.consent.data) if form.validate() else ("", "")
    return render_template(
        "evaluation/stories.html", plan=plan, form=form, is_filtered=bool(selected or consent),
        stories=plan_stories(plan, selected_only=selected == "1", consent=consent or None))


@bp.route("/plans/<int:plan_id>/stories/new", methods=["GET", "POST"])
@allow(Access.MEMBER)
def new_story(plan_id: int):
    plan = get_plan_or_404(plan_id)
    form = StoryForm()
    findings = []
    if form.validate_on_submit():
        try:
            story = add_story(plan, form.details(), by=current_user,
                              keep_personal_details=form.keep_personal_details.data)
        except NameNeedsConsent as refused:
            form.teller_name.errors.append(str(refused))
        except PersonalDetailsFound as found:
            findings = found.findings
        else:
            db.session.commit()
            flash(f"Added the story “{story.title}”.", "success")
            return redirect(url_for(".story", story_id=story.id))
    return render_template("evaluation/story_form.html", form=form, plan=plan, story=None,
                           findings=findings)


@bp.route("/plans/stories/<int:story_id>")
@allow(Access.MEMBER)
def story(story_id: int):
    story = get_story_or_404(story_id)
    return render_template("evaluation/story.html", story=story, plan=story.plan,
                           period=period_text(story), collector=collector_label(story),
                           may_edit=may_edit_story(story, current_user))


@bp.route("/plans/stories/<int:story_id>/edit", methods=["GET", "POST"])
@allow(Access.MEMBER)
def edit_story(story_id: int):
    story = get_story_or_404(story_id)
    if not may_edit_story(story, current_user):
        flash(NOT_YOURS, "error")
        return redirect(url_for(".story", story_id=story.id))
    form = StoryForm(data=story_values(story))
    findings = []
    if form.validate_on_submit():
        try:
            update_story(story, form.details(), by=current_user,
                         keep_personal_details=form.keep_personal_details.data)
        except NameNeedsConsent as refused:
            form.teller_name.errors.append(str(refused))
        except PersonalDetailsFound as found:
            findings = found.findings
        else:
            db.session.commit()
            flash("Saved the story.", "success")
            return redirect(url_for(".story", story_id=story.id))
    return render_template("evaluation/story_form.html", form=form, plan=story.plan,
                           story=story, findings=findings)


@bp.route("/plans/stories/<int:story_id>/delete", methods=["POST"], endpoint="delete_story")
@allow(Access.STAFF)
def remove_story(story_id: int):
    story = get_story_or_404(story_id)
    plan_id = story.plan_id
    delete_story(story, by=current_user)
    db.session.commit()
    flash("Removed the story. The plan's history keeps a note of it.", "success")
    return redirect(url_for(".stories", plan_id=plan_id))


@bp.route("/plans/stories/<int:story_id>/selections/new", methods=["GET", "POST"])
@allow(Access.MEMBER)
def new_selection(story_id: int):
    story = get_story_or_404(story_id)
    form = SelectionForm(data={"chosen_on": library_today()})
    if form.validate_on_submit():
        add_selection(story, form.details(), by=current_user)
        db.session.commit()
        flash("Recorded the panel's choice.", "success")
        return redirect(url_for(".story", story_id=story.id))
    return render_template("evaluation/story_selection_form.html", form=form, story=story,
                           selection=None)


@bp.route("/plans/stories/selections/<int:selection_id>/edit", methods=["GET", "POST"])
@allow(Access.MEMBER)
def edit_selection(selection_id: int):
    selection = get_selection_or_404(selection_id)
    form = SelectionForm(data=selection_values(selection))
    if form.validate_on_submit():
        update_selection(selection, form.details(), by=current_user)
        db.session.commit()
        flash("Saved the panel's choice.", "success")
        return redirect(url_for(".story", story_id=selection.story_id))
    return render_template("evaluation/story_selection_form.html", form=form,
                           story=selection.story, selection=selection)


@bp.route("/plans/stories/selections/<int:selection_id>/delete", methods=["POST"],
          endpoint="delete_selection")
@allow(Access.STAFF)
def remove_selection(selection_id: int):
    selection = get_selection_or_404(selection_id)
    story_id = selection.story_id
    delete_selection(selection, by=current_user)
    db.session.commit()
    flash("Removed the panel's choice. The plan's history keeps a note of it.", "success")
    return redirect(url_for(".story", story_id=story_id))


@bp.route("/plans/<int:plan_id>/stories.pdf")
@allow(Access.MEMBER)
def stories_pdf(plan_id: int):
    """Print the stories of change for the public (the default), partners or the library."""
    plan = get_plan_or_404(plan_id)
    options = print_request(request.args, default=Audience.PUBLIC, viewer=current_user)
    pdf = render_pdf("pdf/evaluation/stories.html", audience=options.audience,
                     title=f"Stories of change: {plan.title}",
                     large_print=options.large_print,
                     booklet=booklet(plan, options.audience))
    return pdf_response(pdf, pdf_filename("stories of change", plan.title,
                                          options.audience.value))
