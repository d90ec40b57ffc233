"""P6: the conversations list and a form's responses list at 1,000,000 rows against 10,000.

Two SQLite databases seeded alike: one with 1,000,000 conversations (a tenth with a quote, a
twentieth with a follow-up) and a form with 1,000,000 responses (a long-text answer on about a
third); the other with 10,000 of each. A is a page through the test
client on the large database, B the same page on the small one; each sample is FETCHES
requests. Pages: the first page, a deep page (reached by its keyset cursor, 100 rows from the
end), and a filtered page halfway down. Target A/B <= 1.5 for every page: keyset pages, indexed
filters and a count that stops at 1,000 make a page's cost independent of the list's length.
The filters use the conversations' composite indexes (filter column, date, id) from the models.

    .venv/bin/python bench/p6_lists.py          # BENCH_SHORT=1: 10,000 against 100
"""

import random
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.conversations.models import Conversation  # noqa: E402
from app.conversations.search import Cursor  # noqa: E402
from app.extensions import db  # noqa: E402
from app.surveys.models import SurveyResponse  # noqa: E402
from app.surveys.reviewing import ResponseCursor  # noqa: E402
from bench.harness import Sample, interleaved, median_ratio, report, scale  # noqa: E402
from bench.p4_summaries import (  # noqa: E402
    CONVERSATION_COLUMNS,
    START,
    BenchDatabase,
    bench_database,
    bulk_insert,
    conversation_rows,
    logged_in_client,
    seed_survey,
)

LARGE = scale(1_000_000, 10_000)
SMALL = scale(10_000, 100)
FETCHES = 5
SURVEY_ID = 1
QUESTIONS = [("long_text", 0)]


def seed(database: BenchDatabase, rows: int) -> None:
    def conversations(connection, _seeded, rng: random.Random) -> list[str]:
        bulk_insert(connection, "conversations", CONVERSATION_COLUMNS,
                    conversation_rows(rng, rows, notes_words=30))
        bulk_insert(connection, "quotes", ["id", "conversation_id", "text", "attribution",
                                           "attributed_to", "has_name_consent", "is_public"],
                    ((number, number * 10, "We need somewhere warm after school", "anonymous",
                      "", False, False) for number in range(1, rows // 10 + 1)))
        bulk_insert(connection, "follow_ups", ["id", "conversation_id", "description",
                                               "owner_id", "created_at"],
                    ((number, number * 20, "Bring the flyer", 1, START)
                     for number in range(1, rows // 20 + 1)))
        return ["conversations", "quotes", "follow_ups"]

    seed_survey(database, rows, questions=QUESTIONS, extra=conversations)


def pages(database: BenchDatabase, rows: int) -> dict[str, str]:
    """Return the URL of each measured page in this database."""
    app = database.app()
    with app.app_context():
        order = (Conversation.happened_on.desc(), Conversation.id.desc())
        deep = db.session.scalars(sa.select(Conversation).order_by(*order)
                                  .offset(rows - 100).limit(1)).one()
        filtered = (Conversation.kind == "walkabout", Conversation.branch_id == 1)
        middle = db.session.scalars(sa.select(Conversation).where(*filtered).order_by(*order)
                                    .offset(rows // 50).limit(1)).one()
        order = (SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())
        last = db.session.scalars(sa.select(SurveyResponse).order_by(*order)
                                  .offset(rows - 100).limit(1)).one()
        kiosk = db.session.scalars(sa.select(SurveyResponse)
                                   .where(SurveyResponse.channel == "kiosk").order_by(*order)
                                   .offset(rows // 6).limit(1)).one()
        urls = {
            "conversations_first_page": "/conversations/",
            "conversations_deep_page": f"/conversations/?older={Cursor(deep.happened_on, deep.id)}",
            "conversations_filtered_deep_page": "/conversations/?kind=walkabout&branch_id=1"
                                                f"&older={Cursor(middle.happened_on, middle.id)}",
            "responses_first_page": f"/forms/{SURVEY_ID}/responses",
            "responses_deep_page": f"/forms/{SURVEY_ID}/responses?older="
                                   f"{ResponseCursor.of(last)}&page=2",
            "responses_filtered_deep_page": f"/forms/{SURVEY_ID}/responses?channel=kiosk"
                                            f"&older={ResponseCursor.of(kiosk)}&page=2",
        }
        db.session.remove()
    return urls


def sampler(client, url: str):
    def sample() -> Sample:
        began = time.perf_counter()
        for _ in range(FETCHES):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert b"Older" in response.data or b"Newer" in response.data, url
        return Sample((time.perf_counter() - began) / FETCHES)
    return sample


def main() -> None:
    with bench_database("bench_p6_large") as large, bench_database("bench_p6_small") as small:
        began = time.perf_counter()
        seed(large, LARGE)
        seed(small, SMALL)
        print(f"seeded {LARGE:,} and {SMALL:,} conversations and responses in "
              f"{time.perf_counter() - began:.1f}s", flush=True)
        large_urls, small_urls = pages(large, LARGE), pages(small, SMALL)
        large_client = logged_in_client(large.app())
        small_client = logged_in_client(small.app())
        for name, url in large_urls.items():
            a, b = sampler(large_client, url), sampler(small_client, small_urls[name])
            a(), b()  # warm up
            pairs = interleaved(a, b)
            ratio = median_ratio(pairs)
            report(f"P6_{name}", ratio=ratio, target="<=1.5", met=ratio <= 1.5,
                   a=f"{statistics.median(pair[0].seconds for pair in pairs) * 1000:.1f}ms "
                     f"at {LARGE:,}",
                   b=f"{statistics.median(pair[1].seconds for pair in pairs) * 1000:.1f}ms "
                     f"at {SMALL:,}", url=url)


if __name__ == "__main__":
    main()
