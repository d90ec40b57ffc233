"""The review queue at scale: keyset pages newest first, and a count that stops at a limit."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.surveys import reviewing
from app.surveys.reviewing import ResponseCursor
from tests.surveys.answering import respond


@pytest.fixture
def app_overrides():
    return {"PAGE_SIZE": 3}


@pytest.fixture
def eight(make_survey):
    """A form with eight responses an hour apart, two of them sent at the same moment."""
    survey = make_survey()
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    responses = [respond(survey, channel="web" if number % 2 else "kiosk",
                         submitted_at=start + timedelta(hours=min(number, 6)))
                 for number in range(8)]
    db.session.commit()
    newest = sorted(responses, key=lambda response: (response.submitted_at, response.id),
                    reverse=True)
    return survey, [response.id for response in newest]


def _listed(page: str) -> list[int]:
    return [int(number) for number in re.findall(r"<strong>Response (\d+)</strong>", page)]


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_older_links_walk_every_response_once_and_newer_links_walk_back(staff_client, eight):
    survey, newest = eight
    url, seen, labels = f"/forms/{survey.id}/responses", [], []
    while url:
        page = staff_client.get(url).get_data(as_text=True)
        seen += _listed(page)
        labels.append(re.search(r"<span>(Page [^<]+)</span>", page).group(1))
        last, url = url, _link(page, "next")
    assert seen == newest
    assert labels == ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]
    assert "older=" in last  # the deep pages were reached by cursor, not by counting rows
    back = []
    url = _link(staff_client.get(last).get_data(as_text=True), "prev")
    while url:
        page = staff_client.get(url).get_data(as_text=True)
        back.append(_listed(page))
        url = _link(page, "prev")
    assert back == [newest[3:6], newest[:3]]


def test_filters_stay_on_the_page_links(staff_client, eight):
    survey, newest = eight
    page = staff_client.get(f"/forms/{survey.id}/responses?channel=web").get_data(as_text=True)
    assert "4 responses match the filters" in page
    second = staff_client.get(_link(page, "next")).get_data(as_text=True)
    assert "channel=web" in _link(page, "next")
    assert len(_listed(page) + _listed(second)) == 4


def test_past_the_limit_the_count_says_more_than(staff_client, eight, monkeypatch):
    survey, newest = eight
    monkeypatch.setattr(reviewing, "COUNT_LIMIT", 5)
    page = staff_client.get(f"/forms/{survey.id}/responses").get_data(as_text=True)
    assert "More than 5 responses." in page
    assert "<span>Page 1</span>" in page and _listed(page) == newest[:3]


def test_a_broken_cursor_or_a_page_past_the_end_shows_the_first_page(staff_client, eight):
    survey, newest = eight
    for query in ("older=not-a-cursor", "newer=12_x", "page=40"):
        response = staff_client.get(f"/forms/{survey.id}/responses?{query}")
        assert response.status_code == 200
        assert _listed(response.get_data(as_text=True)) == newest[:3]


def test_a_cursor_reads_back_as_the_same_position():
    cursor = ResponseCursor(datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC), 42)
    assert ResponseCursor.parse(str(cursor)) == cursor
