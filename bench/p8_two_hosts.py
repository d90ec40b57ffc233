"""P8: two app hosts as one (issue 8, "More than one machine").

Two gunicorn processes (2 workers each) on different loopback ports stand for two machines
behind a load balancer without sticky sessions: one PostgreSQL database (bench_p8, created
fresh and dropped after), one Redis for the rate limits (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/14), the same SECRET_KEY, PROXY_COUNT=1 and GROUNDWORK_ENV=production.

One transaction is a person answering a short public form through the balancer: GET the form
from one host (which hands out the submission id), POST the answers to the OTHER host, and, one
time in ten, send the same page again to the first host (a resend after a time-out). Each person
comes from their own address (X-Forwarded-For), so the shared rate limit is counted but never
refuses.

- A: the client alternating between host A and host B as above.
- B: the same client with both requests on host A alone.

The figure is "stored exactly once": accepted submissions stored exactly once over all accepted
submissions (target == 1: every 303 is one row, resends add nothing, nothing is lost). There is
no speed target: both hosts share the server core on this machine, so two hosts are not
expected to be faster than one; their throughputs (two hosts vs one) are printed as A and B and
kept in results.json.

    .venv/bin/python bench/p8_two_hosts.py          (BENCH_SHORT=1 for the short run)
"""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import sys
import threading
import uuid
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

TRANSACTIONS = harness.scale(150, 40)
THREADS = 8
RESEND_EVERY = 10
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
PG_DATABASE = "bench_p8"
SUBMISSION_ID = re.compile(r'name="submission_id"[^>]*value="([^"]+)"'
                           r'|value="([^"]+)"[^>]*name="submission_id"')


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def seed(database_url: str) -> tuple[str, list[tuple[str, str]]]:
    """Create the tables and one open three-question form; return its path and answers."""
    from app import create_app
    from app.extensions import db
    from app.surveys.models import Question, QuestionOption, Survey

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        visits = Question(kind="single_choice", position=0, is_required=True,
                          texts={"en": {"prompt": "How often do you visit?"}},
                          options=[QuestionOption(position=n, texts={"en": {"label": label}})
                                   for n, label in enumerate(("Every week", "Sometimes"))])
        rating = Question(kind="rating", position=1,
                          texts={"en": {"prompt": "How welcome do you feel?"}})
        wish = Question(kind="long_text", position=2,
                        texts={"en": {"prompt": "What would you like?"}})
        survey = Survey(status="open", languages=["en"], default_language="en",
                        texts={"en": {"title": "Your library, your say"}},
                        questions=[visits, rating, wish])
        db.session.add(survey)
        db.session.commit()
        fields = [("language", "en"), ("website", ""),
                  (f"q_{visits.id}", str(visits.options[0].id)), (f"q_{rating.id}", "4"),
                  (f"q_{wish.id}", "Homework help after school and evening hours")]
        path = f"/f/{survey.token}"
        db.engine.dispose()
    return path, fields


class Respondents:
    """The load target: one person answering the form through the balancer per call."""

    def __init__(self, path: str, fields: list[tuple[str, str]], get_from: str, post_to: str,
                 run: int):
        self.path, self.fields, self.run = path, fields, run
        self.get_from, self.post_to = get_from, post_to
        self.accepted: list[str] = []
        self.refused: list[str] = []
        self.local = threading.local()

    def _client(self, base_url: str) -> harness.Client:
        clients = self.local.__dict__.setdefault("clients", {})
        if base_url not in clients:
            clients[base_url] = harness.Client(base_url)
        return clients[base_url]

    def __call__(self, _client: harness.Client, number: int) -> list[int]:
        # Alternate which host serves the page, so that each host takes both roles.
        first, second = ((self.get_from, self.post_to) if number % 2
                         else (self.post_to, self.get_from))
        headers = {"X-Forwarded-For": f"10.{self.run}.{number // 250 % 250}.{number % 250 + 1}"}
        page = self._client(first).get(self.path, headers=headers)
        found = SUBMISSION_ID.search(page.text)
        if page.status != 200 or not found:
            return [page.status or 0]
        submission_id = found.group(1) or found.group(2)
        data = [*self.fields, ("submission_id", submission_id)]
        statuses = [page.status]
        for host in [second] + ([first] if number % RESEND_EVERY == 0 else []):
            answer = self._client(host).post(self.path, data=data, headers=headers)
            statuses.append(answer.status)
            if answer.status == 303:
                self.accepted.append(submission_id)
            else:
                self.refused.append(f"{answer.status} from {host}")
        return statuses


def stored_exactly_once(database_url: str, accepted: set[str]) -> tuple[float, str]:
    """Return (accepted stored exactly once / accepted, a summary)."""
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        counts = dict(connection.execute(sa.text(
            "SELECT submission_id, count(*) FROM survey_responses GROUP BY submission_id")).all())
    engine.dispose()
    once = sum(1 for submission_id in accepted if counts.get(submission_id) == 1)
    doubled = sum(1 for count in counts.values() if count > 1)
    extra = len(set(counts) - accepted)
    ratio = once / len(accepted) if accepted and not doubled and not extra else 0.0
    return ratio, (f"accepted={len(accepted)} stored={sum(counts.values())} "
                   f"doubled={doubled} not-accepted-but-stored={extra}")


def main() -> None:
    if not harness.postgres_available():
        print("P8: skipped, no PostgreSQL at BENCH_DATABASE_URL", flush=True)
        return
    if not redis_available():
        print(f"P8: skipped, no Redis at {REDIS_URL} (BENCH_REDIS_URL)", flush=True)
        return
    prefix = f"bench-p8-{uuid.uuid4().hex}"
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(harness.postgres_database(PG_DATABASE))
        path, fields = seed(database_url)
        env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-p8-secret-key",
               "GROUNDWORK_ENV": "production", "RATELIMIT_ENABLED": "1",
               "RATELIMIT_STORAGE_URI": REDIS_URL, "PROXY_COUNT": "1",
               "GUNICORN_ACCESS_LOG": "/dev/null"}
        # wsgi:app's own factory, with this run's rate-limit key prefix (config.py does not
        # read RATELIMIT_KEY_PREFIX from the environment).
        app = f"app:create_app({{'RATELIMIT_KEY_PREFIX': '{prefix}'}})"
        host_a, host_b = (stack.enter_context(harness.gunicorn_server(
            app=app, workers=2, env=env, extra_args=("--preload",))) for _ in range(2))

        accepted: list[str] = []
        runs = iter(range(1, 250))

        def run(get_from: str, post_to: str, label: str) -> harness.Sample:
            respondents = Respondents(path, fields, get_from, post_to, next(runs))
            result = harness.load(host_a, respondents, threads=THREADS,
                                  requests=TRANSACTIONS)
            accepted.extend(respondents.accepted)
            print(f"  {label:<10} {result.summary()}", flush=True)
            return result.sample(refused=len(respondents.refused),
                                 refused_examples=respondents.refused[:3])

        pairs = harness.interleaved(lambda: run(host_a, host_b, "two hosts"),
                                    lambda: run(host_a, host_a, "one host"))
        logs = host_a.log_text() + host_b.log_text()
        ratio, summary = stored_exactly_once(database_url, set(accepted))

    def throughput(sample: harness.Sample) -> float:
        return sample.extra["throughput"]

    statuses = sum((Counter(sample.extra["statuses"]) for pair in pairs for sample in pair),
                   Counter())
    failures = sum(count for code, count in statuses.items() if code >= 400 or code == 0)
    two = statistics.median(throughput(a) for a, _ in pairs)
    one = statistics.median(throughput(b) for _, b in pairs)
    harness.report(
        "P8", ratio=ratio, target="==1", met=ratio == 1.0 and not failures,
        a=f"two hosts {two:.0f} tx/s", b=f"one host {one:.0f} tx/s",
        stored=summary, statuses=dict(statuses), failures=failures,
        throughput_two_over_one=harness.median_ratio(pairs, key=throughput),
        tracebacks=logs.count("Traceback"),
        two_hosts=[a.extra for a, _ in pairs], one_host=[b.extra for _, b in pairs])
    with contextlib.suppress(Exception):
        import redis

        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)


if __name__ == "__main__":
    main()
