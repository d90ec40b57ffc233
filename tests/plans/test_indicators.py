"""Success indicators: defined in the community's words, agreed at a held meeting, added by the
group while the plan is a draft, and locked once the plan is active."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.plans.models import Indicator, Plan, PlanChange, PlanStatus
from app.surveys.models import Question, Survey

TODAY = date.today()


def _indicator_form(**fields) -> dict:
    data = {"statement": "Kids leave with homework done.", "kind": "observation",
            "level": "short_term", "how_measured": "Volunteers note it at the end",
            "collected_by": "Volunteers", "frequency": "Every Saturday", "baseline": "Unknown",
            "target": "", "agreed_at_id": "0"}
    data.update(fields)
    return data


def _survey(title: str, prompt: str, **fields) -> Survey:
    survey = Survey(texts={"en": {"title": title}}, languages=["en"], **fields)
    survey.questions = [Question(kind="rating", texts={"en": {"prompt": prompt}})]
    db.session.add(survey)
    db.session.flush()
    return survey


def _history(plan: Plan) -> list[str]:
    db.session.expire_all()
    return [change.summary for change in plan.changes]


@pytest.fixture
def group(make_action_group, member):
    return make_action_group(name="Eastgate Families Table", members=[member])


@pytest.fixture
def group_decision(make_meeting, make_decision, group):
    """A decision of the group taken at a meeting held 10 days ago."""
    meeting = make_meeting(title="Families Table, March", action_group=group,
                           held_on=TODAY - timedelta(days=10))
    return make_decision(meeting=meeting, text="We will know it worked when kids finish.")


@pytest.fixture
def active_plan(make_plan, group, group_decision, staff):
    plan = make_plan(action_group=group)
    plan.indicators = [Indicator(statement="Kids leave with homework done.", kind="observation",
                                 level="short_term", agreed_at=group_decision)]
    plan.move_to(PlanStatus.ENDORSED, by=staff, decision=group_decision)
    plan.move_to(PlanStatus.ACTIVE, by=staff)
    db.session.flush()
    return plan


def test_staff_add_an_indicator_with_every_field(staff_client, staff, make_plan,
                                                 group_decision, make_focus_community):
    community = make_focus_community()
    plan = make_plan(focus_community=community)
    survey = _survey("After the session", "How sure do you feel about homework?",
                     focus_community=community)
    db.session.commit()
    question = survey.questions[0]
    response = staff_client.post(f"/plans/{plan.id}/indicators/new", data=_indicator_form(
        target="Most Saturdays", agreed_at_id=str(group_decision.id),
        question_ids=[str(question.id)]))
    assert response.status_code == 302
    assert response.location == f"/plans/{plan.id}#indicators-heading"
    indicator = db.session.scalars(sa.select(Indicator)).one()
    assert (indicator.statement, indicator.kind, indicator.level) == (
        "Kids leave with homework done.", "observation", "short_term")
    assert (indicator.how_measured, indicator.collected_by, indicator.frequency) == (
        "Volunteers note it at the end", "Volunteers", "Every Saturday")
    assert (indicator.baseline, indicator.target) == ("Unknown", "Most Saturdays")
    assert indicator.agreed_at == group_decision and indicator.questions == [question]
    assert _history(plan) == ["Added the indicator “Kids leave with homework done.”"]
    page = staff_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Families Table, March" in page
    assert "After the session: How sure do you feel about homework?" in page


def test_an_indicator_needs_a_statement(staff_client, make_plan):
    plan = make_plan()
    db.session.commit()
    response = staff_client.post(f"/plans/{plan.id}/indicators/new",
                                 data=_indicator_form(statement="  "))
    assert "Write how the community will know it worked." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)) == 0


def test_the_agreed_at_chooser_offers_held_meetings_only(staff_client, make_plan, make_meeting,
                                                         make_decision, group_decision):
    plan = make_plan()
    planned = make_meeting(title="Next month", status="planned",
                           held_on=TODAY + timedelta(days=20))
    late = make_decision(meeting=make_meeting())
    late.meeting = planned  # a decision whose meeting is not (or no longer) held
    db.session.commit()
    page = staff_client.get(f"/plans/{plan.id}/indicators/new").get_data(as_text=True)
    assert f'value="{group_decision.id}"' in page
    assert "Next month" not in page
    response = staff_client.post(f"/plans/{plan.id}/indicators/new",
                                 data=_indicator_form(agreed_at_id=str(late.id)))
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_question_choices_come_from_the_focus_communitys_forms_or_every_form(
        staff_client, make_plan, make_focus_community):
    eastgate, northside = make_focus_community(), make_focus_community()
    plan = make_plan(focus_community=eastgate)
    _survey("Eastgate form", "Do you feel welcome?", focus_community=eastgate)
    _survey("General form", "What would you change?")
    _survey("Northside form", "Do you feel isolated in winter?", focus_community=northside)
    db.session.commit()
    page = staff_client.get(f"/plans/{plan.id}/indicators/new").get_data(as_text=True)
    assert "Eastgate form: Do you feel welcome?" in page
    assert "General form: What would you change?" in page
    assert "Northside form" not in page
    page = staff_client.get(f"/plans/{plan.id}/indicators/new?every_form=1").get_data(
        as_text=True)
    assert "Northside form: Do you feel isolated in winter?" in page


def test_members_add_and_edit_indicators_while_the_plan_is_a_draft(
        member_client, member, make_plan, group):
    plan = make_plan(action_group=group)
    db.session.commit()
    response = member_client.post(f"/plans/{plan.id}/indicators/new", data=_indicator_form())
    assert response.status_code == 302
    indicator = db.session.scalars(sa.select(Indicator)).one()
    response = member_client.post(f"/plans/indicators/{indicator.id}/edit", data=_indicator_form(
        statement="Kids leave with homework done and smiling.", target="8 of 10 kids"))
    assert response.status_code == 302
    assert _history(plan) == [
        "Changed the indicator “Kids leave with homework done and smiling.”: the statement "
        "and the target",
        "Added the indicator “Kids leave with homework done.”"]
    assert {change.changed_by for change in plan.changes} == {member}


def test_saving_an_indicator_unchanged_keeps_no_history(staff_client, make_plan):
    plan = make_plan()
    plan.indicators = [Indicator(statement="Kids leave with homework done.", kind="observation",
                                 level="short_term", how_measured="Volunteers note it at the end",
                                 collected_by="Volunteers", frequency="Every Saturday",
                                 baseline="Unknown")]
    db.session.commit()
    response = staff_client.post(f"/plans/indicators/{plan.indicators[0].id}/edit",
                                 data=_indicator_form())
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanChange)) == 0


def test_members_cannot_change_indicators_once_the_plan_left_draft(
        member_client, active_plan):
    db.session.commit()
    indicator = active_plan.indicators[0]
    for url in (f"/plans/{active_plan.id}/indicators/new",
                f"/plans/indicators/{indicator.id}/edit"):
        response = member_client.post(url, data=_indicator_form(baseline="Half"),
                                      follow_redirects=True)
        assert "its indicators change through staff" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(active_plan.indicators) == 1 and active_plan.indicators[0].baseline == ""
    page = member_client.get(f"/plans/{active_plan.id}").get_data(as_text=True)
    assert "Add an indicator" not in page


def test_the_statement_of_an_agreed_indicator_is_locked_once_the_plan_is_active(
        staff_client, active_plan):
    db.session.commit()
    indicator = active_plan.indicators[0]
    response = staff_client.post(f"/plans/indicators/{indicator.id}/edit",
                                 data=_indicator_form(statement="Something else"))
    assert response.status_code == 200
    held_on = TODAY - timedelta(days=10)
    assert (f"This indicator was agreed at Families Table, March on {held_on.day} "
            f"{held_on:%B %Y}. Record a new decision to change it.") in response.get_data(
        as_text=True)
    db.session.expire_all()
    assert indicator.statement == "Kids leave with homework done."


def test_how_an_agreed_indicator_is_collected_can_still_be_recorded(staff_client, active_plan,
                                                                    group_decision):
    db.session.commit()
    indicator = active_plan.indicators[0]
    response = staff_client.post(f"/plans/indicators/{indicator.id}/edit", data=_indicator_form(
        how_measured="A tick sheet by the door", collected_by="",
        frequency="", baseline="", agreed_at_id=str(group_decision.id)))
    assert response.status_code == 302
    db.session.expire_all()
    assert indicator.how_measured == "A tick sheet by the door"


def test_an_indicator_can_be_removed_while_the_plan_is_a_draft(staff_client, make_plan,
                                                               group_decision):
    plan = make_plan()
    plan.indicators = [Indicator(statement="Agreed", kind="story", level="short_term",
                                 agreed_at=group_decision)]
    db.session.commit()
    response = staff_client.post(f"/plans/indicators/{plan.indicators[0].id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)) == 0
    assert _history(plan) == ["Removed the indicator “Agreed”"]


def test_an_agreed_indicator_stays_once_the_plan_left_draft(staff_client, active_plan):
    db.session.commit()
    indicator = active_plan.indicators[0]
    response = staff_client.post(f"/plans/indicators/{indicator.id}/delete",
                                 follow_redirects=True)
    assert "so it stays on the record" in response.get_data(as_text=True)
    assert db.session.get(Indicator, indicator.id) is not None


def test_an_indicator_not_agreed_can_be_removed_from_an_active_plan(staff_client, active_plan):
    active_plan.indicators.append(Indicator(statement="Not agreed", kind="count",
                                            level="output"))
    db.session.commit()
    extra = active_plan.indicators[-1]
    page = staff_client.get(f"/plans/{active_plan.id}").get_data(as_text=True)
    assert f'action="/plans/indicators/{extra.id}/delete"' in page
    assert f'action="/plans/indicators/{active_plan.indicators[0].id}/delete"' not in page
    assert staff_client.post(f"/plans/indicators/{extra.id}/delete").status_code == 302
    assert db.session.get(Indicator, extra.id) is None


def test_members_choose_only_decisions_of_their_groups_meetings(
        member_client, make_plan, group, group_decision, make_decision, make_meeting):
    plan = make_plan(action_group=group)
    elsewhere = make_decision(meeting=make_meeting(title="Northside Winter Circle"))
    db.session.commit()
    page = member_client.get(f"/plans/{plan.id}/indicators/new").get_data(as_text=True)
    assert f'value="{group_decision.id}"' in page and "Northside Winter Circle" not in page
    response = member_client.post(f"/plans/{plan.id}/indicators/new",
                                  data=_indicator_form(agreed_at_id=str(elsewhere.id)))
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)) == 0
