"""Stories of change and the panel's selections: who may add, change and remove them, the rule
that a name needs named consent, the personal-details check, the list and the plan's history."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.evaluation import stories as story_service
from app.evaluation.models import Story, StorySelection
from app.extensions import db
from app.plans.models import PlanChange
from tests.conftest import log_in


@pytest.fixture
def plan(make_action_group, make_plan, member):
    group = make_action_group(members=[member], name="Eastgate Families Table")
    plan = make_plan(title="Homework help", action_group=group)
    db.session.commit()
    return plan


@pytest.fixture
def make_story(plan):
    def make(**fields) -> Story:
        fields.setdefault("plan", plan)
        fields.setdefault("title", "A story")
        fields.setdefault("what_changed", "Something changed.")
        fields.setdefault("teller_role", "a parent")
        story = Story(**fields)
        db.session.add(story)
        db.session.commit()
        return story

    return make


def story_form(**fields) -> dict:
    form = {"title": "The library feels like ours", "domain": "feeling at home",
            "what_changed": "My son now asks to go to the library after school.",
            "why_it_matters": "He used to stay home alone.",
            "teller_role": "a grandmother from Tower B", "consent_level": "anonymous_public",
            "teller_name": "", "told_on": "2026-03-12", "period_start": "2026-01-05",
            "period_end": ""}
    form.update(fields)
    return form


def history(plan) -> list[str]:
    return list(db.session.scalars(sa.select(PlanChange.summary).where(
        PlanChange.plan_id == plan.id, PlanChange.part == "story").order_by(PlanChange.id)))


def test_staff_adds_a_story_and_the_history_notes_it(staff_client, plan, staff):
    response = staff_client.post(f"/plans/{plan.id}/stories/new", data=story_form())

    story = db.session.scalars(sa.select(Story)).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/stories/{story.id}"
    assert story.teller_role == "a grandmother from Tower B"
    assert story.consent_level == "anonymous_public"
    assert story.told_on == date(2026, 3, 12)
    assert story.period_start == date(2026, 1, 5) and story.period_end is None
    assert story.collected_by == staff
    assert history(plan) == ["Added the story “The library feels like ours” "
                             "(public, without a name)"]
    page = staff_client.get(f"/plans/stories/{story.id}").get_data(as_text=True)
    assert "My son now asks to go to the library after school." in page
    assert "Public, without a name" in page
    assert "No panel has chosen this story yet" in page


def test_group_member_adds_and_edits_the_story_they_collected(member_client, plan, member):
    member_client.post(f"/plans/{plan.id}/stories/new",
                       data=story_form(consent_level="internal_only"))
    story = db.session.scalars(sa.select(Story)).one()
    assert story.collected_by == member

    response = member_client.post(f"/plans/stories/{story.id}/edit", data=story_form(
        consent_level="internal_only", why_it_matters="He has friends there now.",
        verified="y"))

    assert response.status_code == 302
    db.session.refresh(story)
    assert story.why_it_matters == "He has friends there now."
    assert story.verified is True
    assert history(plan)[-1] == ("Changed the story “The library feels like ours”: "
                                 "why it matters, checked with the teller")


def test_member_cannot_change_a_story_someone_else_collected(member_client, make_story, staff):
    story = make_story(title="Staff's story", collected_by=staff)

    opened = member_client.get(f"/plans/stories/{story.id}/edit")
    sent = member_client.post(f"/plans/stories/{story.id}/edit",
                              data=story_form(title="Changed by a member"))

    assert opened.status_code == sent.status_code == 302
    assert sent.headers["Location"] == f"/plans/stories/{story.id}"
    db.session.refresh(story)
    assert story.title == "Staff's story"
    page = member_client.get(f"/plans/stories/{story.id}").get_data(as_text=True)
    assert "Edit story" not in page


def test_only_staff_remove_a_story_and_the_history_keeps_it(
        member_client, staff, plan, make_story):
    story = make_story(title="Wrong plan")
    story.selections.append(StorySelection(panel="two parents", chosen_on=date(2026, 4, 1),
                                           reason="Why"))
    db.session.commit()

    assert member_client.post(f"/plans/stories/{story.id}/delete").status_code == 403
    log_in(member_client, staff)
    response = member_client.post(f"/plans/stories/{story.id}/delete")

    assert response.headers["Location"] == f"/plans/{plan.id}/stories"
    assert db.session.scalar(sa.select(sa.func.count(Story.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(StorySelection.id))) == 0
    assert history(plan) == ["Removed the story “Wrong plan”"]


def test_a_name_without_named_consent_is_refused_next_to_the_field(staff_client, plan):
    response = staff_client.post(f"/plans/{plan.id}/stories/new", data=story_form(
        teller_name="Maria Santos", consent_level="anonymous_public"))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="teller_name-error"' in page
    assert "A name is kept only when the teller agreed to be named in public" in page
    assert db.session.scalar(sa.select(sa.func.count(Story.id))) == 0
    assert history(plan) == []


def test_a_name_with_named_consent_is_kept_and_printed_with_the_role(staff_client, plan):
    staff_client.post(f"/plans/{plan.id}/stories/new", data=story_form(
        teller_name="Maria Santos", consent_level="named_public"))

    story = db.session.scalars(sa.select(Story)).one()
    assert story.teller_name == "Maria Santos"
    assert story.public_teller == "Maria Santos, a grandmother from Tower B"


def test_taking_named_consent_back_needs_the_name_removed(staff_client, make_story):
    story = make_story(teller_name="Maria Santos", consent_level="named_public")

    refused = staff_client.post(f"/plans/stories/{story.id}/edit", data=story_form(
        teller_name="Maria Santos", consent_level="internal_only"))
    saved = staff_client.post(f"/plans/stories/{story.id}/edit", data=story_form(
        teller_name="", consent_level="internal_only"))

    assert refused.status_code == 200 and 'id="teller_name-error"' in refused.get_data(True)
    assert saved.status_code == 302
    db.session.refresh(story)
    assert (story.teller_name, story.consent_level) == ("", "internal_only")


def test_a_phone_number_in_the_story_asks_for_confirmation_first(staff_client, plan):
    text = story_form(what_changed="She called me at 613-555-0199 to say thanks.")

    warned = staff_client.post(f"/plans/{plan.id}/stories/new", data=text)
    assert warned.status_code == 200
    page = warned.get_data(as_text=True)
    assert "Check for personal details before saving" in page
    assert "What changed: a phone number: <strong class=\"found\">613-555-0199</strong>" in page
    assert db.session.scalar(sa.select(sa.func.count(Story.id))) == 0

    kept = staff_client.post(f"/plans/{plan.id}/stories/new",
                             data=dict(text, keep_personal_details="y"))
    assert kept.status_code == 302
    assert "613-555-0199" in db.session.scalars(sa.select(Story.what_changed)).one()


def test_an_email_in_why_it_matters_is_found(plan):
    details = story_service.StoryDetails(title="T", what_changed="x", teller_role="a parent",
                                         why_it_matters="Write to amira@example.org")
    found = story_service.personal_details_in(details)
    assert [(item.field, item.finding.text) for item in found] == [
        ("Why it matters", "amira@example.org")]


def test_member_records_a_panel_choice_and_later_the_feedback(member_client, plan, make_story):
    story = make_story(title="Second home")

    response = member_client.post(f"/plans/stories/{story.id}/selections/new", data={
        "panel": "two parents, the settlement worker and the branch librarian",
        "round": "spring 2026", "chosen_on": "2026-04-02",
        "reason": "It shows the library became a safe place after school."})
    assert response.headers["Location"] == f"/plans/stories/{story.id}"
    selection = db.session.scalars(sa.select(StorySelection)).one()
    assert selection.fed_back_on is None

    member_client.post(f"/plans/stories/selections/{selection.id}/edit", data={
        "panel": selection.panel, "round": "spring 2026", "chosen_on": "2026-04-02",
        "reason": selection.reason, "fed_back_on": "2026-04-10"})

    db.session.refresh(selection)
    assert selection.fed_back_on == date(2026, 4, 10)
    assert history(plan) == [
        "The panel chose the story “Second home” (spring 2026) on Thu 2 Apr 2026",
        "Changed the panel's choice of “Second home” (spring 2026); told the teller on "
        "Fri 10 Apr 2026"]
    page = member_client.get(f"/plans/stories/{story.id}").get_data(as_text=True)
    assert "It shows the library became a safe place after school." in page
    assert "The teller was told on Fri 10 Apr 2026" in page


def test_a_panel_choice_needs_a_reason(staff_client, make_story):
    story = make_story()
    response = staff_client.post(f"/plans/stories/{story.id}/selections/new", data={
        "panel": "the group", "chosen_on": "2026-04-02", "reason": ""})
    assert response.status_code == 200
    assert "Write why the panel chose this story." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(StorySelection.id))) == 0


def test_selected_stories_come_newest_choice_first_and_public_only_on_request(
        plan, make_story):
    old = make_story(title="Old", consent_level="anonymous_public")
    inside = make_story(title="Inside", consent_level="internal_only")
    make_story(title="Never chosen", consent_level="anonymous_public")
    for story, chosen_on in ((old, date(2026, 1, 10)), (inside, date(2026, 2, 10)),
                             (old, date(2026, 3, 10))):
        story.selections.append(StorySelection(panel="p", chosen_on=chosen_on, reason="r"))
    db.session.commit()

    assert [s.title for s in story_service.selected_stories(plan, public_only=False)] == [
        "Old", "Inside"]
    assert [s.title for s in story_service.selected_stories(plan, public_only=True)] == ["Old"]
    assert len(old.selections) == 2  # chosen in two rounds


def test_the_list_filters_by_selection_and_consent(member_client, plan, make_story):
    chosen = make_story(title="Chosen one", consent_level="anonymous_public")
    chosen.selections.append(StorySelection(panel="p", chosen_on=date(2026, 3, 1),
                                            reason="Because it moved us all"))
    make_story(title="Kept inside", consent_level="internal_only")
    db.session.commit()

    everything = member_client.get(f"/plans/{plan.id}/stories").get_data(as_text=True)
    only_chosen = member_client.get(f"/plans/{plan.id}/stories?selected=1").get_data(True)
    internal = member_client.get(f"/plans/{plan.id}/stories?consent=internal_only").get_data(True)

    assert "Chosen one" in everything and "Kept inside" in everything
    assert "Because it moved us all" in everything
    assert "Chosen one" in only_chosen and "Kept inside" not in only_chosen
    assert "Kept inside" in internal and "Chosen one" not in internal


def test_the_evaluation_page_counts_stories_and_offers_to_add_one(
        member_client, member, plan, make_story):
    story = make_story(title="Chosen one", consent_level="anonymous_public")
    story.selections.append(StorySelection(panel="p", chosen_on=date(2026, 3, 1), reason="r"))
    make_story(title="Kept inside", consent_level="internal_only")
    db.session.commit()

    summary = story_service.overview(plan, member)
    assert (summary["count"], summary["selected_count"]) == (2, 1)
    assert summary["consent_counts"] == [("Internal only", 1), ("Public, without a name", 1),
                                         ("Public, with their name", 0)]
    assert summary["may_print_internal"] is False
    page = member_client.get(f"/plans/{plan.id}/evaluation").get_data(as_text=True)
    assert "Add a story" in page and "Chosen one" in page


def test_another_groups_member_gets_403_on_every_story_route(
        client, make_user, make_action_group, plan, make_story):
    story = make_story(consent_level="anonymous_public")
    selection = StorySelection(story=story, panel="p", chosen_on=date(2026, 3, 1), reason="r")
    db.session.add(selection)
    outsider = make_user(Role.MEMBER)
    make_action_group(members=[outsider])
    log_in(client, outsider)
    routes = [
        ("GET", f"/plans/{plan.id}/stories"), ("GET", f"/plans/{plan.id}/stories/new"),
        ("POST", f"/plans/{plan.id}/stories/new"), ("GET", f"/plans/stories/{story.id}"),
        ("GET", f"/plans/stories/{story.id}/edit"), ("POST", f"/plans/stories/{story.id}/edit"),
        ("POST", f"/plans/stories/{story.id}/delete"),
        ("GET", f"/plans/stories/{story.id}/selections/new"),
        ("POST", f"/plans/stories/{story.id}/selections/new"),
        ("GET", f"/plans/stories/selections/{selection.id}/edit"),
        ("POST", f"/plans/stories/selections/{selection.id}/edit"),
        ("POST", f"/plans/stories/selections/{selection.id}/delete"),
        ("GET", f"/plans/{plan.id}/stories.pdf?audience=public"),
        ("GET", f"/plans/{plan.id}/stories.pdf?audience=partners"),
        ("GET", f"/plans/{plan.id}/stories.pdf?audience=internal"),
    ]
    statuses = {(method, url): client.open(url, method=method, data=story_form()).status_code
                for method, url in routes}
    assert set(statuses.values()) == {403}, statuses
    assert db.session.scalar(sa.select(sa.func.count(Story.id))) == 1
