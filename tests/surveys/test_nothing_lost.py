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
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app.config import ROOT
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


def _children(pid: int) -> list[int]:
    """Return the ids of the processes whose parent is `pid` (gunicorn's workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(app, make_survey, tmp_path):
    """Serve the app with gunicorn (2 workers) on the test database; yield (port, survey, pid)."""
    visits = question("single_choice", ("How often do you visit?", "", ""), 0, is_required=True)
    visits.options = options(("Every week", "", ""), ("Sometimes", "", ""), ("Never", "", ""))
    wish = question("long_text", ("What would you like?", "", ""), 1)
    survey = make_survey(questions=[visits, wish], languages=["en"])
    db.session.commit()
    port = _free_port()
    environment = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                   "SECRET_KEY": "load-test-secret", "RATELIMIT_ENABLED": "false",
                   "GROUNDWORK_INSTANCE": str(tmp_path / "instance")}
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--graceful-timeout", "2", "wsgi:app"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start: " + server.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    yield port, survey, server.pid
    server.terminate()
    server.wait(timeout=10)


def test_a_worker_killed_mid_load_loses_no_acknowledged_submission(app, gunicorn):
    port, survey, master = gunicorn
    answers = _field_names(app, survey)
    path = f"/f/{survey.token}"
    acknowledged: list[str] = []
    sent = threading.Event()

    def send(count: int) -> None:
        for _ in range(count):
            submission_id = secrets.token_urlsafe(24)
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = _post(connection, path, {**answers, "submission_id": submission_id,
                                                  "language": "en"})
                connection.close()
            except (OSError, http.client.HTTPException):
                continue  # the worker died under this request: it was never acknowledged
            if status == 303:
                acknowledged.append(submission_id)
                if len(acknowledged) >= 50:
                    sent.set()

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(send, 50) for _ in range(8)]
        assert sent.wait(60), "no submissions were acknowledged"
        workers = _children(master)
        assert workers, "gunicorn has no workers"
        os.kill(workers[0], signal.SIGKILL)
        for future in futures:
            future.result()

    db.session.rollback()
    stored = set(db.session.scalars(sa.select(SurveyResponse.submission_id)))
    assert len(acknowledged) > 100
    assert set(acknowledged) <= stored
