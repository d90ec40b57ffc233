"""What we heard: ranking counts against hand-computed numbers, filters, audiences, the screen."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from app.documents.audience import Audience
from app.extensions import db
from app.surveys.models import Answer, SurveyResponse
from app.themes.coding import (
    answer_source,
    code_passage,
    conversation_source,
    meeting_source,
    quote_source,
)
from app.themes.heard import HeardFilters, what_we_heard
from app.themes.models import HeardThrough, SourceKind
from tests.conftest import log_in
from tests.surveys.conftest import make_survey  # noqa: F401 (a fixture the corpus uses)

HOMEWORK = "Homework help in home languages"
PRACTICE = "Conversation practice in English"
NEIGHBOURS = "A place where neighbours know each other"
ISOLATION = "Isolation of older adults in winter"
YOUTH = "Youth space"
HOURS = "Hours don't fit workers' days"
FINES = "Fear of fines"
PARKED = "Parked idea"
PUBLIC_QUOTE = "We need someone who explains homework in Arabic."
NAMED_QUOTE = "My son reads every night now."
PRIVATE_QUOTE = "Nobody told us the card was free."
ROLE_QUOTE = "I could show people how to fix a radio."
SENSITIVE_NOTES = "Spoke about her immigration hearing; homework is hard this month."
CONTACT_NAME = "Zebulon Sentinelworth"
CODER_NAME = "Cora Coder"


@dataclass
class Corpus:
    east: int
    north: int
    eastgate: int
    northside: int
    coder_name: str


def _code(source, themes, by, phrase: str | None = None):
    """Code the whole source, or just `phrase` of its text, to `themes`."""
    if phrase is None:
        return code_passage(source, themes, by=by)
    start = source.text.index(phrase)
    return code_passage(source, themes, by=by, start=start, end=start + len(phrase))


@pytest.fixture
def corpus(make_focus_community, make_branch, make_space, make_conversation, make_meeting,
           make_theme, make_user, make_contact, make_organization, make_survey):  # noqa: F811
    """Seven themes heard in four conversations, a meeting and two form responses.

    Hand-computed (sources / places / excerpts), every filter off:
      Homework help 5 / 4 / 9   (c1 twice + its quote, c2 + two quotes, c3, meeting, kiosk answer)
      Conversation practice 2 / 2 / 2, A place where neighbours 2 / 1 / 2 (web answer: no place),
      Isolation 1 / 1 / 2 (c4 notes + its quote), Youth space 1 / 1 / 1;
      barriers: Hours 3 / 2 / 3, Fear of fines 1 / 1 / 1; the parked theme is left out.
    """
    coder = make_user(name=CODER_NAME)
    east = make_focus_community(name="Newcomer families, Eastgate", languages=["ar", "prs"])
    north = make_focus_community(name="Older adults, Northside")
    eastgate, northside = make_branch(name="Eastgate"), make_branch(name="Northside")
    laundromat = make_space(name="Lavender Laundromat")
    lobby = make_space(name="Tower B lobby")
    organization = make_organization(name="Eastgate Settlement Services")
    contact = make_contact(name=CONTACT_NAME, organization=organization)
    themes = {name: make_theme(name=name, kind=kind, description=f"About {name.lower()}.",
                               status="parked" if name == PARKED else "emerging")
              for name, kind in ((HOMEWORK, "need"), (PRACTICE, "need"),
                                 (NEIGHBOURS, "aspiration"), (ISOLATION, "concern"),
                                 (YOUTH, "need"), (HOURS, "barrier"), (FINES, "barrier"),
                                 (PARKED, "idea"))}
    t = themes.get

    c1 = make_conversation(
        happened_on=date(2026, 1, 10), focus_community=east, branch=eastgate, space=laundromat,
        contacts=[contact], logged_by=coder,
        notes="Parents want homework help in Arabic. The branch closes before they finish work.",
        quotes=[{"text": PUBLIC_QUOTE, "attribution": "anonymous", "is_public": True}])
    _code(conversation_source(c1), [t(HOMEWORK)], coder, "Parents want homework help")
    _code(conversation_source(c1), [t(HOMEWORK), t(PRACTICE)], coder, "in Arabic")
    _code(conversation_source(c1), [t(HOURS)], coder, "The branch closes")
    _code(quote_source(c1.quotes[0]), [t(HOMEWORK)], coder)

    c2 = make_conversation(
        happened_on=date(2026, 2, 5), focus_community=east, branch=eastgate,
        place_text="Family Room", notes="Coffee morning: homework again.", logged_by=coder,
        quotes=[{"text": NAMED_QUOTE, "attribution": "first_name", "attributed_to": "Amina",
                 "has_name_consent": True, "is_public": True},
                {"text": PRIVATE_QUOTE, "attribution": "anonymous", "is_public": False}])
    _code(conversation_source(c2), [t(HOMEWORK)], coder)
    for quote in c2.quotes:
        _code(quote_source(quote), [t(HOMEWORK)], coder)

    c3 = make_conversation(
        happened_on=date(2026, 2, 20), focus_community=east, branch=eastgate, space=laundromat,
        notes=SENSITIVE_NOTES, is_sensitive=True, logged_by=coder)
    _code(conversation_source(c3), [t(HOMEWORK), t(FINES)], coder)

    meeting = make_meeting(
        held_on=date(2026, 3, 3), focus_community=east, branch=eastgate,
        place_text="Community room", notes="Homework club idea. Evening hours. Know neighbours.",
        created_by=coder)
    _code(meeting_source(meeting), [t(HOMEWORK), t(HOURS), t(NEIGHBOURS)], coder)

    c4 = make_conversation(
        happened_on=date(2026, 3, 10), focus_community=north, branch=northside, space=lobby,
        notes="Long winters, no visitors. Teens need a room. Practice English.", logged_by=coder,
        quotes=[{"text": ROLE_QUOTE, "attribution": "role",
                 "attributed_to": "a retired radio repairman", "is_public": True}])
    _code(conversation_source(c4), [t(ISOLATION), t(YOUTH), t(PRACTICE), t(PARKED)], coder)
    _code(quote_source(c4.quotes[0]), [t(ISOLATION)], coder)

    survey = make_survey(focus_community_id=east.id)
    long_text = next(q for q in survey.questions if q.kind == "long_text")
    for channel, branch, moment, text, coded in (
            ("kiosk", eastgate, datetime(2026, 3, 15, 17, tzinfo=UTC), "Homework help please",
             [t(HOMEWORK)]),
            ("web", None, datetime(2026, 1, 20, 17, tzinfo=UTC), "Open later; meet neighbours",
             [t(HOURS), t(NEIGHBOURS)])):
        response = SurveyResponse(survey=survey, submission_id=uuid.uuid4().hex, channel=channel,
                                  branch=branch, language="en", submitted_at=moment)
        answer = Answer(question=long_text, text_value=text)
        response.answers = [answer]
        db.session.add(response)
        db.session.flush()
        _code(answer_source(answer), coded, coder)
    db.session.commit()
    return Corpus(east=east.id, north=north.id, eastgate=eastgate.id, northside=northside.id,
                  coder_name=CODER_NAME)


def ranked(findings) -> list[tuple[str, int, int, int]]:
    return [(f.name, f.sources.count, f.places.count, f.excerpt_count.count)
            for f in findings]


def names(findings) -> list[str]:
    return [finding.name for finding in findings]


# The ranking and its counts ---------------------------------------------------------------------

def test_themes_rank_by_distinct_sources_then_places_then_name(corpus):
    heard = what_we_heard(HeardFilters(), Audience.INTERNAL)
    assert ranked(heard.themes) == [
        (HOMEWORK, 5, 4, 9), (PRACTICE, 2, 2, 2), (NEIGHBOURS, 2, 1, 2), (ISOLATION, 1, 1, 2),
        (YOUTH, 1, 1, 1)]
    assert ranked(heard.barriers) == [(HOURS, 3, 2, 3), (FINES, 1, 1, 1)]
    assert PARKED not in names(heard.themes + heard.barriers)
    homework = heard.themes[0]
    assert (homework.first_heard, homework.last_heard) == (date(2026, 1, 10), date(2026, 3, 15))


def test_totals_count_each_conversation_response_and_meeting_once(corpus):
    heard = what_we_heard(HeardFilters(), Audience.INTERNAL)
    assert [(label, tally.count) for label, tally in heard.by_source] == [
        ("Conversations", 4), ("Form responses", 2), ("Meetings", 1)]
    # Places: laundromat, Family Room, community room, Eastgate branch, Tower B lobby.
    assert (heard.sources.count, heard.places.count) == (7, 5)
    assert (heard.first_heard, heard.last_heard) == (date(2026, 1, 10), date(2026, 3, 15))


def test_growth_counts_distinct_sources_per_month(corpus):
    growth = what_we_heard(HeardFilters(), Audience.INTERNAL).growth
    assert growth.months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    rows = {row.name: [tally.count for tally in row.months] for row in growth.rows}
    assert rows[HOMEWORK] == [1, 2, 2]
    assert rows[PRACTICE] == [1, 0, 1]
    assert [tally.count for tally in growth.everything.months] == [2, 2, 3]
    assert not growth.is_cut


def test_growth_keeps_the_latest_twelve_months_of_a_long_range(corpus):
    growth = what_we_heard(HeardFilters(start=date(2024, 1, 1)), Audience.INTERNAL).growth
    assert growth.is_cut and len(growth.months) == 12
    assert growth.months[-1] == date(2026, 3, 1)


# Each filter -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("filters", "themes", "barriers"), [
    (lambda c: HeardFilters(focus_community_id=c.east),
     [(HOMEWORK, 5, 4, 9), (NEIGHBOURS, 2, 1, 2), (PRACTICE, 1, 1, 1)],
     [(HOURS, 3, 2, 3), (FINES, 1, 1, 1)]),
    (lambda c: HeardFilters(branch_id=c.northside),
     [(PRACTICE, 1, 1, 1), (ISOLATION, 1, 1, 2), (YOUTH, 1, 1, 1)], []),
    (lambda c: HeardFilters(start=date(2026, 2, 1), end=date(2026, 2, 28)),
     [(HOMEWORK, 2, 2, 4)], [(FINES, 1, 1, 1)]),
    (lambda c: HeardFilters(channel=HeardThrough.KIOSK), [(HOMEWORK, 1, 1, 1)], []),
    (lambda c: HeardFilters(channel=HeardThrough.WEB), [(NEIGHBOURS, 1, 0, 1)],
     [(HOURS, 1, 0, 1)]),
    (lambda c: HeardFilters(source_kind=SourceKind.QUOTE),
     [(HOMEWORK, 2, 2, 3), (ISOLATION, 1, 1, 1)], []),
    (lambda c: HeardFilters(source_kind=SourceKind.MEETING),
     [(NEIGHBOURS, 1, 1, 1), (HOMEWORK, 1, 1, 1)], [(HOURS, 1, 1, 1)]),
])
def test_each_filter_narrows_the_counts(corpus, filters, themes, barriers):
    heard = what_we_heard(filters(corpus), Audience.INTERNAL)
    assert ranked(heard.themes) == themes
    assert ranked(heard.barriers) == barriers


def test_a_slice_with_nothing_heard_is_empty(corpus):
    heard = what_we_heard(HeardFilters(start=date(2027, 1, 1)), Audience.INTERNAL)
    assert heard.is_empty and heard.growth is None and heard.sources.count == 0


# Audiences ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("audience", [Audience.PARTNERS, Audience.PUBLIC])
def test_counts_under_five_are_hidden_outside_the_library(corpus, audience):
    heard = what_we_heard(HeardFilters(), audience)
    homework = heard.themes[0]
    assert (homework.sources.shown, homework.places.shown) == ("5", "fewer than 5")
    assert {f.sources.shown for f in heard.themes[1:] + heard.barriers} == {"fewer than 5"}
    assert [tally.shown for _, tally in heard.by_source] == ["fewer than 5"] * 3
    assert heard.sources.shown == "7"
    cells = {tally.shown for row in heard.growth.rows for tally in row.months}
    assert cells == {"fewer than 5"}


def test_internal_counts_are_shown_whole(corpus):
    heard = what_we_heard(HeardFilters(), Audience.INTERNAL)
    assert [f.sources.shown for f in heard.barriers] == ["3", "1"]


def test_quotes_per_audience(corpus):
    def quotes(audience, theme=HOMEWORK):
        heard = what_we_heard(HeardFilters(), audience)
        finding = next(f for f in heard.themes if f.name == theme)
        return {(quote.text, quote.attribution) for quote in finding.quotes}

    assert quotes(Audience.INTERNAL) == {(PUBLIC_QUOTE, "Anonymous"), (NAMED_QUOTE, "Amina"),
                                         (PRIVATE_QUOTE, "Anonymous")}
    for audience in (Audience.PARTNERS, Audience.PUBLIC):
        assert quotes(audience) == {(PUBLIC_QUOTE, "Anonymous")}
        assert quotes(audience, ISOLATION) == {(ROLE_QUOTE, "a retired radio repairman")}


def test_excerpts_per_audience(corpus):
    def excerpts(audience):
        heard = what_we_heard(HeardFilters(), audience)
        return {excerpt.text: excerpt for excerpt in heard.themes[0].excerpts}

    internal = excerpts(Audience.INTERNAL)
    assert internal[SENSITIVE_NOTES].is_sensitive
    assert {NAMED_QUOTE, PRIVATE_QUOTE} <= set(internal)
    assert internal["in Arabic"].place == "Lavender Laundromat"
    partners = excerpts(Audience.PARTNERS)
    assert set(partners) == {"Parents want homework help", "in Arabic", PUBLIC_QUOTE,
                             "Coffee morning: homework again.", "Homework club idea. Evening "
                             "hours. Know neighbours.", "Homework help please"}
    assert {excerpt.place for excerpt in partners.values()} == {""}
    assert excerpts(Audience.PUBLIC) == {}


def test_the_chart_leaves_out_hidden_counts(corpus):
    from app.themes.heard import charted

    assert names(charted(what_we_heard(HeardFilters(), Audience.PARTNERS).themes)) == [HOMEWORK]
    assert len(charted(what_we_heard(HeardFilters(), Audience.INTERNAL).themes)) == 5


# The screen --------------------------------------------------------------------------------------

def test_staff_see_the_ranking_with_every_count(staff_client, corpus):
    response = staff_client.get("/themes/heard")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.index(HOMEWORK) < page.index(PRACTICE) < page.index(NEIGHBOURS)
    assert "Barriers: what gets in the way" in page and HOURS.replace("'", "&#39;") in page
    assert NAMED_QUOTE in page and "Amina" in page and SENSITIVE_NOTES in page
    assert "fewer than 5" not in page and "<svg" in page


def test_staff_can_view_the_public_version(staff_client, corpus):
    page = staff_client.get("/themes/heard?audience=public").get_data(as_text=True)
    assert PUBLIC_QUOTE in page and "fewer than 5" in page
    for hidden in (NAMED_QUOTE, "Amina", PRIVATE_QUOTE, SENSITIVE_NOTES, "Parents want"):
        assert hidden not in page


def test_filters_come_from_the_query(staff_client, corpus):
    page = staff_client.get(
        f"/themes/heard?branch_id={corpus.northside}&start=2026-03-01&end=2026-03-31"
    ).get_data(as_text=True)
    assert ISOLATION in page and HOMEWORK not in page
    assert f'name="branch_id" value="{corpus.northside}"' in page  # the print form's


def test_members_see_the_partners_version(client, corpus, make_user):
    member = make_user("member", name="Mo Member")
    db.session.commit()
    log_in(client, member)
    response = client.get("/themes/heard")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Shown as it goes to partners" in page and PUBLIC_QUOTE in page
    for hidden in (NAMED_QUOTE, "Amina", PRIVATE_QUOTE, SENSITIVE_NOTES, CONTACT_NAME,
                   CODER_NAME, "Lavender Laundromat"):
        assert hidden not in page
    assert 'value="internal"' not in page
    assert client.get("/themes/heard?audience=internal").status_code == 403


def test_people_who_are_not_logged_in_are_sent_to_log_in(client, corpus):
    assert client.get("/themes/heard").status_code == 302


@pytest.mark.parametrize(("query", "message"), [
    ("focus_community_id=abc", "Choose one of the options in the list."),
    ("branch_id=99999", "Choose one of the options in the list."),
    ("start=14/03/2026", "Enter a date as year-month-day"),
    ("start=2026-03-01&end=2026-02-01", "The end date is before the start date."),
    ("start=0001-01-01", "Choose a date between 1990 and 2100."),
    ("channel=pigeon", "Choose one of the options in the list."),
    ("source_kind=rumour", "Choose one of the options in the list."),
    ("audience=everyone", "Choose one of the options in the list."),
])
def test_bad_filters_answer_400_with_the_problem_next_to_the_field(staff_client, corpus, query,
                                                                  message):
    response = staff_client.get(f"/themes/heard?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_an_empty_slice_says_so_in_plain_words(staff_client, corpus):
    page = staff_client.get("/themes/heard?start=2027-01-01").get_data(as_text=True)
    assert "No themes yet for these choices." in page


def test_the_print_form_carries_the_filters_and_the_community_languages(staff_client, corpus):
    page = staff_client.get(f"/themes/heard?focus_community_id={corpus.east}").get_data(
        as_text=True)
    assert 'action="/themes/heard.pdf"' in page
    assert f'name="focus_community_id" value="{corpus.east}"' in page
    assert "Arabic" in page and "Dari (headings stay in English)" in page
    assert "Your library, your say" in page  # the open form, for the QR code
