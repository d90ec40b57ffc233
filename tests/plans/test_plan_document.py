"""The plan document: what each audience reads in the PDF, who may print which audience, and the
logic model on its own landscape page."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.plans.models import Activity, ActivitySession, Indicator, Membership, PlanStatus
from app.themes.coding import code_passage, quote_source

PUBLIC_QUOTE = "Nobody told us the card is free."
PRIVATE_QUOTE = "My son needs someone who explains homework in Arabic."
NAMED_QUOTE = "We finish at six, you close at six."


def pdf_pages(pdf: bytes) -> list[str]:
    """Return each page's text with whitespace collapsed."""
    assert pdf.startswith(b"%PDF-")
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


@pytest.fixture
def plan(make_action_group, make_plan, make_theme, make_conversation, make_decision,
         make_meeting, make_organization, make_focus_community, make_user, member, staff):
    """An active plan with a group, themes with quotes, indicators, an activity and sessions."""
    hidden = make_user("member", name="Hamid Hiddenname")
    group = make_action_group(members=[member, hidden], name="Eastgate Families Table")
    member_row, hidden_row = group.memberships
    member_row.display_name, member_row.consent_to_be_listed = "Lina Listed", True
    hidden_row.display_name = "Hamid Hiddenname"
    group.memberships.append(Membership(display_name="Sam Staff", user=staff,
                                        role="staff_liaison", consent_to_be_listed=True))
    theme = make_theme(name="Homework help in home languages")
    conversation = make_conversation(quotes=[
        {"text": PUBLIC_QUOTE, "is_public": True, "attribution": "role",
         "attributed_to": "a mother of two"},
        {"text": PRIVATE_QUOTE},
        {"text": NAMED_QUOTE, "is_public": True, "attribution": "first_name",
         "attributed_to": "Mateo", "has_name_consent": True}])
    for quote in conversation.quotes:
        code_passage(quote_source(quote), [theme], by=staff)
    plan = make_plan(
        title="Saturday homework mornings", action_group=group, themes=[theme],
        focus_community=make_focus_community(name="Newcomer families, Eastgate"),
        goal="Our kids leave with homework done.", why="Parents told us nobody can explain.",
        staff_hours="Four hours a week", budget="Snacks budget 800 dollars",
        resources="Two laptops", risks="Volunteers may tire by spring")
    agreed = make_decision(meeting=make_meeting(title="How will we know", held_on=date(2025, 2, 4)))
    endorse = make_decision(meeting=make_meeting(title="Our plan", held_on=date(2025, 2, 18)),
                            decided_by="Eastgate Families Table, 10 members")
    plan.indicators = [
        Indicator(statement="Saturday mornings held", kind="count", level="output",
                  target="20 mornings", agreed_at=agreed),
        Indicator(statement="Kids leave with homework done", kind="observation",
                  level="short_term", how_measured="A tick sheet", collected_by="Volunteers",
                  frequency="Weekly", baseline="Unknown", target="Most kids", agreed_at=agreed),
        Indicator(statement="Mothers feel fine coming alone", kind="story",
                  level="intermediate", agreed_at=agreed)]
    db.session.flush()
    with db.session.no_autoflush:  # record_change() adds each change twice; see activities.py
        plan.move_to(PlanStatus.ENDORSED, by=staff, decision=endorse)
        plan.move_to(PlanStatus.ACTIVE, by=staff)
    activity = Activity(title="Homework and language mornings", kind="program", owner=hidden,
                        starts_on=date(2025, 3, 1), ends_on=date(2025, 6, 28),
                        organizations=[make_organization(name="Horn of Africa Association")],
                        sessions=[ActivitySession(held_on=date(2025, 3, 1), headcount=9),
                                  ActivitySession(held_on=date(2025, 3, 8), headcount=14)])
    plan.activities.append(activity)
    with db.session.no_autoflush:
        plan.record_change(hidden, "session", "Added session of the mornings")
    db.session.commit()
    return plan


def _print(client, plan, query: str = "") -> bytes:
    response = client.get(f"/plans/{plan.id}/plan.pdf{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    return response.data


def test_the_partners_document_shows_the_community_summary_without_internal_details(
        staff_client, plan):
    text = pdf_text(_print(staff_client, plan))
    assert "For partners" in text
    assert "Our kids leave with homework done." in text
    assert "Endorsed on Tue 18 Feb 2025 at “Our plan”" in text
    assert "Homework help in home languages" in text and "Heard in fewer than 5 sources" in text
    assert PUBLIC_QUOTE in text and "a mother of two" in text
    assert PRIVATE_QUOTE not in text
    assert NAMED_QUOTE in text and "Mateo" not in text
    assert "Lina Listed" in text and "Sam Staff" in text
    assert "Hiddenname" not in text and "1 more member" in text
    assert "Horn of Africa Association" in text
    for internal in ("Snacks budget", "Volunteers may tire", "Four hours a week",
                     "Two laptops", "History of the plan"):
        assert internal not in text


def test_the_public_document_names_no_staff_and_only_public_quotes(staff_client, plan):
    text = pdf_text(_print(staff_client, plan, "?audience=public"))
    assert "For the public" in text
    assert "Sam Staff" not in text and "library staff" in text
    assert PUBLIC_QUOTE in text and PRIVATE_QUOTE not in text and "Mateo" not in text
    assert "Hiddenname" not in text and "Snacks budget" not in text
    assert "Library staff time, space and materials" in text


def test_the_internal_document_adds_the_internal_part_but_still_names_only_consenting_members(
        staff_client, plan):
    text = pdf_text(_print(staff_client, plan, "?audience=internal"))
    assert "Internal: not for sharing outside the library" in text
    for internal in ("Snacks budget 800 dollars", "Volunteers may tire by spring",
                     "Four hours a week", "Two laptops", "History of the plan",
                     "Status: Community-endorsed → Active"):
        assert internal in text
    assert PRIVATE_QUOTE in text and "Mateo" in text and "Heard in 1 source" in text
    assert "Lina Listed" in text and "Hiddenname" not in text
    assert "A group member" in text


def test_outcomes_come_before_outputs_and_each_says_where_it_was_agreed(staff_client, plan):
    text = pdf_text(_print(staff_client, plan))
    assert (text.index("Kids leave with homework done")
            < text.index("Mothers feel fine coming alone") < text.index("Saturday mornings held"))
    assert "Agreed at “How will we know” on Tue 4 Feb 2025" in text
    assert "How: A tick sheet" in text and "Target: Most kids" in text


def test_the_logic_model_is_a_landscape_page_of_its_own(staff_client, plan):
    pdf = _print(staff_client, plan, "?large=1")
    reader = PdfReader(BytesIO(pdf))
    last = reader.pages[-1]
    text = pdf_pages(pdf)[-1]
    assert float(last.mediabox.width) > float(last.mediabox.height)
    assert text.count("Logic model") == 1 and "Logic model" not in pdf_pages(pdf)[-2]
    for part in ("Inputs", "Activities", "Outputs", "Outcomes", "Homework and language mornings",
                 "Saturday mornings held", "Kids leave with homework done",
                 "Mothers feel fine coming alone", "People who came: 23"):
        assert part in text


def test_a_member_prints_their_groups_plan_but_not_the_internal_version(member_client, plan):
    assert "Lina Listed" in pdf_text(_print(member_client, plan, "?audience=partners"))
    refused = member_client.get(f"/plans/{plan.id}/plan.pdf?audience=internal")
    assert refused.status_code == 403
    assert "The internal version is for library staff." in refused.get_data(as_text=True)
    as_json = member_client.get(f"/plans/{plan.id}/plan.pdf?audience=internal",
                                headers={"Accept": "application/json"})
    assert as_json.status_code == 403
    assert as_json.json["detail"].startswith("The internal version is for library staff.")


def test_a_member_gets_403_for_another_groups_plan_document(member_client, make_plan,
                                                            make_action_group):
    other = make_plan(action_group=make_action_group())
    db.session.commit()
    assert member_client.get(f"/plans/{other.id}/plan.pdf").status_code == 403


def test_an_unknown_audience_is_refused_in_words(staff_client, plan):
    response = staff_client.get(f"/plans/{plan.id}/plan.pdf?audience=board")
    assert response.status_code == 400
    assert "audience=partners" in response.get_data(as_text=True)


def test_a_draft_plan_without_activities_still_prints(staff_client, make_plan):
    draft = make_plan(title="Winter afternoons", starts_on=date.today() + timedelta(days=30))
    db.session.commit()
    text = pdf_text(_print(staff_client, draft, "?audience=public"))
    assert "A draft: the community has not endorsed it yet." in text
    assert "No activities are planned yet." in text
