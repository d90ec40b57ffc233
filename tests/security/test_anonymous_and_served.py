"""Anonymous means anonymous, and the served app says nothing about itself.

A public form is answered with sentinel answer text, a sentinel client address (X-Forwarded-For,
trusted through one proxy, the riskiest setting) and a sentinel browser name. The address and
the browser name must not reach the database file, and neither they nor the answer text may
reach the logs: the app's own (caplog at DEBUG) or gunicorn's access log, served with the
repository's gunicorn.conf.py.
"""

import http.client
import logging
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from app.config import ROOT
from app.extensions import db
from tests.conftest import IS_SHARED_DATABASE
from tests.surveys.filling import good_answers, name_of, responses, submission_id

pytestmark = pytest.mark.usefixtures("public_app")

ANSWER = "Sentinel-answer-Quixotic-Heron-4417"
ADDRESS = "203.0.113.77"
AGENT = "SentinelBrowser/9.9.9 (Quokka)"
QUERY = "campaign=sentinel-query-5531"


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    overrides = {"PROXY_COUNT": 1}
    if not IS_SHARED_DATABASE:
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'anonymous.sqlite'}"
    return overrides


def _answers(survey) -> dict:
    return {**good_answers(survey), name_of(survey, "long_text"): ANSWER}


def _database_bytes(app) -> bytes:
    """Return the bytes of the SQLite file after moving the WAL's pages into it."""
    db.session.remove()
    db.engine.dispose()
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = Path(path).read_bytes()
    wal = Path(path + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_a_public_answer_leaves_no_address_or_browser_in_the_database_or_the_logs(
        app, client, make_survey, caplog):
    caplog.set_level(logging.DEBUG)
    survey = make_survey()
    db.session.commit()
    headers = {"X-Forwarded-For": ADDRESS, "User-Agent": AGENT}
    page = client.get(f"/f/{survey.token}?{QUERY}", headers=headers)
    sent = client.post(f"/f/{survey.token}?{QUERY}", headers=headers,
                       data={**_answers(survey), "submission_id": submission_id(page.data)})
    assert sent.status_code == 303
    [stored] = responses()
    assert ANSWER in [answer.text_value for answer in stored.answers]

    assert ANSWER not in caplog.text
    assert ADDRESS not in caplog.text
    assert AGENT not in caplog.text
    if IS_SHARED_DATABASE:
        return  # the file check below is for SQLite; the PostgreSQL run checks the rows above
    data = _database_bytes(app)
    assert ANSWER.encode() in data  # the control: the search does find what is stored
    assert ADDRESS.encode() not in data
    assert AGENT.encode() not in data
    assert b"SentinelBrowser" not in data


# Served by gunicorn with gunicorn.conf.py --------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(app, tmp_path):
    """Serve the app with gunicorn and the repository's gunicorn.conf.py; yield
    (port, access log path, error log path)."""
    port = _free_port()
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    environment = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                   "SECRET_KEY": "served-test-secret", "RATELIMIT_ENABLED": "false",
                   "PROXY_COUNT": "1", "WEB_CONCURRENCY": "1",
                   "GROUNDWORK_INSTANCE": str(tmp_path / "instance")}
    with access_log.open("wb") as out, error_log.open("wb") as err:
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=environment, stdout=out, stderr=err)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start: " + error_log.read_text()[-2000:])
            time.sleep(0.1)
    yield port, access_log, error_log
    server.terminate()
    server.wait(timeout=10)


def _request(port: int, method: str, path: str, body: str | None = None,
             headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_served_by_gunicorn_no_server_header_and_no_address_or_answer_in_the_logs(
        app, make_survey, gunicorn):
    port, access_log, error_log = gunicorn
    survey = make_survey()
    db.session.commit()
    headers = {"X-Forwarded-For": ADDRESS, "User-Agent": AGENT, "Referer": f"http://x/?{QUERY}"}
    page = _request(port, "GET", f"/f/{survey.token}?lang=es&{QUERY}", headers=headers)
    assert page.status == 200
    fields = {**_answers(survey), "submission_id": submission_id(page.body)}
    sent = _request(port, "POST", f"/f/{survey.token}?lang=es&{QUERY}",
                    body=urllib.parse.urlencode(fields, doseq=True),
                    headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
    assert sent.status == 303
    missing = _request(port, "GET", "/no/such/page", headers=headers)
    assert missing.status == 404
    too_large = _request(port, "POST", f"/f/{survey.token}?lang=es", body="x=" + "y" * 2_000_000,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert too_large.status == 413

    for response in (page, sent, missing, too_large):
        assert response.getheader("Server") is None
        assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert "no-store" in response.getheader("Cache-Control")
        assert response.getheader("Strict-Transport-Security") is None  # plain HTTP here

    for _ in range(50):  # gunicorn writes the access line after the response
        if access_log.read_text().count("\n") >= 4:
            break
        time.sleep(0.1)
    logged = access_log.read_text() + error_log.read_text()
    assert re.search(rf'"POST /f/{survey.token}" 303 ', logged), logged
    for secret in (ADDRESS, "127.0.0.1 -", AGENT, "SentinelBrowser", "sentinel-query", "lang=es",
                   ANSWER):
        assert secret not in logged, secret
