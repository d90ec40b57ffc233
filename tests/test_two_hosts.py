"""Two app hosts behave as one: one PostgreSQL database, one Redis, the same SECRET_KEY.

Two gunicorn processes on different loopback ports stand for two machines behind a load
balancer. The client below keeps one cookie jar for both, as a browser does for one site name,
and says which client it stands for in X-Forwarded-For, as the load balancer would
(PROXY_COUNT=1). We check that a login made on one host works on the other and a logout on
either ends it on both, that rate limits are counted once for both hosts, and that a client
alternating between the hosts stores every submission exactly once, even when it sends the
same submission to both.

Needs TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL, e.g.

    TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/gw_two \\
    TEST_REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python -m pytest tests/test_two_hosts.py
"""

import http.client
import http.cookies
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
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.accounts.models import LoginSession, Role
from app.config import ROOT
from app.extensions import db
from app.surveys.models import Question, QuestionOption, Survey, SurveyResponse
from tests.conftest import PASSWORD, TEST_DATABASE_URL

pytestmark = pytest.mark.load

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
SECRET_KEY = "two-hosts-" + secrets.token_hex(16)
#: Form submissions one client may send in an hour, counted over both hosts.
SUBMIT_LIMIT = 6
#: Submissions sent by the client alternating between the hosts.
SUBMISSIONS = int(os.environ.get("TWO_HOSTS_SUBMISSIONS", "200"))


def _redis_problem() -> str | None:
    """Return why Redis cannot be used, or None when it answers."""
    if not REDIS_URL:
        return "TEST_REDIS_URL is not set"
    try:
        import redis
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 -- any failure means: skip, saying why
        return f"Redis at TEST_REDIS_URL does not answer ({error})"
    return None


def _skip_reason() -> str | None:
    if not TEST_DATABASE_URL.startswith("postgresql"):
        return ("two hosts need one PostgreSQL database they both reach: "
                "set TEST_DATABASE_URL to a PostgreSQL URL")
    return _redis_problem()


if reason := _skip_reason():
    pytestmark = [pytestmark, pytest.mark.skip(reason=reason)]


# --- a browser that keeps one cookie jar for both hosts -----------------------------------


class Browser:
    """Cookies are kept per site name, not per port: both hosts see the same cookies."""

    def __init__(self, address: str = "10.20.0.1"):
        self.cookies: dict[str, str] = {}
        self.address = address

    def request(self, base: tuple[str, int], method: str, path: str,
                fields: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Send one request; return (status, Location, body)."""
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(*base, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                self._keep(header)
            return response.status, response.headers.get("Location", ""), text
        finally:
            connection.close()

    def _keep(self, header: str) -> None:
        for name, morsel in http.cookies.SimpleCookie(header).items():
            if not morsel.value or "1970" in morsel["expires"] or morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, base, path):
        return self.request(base, "GET", path)

    def post(self, base, path, fields):
        return self.request(base, "POST", path, fields)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found.group(1)


# --- the two hosts ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 40
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            pytest.fail("gunicorn did not start: " + log.read_text()[-2000:])
        time.sleep(0.2)


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    """Start host A and host B; yield their (address, port) pairs.

    Both get the same environment a deployment gives each machine. The rate-limit key prefix
    is unique to this run so that an earlier run's counts in Redis do not carry over.
    """
    prefix = f"gw-two-hosts-{uuid.uuid4().hex}"
    environment = {
        **os.environ,
        "GROUNDWORK_ENV": "production", "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": TEST_DATABASE_URL, "WEB_CONCURRENCY": "2",
        "RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": REDIS_URL,
        "PUBLIC_SUBMIT_RATE_LIMIT": f"{SUBMIT_LIMIT} per hour",
        "PROXY_COUNT": "1",
    }
    servers, bases, logs = [], [], []
    for name in ("a", "b"):
        port = _free_port()
        folder = tmp_path_factory.mktemp(f"host-{name}")
        environment["GROUNDWORK_INSTANCE"] = str(folder)
        logs.append(folder / "gunicorn.log")
        with logs[-1].open("wb") as log:  # a file, not a pipe: a full pipe would stall it
            servers.append(subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                [sys.executable, "-m", "gunicorn", "--workers", "2",
                 "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "2", "--preload",
                 # The same factory as wsgi:app, with the run's own rate-limit key prefix.
                 f"app:create_app({{'RATELIMIT_KEY_PREFIX': '{prefix}'}})"],
                cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=log))
        bases.append(("127.0.0.1", port))
    try:
        for server, (_host, port), log in zip(servers, bases, logs, strict=True):
            _wait_until_up(server, port, log)
        yield bases
    finally:
        for server in servers:
            server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for server in servers:
            server.wait(timeout=10)
        import redis
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)


@pytest.fixture
def survey(app) -> Survey:
    visits = Question(kind="single_choice", position=0, is_required=True,
                      texts={"en": {"prompt": "How often do you visit?"}})
    visits.options = [QuestionOption(position=n, texts={"en": {"label": label}})
                      for n, label in enumerate(("Every week", "Sometimes", "Never"))]
    wish = Question(kind="long_text", position=1, texts={"en": {"prompt": "What would you like?"}})
    survey = Survey(status="open", default_language="en", languages=["en"],
                    texts={"en": {"title": "Your library, your say"}}, questions=[visits, wish])
    db.session.add(survey)
    db.session.commit()
    return survey


class Sender:
    """Sends the form's answers as a phone would, read once so that threads need no database."""

    def __init__(self, survey: Survey):
        visits, wish = survey.questions
        self.path = f"/f/{survey.token}"
        self.answers = {f"q_{visits.id}": str(visits.options[1].id),
                        f"q_{wish.id}": "Evening hours", "language": "en"}

    def __call__(self, base, submission_id: str, address: str) -> int:
        fields = {**self.answers, "submission_id": submission_id}
        return Browser(address).post(base, self.path, fields)[0]


def _stored(survey: Survey) -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(SurveyResponse.submission_id)
                                   .where(SurveyResponse.survey_id == survey.id)))


# --- the tests ----------------------------------------------------------------------------


def test_a_login_made_on_one_host_works_on_the_other_and_logout_on_either_ends_it(
        app, hosts, make_user):
    a, b = hosts
    make_user(Role.STAFF, name="Noor Okafor", email="noor@riverbend.example")
    db.session.commit()
    browser = Browser()

    assert browser.get(b, "/")[0] == 302  # not logged in yet
    _status, _location, page = browser.get(a, "/login")
    status, location, _body = browser.post(a, "/login", {
        "email": "noor@riverbend.example", "password": PASSWORD,
        "csrf_token": csrf_token(page)})
    assert (status, location) == (302, "/")

    status, _location, page = browser.get(b, "/")
    assert status == 200
    assert "Noor Okafor" in page
    copied_cookie = dict(browser.cookies)  # what someone who copied the cookie would have

    status, location, _body = browser.post(b, "/logout", {"csrf_token": csrf_token(page)})
    assert (status, location) == (302, "/login")

    status, location, _body = browser.get(a, "/")
    assert status == 302 and location.startswith("/login")
    thief = Browser()
    thief.cookies = copied_cookie
    status, location, _body = thief.get(a, "/")
    assert status == 302 and location.startswith("/login")
    db.session.rollback()
    ended = db.session.scalars(sa.select(LoginSession.ended_at)).all()
    assert len(ended) == 1 and ended[0] is not None


def test_rate_limits_are_counted_once_for_both_hosts(app, hosts, survey):
    a, b = hosts
    submit = Sender(survey)
    # Ten submissions from one client, alternating: each host alone sees five, under the
    # limit of six; together they pass it after the sixth.
    statuses = [submit((a, b)[n % 2], secrets.token_urlsafe(16), "10.30.0.1")
                for n in range(10)]

    assert statuses == [303] * SUBMIT_LIMIT + [429] * (10 - SUBMIT_LIMIT)
    assert len(_stored(survey)) == SUBMIT_LIMIT
    # The limit is per client: someone else can still send the form, on either host.
    assert submit(a, secrets.token_urlsafe(16), "10.30.0.2") == 303
    assert submit(b, secrets.token_urlsafe(16), "10.30.0.3") == 303


def test_a_client_alternating_between_hosts_stores_every_submission_exactly_once(
        app, hosts, survey):
    a, b = hosts
    submit = Sender(survey)
    submission_ids = [secrets.token_urlsafe(24) for _ in range(SUBMISSIONS)]

    def send(numbers: range) -> Counter:
        statuses = Counter()
        for n in numbers:
            first, other = (a, b) if n % 2 else (b, a)
            address = f"10.40.{n // 250}.{n % 250 + 1}"  # one phone per submission
            statuses[submit(first, submission_ids[n], address)] += 1
            # The phone did not see the thank-you page and sends again; it lands elsewhere.
            statuses[submit(other, submission_ids[n], address)] += 1
        return statuses

    threads = 6
    with ThreadPoolExecutor(threads) as pool:
        statuses = sum(pool.map(send, [range(i, SUBMISSIONS, threads) for i in range(threads)]),
                       Counter())

    assert statuses == {303: 2 * SUBMISSIONS}
    stored = _stored(survey)
    assert len(stored) == SUBMISSIONS
    assert set(stored) == set(submission_ids)


def test_the_same_submission_sent_to_both_hosts_at_the_same_moment_is_stored_once(
        app, hosts, survey):
    a, b = hosts
    submit = Sender(survey)
    submission_ids = [secrets.token_urlsafe(24) for _ in range(20)]
    statuses = Counter()
    for n, submission_id in enumerate(submission_ids):
        start = threading.Barrier(2)
        address = f"10.50.0.{n + 1}"

        def send(base, submission_id=submission_id, address=address, start=start) -> int:
            start.wait()
            return submit(base, submission_id, address)

        with ThreadPoolExecutor(2) as pool:
            statuses.update(pool.map(send, (a, b)))

    assert statuses == {303: 40}
    stored = _stored(survey)
    assert sorted(stored) == sorted(submission_ids)
