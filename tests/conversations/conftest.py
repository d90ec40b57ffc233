"""Builders for posting the conversation form the way a browser would."""

import pytest

from app.records import library_today


@pytest.fixture
def conversation_form(staff):
    """Return a builder of form data for a valid conversation; keyword arguments override."""

    def build(**fields) -> dict:
        data = {
            "happened_on": library_today().isoformat(), "happened_at": "",
            "branch_id": "0", "focus_community_id": "0",
            "space_id": "0", "place_organization_id": "0", "place_text": "",
            "who_description": "about 5 parents waiting", "headcount": "5",
            "kind": "drop_in_visit", "purpose": "listening", "stage": "1", "notes": "",
        }
        for row in range(2):
            data.update({f"quotes-{row}-id": "", f"quotes-{row}-text": "",
                         f"quotes-{row}-attribution": "anonymous",
                         f"quotes-{row}-attributed_to": "",
                         f"follow_ups-{row}-id": "", f"follow_ups-{row}-description": "",
                         f"follow_ups-{row}-owner_id": str(staff.id),
                         f"follow_ups-{row}-due_on": ""})
        data.update({key: value for key, value in fields.items() if value is not None})
        for key in [key for key, value in fields.items() if value is None]:
            data.pop(key, None)
        return data

    return build
