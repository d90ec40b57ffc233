"""Time a form's results and its CSV export at 100,000 responses, against bare baselines.

Seeds a temporary SQLite file in bulk (about 100,000 responses and 1,000,000 answers), then
times `summarise()` against hand-written GROUP BY queries for the same numbers through a raw
DB-API cursor, and the CSV export against `csv.writer` over a raw cursor. Prints
`NAME: ratio=... A=...s B=...s` lines, where A is the app and B the baseline.

    .venv/bin/python bench/survey_results.py [number of responses]
"""

import csv
import io
import itertools
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.accounts.models import Branch  # noqa: E402
from app.documents.audience import Audience  # noqa: E402
from app.extensions import db  # noqa: E402
from app.surveys.exports import csv_chunks  # noqa: E402
from app.surveys.models import Answer, Question, QuestionOption, Survey, SurveyResponse  # noqa: E402
from app.surveys.results import ResponseFilters, summarise  # noqa: E402

RESPONSES = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
RUNS = 3
CHUNK = 20_000
#: Each question: kind and how many options it has.
QUESTIONS = [("single_choice", 5), ("multi_choice", 7), ("rating", 0), ("yes_no", 2),
             ("age_band", 10), ("area", 5), ("number", 0), ("ranking", 4), ("date", 0),
             ("long_text", 0)]
WORDS = ["open", "later", "books", "in", "Spanish", "homework", "help", "quiet", "space",
         "computers", "free", "card", "fines", "evening", "Arabic", "families"]


def build_survey() -> Survey:
    survey = Survey(status="open", languages=["en"], texts={"en": {"title": "Bench form"}})
    survey.questions = [
        Question(kind=kind, position=place, texts={"en": {"prompt": f"Question {place}"}},
                 options=[QuestionOption(position=n, texts={"en": {"label": f"Choice {n}"}})
                          for n in range(options)])
        for place, (kind, options) in enumerate(QUESTIONS)]
    db.session.add(survey)
    db.session.flush()
    return survey


def seed(rng: random.Random) -> Survey:
    """Fill the database in bulk and return the form."""
    branches = [Branch(name=f"Branch {number}") for number in range(5)]
    db.session.add_all(branches)
    survey = build_survey()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.execute(sa.insert(SurveyResponse.__table__), [{
        "survey_id": survey.id, "submission_id": f"bench-{number}", "answers_digest": "",
        "channel": rng.choice(("kiosk", "web", "paper")),
        "branch_id": rng.choice(branches).id if rng.random() < .7 else None,
        "language": rng.choice(("en", "es", "ar")), "review_status": "new",
        "submitted_at": start + timedelta(minutes=rng.randrange(60 * 24 * 300)),
    } for number in range(RESPONSES)])
    ids = list(db.session.scalars(sa.select(SurveyResponse.id).order_by(SurveyResponse.id)))
    rows = itertools.chain.from_iterable(answers(rng, survey, response) for response in ids)
    for chunk in iter(lambda: list(itertools.islice(rows, CHUNK)), []):
        db.session.execute(sa.insert(Answer.__table__), chunk)
    db.session.commit()
    return survey


def answers(rng: random.Random, survey: Survey, response_id: int) -> list[dict]:
    found = []
    for question in survey.questions:
        base = {"response_id": response_id, "question_id": question.id, "option_id": None,
                "rank": None, "text_value": None, "number_value": None, "date_value": None}
        options = [option.id for option in question.options]
        if question.kind == "multi_choice":
            found += [dict(base, option_id=option) for option in options if rng.random() < .35]
        elif question.kind == "ranking" and rng.random() < .6:
            found += [dict(base, option_id=option, rank=rank)
                      for rank, option in enumerate(rng.sample(options, len(options)), 1)]
        elif options and question.kind != "ranking":
            found.append(dict(base, option_id=rng.choice(options)))
        elif question.kind == "rating":
            found.append(dict(base, number_value=rng.randint(1, 5)))
        elif question.kind == "number":
            found.append(dict(base, number_value=rng.randrange(8)))
        elif question.kind == "date" and rng.random() < .3:
            found.append(dict(base, date_value=date(2026, 1, 1) + timedelta(rng.randrange(300))))
        elif question.kind == "long_text" and rng.random() < .3:
            found.append(dict(base, text_value=" ".join(rng.choices(WORDS, k=12))))
    return found


BASELINE_QUERIES = [
    """SELECT channel, count(*) FROM survey_responses WHERE survey_id = :s GROUP BY channel""",
    """SELECT branch_id, count(*) FROM survey_responses WHERE survey_id = :s GROUP BY branch_id""",
    """SELECT a.question_id, count(DISTINCT a.response_id), count(a.number_value),
              min(a.number_value), max(a.number_value), avg(a.number_value),
              count(a.date_value), min(a.date_value), max(a.date_value), count(a.text_value)
       FROM answers a JOIN survey_responses r ON r.id = a.response_id
       WHERE r.survey_id = :s GROUP BY a.question_id""",
    """SELECT a.question_id, a.option_id, count(*), avg(a.rank),
              sum(CASE WHEN a.rank = 1 THEN 1 ELSE 0 END)
       FROM answers a JOIN survey_responses r ON r.id = a.response_id
       WHERE r.survey_id = :s AND a.option_id IS NOT NULL GROUP BY a.question_id, a.option_id""",
    """SELECT a.question_id, a.number_value, count(*)
       FROM answers a JOIN survey_responses r ON r.id = a.response_id
       WHERE r.survey_id = :s AND a.question_id = :rating AND a.number_value IS NOT NULL
       GROUP BY a.question_id, a.number_value""",
    """SELECT a.number_value FROM answers a JOIN survey_responses r ON r.id = a.response_id
       WHERE r.survey_id = :s AND a.question_id = :number AND a.number_value IS NOT NULL
       ORDER BY a.number_value LIMIT 2 OFFSET :middle""",
    """SELECT a.text_value, r.submitted_at, r.language, r.channel
       FROM answers a JOIN survey_responses r ON r.id = a.response_id
       WHERE r.survey_id = :s AND a.question_id = :text AND a.text_value IS NOT NULL
       ORDER BY r.submitted_at DESC, r.id DESC LIMIT 50""",
]


def baseline_summary(cursor, params: dict) -> list:
    """Run the same GROUP BY queries as summarise() by hand."""
    return [cursor.execute(query, params).fetchall() for query in BASELINE_QUERIES]


def baseline_csv(cursor, survey: Survey) -> str:
    """Write one row per response with csv.writer over one raw query, pivoting in Python."""
    columns = {question.id: place for place, question in enumerate(survey.questions)}
    labels = {option.id: option.text() for question in survey.questions
              for option in question.options}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = cursor.execute(
        """SELECT r.id, r.submitted_at, r.channel, b.name, r.language, r.review_status,
                  a.question_id, a.option_id, a.rank, a.text_value, a.number_value, a.date_value
           FROM survey_responses r LEFT JOIN branches b ON b.id = r.branch_id
           LEFT JOIN answers a ON a.response_id = r.id
           WHERE r.survey_id = ? ORDER BY r.id, a.rank""", (survey.id,))
    for _, group in itertools.groupby(rows, key=lambda row: row[0]):
        group = list(group)
        cells: list = [[] for _ in columns]
        for row in group:
            if row[6] is not None:
                value = labels.get(row[7]) or row[9] or row[10] or row[11]
                cells[columns[row[6]]].append(str(value))
        writer.writerow([*group[0][:6], *("; ".join(cell) for cell in cells)])
    return buffer.getvalue()


def timed(action) -> float:
    """Return the median seconds of `action` over RUNS runs, after one warm-up."""
    action()
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def report(name: str, app_seconds: float, bare_seconds: float) -> None:
    print(f"{name}: ratio={app_seconds / bare_seconds:.2f} A={app_seconds:.3f}s "
          f"B={bare_seconds:.3f}s", flush=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "TIMEZONE": "America/Toronto"})
        with app.app_context():
            db.create_all()
            began = time.perf_counter()
            survey = seed(random.Random(7))
            answers_count = db.session.scalar(sa.select(sa.func.count(Answer.id)))
            print(f"seeded {RESPONSES:,} responses and {answers_count:,} answers in "
                  f"{time.perf_counter() - began:.1f}s", flush=True)
            kinds = {question.kind: question.id for question in survey.questions}
            numbers = db.session.scalar(sa.select(sa.func.count(Answer.id)).where(
                Answer.question_id == kinds["number"]))
            params = {"s": survey.id, "rating": kinds["rating"], "number": kinds["number"],
                      "text": kinds["long_text"], "middle": (numbers - 1) // 2}
            cursor = db.session.connection().connection.driver_connection.cursor()
            report("summarise", timed(lambda: summarise(
                survey, ResponseFilters(), audience=Audience.INTERNAL)),
                timed(lambda: baseline_summary(cursor, params)))
            report("export_csv", timed(lambda: "".join(csv_chunks(survey, ResponseFilters()))),
                   timed(lambda: baseline_csv(cursor, survey)))
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
