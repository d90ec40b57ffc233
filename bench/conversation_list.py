"""Time the list of conversations at 100,000 conversations, against a bare baseline.

Seeds a temporary SQLite file in bulk, then times through the test client: the first page, a
page deep in the log (reached by its cursor), and a text search. Prints `NAME: ms=...` lines;
`ratio` compares each with the health check, which does one trivial query.

    .venv/bin/python bench/conversation_list.py [number of conversations]
"""

import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.accounts.models import Branch, User  # noqa: E402
from app.community.models import Organization, Space  # noqa: E402
from app.conversations.models import Conversation, FollowUp, Quote, conversation_organizations  # noqa: E402
from app.extensions import db  # noqa: E402

CONVERSATIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
RUNS = 7
KINDS = ["drop_in_visit", "one_to_one", "group_conversation", "walkabout", "event_table"]
PURPOSES = ["listening", "relationship", "information_giving", "planning", "follow_up"]
WORDS = ["parents", "asked", "about", "evening", "hours", "and", "quiet", "study", "space",
         "while", "the", "dryers", "ran;", "seniors", "want", "help", "with", "phones", "forms;",
         "teens", "need", "somewhere", "warm", "after", "school"]
#: Bench accounts never log in with a password.
UNUSABLE_HASH = "!"


def seed(rng: random.Random) -> User:
    """Fill the database in bulk and return the person the client logs in as."""
    branches = [Branch(name=f"Branch {number}") for number in range(5)]
    users = [User(name=f"Staff {number}", email=f"staff{number}@bench.example",
                  password_hash=UNUSABLE_HASH, role="staff") for number in range(20)]
    organizations = [Organization(name=f"Organization {number}", asset_category="association")
                     for number in range(300)]
    spaces = [Space(name=f"Space {number}") for number in range(100)]
    db.session.add_all(branches + users + organizations + spaces)
    db.session.flush()
    start = date(2016, 1, 1)
    rows = [{
        "happened_on": start + timedelta(days=rng.randrange(3650)),
        "branch_id": rng.choice(branches).id, "space_id": rng.choice(spaces).id,
        "kind": rng.choice(KINDS), "purpose": rng.choice(PURPOSES), "stage": "1",
        "who_description": "a few people", "headcount": rng.randrange(1, 20),
        "languages": ["en"], "is_sensitive": number % 50 == 0,
        "notes": " ".join(rng.choices(WORDS, k=40)) + (" homework club" if number % 97 == 0
                                                        else ""),
        "logged_by_id": rng.choice(users).id,
    } for number in range(CONVERSATIONS)]
    db.session.execute(sa.insert(Conversation), rows)
    ids = list(db.session.scalars(sa.select(Conversation.id)))
    db.session.execute(sa.insert(conversation_organizations), [
        {"conversation_id": number, "organization_id": rng.choice(organizations).id}
        for number in ids[::2]])
    db.session.execute(sa.insert(Quote), [
        {"conversation_id": number, "text": " ".join(rng.choices(WORDS, k=12)),
         "attribution": "anonymous"} for number in ids[::3]])
    db.session.execute(sa.insert(FollowUp), [
        {"conversation_id": number, "description": "Bring the flyer",
         "owner_id": rng.choice(users).id} for number in ids[::5]])
    db.session.commit()
    return users[0]


def timed(client, url: str) -> float:
    """Return the median milliseconds of fetching `url`."""
    client.get(url)  # warm up caches and templates
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def deep_cursor(depth: int) -> str:
    """Return the cursor of the conversation `depth` rows down the list."""
    row = db.session.execute(
        sa.select(Conversation.happened_on, Conversation.id)
        .order_by(Conversation.happened_on.desc(), Conversation.id.desc())
        .offset(depth).limit(1)).one()
    return f"{row.happened_on.isoformat()}_{row.id}"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite"})
        with app.app_context():
            db.create_all()
            began = time.perf_counter()
            user = seed(random.Random(7))
            print(f"seed_{CONVERSATIONS}: ms={(time.perf_counter() - began) * 1000:.0f}")
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = str(user.id), True
            baseline = timed(client, "/healthz")
            print(f"baseline_healthz: ms={baseline:.1f}")
            for name, url in [
                ("first_page", "/conversations/"),
                ("deep_page", f"/conversations/?older={deep_cursor(CONVERSATIONS - 100)}"),
                ("text_search", "/conversations/?text=homework+club"),
                ("filtered_deep_page", f"/conversations/?kind=walkabout&branch_id=1"
                                       f"&older={deep_cursor(CONVERSATIONS // 2)}"),
            ]:
                ms = timed(client, url)
                print(f"{name}: ms={ms:.1f} ratio={ms / baseline:.1f}")
            db.engine.dispose()


if __name__ == "__main__":
    main()
