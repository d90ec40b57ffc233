"""Big documents printed in the background: the evaluation summary and a form's results go to a
separate printing process above DOCUMENT_BACKGROUND_ABOVE printed rows, the person gets a page
that refreshes itself until the PDF is ready, and only they may download it."""

import html
import os
import re
import time
from datetime import date
from pathlib import Path

import pytest

from app.accounts.models import Role
from app.documents import background
from app.evaluation.models import Evaluation, Story
from app.extensions import db
from app.surveys.models import Question, QuestionOption, Survey
from tests.conftest import log_in
from tests.plans.test_plan_document import pdf_text
from tests.surveys.answering import respond

WAIT_SECONDS = 90


@pytest.fixture
def app_overrides(tmp_path):
    # Five printed rows make a document "big", so every document here goes to the background.
    return {"DOCUMENT_BACKGROUND_ABOVE": 5, "DOCUMENT_DIR": str(tmp_path / "documents")}


@pytest.fixture
def documents(app) -> Path:
    return Path(app.config["DOCUMENT_DIR"])


@pytest.fixture
def evaluation(make_action_group, make_plan, member):
    group = make_action_group(members=[member], name="Eastgate Families Table")
    plan = make_plan(title="Saturday homework mornings", action_group=group)
    stories = [Story(plan=plan, title=f"Story number {n}", what_changed="Homework gets done.",
                     teller_role="a parent", consent_level="anonymous_public")
               for n in range(3)]
    evaluation = Evaluation(plan=plan, title="First six months", period_start=date(2026, 1, 1),
                            period_end=date(2026, 6, 30), stories=stories,
                            lessons="Saturday mornings suit families.")
    db.session.add(evaluation)
    db.session.commit()
    return evaluation


@pytest.fixture
def survey():
    visits = Question(kind="single_choice", position=0,
                      texts={"en": {"prompt": "How often do you visit?"}},
                      options=[QuestionOption(position=n, texts={"en": {"label": label}})
                               for n, label in enumerate(("Every week", "Sometimes", "Never"))])
    survey = Survey(status="open", default_language="en", languages=["en"],
                    texts={"en": {"title": "Your library, your say"}}, questions=[visits])
    db.session.add(survey)
    db.session.flush()
    for label in ("Every week", "Every week", "Sometimes", "Never", "Never", "Never"):
        respond(survey, channel="web", single_choice=label)
    db.session.commit()
    return survey


def _client_of(app, user):
    """A client of its own (the client fixtures share one), logged in as `user`."""
    db.session.commit()
    client = app.test_client()
    log_in(client, user)
    return client


def _refresh_url(page: str) -> str:
    found = re.search(r'<meta http-equiv="refresh" content="\d+; url=([^"]+)">', page)
    assert found, "the page does not refresh itself"
    return found.group(1)


def _wait_until_ready(client, status_url: str) -> str:
    """Follow the status page as a browser would until it offers the document."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        response = client.get(status_url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        if "Your document is ready" in page:
            return re.search(r'href="([^"]+/file)"', page).group(1)
        assert "could not be printed" not in page, page
        _refresh_url(page)  # still preparing: it refreshes itself
        time.sleep(0.5)
    raise AssertionError("the document was not ready in time")


def test_a_big_summary_is_prepared_in_the_background_for_the_person_who_asked(
        app, staff_client, evaluation, documents, make_user):
    response = staff_client.get(f"/evaluations/{evaluation.id}/summary.pdf?audience=internal")
    assert response.status_code == 202
    page = response.get_data(as_text=True)
    assert "Your document is being prepared" in page
    status_url = _refresh_url(page)
    assert status_url.startswith(f"/evaluations/{evaluation.id}/summary/")

    file_url = _wait_until_ready(staff_client, status_url)
    pdf = staff_client.get(file_url)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "First six months" in text and "Story number 2" in text
    assert "Internal: not for sharing outside the library" in text

    # Everything on disk is for the app's user alone, and the HTML is gone once printed.
    token = status_url.rsplit("/", 1)[1]
    assert sorted(path.name for path in documents.glob(f"{token}.*")) == [
        f"{token}.json", f"{token}.pdf", f"{token}.started"]
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in documents.iterdir())

    # Another staff member is refused in words, on the status page and the file.
    another = _client_of(app, make_user(Role.STAFF))
    for url in (status_url, file_url):
        refused = another.get(url)
        assert refused.status_code == 403
        assert "Only the person who asked for this document can download it" in \
            refused.get_data(as_text=True)
        assert b"%PDF" not in refused.data


def test_a_member_of_the_group_prints_the_partners_summary_but_not_someone_elses(
        app, member_client, staff, evaluation):
    mine = member_client.get(f"/evaluations/{evaluation.id}/summary.pdf")
    assert mine.status_code == 202
    file_url = _wait_until_ready(member_client, _refresh_url(mine.get_data(as_text=True)))
    assert "For partners" in pdf_text(member_client.get(file_url).data)

    url = f"/evaluations/{evaluation.id}/summary.pdf?audience=internal"
    staffs = _client_of(app, staff).get(url)
    staff_status = _refresh_url(staffs.get_data(as_text=True))
    assert member_client.get(staff_status).status_code == 403
    assert member_client.get(staff_status + "/file").status_code == 403


def test_a_member_of_another_group_gets_403(app, make_user, make_action_group, staff_client,
                                            evaluation):
    started = staff_client.get(f"/evaluations/{evaluation.id}/summary.pdf?audience=internal")
    status_url = _refresh_url(started.get_data(as_text=True))
    outsider = make_user(Role.MEMBER)
    make_action_group(members=[outsider], name="Another group")
    db.session.commit()
    client = _client_of(app, outsider)
    assert client.get(status_url).status_code == 403
    assert client.get(status_url + "/file").status_code == 403


def test_asking_again_while_it_is_prepared_gives_the_same_document(app, staff_client,
                                                                   evaluation, documents):
    url = f"/evaluations/{evaluation.id}/summary.pdf?audience=internal"
    first = _refresh_url(staff_client.get(url).get_data(as_text=True))
    second = _refresh_url(staff_client.get(url).get_data(as_text=True))
    if "Your document is ready" not in staff_client.get(first).get_data(as_text=True):
        assert first == second
    _wait_until_ready(staff_client, second)


def test_a_token_of_another_evaluation_or_none_at_all_is_gone(app, staff_client, evaluation,
                                                              make_plan):
    started = staff_client.get(f"/evaluations/{evaluation.id}/summary.pdf?audience=internal")
    token = _refresh_url(started.get_data(as_text=True)).rsplit("/", 1)[1]
    other = Evaluation(plan=make_plan(title="Another plan"), title="Other",
                       period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
    db.session.add(other)
    db.session.commit()
    for url in (f"/evaluations/{other.id}/summary/{token}",
                f"/evaluations/{evaluation.id}/summary/no-such-document-at-all-here",
                f"/evaluations/{evaluation.id}/summary/x/file"):
        response = staff_client.get(url)
        assert response.status_code == 410
        assert "Documents prepared in the background are kept for a day" in \
            response.get_data(as_text=True)


def test_big_form_results_are_prepared_in_the_background(app, staff_client, survey):
    response = staff_client.get(f"/forms/{survey.id}/results.pdf?audience=internal")
    assert response.status_code == 202
    status_url = _refresh_url(response.get_data(as_text=True))
    assert status_url.startswith(f"/forms/{survey.id}/results/")
    text = pdf_text(staff_client.get(_wait_until_ready(staff_client, status_url)).data)
    assert "Results: Your library, your say" in text
    assert "How often do you visit?" in text


def test_too_many_waiting_documents_are_refused_with_how_to_narrow_them(
        app, staff_client, evaluation):
    app.config["DOCUMENT_BACKGROUND_QUEUE"] = 0
    response = staff_client.get(f"/evaluations/{evaluation.id}/summary.pdf?audience=internal")
    assert response.status_code == 503
    page = html.unescape(response.get_data(as_text=True))
    assert "Try again in a few minutes" in page
    assert "shorten the evaluation's period or feature fewer stories" in page


def test_a_failed_document_says_so(app, staff_client, evaluation, documents, monkeypatch):
    monkeypatch.setattr(background.subprocess, "Popen", lambda *args, **kwargs: _NoProcess())
    started = staff_client.get(f"/evaluations/{evaluation.id}/summary.pdf?audience=internal")
    status_url = _refresh_url(started.get_data(as_text=True))
    page = staff_client.get(status_url).get_data(as_text=True)
    assert "as soon as the document printed before it is done" in page  # waiting its turn
    token = status_url.rsplit("/", 1)[1]
    (documents / f"{token}.failed").write_text(background.FAILED_MESSAGE)
    page = staff_client.get(status_url).get_data(as_text=True)
    assert "could not be printed" in page and "print a smaller part of it" in page
    assert 'http-equiv="refresh"' not in page
    assert staff_client.get(status_url + "/file").status_code == 409


def test_documents_are_removed_after_a_day(app, documents):
    with app.test_request_context():
        directory = background.document_dir()
    old, new = directory / "old.pdf", directory / "new.pdf"
    old.write_bytes(b"%PDF-old")
    new.write_bytes(b"%PDF-new")
    day_and_a_bit = time.time() - background.KEEP_SECONDS - 60
    os.utime(old, (day_and_a_bit, day_and_a_bit))
    assert background.remove_old(directory) == 1
    assert not old.exists() and new.exists()


def test_the_estimate_counts_printed_rows_and_paragraphs():
    html = "<h1>T</h1><p>a</p><p class='x'>b</p><table><tr><td>1</td></tr></table><pre>no</pre>"
    assert background.estimated_size(html) == 4


class _NoProcess:
    def poll(self):
        return None


@pytest.mark.parametrize("app_overrides", [{}])
def test_a_small_document_is_printed_at_once_as_before(app, staff_client, evaluation,
                                                       survey, tmp_path):
    app.config["DOCUMENT_DIR"] = str(tmp_path / "unused")
    for url in (f"/evaluations/{evaluation.id}/summary.pdf?audience=internal",
                f"/forms/{survey.id}/results.pdf"):
        response = staff_client.get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert not (tmp_path / "unused").exists()
