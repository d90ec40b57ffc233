"""P3: the evaluation summary PDF of a plan with 10,000 outcome-form responses.

A (Groundwork): GET /evaluations/<id>/summary.pdf?audience=internal through the app (its test
client, logged in as staff) in a fresh process: the queries, the template and WeasyPrint.
B (bare baseline): `weasyprint.HTML(string=<the HTML the app rendered>).write_pdf()` in a fresh
process. Targets: time A/B <= 1.3 and memory A/B <= 1.3.

How it is counted: each run is a fresh process, started by the harness's small helper so that
its peak RSS is its own. Both are measured FROM AFTER THEIR IMPORTS: A from after importing
the app, create_app() and logging in (B: after `import weasyprint`), to the PDF in hand. Time is
the wall time of that part; memory is the peak RSS growth over that part (peak RSS at the end
minus the peak RSS after the imports). Whole-process peaks and import times are in
results.json (details) as well.

The plan: 8 indicators (four outcome shares per month and one per quarter from the forms, two
session sums per month, one by hand), two outcome forms made with create_outcome_form(), 10,000
responses (7,000 at the end of a session, 3,000 follow-ups, about 44,000 answers) over a
year, 6 activities with 240 sessions, 24 stories with the panel's reasons, and an evaluation of
the year featuring every story. Seeded in bulk (executemany) into a temporary SQLite file.

    .venv/bin/python bench/p3_evaluation_pdf.py        # BENCH_SHORT=1 for 500 responses
"""

import json
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: The HTML of the summary must stay below the background threshold, so that A prints it on the
#: request as B does; the benchmark checks the estimate and says it.
APP_CONFIG = {"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
              "LIBRARY_NAME": "Riverbend Public Library"}
PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
STORIES = 24
ACTIVITIES = 6
SESSIONS_PER_ACTIVITY = 40
WORDS = ["homework", "help", "Arabic", "Saturday", "library", "card", "families", "kids",
         "volunteers", "confidence", "computers", "quiet", "space", "books", "school"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# The two fresh processes ---------------------------------------------------------------------


def run_app(database_url: str, evaluation_id: int, user_id: int, out: str,
            capture: str = "") -> None:
    """A: print the summary through the app; write the figures to `out` as JSON."""
    began = time.perf_counter()
    from app import create_app
    from app.accounts.models import User
    from app.accounts.sessions import start_session
    from app.accounts.views import SESSION_TOKEN_KEY
    from app.documents import background
    from app.extensions import db

    app = create_app({**APP_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url,
                      "DOCUMENT_BACKGROUND_ABOVE": 10**9})
    client = app.test_client()
    with app.app_context():
        token = start_session(db.session.get(User, user_id))
        db.session.commit()
        db.session.remove()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(user_id), True
        session[SESSION_TOKEN_KEY] = token
    if capture:
        printing = background.html_to_pdf

        def keep_html(html: str) -> bytes:
            Path(capture).write_text(html, encoding="utf-8")
            return printing(html)

        background.html_to_pdf = keep_html
    imported, after_imports = time.perf_counter() - began, _peak_mb()

    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(f"/evaluations/{evaluation_id}/summary.pdf?audience=internal")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 200 or not response.data.startswith(b"%PDF-"):
        raise SystemExit(f"The app answered {response.status_code}: {response.data[:300]!r}")
    _write(out, seconds, cpu, imported, after_imports, len(response.data))


def run_bare(html_path: str, out: str) -> None:
    """B: print the same HTML with WeasyPrint alone; write the figures to `out` as JSON."""
    began = time.perf_counter()
    import weasyprint

    html = Path(html_path).read_text(encoding="utf-8")
    imported, after_imports = time.perf_counter() - began, _peak_mb()

    started, cpu = time.perf_counter(), time.process_time()
    pdf = weasyprint.HTML(string=html).write_pdf()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    _write(out, seconds, cpu, imported, after_imports, len(pdf))


def _write(out: str, seconds: float, cpu: float, imported: float, after_imports: float,
           size: int) -> None:
    peak = _peak_mb()
    Path(out).write_text(json.dumps({
        "seconds": seconds, "cpu_seconds": cpu, "import_seconds": imported,
        "rss_after_imports_mb": after_imports,
        "peak_rss_mb": peak, "growth_mb": peak - after_imports, "pdf_bytes": size}))


# Seeding -------------------------------------------------------------------------------------


def seed(database_url: str, responses: int, rng: random.Random) -> tuple[int, int]:
    """Fill the database; return the evaluation's id and the staff user's id."""
    import sqlalchemy as sa

    from app import create_app
    from app.accounts.models import Role, User
    from app.evaluation.models import (
        Evaluation,
        IndicatorMeasure,
        Measurement,
        OutcomeMoment,
        Story,
        StorySelection,
    )
    from app.evaluation.outcomes import PAIRING_KEY, create_outcome_form
    from app.extensions import db
    from app.plans.models import ActionGroup, Activity, ActivitySession, Indicator, Plan
    from app.surveys.models import Answer, SurveyResponse

    app = create_app({**APP_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
        staff = User(role=Role.STAFF, name="Bench Staff", email="bench@riverbend.example",
                     password_hash="!")  # noqa: S106 - no password: nobody logs in with it
        group = ActionGroup(name="Eastgate Families Table", status="active")
        plan = Plan(title="Saturday homework mornings", goal="Kids leave with homework done.",
                    action_group=group, starts_on=PERIOD[0], ends_on=PERIOD[1])
        db.session.add_all([staff, plan])
        db.session.flush()
        shares = [Indicator(plan=plan, position=n, kind="survey_outcome", level="short_term",
                            statement=f"Parents say the sessions helped ({name})",
                            baseline="40%", target="75%")
                  for n, name in enumerate(("knowledge", "confidence", "applying it",
                                            "library services"))]
        later = Indicator(plan=plan, position=4, kind="survey_outcome", level="intermediate",
                          statement="Weeks later, parents still use what they learned",
                          baseline="30%", target="60%")
        sums = [Indicator(plan=plan, position=5 + n, kind="count", level="output",
                          statement=statement, target=target)
                for n, (statement, target) in enumerate((("Families come to the sessions",
                                                          "1,500"),
                                                         ("New library cards", "120")))]
        by_hand = Indicator(plan=plan, position=7, kind="observation", level="short_term",
                            statement="Kids leave with their homework done")
        db.session.add_all([*shares, later, *sums, by_hand])
        db.session.flush()
        forms = {moment: create_outcome_form(plan, moment, by=staff) for moment in OutcomeMoment}
        questions = {moment: [next(q for q in form.survey.questions if q.id == question_id)
                              for question_id in form.survey.texts[PAIRING_KEY].values()]
                     for moment, form in forms.items()}
        for indicator, question in zip(shares, questions[OutcomeMoment.IMMEDIATE], strict=True):
            db.session.add(IndicatorMeasure(
                indicator=indicator, method="form_share", question=question, period="month",
                counted_option_ids=[option.id for option in question.options[-2:]]))
        follow_up_question = questions[OutcomeMoment.FOLLOW_UP][2]
        db.session.add(IndicatorMeasure(
            indicator=later, method="form_share", question=follow_up_question,
            period="quarter",
            counted_option_ids=[option.id for option in follow_up_question.options[-2:]]))
        for indicator, output in zip(sums, ("headcount", "new_cards"), strict=True):
            db.session.add(IndicatorMeasure(indicator=indicator, method="session_sum",
                                            session_output=output, period="month"))
        db.session.add_all([Measurement(indicator=by_hand, period_start=date(2025, m, 1),
                                        period_end=date(2025, m, 28), entered_by=staff,
                                        value_text=f"Most kids finished ({m * 3} noted)")
                            for m in range(1, 13)])
        for n in range(ACTIVITIES):
            activity = Activity(plan=plan, title=f"Homework club {n + 1}", kind="program",
                                status="running", description="Volunteers help in Arabic.")
            activity.sessions = [ActivitySession(
                held_on=PERIOD[0] + timedelta(days=rng.randrange(365)),
                headcount=rng.randint(3, 25), new_cards=rng.randint(0, 3),
                items_borrowed=rng.randint(0, 30), referrals=rng.randint(0, 2))
                for _ in range(SESSIONS_PER_ACTIVITY)]
            db.session.add(activity)
        stories = []
        for n in range(STORIES):
            story = Story(plan=plan, title=f"Story {n + 1:02}: {_words(rng, 5)}",
                          domain="Confidence at home", what_changed=_words(rng, 90),
                          why_it_matters=_words(rng, 40), teller_role="a parent",
                          consent_level=rng.choice(("internal_only", "anonymous_public")),
                          collected_by=staff)
            story.selections = [StorySelection(panel="two parents and the librarian",
                                               chosen_on=date(2025, 6 + k, 1),
                                               reason=_words(rng, 25)) for k in range(2)]
            stories.append(story)
        evaluation = Evaluation(plan=plan, title="Our first year", period_start=PERIOD[0],
                                period_end=PERIOD[1], created_by=staff, stories=stories,
                                evaluators="Two parents, a volunteer and the librarian",
                                methods=_words(rng, 60), lessons=_words(rng, 120),
                                keep=_words(rng, 30), change=_words(rng, 30),
                                stop=_words(rng, 20), start=_words(rng, 30),
                                recommendations=_words(rng, 80),
                                policy_changes=_words(rng, 40))
        db.session.add(evaluation)
        db.session.flush()

        start = datetime(2025, 1, 1, 12, tzinfo=UTC)
        immediate = round(responses * 0.7)
        rows = [{"survey_id": forms[OutcomeMoment.IMMEDIATE if n < immediate
                                   else OutcomeMoment.FOLLOW_UP].survey_id,
                 "submission_id": f"p3-{n}", "answers_digest": "", "language": "en",
                 "channel": rng.choice(("kiosk", "web", "paper")), "review_status": "new",
                 "submitted_at": start + timedelta(minutes=rng.randrange(60 * 24 * 364))}
                for n in range(responses)]
        db.session.execute(sa.insert(SurveyResponse.__table__), rows)
        ids = list(db.session.scalars(sa.select(SurveyResponse.id)
                                      .order_by(SurveyResponse.id)))
        answers = []
        for place, response_id in enumerate(ids):
            moment = OutcomeMoment.IMMEDIATE if place < immediate else OutcomeMoment.FOLLOW_UP
            for question in questions[moment]:
                if rng.random() < 0.95:  # a few skip a question
                    answers.append({"response_id": response_id, "question_id": question.id,
                                    "option_id": rng.choices(
                                        question.options, weights=(1, 2, 3, 5, 4))[0].id})
        db.session.execute(sa.insert(Answer.__table__), answers)
        db.session.commit()
        return evaluation.id, staff.id


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(WORDS, k=count)).capitalize() + "."


# The benchmark -------------------------------------------------------------------------------


def main() -> None:
    from bench.harness import (
        PYTHON,
        Sample,
        interleaved,
        median_ratio,
        peak_rss_of_child,
        report,
        scale,
    )

    responses = scale(10_000, 500)
    with tempfile.TemporaryDirectory(prefix="bench-p3-") as folder:
        work = Path(folder)
        database_url = f"sqlite:///{work / 'p3.sqlite'}"
        seeding = time.perf_counter()
        evaluation_id, user_id = seed(database_url, responses, random.Random(3))
        seeded = time.perf_counter() - seeding
        html_path = work / "summary.html"
        script = str(Path(__file__).resolve())

        def app_run(capture: str = "") -> Sample:
            out = work / "a.json"
            total, whole_peak = peak_rss_of_child(
                [PYTHON, script, "app", database_url, str(evaluation_id), str(user_id),
                 str(out), capture])
            return _sample(out, total, whole_peak)

        def bare_run() -> Sample:
            out = work / "b.json"
            total, whole_peak = peak_rss_of_child([PYTHON, script, "bare", str(html_path),
                                                   str(out)])
            return _sample(out, total, whole_peak)

        app_run(capture=str(html_path))  # once, unmeasured: keeps the HTML the app printed
        html = html_path.read_text(encoding="utf-8")
        from app.documents.background import DEFAULT_ABOVE, estimated_size

        size = estimated_size(html)
        pairs = interleaved(app_run, bare_run)
        details = {
            "responses": responses, "seeding_seconds": round(seeded, 1),
            "html_bytes": len(html), "printed_rows": size,
            "background_threshold": DEFAULT_ABOVE, "measured": "from after imports in both",
            "pairs": [(a.extra, b.extra) for a, b in pairs]}
        time_ratio = median_ratio(pairs)
        cpu_ratio = median_ratio(pairs, key=lambda sample: sample.extra["cpu_seconds"])
        report("P3_evaluation_pdf_time", ratio=time_ratio, target="<=1.3",
               met=time_ratio <= 1.3, a=f"{_median(a.seconds for a, _ in pairs):.2f}s",
               b=f"{_median(b.seconds for _, b in pairs):.2f}s", cpu_ratio=round(cpu_ratio, 3),
               **details)
        memory_ratio = median_ratio(pairs, key=lambda sample: sample.peak_rss_mb)
        report("P3_evaluation_pdf_memory", ratio=memory_ratio, target="<=1.3",
               met=memory_ratio <= 1.3,
               a=f"+{_median(a.peak_rss_mb for a, _ in pairs):.0f}MB",
               b=f"+{_median(b.peak_rss_mb for _, b in pairs):.0f}MB",
               whole_process_peak_a_mb=_median(a.extra["whole_peak_mb"] for a, _ in pairs),
               whole_process_peak_b_mb=_median(b.extra["whole_peak_mb"] for _, b in pairs),
               measured="peak RSS growth from after imports, in fresh processes")


def _sample(out: Path, total: float, whole_peak: float):
    from bench.harness import Sample

    figures = json.loads(out.read_text())
    return Sample(seconds=figures["seconds"], peak_rss_mb=figures["growth_mb"],
                  extra={**{key: round(value, 3) for key, value in figures.items()},
                         "process_seconds": round(total, 3), "whole_peak_mb": round(whole_peak, 1)})


def _median(values) -> float:
    return statistics.median(list(values))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "app":
        run_app(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5],
                sys.argv[6] if len(sys.argv) > 6 else "")
    elif len(sys.argv) > 1 and sys.argv[1] == "bare":
        run_bare(sys.argv[2], sys.argv[3])
    else:
        main()
