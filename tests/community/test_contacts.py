"""Contact people: personal data for staff only, kept with a record of consent."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.community.models import Contact
from app.extensions import db
from app.records import library_today
from tests.community.conftest import checked_values


def _stored() -> Contact | None:
    return db.session.scalar(sa.select(Contact))


def test_staff_add_a_contact_with_consent(staff_client, contact_post, make_organization):
    organization = make_organization(name="Eastgate Settlement Services")
    db.session.commit()
    response = staff_client.post("/community/contacts/new", data=contact_post(
        organization_id=str(organization.id)))
    contact = _stored()
    assert response.status_code == 302
    assert response.location == f"/community/contacts/{contact.id}"
    assert (contact.name, contact.role, contact.organization) == (
        "Hana Tesfaye", "Settlement worker", organization)
    assert (contact.preferred_channel, contact.channel_value) == (
        "email", "hana@settlement.example")
    assert contact.languages == ["ti", "en"]
    assert contact.has_consented is True
    assert contact.consented_on == date(2025, 3, 4)
    assert contact.consent_method == "verbal"
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Given Tue 4 Mar 2025 (Verbal, noted by staff)" in page
    assert "Do not contact" not in page
    assert "Eastgate Settlement Services" in page


def test_a_contact_without_consent_is_marked_do_not_contact(staff_client, contact_post):
    response = staff_client.post("/community/contacts/new", data=contact_post(
        has_consented=None, consented_on="", consent_method=""))
    contact = _stored()
    assert response.status_code == 302
    assert (contact.has_consented, contact.consented_on, contact.consent_method) == (
        False, None, None)
    for url in (response.location, "/community/contacts/"):
        page = staff_client.get(url).get_data(as_text=True)
        assert "Do not contact: no consent recorded" in page


def test_editing_a_contact_changes_what_is_stored(staff_client, contact_post, make_contact):
    contact = make_contact(name="Jo", preferred_channel="phone", channel_value="613-555-0100",
                           has_consented=True, consented_on=date(2025, 1, 2),
                           consent_method="signed", languages=["es"])
    db.session.commit()
    form = staff_client.get(f"/community/contacts/{contact.id}/edit").get_data(as_text=True)
    assert 'value="613-555-0100"' in form
    assert checked_values(form, "languages") == {"es"}
    assert checked_values(form, "has_consented") == {"y"}
    response = staff_client.post(f"/community/contacts/{contact.id}/edit", data=contact_post(
        name="Jo Ramos", preferred_channel="text", channel_value="+1 (613) 555-0199"))
    assert response.status_code == 302
    db.session.refresh(contact)
    assert (contact.name, contact.preferred_channel, contact.channel_value) == (
        "Jo Ramos", "text", "+1 (613) 555-0199")


def test_the_organization_can_be_chosen_from_the_link(staff_client, make_organization):
    organization = make_organization(name="Horn of Africa Families Association")
    db.session.commit()
    page = staff_client.get(
        f"/community/contacts/new?organization_id={organization.id}").get_data(as_text=True)
    assert f'<option selected value="{organization.id}">' in page


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"channel_value": "hana at settlement"}, "channel_value", "Enter an email address"),
    ({"channel_value": ""}, "channel_value", "Enter the email address"),
    ({"preferred_channel": "phone", "channel_value": "call the office"}, "channel_value",
     "Enter a phone number"),
    ({"preferred_channel": "text", "channel_value": "555-01"}, "channel_value",
     "Enter a phone number"),
    ({"consent_method": ""}, "consent_method", "Say how they agreed."),
    ({"consented_on": ""}, "consented_on", "Enter the date they agreed."),
    ({"has_consented": None}, "has_consented", "You entered when or how they agreed"),
    ({"name": ""}, "name", "This field is required."),
])
def test_contact_mistakes_are_shown_next_to_the_field_and_nothing_typed_is_lost(
        staff_client, contact_post, changes, field, message):
    response = staff_client.post("/community/contacts/new",
                                 data=contact_post(role="Youth worker", **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error">{message}' in page
    assert 'value="Youth worker"' in page
    assert checked_values(page, "languages") == {"ti", "en"}
    assert _stored() is None


def test_consent_cannot_be_dated_in_the_future(staff_client, contact_post):
    tomorrow = library_today() + timedelta(days=1)
    response = staff_client.post("/community/contacts/new",
                                 data=contact_post(consented_on=tomorrow.isoformat()))
    page = response.get_data(as_text=True)
    assert 'id="consented_on-error">Consent cannot be dated in the future.' in page
    assert f'value="{tomorrow.isoformat()}"' in page
    assert _stored() is None


def test_in_person_contact_needs_no_detail(staff_client, contact_post):
    response = staff_client.post("/community/contacts/new", data=contact_post(
        preferred_channel="in_person", channel_value=""))
    assert response.status_code == 302
    assert _stored().preferred_channel == "in_person"


def test_the_contact_list_searches_names_and_roles_and_filters_by_organization(
        staff_client, make_contact, make_organization):
    clinic = make_organization(name="Millbrook Family Health Clinic")
    make_contact(name="Rosa Alvarez", role="Nurse", organization=clinic)
    make_contact(name="Dawit Bekele", role="Volunteer teacher")
    db.session.commit()

    def listed(query: str) -> list[str]:
        page = staff_client.get(f"/community/contacts/?{query}").get_data(as_text=True)
        return [name for name in ("Rosa Alvarez", "Dawit Bekele") if name in page]

    assert listed("") == ["Rosa Alvarez", "Dawit Bekele"]
    assert listed("q=NURSE") == ["Rosa Alvarez"]
    assert listed("q=dawit") == ["Dawit Bekele"]
    assert listed(f"organization_id={clinic.id}") == ["Rosa Alvarez"]


def test_the_contact_page_shows_conversations_with_them(staff_client, make_contact,
                                                         make_conversation):
    contact = make_contact(name="Rosa Alvarez")
    make_conversation(contacts=[contact], notes="Offered her waiting room for a book box.")
    make_conversation(notes="Someone else entirely.")
    db.session.commit()
    page = staff_client.get(f"/community/contacts/{contact.id}").get_data(as_text=True)
    assert "Offered her waiting room for a book box." in page
    assert "Someone else entirely." not in page


def test_members_never_see_a_contact(member_client, make_contact):
    contact = make_contact(name="Rosa Alvarez", channel_value="rosa@clinic.example")
    db.session.commit()
    for url in (f"/community/contacts/{contact.id}", "/community/contacts/",
                f"/community/contacts/{contact.id}/edit"):
        response = member_client.get(url)
        assert response.status_code == 403
        assert "Rosa Alvarez" not in response.get_data(as_text=True)
