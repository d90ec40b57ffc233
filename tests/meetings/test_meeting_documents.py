"""The agenda, the minutes per audience and the two sign-in sheets, read from real PDFs."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.meetings import printing
from app.meetings.models import ActionItem, AgendaItem
from app.surveys.models import Survey

SECRET_NOTES = "Hana worried about her landlord."


def pdf_text(pdf: bytes) -> str:
    """Return the PDF's text with whitespace collapsed."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


@pytest.fixture
def meeting(make_meeting, make_decision, make_action_group, staff):
    meeting = make_meeting(
        title="Eastgate share-back", action_group=make_action_group(name="Families Table"),
        place_text="Community room", languages=["en", "ar"], facilitator="Facilitator Farida",
        headcount=23, supports=["interpretation", "childcare", "food"], notes=SECRET_NOTES,
        next_meeting="Saturday 12 April")
    meeting.agenda_items = [AgendaItem(position=1, title="Welcome", led_by="Yohannes",
                                       minutes=15),
                            AgendaItem(position=2, title="What we heard", minutes=30)]
    make_decision(meeting=meeting, text="Saturdays come first.", method="dot_vote",
                  decided_by="Everyone present", votes_for=41, votes_against=3,
                  recorded_by=staff)
    meeting.action_items = [
        ActionItem(description="Book the room", owner=staff),
        ActionItem(description="Ask the association", owner_name="Yohannes Typed")]
    db.session.commit()
    return meeting


def test_the_agenda_shows_when_where_supports_and_items(staff_client, meeting):
    response = staff_client.get(f"/meetings/{meeting.id}/agenda.pdf")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Eastgate share-back" in text and "Community room" in text
    assert "English, Arabic" in text
    assert "Interpretation, childcare, and food provided." in text
    assert "Welcome Led by Yohannes · 15 minutes" in text and "About 45 minutes in all." in text
    assert "Saturday 12 April" in text and SECRET_NOTES not in text
    assert "Scan the code" not in text


def test_the_agenda_carries_the_feedback_forms_short_link(staff_client, meeting):
    survey = Survey(texts={"title": {"en": "How was it?"}}, status="open")
    db.session.add(survey)
    meeting.feedback_survey = survey
    db.session.commit()
    text = pdf_text(staff_client.get(f"/meetings/{meeting.id}/agenda.pdf").data)
    assert "Scan the code" in text and f"/s/{survey.short_code}" in text


def test_large_print_agenda_is_bigger(staff_client, meeting):
    normal = staff_client.get(f"/meetings/{meeting.id}/agenda.pdf").data
    large = staff_client.get(f"/meetings/{meeting.id}/agenda.pdf?large=1").data
    assert page_count(large) >= page_count(normal) and large != normal


def test_partner_minutes_show_notes_agenda_and_names(staff_client, meeting):
    text = pdf_text(staff_client.get(f"/meetings/{meeting.id}/minutes.pdf").data)
    assert "For partners" in text and SECRET_NOTES in text and "Welcome" in text
    assert "Saturdays come first." in text and "Dot vote" in text
    assert "For: 41 · Against: fewer than 5" in text
    assert "Sam Staff" in text and "Yohannes Typed" in text and "Facilitator Farida" in text
    assert "Recorded by" not in text


def test_public_minutes_show_decisions_and_action_items_only_and_name_no_one(
        staff_client, meeting):
    text = pdf_text(staff_client.get(
        f"/meetings/{meeting.id}/minutes.pdf?audience=public").data)
    assert "Public minutes show decisions and action items only." in text
    assert "Saturdays come first." in text and "Book the room" in text
    assert "Library staff" in text and "A community member" in text
    for hidden in (SECRET_NOTES, "Sam Staff", "Yohannes", "Facilitator Farida", "Welcome"):
        assert hidden not in text


def test_internal_minutes_say_who_recorded_each_decision(staff_client, meeting):
    text = pdf_text(staff_client.get(
        f"/meetings/{meeting.id}/minutes.pdf?audience=internal").data)
    assert "Recorded by Sam Staff" in text and "For: 41 · Against: 3" in text


def test_an_unknown_audience_is_a_bad_request(staff_client, meeting):
    response = staff_client.get(f"/meetings/{meeting.id}/minutes.pdf?audience=press")
    assert response.status_code == 400
    assert "That audience is not one we print for." in response.get_data(as_text=True)


def test_the_names_sign_in_sheet_has_a_privacy_note_and_optional_columns(staff_client, meeting):
    pdf = staff_client.get(f"/meetings/{meeting.id}/sign-in.pdf?version=names").data
    text = pdf_text(pdf)
    assert "Sign-in sheet: Eastgate share-back" in text
    assert "Signing in is optional." in text
    assert "keep this sheet for 3 months and then shred it" in text
    assert "not typed into any computer system" in text
    assert "Name or first name (optional)" in text
    assert "May we contact you about this group? (optional)" in text
    assert "Everyone who came" in text and page_count(pdf) == 1


def test_the_headcount_sheet_has_tally_boxes_and_no_names(staff_client, meeting):
    pdf = staff_client.get(f"/meetings/{meeting.id}/sign-in.pdf?version=headcount").data
    text = pdf_text(pdf)
    assert "Headcount: Eastgate share-back" in text and "tick one box" in text
    assert "Name or first name" not in text and "contact you" not in text
    assert "Everyone who came" in text and page_count(pdf) == 1


@pytest.mark.parametrize("version", ["names", "headcount"])
def test_sign_in_sheets_come_in_large_print(staff_client, meeting, version):
    normal = staff_client.get(f"/meetings/{meeting.id}/sign-in.pdf?version={version}").data
    large = staff_client.get(f"/meetings/{meeting.id}/sign-in.pdf?version={version}&large=1")
    assert large.data.startswith(b"%PDF-") and large.data != normal
    assert "Everyone who came" in pdf_text(large.data)


def test_an_unknown_sign_in_version_is_a_bad_request(staff_client, meeting):
    response = staff_client.get(f"/meetings/{meeting.id}/sign-in.pdf?version=photos")
    assert response.status_code == 400
    assert "version=headcount" in response.get_data(as_text=True)


def test_documents_use_the_meetings_first_language_only_where_a_catalogue_has_it(
        app, meeting, monkeypatch):
    meeting.languages = ["ar", "en"]
    with app.test_request_context():
        assert printing.printed_language(meeting) == "ar"
        meeting.languages = ["ti"]  # no catalogue at all
        assert printing.printed_language(meeting) == "en"
        # A catalogue without the meeting documents' words: as if Arabic's lacked them.
        meeting.languages = ["ar"]
        monkeypatch.setattr(printing, "TRANSLATION_PROBE", "Words no catalogue holds.")
        assert printing.printed_language(meeting) == "en"


def test_a_meeting_held_in_spanish_gets_its_sign_in_sheet_and_agenda_in_spanish(
        staff_client, meeting):
    meeting.languages = ["es", "en"]
    db.session.commit()
    sheet = pdf_text(staff_client.get(
        f"/meetings/{meeting.id}/sign-in.pdf?version=names").data)
    assert "Hoja de asistencia: Eastgate share-back" in sheet
    assert "Firmar es opcional." in sheet and "Todas las personas que vinieron" in sheet
    assert "Signing in is optional." not in sheet
    tally = pdf_text(staff_client.get(
        f"/meetings/{meeting.id}/sign-in.pdf?version=headcount").data)
    assert "Marque una casilla al llegar, por favor." in tally
    agenda = pdf_text(staff_client.get(f"/meetings/{meeting.id}/agenda.pdf").data)
    assert "Orden del día" in agenda and "Welcome" in agenda  # the items stay as written
