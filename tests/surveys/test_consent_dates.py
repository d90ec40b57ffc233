"""The day a contact consent was given reads the same in every time zone and on both
databases: stored as the UTC moment the library's day began, shown in the library's zone."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.privacy.models import ConsentRecord
from app.records import library_today
from app.surveys.contact_requests import contact_list_csv
from app.surveys.responding import record_contact_consent, record_response, sheets_typed_today
from app.templating import format_date, local_time


@pytest.fixture(params=["Pacific/Kiritimati", "America/Toronto", "Pacific/Pago_Pago"])
def app_overrides(request):
    """Zones fourteen hours ahead of UTC and eleven behind: one of them is always on another
    day than UTC, whenever the suite runs."""
    return {"TIMEZONE": request.param}


def test_the_day_a_consent_was_given_is_the_library_s_today(make_survey, staff):
    survey = make_survey(asks_for_contact=True)
    record_contact_consent(survey, channel="phone", value="613 555 0123",
                           wording="You may contact me", language="en", name="Rosa")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(sa.select(ConsentRecord))
    assert local_time(stored.given_at).date() == library_today()
    assert format_date(stored.given_at) == format_date(library_today())
    assert library_today().isoformat() in contact_list_csv(survey).splitlines()[1]


def test_a_paper_sheet_typed_now_counts_as_typed_today(make_survey, staff):
    survey = make_survey()
    record_response(survey, {}, channel="paper", language="en", submission_id="p" * 24,
                    transcribed_by=staff)
    db.session.commit()
    assert sheets_typed_today(survey, staff) == 1
