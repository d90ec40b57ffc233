"""Nothing lost under load: many people sending the same form at once all land, exactly once.

The app is served on a loopback port by a threaded server on a database file (SQLite) or on
the test PostgreSQL database, and 16 threads post answers as phones and kiosks would. Every
acknowledged submission (a 303 to the thank-you page) must be stored once, with no 5xx and no
"database is locked".
"""

import http.client
import os
import re
import secrets
import threading
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app.extensions import db
from app.surveys.models import SurveyResponse
from tests.conftest import IS_SHARED_DATABASE
from tests.surveys.conftest import options, question

pytestmark = [pytest.mark.load, pytest.mark.usefixtures("public_app")]

#: LOAD_THREADS and LOAD_SUBMISSIONS change the load for a quick run on a busy machine.
THREADS = int(os.environ.get("LOAD_THREADS", "16"))
SUBMISSIONS = int(os.environ.get("LOAD_SUBMISSIONS", "2000"))


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    if IS_SHARED_DATABASE:
        return {}
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'load.sqlite'}"}


@pytest.fixture
def served(app, make_survey):
    """Serve the app with one open two-question form; yield (host, port, survey)."""
    visits = question("single_choice", ("How often do you visit?", "", ""), 0, is_required=True)
    visits.options = options(("Every week", "", ""), ("Sometimes", "", ""), ("Never", "", ""))
    wish = question("long_text", ("What would you like?", "", ""), 1)
    survey = make_survey(questions=[visits, wish], languages=["en"])
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", server.server_port, survey
    server.shutdown()
    thread.join()


def _answers(survey) -> dict[str, str]:
    visits, wish = survey.questions
    return {f"q_{visits.id}": str(visits.options[0].id), f"q_{wish.id}": "Homework help"}


def _post(connection: http.client.HTTPConnection, path: str, fields: dict[str, str]) -> int:
    body = urllib.parse.urlencode(fields)
    connection.request("POST", path, body=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    return response.status


def _field_names(app, survey) -> dict[str, str]:
    """Return the answer fields as the blank page names them."""
    page = app.test_client().get(f"/f/{survey.token}").get_data(as_text=True)
    names = set(re.findall(r'name="(q_\d+)"', page))
    answers = _answers(survey)
    assert set(answers) <= names, (answers, names)
    return answers


def test_sixteen_threads_sending_two_thousand_submissions_store_exactly_two_thousand(
        app, served):
    host, port, survey = served
    answers = _field_names(app, survey)
    path = f"/f/{survey.token}"
    submission_ids = [secrets.token_urlsafe(24) for _ in range(SUBMISSIONS)]

    def send(batch: list[str]) -> Counter:
        statuses = Counter()
        connection = http.client.HTTPConnection(host, port, timeout=60)
        for submission_id in batch:
            statuses[_post(connection, path, {**answers, "submission_id": submission_id,
                                              "language": "en"})] += 1
        connection.close()
        return statuses

    with ThreadPoolExecutor(THREADS) as pool:
        results = pool.map(send, [submission_ids[i::THREADS] for i in range(THREADS)])
    statuses = sum(results, Counter())

    assert statuses == {303: SUBMISSIONS}
    db.session.rollback()
    stored = db.session.scalars(sa.select(SurveyResponse.submission_id)).all()
    assert len(stored) == SUBMISSIONS
    assert set(stored) == set(submission_ids)


def test_the_same_submission_sent_by_every_thread_at_once_is_stored_once(app, served):
    host, port, survey = served
    answers = _field_names(app, survey)
    fields = {**answers, "submission_id": secrets.token_urlsafe(24), "language": "en"}
    start = threading.Barrier(THREADS)

    def send(_n: int) -> int:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        start.wait()
        status = _post(connection, f"/f/{survey.token}", fields)
        connection.close()
        return status

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(send, range(THREADS)))

    # Everyone who pressed Send sees the thank-you page; one response is kept.
    assert statuses == [303] * THREADS
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(SurveyResponse.id))) == 1
