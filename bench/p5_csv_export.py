"""P5: the CSV export of 100,000 responses through the app, streamed, against csv.writer.

Time: A is GET /forms/<id>/export.csv through the test client, reading the streamed body to
the end; B is csv.writer over one raw DB-API query (the responses joined to their answers,
pivoted to one row per response in Python). Target A/B <= 2.
Memory: the same export in a fresh process at 100,000 and at 10,000 responses (one database
each, seeded alike); the figure is peak RSS at 100,000 over peak RSS at 10,000. Target <= 1.5:
a streamed export holds one batch, whatever the size.

    .venv/bin/python bench/p5_csv_export.py                # BENCH_SHORT=1 for 1/100
    .venv/bin/python bench/p5_csv_export.py export DB_PATH  # one export in this process
"""

import csv
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.extensions import db  # noqa: E402
from app.surveys.models import Question, Survey  # noqa: E402
from bench.harness import (  # noqa: E402
    PYTHON,
    Sample,
    interleaved,
    median_ratio,
    peak_rss_of_child,
    report,
    scale,
)
from bench.p4_summaries import (  # noqa: E402
    BenchDatabase,
    bench_database,
    logged_in_client,
    seed_survey,
)

LARGE = scale(100_000, 1_000)
SMALL = scale(10_000, 100)
SURVEY_ID = 1


class Discard:
    """A file that only counts what is written to it."""

    size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def app_export(client) -> int:
    """Fetch the export as a browser would, a streamed piece at a time; return its size."""
    response = client.get(f"/forms/{SURVEY_ID}/export.csv", buffered=False)
    assert response.status_code == 200, response.status_code
    size = sum(len(piece) for piece in response.iter_encoded())
    response.close()
    return size


def baseline_export(database: BenchDatabase) -> int:
    """csv.writer over one raw query, one row per response; return the size written."""
    survey = db.session.get(Survey, SURVEY_ID)
    questions = db.session.scalars(db.select(Question).where(Question.survey_id == SURVEY_ID)
                                   .order_by(Question.position)).all()
    columns = {question.id: place for place, question in enumerate(questions)}
    labels = {option.id: option.text() for question in questions for option in question.options}
    out = Discard()
    writer = csv.writer(out)
    writer.writerow(["Response", "Submitted at", "Channel", "Branch", "Language",
                     "Review status", *(question.text("prompt") for question in questions)])
    cursor = db.session.connection().connection.driver_connection.cursor()
    marker = "%s" if database.is_postgres else "?"
    cursor.execute(
        f"""SELECT r.id, r.submitted_at, r.channel, b.name, r.language, r.review_status,
                   a.question_id, a.option_id, a.rank, a.text_value, a.number_value, a.date_value
            FROM survey_responses r LEFT JOIN branches b ON b.id = r.branch_id
            LEFT JOIN answers a ON a.response_id = r.id
            WHERE r.survey_id = {marker} ORDER BY r.submitted_at, r.id, a.rank""",  # noqa: S608
        (survey.id,))
    for _, group in itertools.groupby(cursor, key=lambda row: row[0]):
        group = list(group)
        cells: list = [[] for _ in columns]
        for row in group:
            if row[6] is not None:
                value = labels.get(row[7]) or row[9] or row[10] or row[11]
                cells[columns[row[6]]].append(str(value))
        writer.writerow([*group[0][:6], *("; ".join(cell) for cell in cells)])
    cursor.close()
    return out.size


def export_once(path: str) -> None:
    """The child process of the memory figure: one streamed export, then exit."""
    app = BenchDatabase(f"sqlite:///{path}", False, path).app()
    size = app_export(logged_in_client(app))
    assert size > 0


def memory_sampler(path: str):
    def sample() -> Sample:
        seconds, peak = peak_rss_of_child([PYTHON, str(Path(__file__).resolve()), "export",
                                           path])
        return Sample(seconds, peak_rss_mb=peak)
    return sample


def main() -> None:
    with bench_database("bench_p5_large") as large, bench_database("bench_p5_small") as small:
        began = time.perf_counter()
        seeded = seed_survey(large, LARGE)
        seed_survey(small, SMALL)
        print(f"seeded {LARGE:,} responses ({seeded.answers:,} answers) and {SMALL:,} "
              f"responses in {time.perf_counter() - began:.1f}s", flush=True)
        app = large.app()
        client = logged_in_client(app)

        def a() -> Sample:
            began = time.perf_counter()
            size = app_export(client)
            return Sample(time.perf_counter() - began, extra={"bytes": size})

        def b() -> Sample:
            with app.app_context():
                began = time.perf_counter()
                size = baseline_export(large)
                seconds = time.perf_counter() - began
                db.session.remove()
            return Sample(seconds, extra={"bytes": size})

        a(), b()  # warm up
        pairs = interleaved(a, b)
        ratio = median_ratio(pairs)
        report("P5_csv_export_time", ratio=ratio, target="<=2", met=ratio <= 2,
               a=f"{_median(pair[0].seconds for pair in pairs):.2f}s",
               b=f"{_median(pair[1].seconds for pair in pairs):.2f}s", responses=LARGE,
               answers=seeded.answers, bytes=pairs[0][0].extra["bytes"])
        pairs = interleaved(memory_sampler(large.sqlite_path), memory_sampler(small.sqlite_path))
        ratio = median_ratio(pairs, key=lambda sample: sample.peak_rss_mb)
        report("P5_csv_export_memory", ratio=ratio, target="<=1.5", met=ratio <= 1.5,
               a=f"{_median(pair[0].peak_rss_mb for pair in pairs):.0f}MB at {LARGE:,}",
               b=f"{_median(pair[1].peak_rss_mb for pair in pairs):.0f}MB at {SMALL:,}",
               seconds_large=_median(pair[0].seconds for pair in pairs),
               seconds_small=_median(pair[1].seconds for pair in pairs))


def _median(values) -> float:
    values = sorted(values)
    return values[len(values) // 2]


if __name__ == "__main__":
    if sys.argv[1:2] == ["export"]:
        export_once(sys.argv[2])
    else:
        main()
