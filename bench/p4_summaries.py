"""P4 and the P4 half of P7: the form results summary and "What we heard" over a million answers.

A (Groundwork): `summarise()` of a form with about 1,000,000 answers (90,000 responses, ten
questions of every kind), and `what_we_heard()` over 200,000 excerpts coded from 50,000 sources
(form responses, plus conversations with quotes), 40 themes, about 300,000 excerpt-theme links.
B (bare baseline): the same numbers by hand-written SQL GROUP BY queries through a raw DB-API
cursor (unfiltered, so the counts select the form's questions' answers without a join, as the
app does). Target: A/B <= 1.5 on SQLite. P7: A on PostgreSQL / A on SQLite <= 1.0, over the same
data (same random seed), the two apps run interleaved.

This module also holds the bulk seeding the P5 and P6 benchmarks share: executemany on SQLite
(synchronous=OFF, journal_mode=MEMORY in the seeding connection only) and COPY on PostgreSQL.

    .venv/bin/python bench/p4_summaries.py          # BENCH_SHORT=1 for 1/100 of the data
"""

import contextlib
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.documents.audience import Audience  # noqa: E402
from app.extensions import db  # noqa: E402
from app.surveys.models import Question, QuestionOption, Survey  # noqa: E402
from app.surveys.results import ResponseFilters, summarise  # noqa: E402
from app.themes.heard import HeardFilters, what_we_heard  # noqa: E402
from bench.harness import (  # noqa: E402
    PAIRS,
    Sample,
    median_ratio,
    postgres_available,
    postgres_database,
    report,
    scale,
)

RESPONSES = scale(90_000, 900)
EXCERPTS = scale(200_000, 2_000)
SOURCES = scale(50_000, 500)
QUOTED_CONVERSATIONS = scale(2_000, 20)
THEMES = 40
BRANCHES = 5
CHUNK = 50_000
#: Each question: kind and how many options it has (about 11 answers per response).
QUESTIONS = [("single_choice", 5), ("multi_choice", 7), ("rating", 0), ("yes_no", 2),
             ("age_band", 10), ("area", 5), ("number", 0), ("ranking", 4), ("date", 0),
             ("long_text", 0)]
WORDS = ["open", "later", "books", "in", "Spanish", "homework", "help", "quiet", "space",
         "computers", "free", "card", "fines", "evening", "Arabic", "families"]
THEME_KINDS = ["aspiration", "need", "concern", "barrier", "asset", "idea", "trusted_actor"]
START = datetime(2026, 1, 1, tzinfo=UTC)


# -- databases ------------------------------------------------------------------------------

@dataclass
class BenchDatabase:
    """A fresh database for one benchmark: its SQLAlchemy URL and how to reach it raw."""

    url: str
    is_postgres: bool
    sqlite_path: str | None = None

    def app(self):
        return create_app({"SQLALCHEMY_DATABASE_URI": self.url, "SECRET_KEY": "bench",
                           "TESTING": True, "WTF_CSRF_ENABLED": False,
                           "RATELIMIT_ENABLED": False, "TIMEZONE": "America/Toronto"})

    def raw(self):
        """Return a DB-API connection for seeding, with the bulk-load settings on SQLite."""
        if self.is_postgres:
            import psycopg
            return psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"))
        connection = sqlite3.connect(self.sqlite_path)
        connection.execute("PRAGMA journal_mode=MEMORY")
        connection.execute("PRAGMA synchronous=OFF")
        return connection


@contextmanager
def bench_database(name: str, *, postgres: bool = False) -> Iterator[BenchDatabase]:
    """Yield an empty database with the app's tables: a temporary SQLite file, or a PostgreSQL
    database `name` created fresh on BENCH_DATABASE_URL's server and dropped afterwards."""
    if not postgres:
        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / f"{name}.sqlite")
            database = BenchDatabase(f"sqlite:///{path}", False, path)
            _create_tables(database)
            yield database
        return
    with postgres_database(name) as url:
        database = BenchDatabase(url, True)
        _create_tables(database)
        yield database


def _create_tables(database: BenchDatabase) -> None:
    app = database.app()
    with app.app_context():
        db.create_all()
        db.engine.dispose()


def bulk_insert(connection, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` in bulk: COPY on PostgreSQL, executemany in chunks on SQLite."""
    count = 0
    if isinstance(connection, sqlite3.Connection):
        # Indexes are built once at the end, faster than row by row.
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL", (table,)).fetchall()
        for name, _ in indexes:
            connection.execute(f"DROP INDEX {name}")
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our own names
               f"VALUES ({', '.join('?' * len(columns))})")
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(tuple(_sqlite_value(value) for value in row))
            if len(chunk) >= CHUNK:
                connection.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        connection.executemany(sql, chunk)
        for _, create in indexes:
            connection.execute(create)
        return count + len(chunk)
    with connection.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _sqlite_value(value):
    # The strings SQLAlchemy itself stores for dates and times on SQLite.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def finish_seeding(connection, tables: list[str]) -> None:
    """Commit, move the id sequences past the seeded ids, and gather planner statistics."""
    if isinstance(connection, sqlite3.Connection):
        connection.commit()
        connection.execute("PRAGMA journal_mode=WAL")
        connection.close()
        return
    for table in tables:
        connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                           f"coalesce((SELECT max(id) FROM {table}), 1))")  # our own names
    connection.commit()
    connection.autocommit = True
    connection.execute("VACUUM ANALYZE")
    connection.close()


def one_shot_user(connection) -> None:
    bulk_insert(connection, "users", ["id", "name", "email", "password_hash", "role",
                                      "created_at", "updated_at"],
                [(1, "Bench staff", "staff@bench.example", "!", "staff", START, START)])


def logged_in_client(app, user_id: int = 1):
    """Return a test client logged in as the seeded staff member, as the login page would."""
    from app.accounts.models import User
    from app.accounts.sessions import start_session
    from app.accounts.views import SESSION_TOKEN_KEY

    client = app.test_client()
    with app.app_context():
        token = start_session(db.session.get(User, user_id))
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(user_id), True
        session[SESSION_TOKEN_KEY] = token
    return client


# -- the form and its answers -----------------------------------------------------------------

@dataclass
class SeededSurvey:
    survey_id: int
    question_ids: dict[str, int]
    first_answer: dict[int, int]
    answers: int


def seed_survey(database: BenchDatabase, responses: int, *, seed: int = 7,
                questions: list[tuple[str, int]] = QUESTIONS,
                extra: Callable | None = None) -> SeededSurvey:
    """Create the users, branches, a form of `questions` (kind, options) and `responses`
    responses with their answers, in bulk. `extra(connection, seeded, rng)` may add more in the
    same connection and return the tables it filled."""
    app = database.app()
    with app.app_context():
        survey = Survey(status="open", languages=["en"], texts={"en": {"title": "Bench form"}})
        survey.questions = [
            Question(kind=kind, position=place, texts={"en": {"prompt": f"Question {place}"}},
                     options=[QuestionOption(position=n, texts={"en": {"label": f"Choice {n}"}})
                              for n in range(options)])
            for place, (kind, options) in enumerate(questions)]
        db.session.add(survey)
        db.session.commit()
        asked = [(question.id, question.kind, [option.id for option in question.options])
                 for question in survey.questions]
        survey_id = survey.id
        db.session.remove()
        db.engine.dispose()
    rng = random.Random(seed)
    connection = database.raw()
    one_shot_user(connection)
    bulk_insert(connection, "branches", ["id", "name", "kind", "catchment", "is_active",
                                         "created_at", "updated_at"],
                [(number, f"Branch {number}", "branch", "", True, START, START)
                 for number in range(1, BRANCHES + 1)])
    bulk_insert(connection, "survey_responses", [
        "id", "survey_id", "submission_id", "answers_digest", "channel", "branch_id",
        "language", "review_status", "submitted_at"], (
        (number, survey_id, f"bench-{number}", "", rng.choice(("kiosk", "web", "paper")),
         rng.randint(1, BRANCHES) if rng.random() < .7 else None,
         rng.choice(("en", "es", "ar")), rng.choice(("new", "new", "reviewed", "archived")),
         START + timedelta(seconds=number * 60 + rng.randrange(60)))
        for number in range(1, responses + 1)))
    first_answer: dict[int, int] = {}
    serial = iter(range(1, 10 ** 9))

    def answer_rows() -> Iterator[tuple]:
        for response_id in range(1, responses + 1):
            first_answer[response_id] = None
            for row in _answers(rng, asked):
                answer_id = next(serial)
                if first_answer[response_id] is None:
                    first_answer[response_id] = answer_id
                yield (answer_id, response_id, *row)

    answers = bulk_insert(connection, "answers", [
        "id", "response_id", "question_id", "option_id", "rank", "text_value", "number_value",
        "date_value"], answer_rows())
    seeded = SeededSurvey(survey_id, {kind: question_id for question_id, kind, _ in asked},
                          first_answer, answers)
    tables = ["users", "branches", "survey_responses", "answers"]
    if extra is not None:
        tables += extra(connection, seeded, rng)
    finish_seeding(connection, tables)
    return seeded


def _answers(rng: random.Random, questions: list) -> Iterator[tuple]:
    """Yield (question, option, rank, text, number, date) for one response."""
    for question_id, kind, options in questions:
        if kind == "multi_choice":
            yield from ((question_id, option, None, None, None, None)
                        for option in options if rng.random() < .35)
        elif kind == "ranking":
            if rng.random() < .6:
                yield from ((question_id, option, rank, None, None, None)
                            for rank, option in enumerate(rng.sample(options, len(options)), 1))
        elif options:
            yield question_id, rng.choice(options), None, None, None, None
        elif kind == "rating":
            yield question_id, None, None, None, float(rng.randint(1, 5)), None
        elif kind == "number":
            yield question_id, None, None, None, float(rng.randrange(8)), None
        elif kind == "date" and rng.random() < .3:
            yield question_id, None, None, None, None, date(2026, 1, 1) + timedelta(
                rng.randrange(300))
        elif kind == "long_text" and rng.random() < .3:
            yield question_id, None, None, " ".join(rng.choices(WORDS, k=12)), None, None


# -- what we heard ------------------------------------------------------------------------------

def conversation_rows(rng: random.Random, count: int, *, first_id: int = 1,
                      notes_words: int = 40) -> Iterator[tuple]:
    """Yield conversations for CONVERSATION_COLUMNS, over ten years in random order."""
    kinds = ["drop_in_visit", "one_to_one", "group_conversation", "walkabout", "event_table"]
    purposes = ["listening", "relationship", "information_giving", "planning", "follow_up"]
    # A pool of notes: writing each one word by word would take most of the seeding time.
    notes = [" ".join(rng.choices(WORDS, k=notes_words)) for _ in range(1009)]
    first_day = date(2017, 1, 1)
    for number in range(first_id, first_id + count):
        yield (number, first_day + timedelta(rng.randrange(3650)), rng.randint(1, BRANCHES),
               kinds[rng.randrange(5)], purposes[number % 5], "1", "a few people",
               number % 19 + 1, '["en"]', number % 50 == 0, notes[number % 1009], "", 1, START,
               START)


CONVERSATION_COLUMNS = ["id", "happened_on", "branch_id", "kind", "purpose", "stage",
                        "who_description", "headcount", "languages", "is_sensitive", "notes",
                        "place_text", "logged_by_id", "created_at", "updated_at"]


def seed_heard(connection, seeded: SeededSurvey, rng: random.Random) -> list[str]:
    """Add themes, quoted conversations and EXCERPTS excerpts over SOURCES sources."""
    bulk_insert(connection, "themes", [
        "id", "name", "kind", "description", "status", "created_at", "updated_at"],
        [(number, f"Theme {number:02d}", THEME_KINDS[number % len(THEME_KINDS)],
          "What people said about it", "parked" if number == THEMES else "emerging",
          START, START) for number in range(1, THEMES + 1)])
    bulk_insert(connection, "conversations", CONVERSATION_COLUMNS,
                conversation_rows(rng, QUOTED_CONVERSATIONS, notes_words=12))
    quotes = [(number, (number - 1) // 2 + 1, " ".join(rng.choices(WORDS, k=10)),
               "anonymous" if number % 3 else "role", "" if number % 3 else "a parent",
               False, number % 4 != 0) for number in range(1, 2 * QUOTED_CONVERSATIONS + 1)]
    bulk_insert(connection, "quotes", ["id", "conversation_id", "text", "attribution",
                                       "attributed_to", "has_name_consent", "is_public"], quotes)
    responses = rng.sample(sorted(seeded.first_answer), min(SOURCES, len(seeded.first_answer)))
    places = [f"place:corner {number}" for number in range(300)] + [""] * 30
    popular = list(range(1, THEMES + 1))
    weights = [1 / number for number in popular]
    links: list[tuple[int, int]] = []

    def excerpts() -> Iterator[tuple]:
        for number in range(1, EXCERPTS + 1):
            heard_on = date(2024, 1, 1) + timedelta(rng.randrange(3 * 365))
            branch = rng.randint(1, BRANCHES)
            place = rng.choice(places)
            sensitive = number % 40 == 0
            if number % 10 == 0:  # a tenth from quotes, the rest from form answers
                quote = rng.choice(quotes)
                source = ("quote", None, quote[0], None, f"conversation:{quote[1]}", "outreach")
            else:
                response = rng.choice(responses)
                source = ("answer", None, None, seeded.first_answer[response],
                          f"response:{response}", rng.choice(("kiosk", "web", "paper")))
            kind, conversation, quote_id, answer, key, through = source
            yield (number, kind, conversation, quote_id, answer, " ".join(rng.choices(WORDS, k=8)),
                   key, place, place.removeprefix("place:"), heard_on, through, branch,
                   sensitive, 1, START)
            for theme in set(rng.choices(popular, weights, k=rng.choice((1, 1, 2, 2, 3)))):
                links.append((number, theme))

    bulk_insert(connection, "excerpts", [
        "id", "source_kind", "conversation_id", "quote_id", "answer_id", "text", "source_key",
        "place_key", "place_label", "heard_on", "heard_through", "branch_id", "is_sensitive",
        "coded_by_id", "coded_at"], excerpts())
    bulk_insert(connection, "excerpt_themes", ["excerpt_id", "theme_id"], links)
    return ["themes", "conversations", "quotes", "excerpts"]


# -- the bare baselines -------------------------------------------------------------------------

RESULTS_SQL = [
    "SELECT channel, count(*) FROM survey_responses WHERE survey_id = :s GROUP BY channel "
    "ORDER BY channel",
    "SELECT branch_id, count(*) FROM survey_responses WHERE survey_id = :s GROUP BY branch_id "
    "ORDER BY branch_id",
    """SELECT a.question_id, count(DISTINCT a.response_id), count(a.number_value),
              min(a.number_value), max(a.number_value), avg(a.number_value),
              count(a.date_value), min(a.date_value), max(a.date_value), count(a.text_value)
       FROM answers a WHERE a.question_id IN (:questions) GROUP BY a.question_id""",
    """SELECT a.question_id, a.option_id, count(*), avg(a.rank),
              sum(CASE WHEN a.rank = 1 THEN 1 ELSE 0 END)
       FROM answers a WHERE a.question_id IN (:questions) AND a.option_id IS NOT NULL
       GROUP BY a.question_id, a.option_id""",
    """SELECT a.question_id, a.number_value, count(*)
       FROM answers a WHERE a.question_id IN (:rating) AND a.number_value IS NOT NULL
       GROUP BY a.question_id, a.number_value""",
    """SELECT a.number_value FROM answers a JOIN survey_responses r ON r.id = a.response_id
       WHERE r.survey_id = :s AND a.question_id = :number AND a.number_value IS NOT NULL
       ORDER BY a.number_value LIMIT :middle_count OFFSET :middle""",
    """SELECT a.text_value, r.submitted_at, r.language, r.channel
       FROM answers a JOIN survey_responses r ON r.id = a.response_id
       WHERE r.survey_id = :s AND a.question_id = :text AND a.text_value IS NOT NULL
       ORDER BY r.submitted_at DESC, r.id DESC LIMIT 50""",
]


def _month(postgres: bool, part: str) -> str:
    if postgres:
        return f"extract({part} FROM e.heard_on)"
    return f"CAST(strftime('{'%Y' if part == 'year' else '%m'}', e.heard_on) AS INTEGER)"


def heard_sql(postgres: bool) -> list[str]:
    """The "What we heard" numbers and evidence, as hand-written SQL."""
    year, month = _month(postgres, "year"), _month(postgres, "month")
    return [
        """SELECT t.id, t.name, t.kind, t.description, count(DISTINCT e.source_key) AS sources,
                  count(DISTINCT nullif(e.place_key, '')) AS places, count(e.id),
                  min(e.heard_on), max(e.heard_on)
           FROM excerpt_themes et JOIN excerpts e ON e.id = et.excerpt_id
           JOIN themes t ON t.id = et.theme_id WHERE t.status != 'parked'
           GROUP BY t.id ORDER BY sources DESC, places DESC, lower(t.name), t.id""",
        """SELECT count(DISTINCT source_key), count(DISTINCT nullif(place_key, '')),
                  min(heard_on), max(heard_on) FROM excerpts""",
        """SELECT CASE WHEN source_kind = 'answer' THEN 'response'
                       WHEN source_kind = 'meeting' THEN 'meeting' ELSE 'conversation' END AS f,
                  count(DISTINCT source_key) FROM excerpts GROUP BY f""",
        """SELECT r.theme_id, e.id, e.text, e.heard_on, e.source_kind, e.place_label,
                  e.is_sensitive
           FROM (SELECT et.theme_id, e.id AS excerpt_id, row_number() OVER (
                     PARTITION BY et.theme_id ORDER BY e.heard_on DESC, e.id DESC) AS position
                 FROM excerpt_themes et JOIN excerpts e ON e.id = et.excerpt_id
                 WHERE et.theme_id IN (:themes)) r
           JOIN excerpts e ON e.id = r.excerpt_id WHERE r.position <= 10
           ORDER BY r.theme_id, r.position""",
        """SELECT r.theme_id, q.text, q.attribution, q.attributed_to, q.is_public
           FROM (SELECT c.theme_id, c.quote_id, row_number() OVER (
                     PARTITION BY c.theme_id ORDER BY c.heard_on DESC, c.quote_id DESC) AS position
                 FROM (SELECT et.theme_id, q.id AS quote_id, max(e.heard_on) AS heard_on
                       FROM excerpt_themes et JOIN excerpts e ON e.id = et.excerpt_id
                       JOIN quotes q ON q.id = e.quote_id WHERE et.theme_id IN (:themes)
                       GROUP BY et.theme_id, q.id) c) r
           JOIN quotes q ON q.id = r.quote_id WHERE r.position <= 5
           ORDER BY r.theme_id, r.position""",
        f"""SELECT et.theme_id, {year} AS y, {month} AS m, count(DISTINCT e.source_key)
            FROM excerpt_themes et JOIN excerpts e ON e.id = et.excerpt_id
            WHERE et.theme_id IN (:charted) AND e.heard_on >= :since
            GROUP BY et.theme_id, y, m""",  # noqa: S608 - fixed expressions
        f"""SELECT {year} AS y, {month} AS m, count(DISTINCT e.source_key) FROM excerpts e
            WHERE e.heard_on >= :since GROUP BY y, m""",  # noqa: S608 - fixed expressions
    ]


class Baseline:
    """Hand-written SQL through a raw cursor of the app's own connection."""

    def __init__(self, statements: list[str], params: dict, postgres: bool) -> None:
        self.statements = [_placeholders(_expand(sql, params), postgres) for sql in statements]
        self.params = {key: value for key, value in params.items()
                       if not isinstance(value, list | tuple)}

    def run(self) -> list:
        cursor = db.session.connection().connection.driver_connection.cursor()
        found = []
        for sql in self.statements:
            cursor.execute(sql, self.params)
            found.append(cursor.fetchall())
        cursor.close()
        return found


def _expand(sql: str, params: dict) -> str:
    """Write list parameters (IN lists) into the statement as numbers."""
    for key, value in params.items():
        if isinstance(value, list | tuple):
            sql = sql.replace(f":{key}", ", ".join(str(int(item)) for item in value))
    return sql


def _placeholders(sql: str, postgres: bool) -> str:
    return re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql) if postgres else sql


def results_params(seeded: SeededSurvey) -> dict:
    kinds = seeded.question_ids
    numbers = db.session.scalar(sa.text(
        "SELECT count(*) FROM answers WHERE question_id = :q AND number_value IS NOT NULL"),
        {"q": kinds["number"]})
    return {"s": seeded.survey_id, "questions": list(kinds.values()),
            "rating": [kinds["rating"]], "number": kinds["number"],
            "text": kinds["long_text"], "middle": (numbers - 1) // 2,
            "middle_count": 2 - numbers % 2}


def heard_params(postgres: bool) -> dict:
    findings = what_we_heard(HeardFilters(), Audience.INTERNAL, excerpts=0, quotes=0)
    themes = [finding.theme_id for finding in findings.themes + findings.barriers]
    since = findings.growth.months[0]
    return {"themes": themes, "charted": [finding.theme_id for finding in findings.themes[:8]],
            "since": since if postgres else since.isoformat()}


# -- measuring -----------------------------------------------------------------------------------

def timed(app, action: Callable[[], object]) -> Callable[[], Sample]:
    """Return a sampler that runs `action` in `app`'s context, timing it."""
    def sample() -> Sample:
        with app.app_context():
            began = time.perf_counter()
            action()
            seconds = time.perf_counter() - began
            db.session.remove()
        return Sample(seconds)
    return sample


def in_rounds(samplers: dict[str, Callable[[], Sample]]) -> dict[str, list[Sample]]:
    """Run every sampler once to warm up, then all of them in turn PAIRS times (A B C A B C
    ...), so each figure below pairs samples taken side by side."""
    for sampler in samplers.values():
        sampler()
    found: dict[str, list[Sample]] = {name: [] for name in samplers}
    for _ in range(PAIRS):
        for name, sampler in samplers.items():
            found[name].append(sampler())
    return found


def figure(name: str, a: list[Sample], b: list[Sample], *, target: float, **details) -> None:
    pairs = list(zip(a, b, strict=True))
    ratio = median_ratio(pairs)
    report(name, ratio=ratio, target=f"<={target:g}", met=ratio <= target,
           a=f"{statistics.median(sample.seconds for sample in a):.3f}s",
           b=f"{statistics.median(sample.seconds for sample in b):.3f}s", **details)


def summary_actions(database: BenchDatabase, seeded: SeededSurvey):
    """Return (app, app results, raw results, app heard, raw heard) for one database."""
    app = database.app()
    with app.app_context():
        results_baseline = Baseline(RESULTS_SQL, results_params(seeded), database.is_postgres)
        heard_baseline = Baseline(heard_sql(database.is_postgres),
                                  heard_params(database.is_postgres), database.is_postgres)
        db.session.remove()

    def app_results():
        survey = db.session.get(Survey, seeded.survey_id)
        summarise(survey, ResponseFilters(), audience=Audience.INTERNAL)

    def app_heard():
        what_we_heard(HeardFilters(), Audience.INTERNAL)

    return (app, timed(app, app_results), timed(app, results_baseline.run),
            timed(app, app_heard), timed(app, heard_baseline.run))


def seed_all(database: BenchDatabase) -> SeededSurvey:
    began = time.perf_counter()
    seeded = seed_survey(database, RESPONSES, extra=seed_heard)
    print(f"seeded {'PostgreSQL' if database.is_postgres else 'SQLite'}: {RESPONSES:,} "
          f"responses, {seeded.answers:,} answers, {EXCERPTS:,} excerpts over {SOURCES:,} "
          f"sources in {time.perf_counter() - began:.1f}s", flush=True)
    return seeded


def main() -> None:
    details = {"responses": RESPONSES, "excerpts": EXCERPTS, "sources": SOURCES}
    with bench_database("bench_p4") as lite, contextlib.ExitStack() as stack:
        seeded = seed_all(lite)
        details["answers"] = seeded.answers
        _, lite_results, raw_results, lite_heard, raw_heard = summary_actions(lite, seeded)
        samplers = {"lite_results": lite_results, "raw_results": raw_results,
                    "lite_heard": lite_heard, "raw_heard": raw_heard}
        if postgres_available():
            pg = stack.enter_context(bench_database("bench_p4", postgres=True))
            seed_all(pg)
            _, samplers["pg_results"], _, samplers["pg_heard"], _ = summary_actions(pg, seeded)
        else:
            print("P7: skipped, no PostgreSQL at BENCH_DATABASE_URL", flush=True)
        found = in_rounds(samplers)
        figure("P4_results_summary", found["lite_results"], found["raw_results"], target=1.5,
               **details)
        figure("P4_what_we_heard", found["lite_heard"], found["raw_heard"], target=1.5,
               **details)
        if "pg_results" in found:
            figure("P7_results_summary", found["pg_results"], found["lite_results"],
                   target=1.0, **details)
            figure("P7_what_we_heard", found["pg_heard"], found["lite_heard"], target=1.0,
                   **details)


if __name__ == "__main__":
    main()
