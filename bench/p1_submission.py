"""P1, P2 and the P1 half of P7: public form submissions end to end, under gunicorn.

One transaction is what a person answering a public form does: GET /f/<token> (the page with
its fresh submission id), POST ten answers with the page's own fields (submission id, language,
the empty honeypot, one field per question), and follow the 303 to the thank-you page. One
transaction in 20 sends the same page twice (a double click); it must be stored once.

Each respondent comes from their own address (X-Forwarded-For, with PROXY_COUNT=1 as behind
a proxy), so the app's real rate limit (PUBLIC_SUBMIT_RATE_LIMIT, "20 per minute;200 per
hour") is checked on every POST but never refuses. The limits are kept in Redis
(redis://127.0.0.1:6379/11, or BENCH_REDIS_URL), as a production deployment with several
workers must (the app refuses memory storage there); without Redis the run falls back to
memory storage and says so. The app runs with GROUNDWORK_ENV=production.

- P1: Groundwork, gunicorn 2 workers, SQLite file  vs  B: bench/bare_app.py (GET, then one
  INSERT of the same payload into the same file, same redirect), same gunicorn settings.
  Targets: throughput >= 0.6 of B; p99 <= 2.5x B; every accepted POST stored exactly once.
- P2: Groundwork with 4 workers vs 1 worker (same file): throughput >= 0.9, no "database is
  locked", no 5xx.
- P7 (P1 part): Groundwork on PostgreSQL vs on SQLite, 2 workers each: throughput ratio
  within 0.5-2.

Servers run on core 0 (taskset), the load generator on core 1. All servers start first; then
each round runs PG, A2, B, A4, A1 one after the other, so every compared pair runs back to back.

    .venv/bin/python bench/p1_submission.py          (BENCH_SHORT=1 for the short run)
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402
from bench.bare_app import create_table  # noqa: E402

#: Transactions per run: Groundwork's servers, and the bare baseline (several times faster, so
#: it runs more of them to last long enough to measure; the figures are rates, not totals).
TRANSACTIONS = harness.scale(300, 16)
BARE_TRANSACTIONS = harness.scale(1000, 100)
THREADS = 8
DOUBLE_SEND_EVERY = 20
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
PG_DATABASE = "bench_p1"
#: Each question: kind and how many options it has (the ten kinds a community form mixes).
QUESTIONS = [("single_choice", 5), ("multi_choice", 7), ("rating", 0), ("yes_no", 2),
             ("age_band", 10), ("area", 5), ("number", 0), ("ranking", 4), ("date", 0),
             ("long_text", 0)]
WORDS = ["open", "later", "books", "in", "Spanish", "homework", "help", "quiet", "space",
         "computers", "free", "card", "evening", "Arabic", "families"]
SUBMISSION_ID = re.compile(rb'name="submission_id"[^>]*value="([^"]+)"'
                           rb'|value="([^"]+)"[^>]*name="submission_id"')
SUBMISSION_ID_BARE = re.compile(rb"name=submission_id value=([A-Za-z0-9_-]+)")


@dataclass
class FormSpec:
    """The seeded form: its public token and, per question, its field name and options."""

    token: str
    questions: list[tuple[str, str, list[int]]]  # (kind, field name, option ids)


def seed(database_url: str) -> FormSpec:
    """Create the tables and one open form with ten questions; return what a client needs."""
    from app import create_app
    from app.extensions import db
    from app.surveys.models import Question, QuestionOption, Survey

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        survey = Survey(status="open", languages=["en"],
                        texts={"en": {"title": "What would make the library work for you?"}})
        survey.questions = [
            Question(kind=kind, position=place, is_required=place < 6,
                     min_value=0 if kind == "number" else None,
                     max_value=100 if kind == "number" else None,
                     texts={"en": {"prompt": f"Question {place + 1}"}},
                     options=[QuestionOption(position=n, texts={"en": {"label": f"Choice {n}"}})
                              for n in range(options)])
            for place, (kind, options) in enumerate(QUESTIONS)]
        db.session.add(survey)
        db.session.commit()
        spec = FormSpec(survey.token, [(q.kind, f"q_{q.id}", [o.id for o in q.options])
                                       for q in survey.questions])
        db.engine.dispose()
    return spec


def answers(spec: FormSpec, rng: random.Random) -> list[tuple[str, str]]:
    """The form fields of one filled-in page (without the submission id)."""
    fields = [("language", "en"), ("website", "")]
    for kind, name, options in spec.questions:
        if kind == "multi_choice":
            fields += [(name, str(option)) for option in rng.sample(options, 3)]
        elif kind == "rating":
            fields.append((name, str(rng.randint(1, 5))))
        elif kind == "number":
            fields.append((name, str(rng.randint(0, 100))))
        elif kind == "ranking":
            for rank, option in enumerate(rng.sample(options, len(options)), start=1):
                fields.append((f"{name}-{option}", str(rank)))
        elif kind == "date":
            fields.append((name, f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
        elif kind == "long_text":
            fields.append((name, " ".join(rng.choices(WORDS, k=40))))
        else:
            fields.append((name, str(rng.choice(options))))
    return fields


@dataclass
class Submitter:
    """The transaction one load thread runs; remembers each accepted submission id."""

    form_path: str
    thanks_prefix: str
    fields: list[list[tuple[str, str]]]
    id_pattern: re.Pattern
    run: int
    accepted: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, client: harness.Client, number: int) -> list[int]:
        page = client.get(self.form_path)
        if page.status != 200:
            return [page.status]
        match = self.id_pattern.search(page.body)
        if match is None:
            raise AssertionError("The form page has no submission id.")
        submission_id = next(group for group in match.groups() if group).decode()
        # Each respondent from an address of their own: the rate limit counts but never refuses.
        address = {"X-Forwarded-For": f"10.{self.run % 250}.{number // 250 % 250}.{number % 250}"}
        data = [("submission_id", submission_id), *self.fields[number % len(self.fields)]]
        statuses = [page.status]
        sends = 2 if number % DOUBLE_SEND_EVERY == DOUBLE_SEND_EVERY - 1 else 1
        for _ in range(sends):
            sent = client.post(self.form_path, data=data, headers=address)
            statuses.append(sent.status)
        location = sent.headers.get("location", "")
        if sent.status == 303 and self.thanks_prefix in location:
            parts = urllib.parse.urlsplit(location)
            thanks = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
            statuses.append(thanks.status)
            if thanks.status == 200:
                with self.lock:
                    self.accepted.append(submission_id)
                return statuses
        with self.lock:
            self.refused.append(f"{sent.status} {location}")
        return statuses


def three_health_checks(client: harness.Client, _number: int) -> list[int]:
    """A transaction of three requests that do nothing but pass through Groundwork's request
    handling (access rules, sessions, security headers, the database session): the most any
    three Groundwork requests could do against the baseline's transaction (P1_floor)."""
    return [client.get("/healthz").status for _ in range(3)]


def stored_ids(database_url: str, table: str) -> list[str]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(sa.text(f"SELECT submission_id FROM {table}")))  # noqa: S608
    finally:
        engine.dispose()


def once_each(accepted: list[str], stored: list[str]) -> tuple[bool, str]:
    """Whether every accepted submission is stored exactly once and nothing else is."""
    counts: dict[str, int] = {}
    for submission_id in stored:
        counts[submission_id] = counts.get(submission_id, 0) + 1
    missing = [sid for sid in accepted if counts.get(sid, 0) == 0]
    doubled = [sid for sid, count in counts.items() if count > 1]
    extra = len(stored) - len(set(accepted))
    ok = not missing and not doubled and extra == 0
    return ok, f"accepted={len(set(accepted))} stored={len(stored)} missing={len(missing)} " \
               f"doubled={len(doubled)} extra={extra}"


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def app_env(database_url: str, *, redis: bool) -> dict[str, str]:
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-secret-key",
           "PROXY_COUNT": "1", "RATELIMIT_ENABLED": "1", "GUNICORN_ACCESS_LOG": "/dev/null"}
    if redis:
        env.update(GROUNDWORK_ENV="production", RATELIMIT_STORAGE_URI=REDIS_URL)
    else:
        env.update(GROUNDWORK_ENV="development", RATELIMIT_STORAGE_URI="memory://")
    return env


@dataclass
class Target:
    """One server under load and what its runs accepted."""

    name: str
    url: str
    make: Callable[[int], Submitter]
    database_url: str
    table: str
    transactions: int = TRANSACTIONS
    accepted: list[str] = field(default_factory=list)

    def warm_up(self) -> None:
        """A few transactions per worker, not counted: templates compile, connections open."""
        submitter = self.make(999)
        harness.load(self.url, submitter, threads=THREADS, requests=THREADS * 2)
        self.accepted += submitter.accepted

    def run(self, round_number: int) -> harness.Sample:
        submitter = self.make(round_number)
        result = harness.load(self.url, submitter, threads=THREADS,
                              requests=self.transactions)
        self.accepted += submitter.accepted
        sample = result.sample(refused=len(submitter.refused),
                               refused_examples=submitter.refused[:3])
        print(f"  {self.name:<10} {result.summary()}", flush=True)
        return sample


def main() -> None:  # noqa: PLR0915 - one benchmark, read top to bottom
    rng = random.Random(8)
    redis = redis_available()
    if not redis:
        print("  Redis does not answer: rate limits kept in memory (development mode).")
    use_pg = harness.postgres_available()
    if not use_pg:
        print("  PostgreSQL does not answer: P7 is skipped.")
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-p1-"))
        sqlite_url = f"sqlite:///{folder}/p1.sqlite"
        spec = seed(sqlite_url)
        create_table(f"{folder}/p1.sqlite")
        pages = [answers(spec, rng) for _ in range(50)]

        def groundwork(token: str):
            return lambda run: Submitter(f"/f/{token}", f"/f/{token}/thanks", pages,
                                         SUBMISSION_ID, run)

        def bare(run: int) -> Submitter:
            return Submitter("/b/form", "/b/thanks", pages, SUBMISSION_ID_BARE, run)

        plans = [("A2", groundwork(spec.token), sqlite_url, "survey_responses", 2, "wsgi:app",
                  TRANSACTIONS),
                 ("B", bare, sqlite_url, "bare_responses", 2, "bench.bare_app:app",
                  BARE_TRANSACTIONS),
                 ("A4", groundwork(spec.token), sqlite_url, "survey_responses", 4, "wsgi:app",
                  TRANSACTIONS),
                 ("A1", groundwork(spec.token), sqlite_url, "survey_responses", 1, "wsgi:app",
                  TRANSACTIONS)]
        if use_pg:
            pg_url = stack.enter_context(harness.postgres_database(PG_DATABASE))
            pg_spec = seed(pg_url)
            pg_pages = [answers(pg_spec, rng) for _ in range(50)]
            plans.insert(0, ("PG", lambda run: Submitter(
                f"/f/{pg_spec.token}", f"/f/{pg_spec.token}/thanks", pg_pages, SUBMISSION_ID,
                run), pg_url, "survey_responses", 2, "wsgi:app", TRANSACTIONS))
        # All servers start at once (preloaded: the app is imported once per server).
        urls = stack.enter_context(harness.gunicorn_servers([
            {"app": app, "workers": workers, "env": app_env(database_url, redis=redis),
             "preload": True}
            for _, _, database_url, _, workers, app, _ in plans]))
        targets = {name: Target(name, url, make, database_url, table, transactions)
                   for (name, make, database_url, table, _, _, transactions), url
                   in zip(plans, urls, strict=True)}

        order = (["PG"] if use_pg else []) + ["A2", "B", "A4", "A1"]
        for target in targets.values():
            target.warm_up()
        rounds: list[dict[str, harness.Sample]] = []
        for round_number in range(harness.PAIRS):
            print(f"  round {round_number + 1} of {harness.PAIRS}", flush=True)
            rounds.append({name: targets[name].run(round_number * 10 + place)
                           for place, name in enumerate(order)})
            floor = harness.load(targets["A2"].url, three_health_checks, threads=THREADS,
                                 requests=BARE_TRANSACTIONS // 2)
            print(f"  {'floor':<10} {floor.summary()}", flush=True)
            rounds[-1]["floor"] = floor.sample()
        logs = {name: target.url.log_text() for name, target in targets.items()}

        def pairs(a: str, b: str) -> list[tuple[harness.Sample, harness.Sample]]:
            return [(samples[a], samples[b]) for samples in rounds]

        def throughput(sample):
            return sample.extra["throughput"]

        def p99(sample):
            return sample.extra["p99_ms"]

        def five_xx(names):
            """5xx answers and failed requests (status 0) over every round of `names`."""
            return sum(count for samples in rounds for name in names
                       for code, count in samples[name].extra["statuses"].items()
                       if code >= 500 or code == 0)

        def locked(names):
            return sum(logs[name].count("database is locked") for name in names)

        def figures(name):
            middle = sorted(rounds, key=lambda s: throughput(s[name]))[len(rounds) // 2][name]
            return f"{throughput(middle):.0f}tx/s,p99={p99(middle):.0f}ms"

        stored = {"A": stored_ids(sqlite_url, "survey_responses"),
                  "B": stored_ids(sqlite_url, "bare_responses")}
        a_ok, a_counts = once_each(targets["A2"].accepted + targets["A4"].accepted
                                   + targets["A1"].accepted, stored["A"])
        b_ok, b_counts = once_each(targets["B"].accepted, stored["B"])

        # P1
        p1_pairs = pairs("A2", "B")
        ratio = harness.median_ratio(p1_pairs, key=throughput)
        p99_ratio = harness.median_ratio(p1_pairs, key=p99)
        errors = five_xx(["A2", "B"])
        harness.report("P1", ratio=ratio, target=">=0.6", met=ratio >= 0.6 and a_ok,
                       a=figures("A2"), b=figures("B"),
                       throughput_ratio=ratio, pairs=[(a.extra, b.extra) for a, b in p1_pairs],
                       stored_exactly_once=a_ok, stored=a_counts, baseline_stored=b_counts,
                       baseline_stored_exactly_once=b_ok, server_errors=errors,
                       rate_limit_storage="redis" if redis else "memory",
                       transactions=TRANSACTIONS,
                       bare_transactions=BARE_TRANSACTIONS, threads=THREADS)
        harness.report("P1_p99", ratio=p99_ratio, target="<=2.5", met=p99_ratio <= 2.5,
                       a=f"{harness.statistics.median(p99(s['A2']) for s in rounds):.0f}ms",
                       b=f"{harness.statistics.median(p99(s['B']) for s in rounds):.0f}ms")
        floor_ratio = harness.median_ratio(pairs("floor", "B"), key=throughput)
        harness.report("P1_floor", ratio=floor_ratio, target="info", met=True,
                       a=figures("floor"), b=figures("B"),
                       meaning="three /healthz requests of Groundwork per transaction against "
                               "the baseline's transaction: the framework's own share")
        harness.report("P1_stored_once", ratio=1.0 if a_ok else 0.0, target="==1",
                       met=a_ok and errors == 0, a=a_counts.replace(" ", ","),
                       b=b_counts.replace(" ", ","))

        # P2
        p2_ratio = harness.median_ratio(pairs("A4", "A1"), key=throughput)
        p2_errors, p2_locked = five_xx(["A4", "A1"]), locked(["A4", "A1"])
        harness.report("P2", ratio=p2_ratio, target=">=0.9",
                       met=p2_ratio >= 0.9 and p2_errors == 0 and p2_locked == 0,
                       a=figures("A4"), b=figures("A1"), server_errors=p2_errors,
                       database_is_locked=p2_locked,
                       pairs=[(a.extra, b.extra) for a, b in pairs("A4", "A1")])

        # P7 (P1 part)
        if use_pg:
            pg_stored = stored_ids(pg_url, "survey_responses")
            pg_ok, pg_counts = once_each(targets["PG"].accepted, pg_stored)
            p7_ratio = harness.median_ratio(pairs("PG", "A2"), key=throughput)
            harness.report("P7_P1", ratio=p7_ratio, target="0.5-2",
                           met=0.5 <= p7_ratio <= 2 and pg_ok and five_xx(["PG"]) == 0,
                           a=figures("PG"), b=figures("A2"), stored_exactly_once=pg_ok,
                           stored=pg_counts, server_errors=five_xx(["PG"]),
                           pairs=[(a.extra, b.extra) for a, b in pairs("PG", "A2")])


if __name__ == "__main__":
    main()
