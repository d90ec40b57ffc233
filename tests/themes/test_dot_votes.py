"""Dot votes: choosing candidates, the printed sheet, entering the dots, and recording the
decision that endorses the chosen priorities in one step."""

from datetime import date, timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.extensions import db
from app.meetings.models import Decision
from app.themes.models import DotVote, Priority

FACILITATOR = "Zebulon Sentinelworth"


def pdf_text(pdf: bytes) -> str:
    """Return the PDF's text with whitespace collapsed."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def share_back(make_meeting, make_focus_community, make_user):
    """A held share-back with three candidate priorities of its focus community, in order."""
    community = make_focus_community(name="Newcomer families, Eastgate")
    meeting = make_meeting(title="Eastgate share-back", focus_community=community,
                           facilitator=FACILITATOR, headcount=23,
                           created_by=make_user(name="Amira Haddad"))
    return meeting


@pytest.fixture
def candidates(share_back, make_priority, make_theme):
    theme = make_theme(name="Homework help in home languages", status="confirmed")
    titles = ["Saturday homework mornings", "Say the library is free",
              "English conversation circles"]
    priorities = [make_priority(title=title, focus_community=share_back.focus_community,
                                theme=theme if position == 0 else None,
                                rationale=f"Why {title.lower()} matters.")
                  for position, title in enumerate(titles)]
    for position, priority in enumerate(priorities, start=1):
        db.session.add(DotVote(meeting=share_back, priority=priority, position=position))
    db.session.commit()
    return priorities


def _votes_data(priorities, *dots) -> dict:
    return {f"dots_{priority.id}": str(count) for priority, count in zip(priorities, dots)}


def _dots(meeting) -> dict[str, int | None]:
    db.session.expire_all()
    votes = db.session.scalars(sa.select(DotVote).filter_by(meeting_id=meeting.id))
    return {vote.priority.title: vote.dots for vote in votes}


# Choosing candidates

def test_setup_offers_the_meetings_focus_community_and_saves_the_order(
        staff_client, share_back, make_priority, make_focus_community):
    first = make_priority(title="Saturday mornings", focus_community=share_back.focus_community)
    second = make_priority(title="Free cards", focus_community=share_back.focus_community)
    make_priority(title="Millbrook evenings", focus_community=make_focus_community())
    db.session.commit()
    url = f"/themes/priorities/dot-vote/{share_back.id}/candidates"
    page = staff_client.get(url).get_data(as_text=True)
    assert "Saturday mornings" in page and "Free cards" in page
    assert "Millbrook evenings" not in page
    order = sorted([first, second], key=lambda priority: priority.title)
    rows = {order.index(first): first, order.index(second): second}
    data = {f"rows-{index}-priority_id": str(priority.id) for index, priority in rows.items()}
    data.update({f"rows-{index}-include": "y" for index in rows})
    data[f"rows-{order.index(first)}-position"] = "2"
    data[f"rows-{order.index(second)}-position"] = "1"
    response = staff_client.post(url, data=data)
    assert response.status_code == 302
    votes = db.session.scalars(sa.select(DotVote).order_by(DotVote.position)).all()
    assert [vote.priority.title for vote in votes] == ["Free cards", "Saturday mornings"]
    assert "Print the sheet" in staff_client.get(url).get_data(as_text=True)


def test_setup_lists_the_candidates_in_sheet_order_and_unticking_removes_one(
        staff_client, share_back, candidates):
    url = f"/themes/priorities/dot-vote/{share_back.id}/candidates"
    page = staff_client.get(url).get_data(as_text=True)
    assert [page.index(priority.title) for priority in candidates] == sorted(
        page.index(priority.title) for priority in candidates)
    data = {f"rows-{index}-priority_id": str(priority.id)
            for index, priority in enumerate(candidates)}
    data["rows-2-include"] = "y"
    staff_client.post(url, data=data)
    assert list(_dots(share_back)) == ["English conversation circles"]


# The printed sheet

def test_the_sheet_lists_the_candidates_with_the_dots_and_no_names(
        staff_client, share_back, candidates):
    response = staff_client.get(f"/themes/priorities/dot-vote/{share_back.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    text = pdf_text(response.data)
    assert "Dot vote: Eastgate share-back" in text
    assert "Each person has 3 dots." in text
    positions = [text.index(f"{number}. {priority.title}")
                 for number, priority in enumerate(candidates, start=1)]
    assert positions == sorted(positions)
    assert "Why saturday homework mornings matters." in text
    assert "From what we heard: Homework help in home languages" in text
    assert FACILITATOR not in text and "Amira Haddad" not in text and "Sam Staff" not in text
    assert "For the public" in text


def test_the_sheet_takes_another_number_of_dots_and_large_print(
        staff_client, share_back, candidates):
    normal = staff_client.get(f"/themes/priorities/dot-vote/{share_back.id}.pdf")
    large = staff_client.get(f"/themes/priorities/dot-vote/{share_back.id}.pdf?dots=5&large=1")
    assert large.status_code == 200
    assert "Each person has 5 dots." in pdf_text(large.data)
    assert len(PdfReader(BytesIO(large.data)).pages) >= len(
        PdfReader(BytesIO(normal.data)).pages)


@pytest.mark.parametrize("query", ["dots=0", "dots=abc", "dots=21", "audience=everyone"])
def test_a_bad_sheet_request_is_explained(staff_client, share_back, candidates, query):
    response = staff_client.get(f"/themes/priorities/dot-vote/{share_back.id}.pdf?{query}")
    assert response.status_code == 400
    assert b"whole number from 1 to 20" in response.data or b"audience" in response.data


def test_a_meeting_without_candidates_has_no_sheet(staff_client, share_back):
    db.session.commit()
    response = staff_client.get(f"/themes/priorities/dot-vote/{share_back.id}.pdf")
    assert response.status_code == 404
    assert b"no candidate priorities yet" in response.data


# Entering the dots

@pytest.mark.parametrize(("typed", "message"), [
    ("", "Write the number of dots, 0 if it got none."),
    ("twelve", "Write a whole number, such as 12."),
    ("2.5", "Write a whole number, such as 12."),
    ("-1", "Write a whole number from 0 to 9,999."),
    ("10000", "Write a whole number from 0 to 9,999."),
])
def test_bad_dots_are_explained_next_to_the_field(staff_client, share_back, candidates, typed,
                                                  message):
    data = _votes_data(candidates, 5, 4, 3)
    data[f"dots_{candidates[1].id}"] = typed
    response = staff_client.post(f"/themes/priorities/votes/{share_back.id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<p class="error" id="dots_{candidates[1].id}-error">{message}</p>' in page
    assert set(_dots(share_back).values()) == {None}


def test_dots_are_saved_and_shown_with_totals_and_ranking(staff_client, share_back, candidates):
    url = f"/themes/priorities/votes/{share_back.id}"
    response = staff_client.post(url, data=_votes_data(candidates, 12, 30, 12))
    assert response.status_code == 302 and response.location == url
    assert _dots(share_back) == {"Saturday homework mornings": 12,
                                 "Say the library is free": 30,
                                 "English conversation circles": 12}
    page = " ".join(staff_client.get(url).get_data(as_text=True).split())
    assert "All dots</th><td class=\"number\">54</td>" in page
    free = page.index("Say the library is free</a>")
    saturday = page.index("Saturday homework mornings</a>")
    assert free < saturday
    assert "<td>1</td> <th scope=\"row\">" in page and page.count("<td>2</td>") == 2
    assert "56%" in page and "22%" in page
    assert "Record the decision from this vote" in page


# Deciding from the vote

def test_deciding_endorses_exactly_the_chosen_priorities_and_records_the_figures(
        staff_client, staff, share_back, candidates):
    saturday, free, circles = candidates
    staff_client.post(f"/themes/priorities/votes/{share_back.id}",
                      data=_votes_data(candidates, 24, 18, 13))
    response = staff_client.post(f"/themes/priorities/votes/{share_back.id}/decide", data={
        "chosen": [str(saturday.id), str(free.id)], "decided_by": "The 23 people present",
        "voters": "21"})
    assert response.status_code == 302
    db.session.expire_all()
    decision = db.session.scalars(sa.select(Decision)).one()
    assert decision.meeting_id == share_back.id and decision.method == "dot_vote"
    assert decision.decided_by == "The 23 people present" and decision.recorded_by == staff
    assert "1. Saturday homework mornings (24 dots)" in decision.text
    assert "2. Say the library is free (18 dots)" in decision.text
    assert "Also on the sheet: English conversation circles (13 dots)." in decision.text
    assert decision.result_note.startswith("55 dots from 21 people.")
    assert "English conversation circles: 13" in decision.result_note
    priorities = {priority.title: priority for priority in db.session.scalars(
        sa.select(Priority))}
    assert {title for title, priority in priorities.items() if priority.is_endorsed} == {
        "Saturday homework mornings", "Say the library is free"}
    assert priorities["Saturday homework mornings"].decision == decision
    assert priorities["Saturday homework mornings"].theme.status == "prioritised"
    assert (priorities["Saturday homework mornings"].rank,
            priorities["Say the library is free"].rank) == (1, 2)
    assert priorities["English conversation circles"].status == "staff_draft"
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "2 priorities are now community-endorsed." in page
    assert "The vote is closed" in page


def test_a_decided_vote_cannot_be_decided_again_or_recounted(
        staff_client, share_back, candidates):
    url = f"/themes/priorities/votes/{share_back.id}"
    staff_client.post(url, data=_votes_data(candidates, 3, 2, 1))
    decide = {"chosen": [str(candidates[0].id)], "decided_by": "Everyone"}
    staff_client.post(f"{url}/decide", data=decide)
    again = staff_client.post(f"{url}/decide", data=decide).get_data(as_text=True)
    assert "The decision from this vote is on record" in again
    staff_client.post(url, data=_votes_data(candidates, 9, 9, 9))
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 1
    assert _dots(share_back)["Saturday homework mornings"] == 3


def test_deciding_is_refused_unless_the_meeting_was_held(
        staff_client, share_back, candidates):
    share_back.status, share_back.held_on = "planned", date.today() + timedelta(days=3)
    url = f"/themes/priorities/votes/{share_back.id}"
    staff_client.post(url, data=_votes_data(candidates, 5, 4, 3))
    page = staff_client.get(url).get_data(as_text=True)
    assert "This meeting is not marked as held." in page
    response = staff_client.post(f"{url}/decide", data={
        "chosen": [str(candidates[0].id)], "decided_by": "Everyone"})
    assert response.status_code == 200
    assert "Decisions are recorded for meetings that were held." in response.get_data(
        as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
    assert not any(priority.is_endorsed for priority in db.session.scalars(
        sa.select(Priority)))


def test_deciding_needs_counted_dots_and_a_choice(staff_client, share_back, candidates):
    url = f"/themes/priorities/votes/{share_back.id}/decide"
    uncounted = staff_client.post(url, data={"chosen": [str(candidates[0].id)],
                                             "decided_by": "Everyone"})
    assert "Enter the dots for every candidate first." in uncounted.get_data(as_text=True)
    staff_client.post(f"/themes/priorities/votes/{share_back.id}",
                      data=_votes_data(candidates, 5, 4, 3))
    none_chosen = staff_client.post(url, data={"decided_by": "Everyone"})
    assert "Tick at least one of the candidates" in none_chosen.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
