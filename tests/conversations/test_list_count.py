"""The conversations list counts no further than a limit, then says "more than"."""

from app.conversations import search
from app.extensions import db


def test_past_the_limit_the_count_says_more_than(staff_client, make_conversation, monkeypatch):
    for _ in range(5):
        make_conversation(kind="walkabout")
    make_conversation(kind="one_to_one")
    db.session.commit()
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    page = staff_client.get("/conversations/").get_data(as_text=True)
    assert "More than 3 conversations in the log." in page
    page = staff_client.get("/conversations/?kind=walkabout").get_data(as_text=True)
    assert "More than 3 conversations match the filters." in page


def test_up_to_the_limit_the_count_is_exact(staff_client, make_conversation, monkeypatch):
    for _ in range(3):
        make_conversation()
    db.session.commit()
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    page = staff_client.get("/conversations/").get_data(as_text=True)
    assert "3 conversations in the log." in page and "More than" not in page
