"""The evaluation summary (internal, partners) and the "You said, we did" handout (public):
what each audience reads, who may print which, and the handout's languages."""

from datetime import date

import pytest

from app.documents import pdf
from app.evaluation import outcomes
from app.evaluation.models import Evaluation, Measurement, Story, StorySelection
from app.evaluation.outcomes import AgreeShare, OutcomeLine
from app.extensions import db
from app.plans.models import Activity, ActivitySession, Indicator, Membership
from app.themes.coding import code_passage, quote_source
from tests.plans.test_plan_document import pdf_text

PUBLIC_QUOTE = "Nobody told us the card is free."
PRIVATE_QUOTE = "My son needs someone who explains homework in Arabic."
INTERNAL_STORY = "What Tower B told us in confidence"
PUBLIC_STORY = "Homework done before dinner"
STAFF_NAME = "Sandra Staffperson"
CONTACT = "lina.contact@example.org"


@pytest.fixture
def evaluation(make_action_group, make_plan, make_theme, make_conversation, make_user,
               make_focus_community, make_meeting, make_decision, member):
    """A signed-off evaluation with a theme, an indicator, sessions and two stories."""
    collector = make_user("staff", name=STAFF_NAME)
    group = make_action_group(members=[member], name="Eastgate Families Table")
    group.memberships[0].preferred_contact = CONTACT
    group.memberships.append(Membership(display_name=STAFF_NAME, user=collector,
                                        role="staff_liaison"))
    theme = make_theme(name="Homework help in home languages")
    conversation = make_conversation(quotes=[
        {"text": PUBLIC_QUOTE, "is_public": True, "attribution": "role",
         "attributed_to": "a mother of two"},
        {"text": PRIVATE_QUOTE}])
    for quote in conversation.quotes:
        code_passage(quote_source(quote), [theme], by=collector)
    plan = make_plan(title="Saturday homework mornings", action_group=group, themes=[theme],
                     focus_community=make_focus_community(name="Newcomer families, Eastgate"))
    indicator = Indicator(plan=plan, statement="Kids leave with their homework done",
                          kind="observation", level="short_term")
    measurement = (Measurement(indicator=indicator, period_start=date(2026, 3, 1),
                               period_end=date(2026, 3, 31), value_text="Most kids finished",
                               entered_by=collector))
    db.session.add_all([indicator, measurement])
    activity = Activity(plan=plan, title="Saturday homework club", kind="program",
                        description="Volunteers help in Arabic and Spanish.", owner=collector)
    activity.sessions = [
        ActivitySession(held_on=date(2026, 2, 7), headcount=12, new_cards=3),
        ActivitySession(held_on=date(2026, 3, 7), headcount=14, new_cards=0),
        ActivitySession(held_on=date(2025, 12, 6), headcount=40)]  # before the period
    db.session.add_all([indicator, activity])
    stories = [
        Story(plan=plan, title=INTERNAL_STORY, what_changed="Private details.",
              teller_role="a tenant", consent_level="internal_only", collected_by=collector),
        Story(plan=plan, title=PUBLIC_STORY, what_changed="My girl finishes before dinner.",
              teller_role="a grandmother", teller_name="Rosa Namedteller",
              consent_level="named_public", collected_by=collector)]
    stories[1].selections = [StorySelection(panel="two parents and the librarian",
                                            chosen_on=date(2026, 6, 1),
                                            reason="It shows time at home changed.")]
    evaluation = Evaluation(
        plan=plan, title="First six months", period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30), created_by=collector, stories=stories,
        lessons="Saturday mornings suit families.", keep="The Saturday time.",
        change="More volunteers who speak Arabic.", recommendations="Run it all year.",
        policy_changes="Let kids borrow laptops without a parent's card.",
        what_changed="Kids finish their homework at the library.")
    evaluation.sign_off(make_decision(meeting=make_meeting(
        title="June share-back", held_on=date(2026, 7, 2), action_group=group)))
    db.session.add_all([activity, evaluation])
    db.session.commit()
    return evaluation


@pytest.fixture
def small_outcomes(monkeypatch):
    """Outcome form answers: confidence from 12 people, knowledge from only 3 weeks later."""
    lines = [OutcomeLine("Confidence", "I feel more confident helping with homework.",
                         AgreeShare(agree=9, answered=12), AgreeShare(agree=0, answered=0)),
             OutcomeLine("Knowledge", "I know where to find homework help.",
                         AgreeShare(agree=10, answered=10), AgreeShare(agree=2, answered=3))]
    monkeypatch.setattr(outcomes, "outcome_summary", lambda plan, start, end: lines)


def _summary(client, evaluation, audience: str | None = None) -> str:
    query = f"?audience={audience}" if audience else ""
    response = client.get(f"/evaluations/{evaluation.id}/summary.pdf{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return pdf_text(response.data)


def test_the_internal_summary_has_every_section_story_and_figure(
        staff_client, evaluation, small_outcomes):
    text = _summary(staff_client, evaluation)  # internal is the default for staff
    assert "Internal: not for sharing outside the library" in text
    assert "Signed off at “June share-back” on Thu 2 Jul 2026" in text
    assert "Kids leave with their homework done" in text
    assert "Most kids finished" in text
    assert "9 of 12 agreed (75%)" in text
    assert "2 of 3 agreed (67%)" in text
    assert INTERNAL_STORY in text and PUBLIC_STORY in text
    assert f"collected by {STAFF_NAME}" in text
    assert "It shows time at home changed." in text
    assert "Let kids borrow laptops without a parent's card." in text
    # Outputs count only sessions in the period: 2 sessions, 26 people, 3 new cards.
    assert "Saturday homework club (running) 2 26 3 0 0" in text or \
        "Saturday homework club (planned) 2 26 3 0 0" in text


def test_the_partners_summary_hides_small_shares_internal_stories_and_staff_names(
        staff_client, evaluation, small_outcomes):
    text = _summary(staff_client, evaluation, "partners")
    assert "For partners" in text
    assert "9 of 12 agreed (75%)" in text
    assert "2 of 3 agreed" not in text and "67%" not in text
    assert "fewer than 5 answers" in text
    assert INTERNAL_STORY not in text
    assert PUBLIC_STORY in text and "Rosa Namedteller, a grandmother" in text
    assert STAFF_NAME not in text
    assert "fewer than 5" in text  # 3 new cards from one activity


def test_members_print_the_partners_summary_but_not_the_internal_one(
        member_client, evaluation, small_outcomes):
    assert "For partners" in _summary(member_client, evaluation)
    assert member_client.get(
        f"/evaluations/{evaluation.id}/summary.pdf?audience=internal").status_code == 403


def test_the_summary_is_not_printed_for_the_public_and_says_where_to_go(
        staff_client, evaluation):
    response = staff_client.get(f"/evaluations/{evaluation.id}/summary.pdf?audience=public")
    assert response.status_code == 400
    assert "You said, we did" in response.get_data(as_text=True)
    response = staff_client.get(f"/evaluations/{evaluation.id}/summary.pdf?audience=board")
    assert response.status_code == 400


def _handout(client, evaluation, query: str = "") -> str:
    response = client.get(f"/evaluations/{evaluation.id}/you-said-we-did.pdf{query}")
    assert response.status_code == 200
    return pdf_text(response.data)


def test_you_said_we_did_tells_the_public_what_was_heard_done_and_changed(
        member_client, evaluation, small_outcomes):
    text = _handout(member_client, evaluation)
    assert "For the public" in text
    for heading in ("What we heard", "What we did", "What changed", "What happens next"):
        assert heading in text
    assert PUBLIC_QUOTE in text and "a mother of two" in text
    assert PRIVATE_QUOTE not in text
    assert "Saturday homework club" in text
    assert "Kids finish their homework at the library." in text
    assert "Kids leave with their homework done" in text
    assert PUBLIC_STORY in text and "Rosa Namedteller, a grandmother" in text
    assert "Run it all year." in text and "The Saturday time." in text
    # 2 sessions and 3 new cards are counts under 5; 26 people is not.
    assert "Sessions held: fewer than 5" in text
    assert "New library cards: fewer than 5" in text
    assert "26" in text


def test_you_said_we_did_has_no_internal_story_staff_names_or_contact_details(
        member_client, evaluation):
    text = _handout(member_client, evaluation)
    assert INTERNAL_STORY not in text
    assert STAFF_NAME not in text
    assert CONTACT not in text and "@" not in text
    assert "Let kids borrow laptops" not in text  # policy changes stay with the library


def test_you_said_we_did_headings_in_spanish_with_the_groups_words_unchanged(
        member_client, evaluation):
    text = _handout(member_client, evaluation, "?lang=es&large=1")
    assert "Ustedes dijeron, nosotros hicimos" in text
    assert "Lo que hicimos" in text and "Lo que cambió" in text
    assert "Vamos a mantener" in text
    assert "Kids finish their homework at the library." in text
    assert "Entre el 1 de enero de 2026 y el 30 de junio de 2026" in text


def test_you_said_we_did_in_arabic_reads_right_to_left(member_client, evaluation, monkeypatch):
    printed = []

    class CapturedHTML:
        def __init__(self, string, url_fetcher):
            printed.append(string)

        def write_pdf(self):
            return b"%PDF-1.7"

    monkeypatch.setattr(pdf, "HTML", CapturedHTML)
    response = member_client.get(f"/evaluations/{evaluation.id}/you-said-we-did.pdf?lang=ar")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in printed[0]
    assert "ما قمنا به" in printed[0]  # "What we did"
    assert "Kids finish their homework at the library." in printed[0]


def test_a_language_without_headings_says_so_in_english(member_client, evaluation):
    text = _handout(member_client, evaluation, "?lang=so")
    assert "What we did" in text
    assert "there is no Somali translation of them yet" in text


def _measured_indicator(evaluation) -> None:
    """An indicator with a figure as baseline and target, measured by hand in April."""
    plan, collector = evaluation.plan, evaluation.created_by
    indicator = Indicator(plan=plan, statement="Families who feel welcome",
                          kind="observation", level="short_term", baseline="40", target="60")
    db.session.add(indicator)
    db.session.add(Measurement(indicator=indicator, period_start=date(2026, 4, 1),
                               period_end=date(2026, 4, 30), value=64, entered_by=collector))
    db.session.commit()


def test_you_said_we_did_gives_progress_in_the_handout_s_language(member_client, evaluation):
    _measured_indicator(evaluation)
    english = _handout(member_client, evaluation)
    assert "April 2026: 64" in english
    assert "From 40 at the start to 64 in April 2026; the target is 60, reached." in english
    spanish = _handout(member_client, evaluation, "?lang=es")
    assert "abril 2026: 64" in spanish
    assert "De 40 al inicio a 64 en abril 2026; la meta es 60, alcanzada." in spanish
    assert "Most kids finished en marzo 2026." in spanish  # the group's own words stay as typed
    assert "Para el público" in spanish and "Impreso el" in spanish  # the running footer
    assert "For the public" not in spanish and "Printed" not in spanish
    french = _handout(member_client, evaluation, "?lang=fr")
    assert "De 40 au départ à 64 en avril 2026 ; l’objectif est 60, atteint." in french \
        or "De 40 au départ à 64 en avril 2026; l’objectif est 60, atteint." in french
