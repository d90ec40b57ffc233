"""Screens for priorities and dot votes: staff draft priorities from themes, put them to a
meeting on a printed dot-vote sheet, enter the dots, and record the decision that endorses them.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.documents.audience import Audience, print_request
from app.documents.pdf import pdf_filename, pdf_response, render_pdf
from app.errors import render_error
from app.extensions import db
from app.meetings.models import Decision, Meeting, MeetingStateError
from app.themes import bp
from app.themes.models import Priority, PriorityStateError, Theme
from app.themes.priorities import (
    DEFAULT_DOTS,
    MAX_DOTS,
    BadChoice,
    NoCandidates,
    VoteLocked,
    VotesNotCounted,
    candidates,
    decide_from_votes,
    decision_choices,
    dot_vote_sheet,
    draft_priority,
    eligible_priorities,
    endorse_priority,
    grouped_priorities,
    record_votes,
    return_to_draft,
    save_priority,
    set_candidates,
    theme_and_community_choices,
    vote_decision,
    vote_meetings,
    vote_tally,
    votes_for,
)
from app.themes.priority_forms import (
    CandidatesForm,
    DecideForm,
    EndorseForm,
    PriorityForm,
    ReturnToDraftForm,
    build_votes_form,
    candidate_rows,
    priority_values,
)

BAD_DOTS = f"The number of dots each person has must be a whole number from 1 to {MAX_DOTS}."
#: How many of the top candidates the decision form ticks to start with.
PRE_CHOSEN = 2


@bp.route("/priorities")
@allow(Access.STAFF)
def priorities():
    return render_template("themes/priorities.html", groups=grouped_priorities(),
                           meetings=vote_meetings())


@bp.route("/priorities/new", methods=["GET", "POST"])
@allow(Access.STAFF)
def new_priority():
    theme_id = request.args.get("theme_id", type=int)
    theme = db.session.get(Theme, theme_id) if theme_id else None
    return _priority_screen(draft_priority(current_user, theme=theme))


@bp.route("/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_priority(priority_id: int):
    return _priority_screen(db.get_or_404(Priority, priority_id))


def _priority_screen(priority: Priority):
    form = PriorityForm(data=priority_values(priority))
    for name, choices in theme_and_community_choices().items():
        form[name].choices = choices
    if form.validate_on_submit():
        save_priority(priority, form.draft())
        db.session.commit()
        flash("Saved the priority.", "success")
        return redirect(url_for(".priority", priority_id=priority.id))
    return render_template("themes/edit_priority.html", form=form, priority=priority)


@bp.route("/priorities/<int:priority_id>")
@allow(Access.STAFF)
def priority(priority_id: int):
    return _priority_page(db.get_or_404(Priority, priority_id))


def _priority_page(priority: Priority, endorse_form: EndorseForm | None = None,
                   draft_form: ReturnToDraftForm | None = None):
    endorse_form = endorse_form or EndorseForm(formdata=None)
    endorse_form.decision_id.choices = [(0, "Choose a decision")] + decision_choices(priority)
    return render_template("themes/priority.html", priority=priority, votes=votes_for(priority),
                           endorse_form=endorse_form,
                           draft_form=draft_form or ReturnToDraftForm(formdata=None))


@bp.route("/priorities/<int:priority_id>/endorse", methods=["POST"],
          endpoint="endorse_priority")
@allow(Access.STAFF)
def endorse_priority_view(priority_id: int):
    priority = db.get_or_404(Priority, priority_id)
    form = EndorseForm()
    if form.validate_on_submit():
        try:
            endorse_priority(priority, db.session.get(Decision, form.decision_id.data or 0))
        except PriorityStateError as refused:
            form.decision_id.errors.append(str(refused))
        else:
            db.session.commit()
            flash("The priority is now community-endorsed.", "success")
            return redirect(url_for(".priority", priority_id=priority.id))
    return _priority_page(priority, endorse_form=form)


@bp.route("/priorities/<int:priority_id>/return-to-draft", methods=["POST"])
@allow(Access.STAFF)
def return_priority_to_draft(priority_id: int):
    priority = db.get_or_404(Priority, priority_id)
    form = ReturnToDraftForm()
    if not form.validate_on_submit():
        return _priority_page(priority, draft_form=form)
    return_to_draft(priority)
    db.session.commit()
    flash("The priority is a staff draft again. The decision stays on record.", "info")
    return redirect(url_for(".priority", priority_id=priority.id))


@bp.route("/priorities/dot-vote/<int:meeting_id>/candidates", methods=["GET", "POST"])
@allow(Access.STAFF)
def dot_vote_setup(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    priorities, votes = eligible_priorities(meeting), candidates(meeting)
    form = CandidatesForm(data=candidate_rows(priorities, votes))
    if form.validate_on_submit():
        try:
            set_candidates(meeting, form.chosen_ids())
        except (VoteLocked, BadChoice) as refused:
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash("Saved the candidates. The sheet is ready to print.", "success")
        return redirect(url_for(".dot_vote_setup", meeting_id=meeting.id))
    titles = {priority.id: priority for priority in priorities}
    return render_template("themes/dot_vote_setup.html", meeting=meeting, form=form,
                           priorities=titles, has_candidates=bool(votes),
                           decision=vote_decision(meeting))


@bp.route("/priorities/dot-vote/<int:meeting_id>.pdf")
@allow(Access.STAFF)
def dot_vote_pdf(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    options = print_request(request.args, default=Audience.PUBLIC, viewer=current_user)
    dots = request.args.get("dots", str(DEFAULT_DOTS)).strip()
    if not dots.isdigit() or not 1 <= int(dots) <= MAX_DOTS:
        return render_error(400, BAD_DOTS)
    sheet = dot_vote_sheet(meeting, dots=int(dots))
    if not sheet.candidates:
        return render_error(404, "This meeting has no candidate priorities yet. Choose them "
                                 "first, then print the sheet.")
    pdf = render_pdf("pdf/themes/dot_vote.html", audience=options.audience,
                     title=f"Dot vote: {meeting.title}", large_print=options.large_print,
                     sheet=sheet)
    return pdf_response(pdf, pdf_filename("dot vote", meeting.title))


@bp.route("/priorities/votes/<int:meeting_id>", methods=["GET", "POST"])
@allow(Access.STAFF)
def enter_votes(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    votes = candidates(meeting)
    form = build_votes_form(votes)(data={f"dots_{vote.priority_id}": vote.dots
                                         for vote in votes})
    if votes and form.validate_on_submit():
        try:
            record_votes(meeting, form.dots())
        except VoteLocked as refused:
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash("Saved the dots.", "success")
        return redirect(url_for(".enter_votes", meeting_id=meeting.id))
    return _votes_page(meeting, votes_form=form)


@bp.route("/priorities/votes/<int:meeting_id>/decide", methods=["POST"],
          endpoint="decide_from_votes")
@allow(Access.STAFF)
def decide_from_votes_view(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = DecideForm()
    if form.validate_on_submit():
        try:
            decision = decide_from_votes(meeting, form.chosen.data, by=current_user,
                                         decided_by=form.decided_by.data,
                                         voters=form.voters.data)
        except (MeetingStateError, VoteLocked, NoCandidates, VotesNotCounted,
                BadChoice) as refused:
            form.chosen.errors.append(str(refused))
        else:
            db.session.commit()
            flash(f"Recorded the decision. {len(form.chosen.data)} "
                  f"{'priority is' if len(form.chosen.data) == 1 else 'priorities are'} now "
                  f"community-endorsed.", "success")
            return redirect(url_for(".enter_votes", meeting_id=decision.meeting_id))
    return _votes_page(meeting, decide_form=form)


def _votes_page(meeting: Meeting, *, votes_form=None, decide_form: DecideForm | None = None):
    votes = candidates(meeting)
    tally = vote_tally(meeting)
    votes_form = votes_form or build_votes_form(votes)(
        formdata=None, data={f"dots_{vote.priority_id}": vote.dots for vote in votes})
    decide_form = decide_form or DecideForm(formdata=None, data={
        "chosen": [row.priority_id for row in tally.rows[:PRE_CHOSEN]],
        "decided_by": _everyone_at(meeting)})
    decide_form.chosen.choices = [(row.priority_id, row.title) for row in tally.rows]
    return render_template("themes/enter_votes.html", meeting=meeting, tally=tally,
                           votes_form=votes_form, decide_form=decide_form,
                           decision=vote_decision(meeting))


def _everyone_at(meeting: Meeting) -> str:
    if meeting.headcount:
        return f"Everyone at the meeting ({meeting.headcount} people)"
    return "Everyone at the meeting"
