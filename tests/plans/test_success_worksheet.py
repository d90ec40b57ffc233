"""The success-definition worksheet: "How will we know this worked for us?" on paper for the
meeting where an action group defines success, with no names on it."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.plans.models import IndicatorKind, IndicatorLevel
from app.plans.worksheet import KIND_PROMPTS, LEVEL_PROMPTS
from tests.plans.test_plan_document import PRIVATE_QUOTE, PUBLIC_QUOTE, pdf_pages, pdf_text
from tests.plans.test_plan_document import plan as plan  # noqa: F401 - the shared fixture

#: What each blank box asks, in the order of the plan's indicator form.
ASKS = ["What would tell us this worked?", "What kind of sign is it?", "When would it show?",
        "How will we find out?", "Who will notice it or keep track?", "How often?",
        "Where are we starting from?", "What would be enough?"]


def _print(client, plan, query: str = "") -> bytes:
    response = client.get(f"/plans/{plan.id}/success-worksheet.pdf{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert "success-worksheet-saturday-homework-mornings.pdf" in \
        response.headers["Content-Disposition"]
    return response.data


def test_the_worksheet_asks_the_question_with_the_goal_and_what_was_heard(staff_client, plan):
    text = pdf_text(_print(staff_client, plan))
    assert "Success worksheet: Saturday homework mornings" in text
    assert "How will we know this worked for us?" in text
    assert "Eastgate Families Table · With Newcomer families, Eastgate" in text
    assert "Our kids leave with homework done." in text
    assert "Homework help in home languages (heard in fewer than 5 sources)" in text
    assert "For the public" in text


def test_it_lists_the_signs_written_so_far_to_keep_change_or_drop(staff_client, plan):
    text = pdf_text(_print(staff_client, plan))
    for statement in ("Saturday mornings held", "Kids leave with homework done",
                      "Mothers feel fine coming alone"):
        assert f"“{statement}”" in text
    assert "Short-term outcome · Observation · Agreed at “How will we know” on Tue 4 Feb 2025" \
        in text
    assert text.count("Keep Change Drop") == 3
    # With signs written down, two blank boxes follow.
    assert "Sign 2" in text and "Sign 3" not in text


def test_each_blank_box_asks_what_an_indicator_records_in_plain_words(staff_client, plan):
    text = pdf_text(_print(staff_client, plan))
    for number in (1, 2):
        box = text.split(f"Sign {number} ", 1)[1]
        places = [box.index(ask) for ask in ASKS]
        assert places == sorted(places)
    assert list(KIND_PROMPTS) == list(IndicatorKind)
    assert list(LEVEL_PROMPTS) == list(IndicatorLevel)
    for prompt in [*KIND_PROMPTS.values(), *LEVEL_PROMPTS.values()]:
        assert text.count(prompt) == 2


def test_no_names_and_no_private_words_are_printed(staff_client, plan):
    text = pdf_text(_print(staff_client, plan))
    for private in ("Lina Listed", "Sam Staff", "Hiddenname", "Mateo", PRIVATE_QUOTE,
                    PUBLIC_QUOTE, "Snacks budget", "Four hours a week"):
        assert private not in text


def test_a_plan_with_nothing_written_yet_gets_three_blank_boxes(staff_client, make_plan):
    draft = make_plan(title="Saturday homework mornings", goal="",
                      starts_on=date.today() + timedelta(days=30))
    db.session.commit()
    text = pdf_text(_print(staff_client, draft))
    assert "The goal is not written yet: start there." in text
    assert "Signs of success written down so far" not in text
    assert "Sign 3" in text and "Sign 4" not in text


def test_large_print_gives_each_box_its_own_page(staff_client, plan):
    regular = pdf_pages(_print(staff_client, plan))
    large = pdf_pages(_print(staff_client, plan, "?large=1"))
    assert len(large) > len(regular)
    assert [page for page in large if "Sign 1" in page] != \
        [page for page in large if "Sign 2" in page]


def test_the_plan_page_links_to_the_worksheet(staff_client, plan):
    html = staff_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert f'href="/plans/{plan.id}/success-worksheet.pdf"' in html
    assert f'href="/plans/{plan.id}/success-worksheet.pdf?large=1"' in html


def test_a_member_prints_their_groups_worksheet_but_not_another_groups(
        member_client, plan, make_plan, make_action_group):
    assert "How will we know this worked for us?" in pdf_text(_print(member_client, plan))
    other = make_plan(action_group=make_action_group())
    db.session.commit()
    assert member_client.get(f"/plans/{other.id}/success-worksheet.pdf").status_code == 403


@pytest.mark.usefixtures("plan")
def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/plans/1/success-worksheet.pdf")
    assert response.status_code == 302 and "/login" in response.location
