"""Stories of change of a plan and the panel's selections (most-significant-change).

Staff and members of the plan's action group add stories and record a panel's choices; a member
may change the stories they collected, staff change and remove any. Every change goes into the
plan's history. A teller's name is kept only when they agreed to be named in public, and public
documents carry only public stories (`booklet`).
"""

from dataclasses import dataclass, fields
from datetime import date

import sqlalchemy as sa

from app.accounts.models import User
from app.conversations.privacy import find_personal_details
from app.conversations.services import PlacedFinding
from app.documents.audience import Audience
from app.evaluation.models import Story, StoryConsent, StorySelection
from app.extensions import db
from app.plans.models import Plan
from app.templating import format_date

#: How many of the latest stories and selections the evaluation page shows.
LATEST = 3

QUOTE_MARKS = "\"“”'‘’«»"


class NameNeedsConsent(ValueError):
    """A teller's name was given, but they did not agree to be named in public."""


class PersonalDetailsFound(Exception):
    """The story's text looks like it holds a phone number or an email address."""

    def __init__(self, findings: list[PlacedFinding]):
        super().__init__(findings)
        self.findings = findings


@dataclass
class StoryDetails:
    """What the story form collects, as the save services take it."""

    title: str
    what_changed: str
    teller_role: str
    consent_level: str = StoryConsent.INTERNAL.value
    teller_name: str = ""
    domain: str = ""
    period_start: date | None = None
    period_end: date | None = None
    why_it_matters: str = ""
    told_on: date | None = None
    verified: bool = False


@dataclass
class SelectionDetails:
    """What the selection form collects, as the save services take it."""

    panel: str
    chosen_on: date
    reason: str
    round: str = ""
    fed_back_on: date | None = None


def may_edit_story(story: Story, user: User) -> bool:
    """Return whether `user` may change the story: staff, or the member who collected it."""
    return user.is_staff or story.collected_by_id == user.id


def collector_label(story: Story) -> str:
    """Return who collected the story, as the group knows them: a member by their chosen name."""
    if story.collected_by is None:
        return ""
    group = story.plan.action_group
    for membership in group.current_memberships if group else []:
        if membership.user_id == story.collected_by_id:
            return membership.display_name
    return story.collected_by.name


def personal_details_in(details: StoryDetails) -> list[PlacedFinding]:
    """Return the phone numbers and email addresses in what changed and why it matters."""
    texts = [("What changed", details.what_changed), ("Why it matters", details.why_it_matters)]
    return [PlacedFinding(name, finding)
            for name, text in texts for finding in find_personal_details(text)]


def add_story(plan: Plan, details: StoryDetails, *, by: User,
              keep_personal_details: bool = False) -> Story:
    """Add a story to `plan`, collected by `by`, and note it in the plan's history."""
    _check(details, keep_personal_details)
    story = Story(plan=plan, collected_by=by)
    _fill(story, details)
    db.session.add(story)
    plan.record_change(by, "story", f"Added the story {_named(story.title)} "
                                    f"({story.consent_label.lower()})")
    db.session.flush()
    return story


def update_story(story: Story, details: StoryDetails, *, by: User,
                 keep_personal_details: bool = False) -> None:
    """Store `details` on `story`; the history names the parts that changed."""
    _check(details, keep_personal_details)
    before = _snapshot(story)
    _fill(story, details)
    after = _snapshot(story)
    changed = [label for name, label in STORY_FIELDS.items() if before[name] != after[name]]
    if changed:
        story.plan.record_change(by, "story", f"Changed the story {_named(story.title)}: "
                                              f"{', '.join(changed)}")
    db.session.flush()


def delete_story(story: Story, *, by: User) -> None:
    """Remove a story and its selections; the plan's history keeps that it was removed."""
    story.plan.record_change(by, "story", f"Removed the story {_named(story.title)}")
    db.session.delete(story)
    db.session.flush()


def add_selection(story: Story, details: SelectionDetails, *, by: User) -> StorySelection:
    """Record a panel's choice of `story` and note it in the plan's history."""
    selection = StorySelection(recorded_by=by)
    _fill_selection(selection, details)
    story.selections.append(selection)
    chosen_on = format_date(selection.chosen_on)
    story.plan.record_change(by, "story", f"The panel chose the story {_named(story.title)}"
                                          f"{_round(selection)} on {chosen_on}")
    db.session.flush()
    return selection


def update_selection(selection: StorySelection, details: SelectionDetails, *, by: User) -> None:
    """Store `details` on a selection, such as the day the teller heard they were chosen."""
    fed_back_before = selection.fed_back_on
    _fill_selection(selection, details)
    story = selection.story
    summary = f"Changed the panel's choice of {_named(story.title)}{_round(selection)}"
    if selection.fed_back_on and selection.fed_back_on != fed_back_before:
        summary += f"; told the teller on {format_date(selection.fed_back_on)}"
    story.plan.record_change(by, "story", summary)
    db.session.flush()


def delete_selection(selection: StorySelection, *, by: User) -> None:
    """Remove a selection recorded by mistake; the plan's history keeps that it was removed."""
    story = selection.story
    story.plan.record_change(by, "story", f"Removed the panel's choice of {_named(story.title)}"
                                          f"{_round(selection)}")
    story.selections.remove(selection)
    db.session.flush()


def plan_stories(plan: Plan, *, selected_only: bool = False,
                 consent: str | None = None) -> list[Story]:
    """Return the plan's stories, newest told first, optionally only selected or of one consent."""
    query = sa.select(Story).where(Story.plan_id == plan.id)
    if selected_only:
        query = query.where(Story.selections.any())
    if consent:
        query = query.where(Story.consent_level == consent)
    return list(db.session.scalars(
        query.order_by(Story.told_on.is_(None), Story.told_on.desc(), Story.id.desc())))


def selected_stories(plan: Plan, *, public_only: bool) -> list[Story]:
    """Return the stories with at least one selection, newest selection first."""
    latest = (sa.select(StorySelection.story_id,
                        sa.func.max(StorySelection.chosen_on).label("chosen_on"),
                        sa.func.max(StorySelection.id).label("selection_id"))
              .group_by(StorySelection.story_id).subquery())
    query = (sa.select(Story).join(latest, latest.c.story_id == Story.id)
             .where(Story.plan_id == plan.id)
             .order_by(latest.c.chosen_on.desc(), latest.c.selection_id.desc()))
    if public_only:
        query = query.where(Story.consent_level != StoryConsent.INTERNAL.value)
    return list(db.session.scalars(query))


def latest_selections(plan: Plan, *, limit: int = LATEST) -> list[StorySelection]:
    """Return the plan's most recent panel choices, newest first."""
    return list(db.session.scalars(
        sa.select(StorySelection).join(Story).where(Story.plan_id == plan.id)
        .order_by(StorySelection.chosen_on.desc(), StorySelection.id.desc()).limit(limit)))


def overview(plan: Plan, user: User) -> dict:
    """Return what the plan's evaluation page shows of this part."""
    stories = plan_stories(plan)
    by_consent = {level: sum(story.consent_level == level for story in stories)
                  for level in StoryConsent}
    return {
        "count": len(stories),
        "selected_count": sum(bool(story.selections) for story in stories),
        "consent_counts": [(level.label, by_consent[level]) for level in StoryConsent],
        "latest": stories[:LATEST],
        "latest_selections": latest_selections(plan),
        "may_print_internal": user.is_staff,
    }


@dataclass(frozen=True)
class BookletSelection:
    """A panel's choice as a booklet prints it."""

    panel: str
    round: str
    chosen_on: date
    reason: str
    fed_back_on: date | None


@dataclass(frozen=True)
class BookletStory:
    """One story as a booklet prints it; `consent` and `verified` are for internal copies."""

    title: str
    domain: str
    period: str
    what_changed: str
    why_it_matters: str
    teller: str
    told_on: date | None
    consent: str
    is_public: bool
    verified: bool
    selections: list[BookletSelection]


@dataclass(frozen=True)
class StoryBooklet:
    """The stories of change of a plan for one audience: the panel's choices first."""

    plan_title: str
    goal: str
    selected: list[BookletStory]
    others: list[BookletStory]
    is_internal: bool


def booklet(plan: Plan, audience: Audience) -> StoryBooklet:
    """Prepare the stories booklet; only public stories leave the library."""
    public_only = not audience.is_internal
    selected = selected_stories(plan, public_only=public_only)
    chosen = {story.id for story in selected}
    others = [story for story in plan_stories(plan) if story.id not in chosen
              and (story.is_public or not public_only)]
    return StoryBooklet(plan_title=plan.title, goal=plan.goal or "",
                        selected=[_printed(story) for story in selected],
                        others=[_printed(story) for story in others],
                        is_internal=audience.is_internal)


#: Fields named in the history when a story changes.
STORY_FIELDS = {
    "title": "title", "domain": "domain of change", "period": "period",
    "what_changed": "what changed", "why_it_matters": "why it matters", "teller": "teller",
    "consent_level": "consent", "told_on": "date told", "verified": "checked with the teller",
}


def _check(details: StoryDetails, keep_personal_details: bool) -> None:
    if details.teller_name and details.consent_level != StoryConsent.NAMED_PUBLIC:
        raise NameNeedsConsent(
            "A name is kept only when the teller agreed to be named in public. Choose "
            "“Public, with their name” if they agreed, or take the name out.")
    if not keep_personal_details:
        findings = personal_details_in(details)
        if findings:
            raise PersonalDetailsFound(findings)


def _fill(story: Story, details: StoryDetails) -> None:
    for item in fields(details):
        setattr(story, item.name, getattr(details, item.name))


def _fill_selection(selection: StorySelection, details: SelectionDetails) -> None:
    for item in fields(details):
        setattr(selection, item.name, getattr(details, item.name))


def _snapshot(story: Story) -> dict[str, object]:
    return {
        "title": story.title, "domain": story.domain,
        "period": (story.period_start, story.period_end), "what_changed": story.what_changed,
        "why_it_matters": story.why_it_matters, "teller": (story.teller_role, story.teller_name),
        "consent_level": story.consent_level, "told_on": story.told_on,
        "verified": story.verified,
    }


def _printed(story: Story) -> BookletStory:
    return BookletStory(
        title=story.title, domain=story.domain, period=period_text(story),
        what_changed=story.what_changed, why_it_matters=story.why_it_matters,
        teller=story.public_teller, told_on=story.told_on, consent=story.consent_label,
        is_public=story.is_public, verified=story.verified,
        selections=[BookletSelection(panel=selection.panel, round=selection.round,
                                     chosen_on=selection.chosen_on, reason=selection.reason,
                                     fed_back_on=selection.fed_back_on)
                    for selection in reversed(story.selections)])


def period_text(story: Story) -> str:
    """Return the period a story covers in words, or "" when none was given."""
    start, end = story.period_start, story.period_end
    if start and end:
        return f"{format_date(start)} to {format_date(end)}"
    if start:
        return f"From {format_date(start)}"
    if end:
        return f"Until {format_date(end)}"
    return ""


def _round(selection: StorySelection) -> str:
    return f" ({selection.round})" if selection.round else ""


def _named(title: str) -> str:
    """Return a title in quotation marks, unless it starts or ends with its own."""
    return title if title[:1] in QUOTE_MARKS or title[-1:] in QUOTE_MARKS else f"“{title}”"
