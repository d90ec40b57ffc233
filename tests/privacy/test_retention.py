"""Retention: old contacts and spent consents are anonymised, old answer words purged, on the
command's say-so only; the admin page shows what is due and when."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.extensions import db
from app.privacy.models import AuditAction, AuditEvent, ConsentRecord
from app.privacy.people import ANONYMOUS_NAME
from app.privacy.retention import add_months, plan_retention
from app.records import library_today
from app.surveys.models import Answer, Question, Survey, SurveyResponse
from app.themes.models import Excerpt


def moment(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


def make_consent(**fields) -> ConsentRecord:
    fields.setdefault("purpose", "form_follow_up")
    fields.setdefault("wording", "You may contact me about what I wrote.")
    fields.setdefault("language", "en")
    fields.setdefault("channel", "phone")
    consent = ConsentRecord(**fields)
    db.session.add(consent)
    db.session.flush()
    return consent


@pytest.fixture
def today(app) -> date:
    return library_today()


@pytest.fixture
def people(today, make_contact, make_conversation):
    """Contacts and consents on both sides of the cut-off (24 months; consents by expiry)."""
    old = make_contact(name="Olga Oldfield", channel_value="613-555-0101", notes="Met at fair",
                       has_consented=True, consented_on=today - timedelta(days=900),
                       consent_method="verbal", updated_at=moment(add_months(today, -25)))
    recent = make_contact(name="Rita Recent", channel_value="rita@example.org",
                          updated_at=moment(add_months(today, -1)))
    talked = make_contact(name="Tariq Talked", updated_at=moment(add_months(today, -30)))
    make_conversation(happened_on=add_months(today, -2), contacts=[talked])
    soon = make_contact(name="Sunita Soon",
                        updated_at=moment(add_months(today, -24) + timedelta(days=30)))
    expired = make_consent(name="Ed Expired", contact_value="613-555-0102",
                           expires_on=today - timedelta(days=10))
    valid = make_consent(name="Val Valid", contact_value="613-555-0103",
                         expires_on=today + timedelta(days=30))
    withdrawn = make_consent(name="Wes Withdrawn", contact_value="613-555-0104",
                             expires_on=today + timedelta(days=200),
                             withdrawn_at=moment(today - timedelta(days=1)))
    db.session.commit()
    return {"old": old, "recent": recent, "talked": talked, "soon": soon, "expired": expired,
            "valid": valid, "withdrawn": withdrawn}


def test_add_months_keeps_the_day_or_takes_the_last_day_of_a_short_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 6), -25) == date(2024, 11, 6)
    assert add_months(date(2024, 2, 29), 24) == date(2026, 2, 28)


def test_the_schedule_finds_what_is_due_and_when_the_rest_falls_due(people, today):
    schedule = plan_retention(today)
    contacts, consents = schedule.kinds
    assert contacts.due_ids == [people["old"].id]
    assert contacts.upcoming_until(schedule.lookahead_until) == [(today + timedelta(days=30), 1)]
    assert sorted(consents.due_ids) == sorted([people["expired"].id, people["withdrawn"].id])
    # Valid through its expiry day, so due the day after.
    assert consents.upcoming[0] == (today + timedelta(days=31), 1)
    assert len(schedule.kinds) == 2  # raw text purging is off by default


def test_a_dry_run_changes_nothing_and_reports_the_counts(people, runner):
    result = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Community-map contacts (no activity for 24 months): 1 would be anonymised." \
        in result.output
    assert "Contact consents from forms (withdrawn or expired): 2 would be anonymised." \
        in result.output
    next_contact = add_months(library_today(), -24) + timedelta(days=30)
    assert (f"Next batch falls due on {add_months(next_contact, 24).isoformat()} (1 record)"
            in result.output)
    assert "nothing was changed" in result.output
    db.session.expire_all()
    assert people["old"].name == "Olga Oldfield"
    assert people["expired"].contact_value == "613-555-0102"
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_a_real_run_anonymises_exactly_the_due_records(people, runner):
    result = runner.invoke(args=["privacy", "retention"])
    assert result.exit_code == 0, result.output
    assert "24 months): 1 anonymised." in result.output
    db.session.expire_all()
    old = people["old"]
    assert (old.name, old.channel_value, old.notes) == (ANONYMOUS_NAME, "", "")
    assert (old.has_consented, old.consented_on, old.consent_method) == (False, None, None)
    assert people["recent"].name == "Rita Recent"
    assert people["recent"].channel_value == "rita@example.org"
    assert people["talked"].name == "Tariq Talked"
    assert people["soon"].name == "Sunita Soon"
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert [(e.action, e.actor_name) for e in events] == [(AuditAction.RETENTION, "Command line")]
    assert events[0].detail == "contacts: 1, consents: 2"
    # A second run finds nothing more to do.
    assert "24 months): 0 anonymised." in runner.invoke(args=["privacy", "retention"]).output


def test_an_expired_or_withdrawn_consent_is_anonymised_and_a_valid_one_is_not(people, runner):
    runner.invoke(args=["privacy", "retention"])
    db.session.expire_all()
    for key in ("expired", "withdrawn"):
        consent = people[key]
        assert (consent.name, consent.contact_value) == ("", "")
        assert db.session.get(ConsentRecord, consent.id) is not None  # kept for counts
    assert (people["valid"].name, people["valid"].contact_value) == ("Val Valid", "613-555-0103")


@pytest.fixture
def answers(app, today, make_user):
    """Long-text answers 13 months old and 1 month old; an old short one; an excerpt."""
    long_text = Question(kind="long_text", position=0, texts={"en": {"prompt": "Tell us more"}})
    short = Question(kind="short_text", position=1, texts={"en": {"prompt": "One word"}})
    survey = Survey(texts={"en": {"title": "Your say"}}, questions=[long_text, short])
    db.session.add(survey)
    made = {}
    for key, months in (("old", -13), ("new", -1)):
        response = SurveyResponse(survey=survey, submission_id=f"sub-{key}", channel="web",
                                  language="en", submitted_at=moment(add_months(today, months)))
        response.answers = [
            Answer(question=long_text, text_value=f"The {key} answer: call me on 613-555-0199"),
            Answer(question=short, text_value=f"{key} short")]
        db.session.add(response)
        made[key] = response.answers
    db.session.flush()
    excerpt = Excerpt(source_kind="answer", answer_id=made["old"][0].id,
                      text="The old answer: call me on 613-555-0199", source_key="response:1",
                      heard_on=today, heard_through="web", coded_by=make_user(Role.STAFF))
    db.session.add(excerpt)
    db.session.commit()
    made["excerpt"] = excerpt
    return made


def test_purging_raw_text_blanks_old_long_answers_and_keeps_their_excerpts(app, answers, runner):
    app.config["RAW_TEXT_RETENTION_MONTHS"] = 12
    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert "Words of long-text answers (older than 12 months): 1 would be purged." in dry.output
    result = runner.invoke(args=["privacy", "retention"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    old_long, old_short = answers["old"]
    new_long, _ = answers["new"]
    assert old_long.text_value == ""
    assert old_short.text_value == "old short"  # only long-text answers are purged
    assert new_long.text_value == "The new answer: call me on 613-555-0199"
    excerpt = db.session.get(Excerpt, answers["excerpt"].id)
    assert excerpt.text == "The old answer: call me on [removed]"


def test_raw_text_is_kept_when_the_setting_is_off(answers, runner):
    runner.invoke(args=["privacy", "retention"])
    db.session.expire_all()
    assert answers["old"][0].text_value.startswith("The old answer")


def test_the_admin_page_shows_the_settings_what_is_due_and_the_command(people, admin_client):
    page = admin_client.get("/admin/privacy").get_data(as_text=True)
    assert "Anonymised after 24 months" in page
    assert "flask --app wsgi privacy retention" in page
    assert "2 due" in page and "1 due" in page
    soon = add_months(add_months(library_today(), -24) + timedelta(days=30), 24)
    assert f"{soon.day} {soon:%b %Y}" in page
    db.session.expire_all()
    assert people["old"].name == "Olga Oldfield"  # the page changes nothing
