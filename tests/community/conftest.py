"""Builders of valid form posts for the community map; tests change only what they test."""

import re

import pytest


def checked_values(page: str, name: str) -> set[str]:
    """Return the values of the checked boxes or radio buttons called `name` on `page`."""
    inputs = re.findall(r"<input [^>]*>", page)
    return {re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs
            if f'name="{name}"' in tag and " checked" in tag}


@pytest.fixture
def organization_post():
    def build(**changes) -> dict:
        data = {
            "name": "Eastgate Settlement Services", "kind": "organization",
            "asset_category": "institution", "area_served": "Eastgate",
            "languages": ["ar", "prs"], "programs_services": "Settlement workers, ESL referrals",
            "gaps_barriers": "", "shareable_resources": "", "notes": "", "staff_lead_id": "0",
            "focus_community_ids": [], "relationship_status": "identified",
            "engagement_level": "informing", "change_note": "",
        }
        data.update(changes)
        return data

    return build


@pytest.fixture
def contact_post():
    def build(**changes) -> dict:
        data = {
            "organization_id": "0", "name": "Hana Tesfaye", "role": "Settlement worker",
            "preferred_channel": "email", "channel_value": "hana@settlement.example",
            "languages": ["ti", "en"], "has_consented": "y", "consented_on": "2025-03-04",
            "consent_method": "verbal",
        }
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    return build


@pytest.fixture
def space_post():
    def build(**changes) -> dict:
        data = {
            "name": "Lavender Laundromat", "kind": "laundromat", "area": "Eastgate",
            "when_people_gather": "Saturday mornings", "who_is_there": "Mothers with children",
            "accessibility_notes": "Step at the door", "notes": "", "organization_id": "0",
            "focus_community_ids": [],
        }
        data.update(changes)
        return data

    return build
