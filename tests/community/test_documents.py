"""The asset map list and the focus community profile, as data and as PDFs."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.community.printing import asset_map, focus_community_profile
from app.documents.audience import Audience
from app.extensions import db

SENTINEL_NAME = "Zebulon Sentinelworth"
SENTINEL_EMAIL = "zebulon@sentinel.example"
SENTINEL_PHONE = "613-555-0199"
LONG_TEXT = ("Families who arrived in the last three years, mostly from Syria, Afghanistan and "
             "Eritrea, living in the six high-rise rental towers between Maple Road and the rail "
             "corridor; many parents are in English classes or on a waitlist for one. ") * 6


def pdf_text(pdf: bytes) -> str:
    """Return the PDF's text with whitespace collapsed."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


@pytest.fixture
def eastgate(make_focus_community, make_branch, make_organization, make_contact, make_space,
             make_conversation, staff):
    """A focus community with organizations in three categories, spaces and conversations."""
    today = date.today()
    community = make_focus_community(
        name="Newcomer families, Eastgate", who="Newcomer families with school-age children",
        why_chosen="Card sign-ups fell by a third", baseline_notes="22% of children hold a card",
        branches=[make_branch(name="Eastgate")])
    settlement = make_organization(
        name="Eastgate Settlement Services", asset_category="institution",
        relationship_status="partner", engagement_level="partnering",
        programs_services="Settlement workers and ESL referrals",
        shareable_resources="Meeting room on weekday evenings", languages=["ar", "prs"],
        notes="Staff only: director prefers email", focus_communities=[community])
    make_organization(name="Horn of Africa Families Association", asset_category="association",
                      kind="informal_group", relationship_status="in_relationship",
                      focus_communities=[community])
    make_organization(name="Sunrise Halal Market", asset_category="business",
                      relationship_status="contacted", focus_communities=[community])
    make_organization(name="Elsewhere Club", asset_category="association")
    make_contact(name=SENTINEL_NAME, channel_value=SENTINEL_EMAIL, role=SENTINEL_PHONE,
                 organization=settlement)
    make_space(name="Lavender Laundromat", kind="laundromat", area="Eastgate Plaza",
               when_people_gather="Saturday mornings", accessibility_notes="Step-free entrance",
               focus_communities=[community])
    make_conversation(happened_on=today - timedelta(days=12), organizations=[settlement],
                      focus_community=community, place_text="Settlement lobby",
                      notes="None knew a library card is free", logged_by=staff)
    make_conversation(happened_on=today - timedelta(days=120), focus_community=community,
                      place_text="Old visit", logged_by=staff)
    db.session.commit()
    return community


def test_asset_map_groups_organizations_by_asset_category_in_order(eastgate):
    groups = asset_map(eastgate).groups
    assert [group.category for group in groups] == [
        "Association", "Institution", "Business / local economy"]
    assert [entry.name for entry in groups[1].organizations] == ["Eastgate Settlement Services"]


def test_asset_map_shows_last_contact_dates_and_not_yet(eastgate):
    entries = {entry.name: entry for group in asset_map(eastgate).groups
               for entry in group.organizations}
    assert entries["Eastgate Settlement Services"].last_contact == date.today() - timedelta(12)
    assert entries["Sunrise Halal Market"].last_contact is None


def test_staff_notes_only_reach_an_internal_audience(eastgate):
    settlement = asset_map(eastgate, audience=Audience.INTERNAL).groups[1].organizations[0]
    assert settlement.staff_notes == "Staff only: director prefers email"
    for audience in (Audience.PARTNERS, Audience.PUBLIC):
        assert asset_map(eastgate, audience=audience).groups[1].organizations[0].staff_notes == ""


def test_profile_counts_organizations_spaces_and_recent_conversations(eastgate):
    profile = focus_community_profile(eastgate)
    assert dict(profile.organizations_by_status) == {
        "Identified": 0, "Contacted": 1, "In relationship": 1, "Partner": 1, "Dormant": 0}
    assert profile.space_count == 1
    assert profile.recent_conversation_count == 1
    assert [partner.name for partner in profile.partners] == [
        "Eastgate Settlement Services", "Horn of Africa Families Association"]


def test_profile_lists_five_recent_conversations_without_sensitive_ones(
        eastgate, make_conversation, staff):
    for days in range(1, 7):
        make_conversation(happened_on=date.today() - timedelta(days), focus_community=eastgate,
                          place_text=f"Visit {days}", logged_by=staff)
    make_conversation(happened_on=date.today(), focus_community=eastgate, is_sensitive=True,
                      place_text="Sensitive visit", logged_by=staff)
    places = [entry.place for entry in focus_community_profile(eastgate).recent_conversations]
    assert places == ["Visit 1", "Visit 2", "Visit 3", "Visit 4", "Visit 5"]


def test_profile_keeps_conversation_notes_for_staff_only(eastgate):
    internal = focus_community_profile(eastgate, audience=Audience.INTERNAL)
    partners = focus_community_profile(eastgate, audience=Audience.PARTNERS)
    assert internal.recent_conversations[0].notes == "None knew a library card is free"
    assert partners.recent_conversations[0].notes == ""


def asset_map_url(community, query: str = "") -> str:
    return f"/community/focus-communities/{community.id}/asset-map.pdf{query}"


def profile_url(community, query: str = "") -> str:
    return f"/community/focus-communities/{community.id}/profile.pdf{query}"


def test_asset_map_pdf_lists_organizations_under_their_categories_and_the_spaces(
        staff_client, eastgate):
    response = staff_client.get(asset_map_url(eastgate))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert "asset-map-newcomer-families-eastgate.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    order = ["Association (1)", "Horn of Africa Families Association",
             "Institution (1)", "Eastgate Settlement Services",
             "Business / local economy (1)", "Sunrise Halal Market",
             "Community spaces (1)", "Lavender Laundromat"]
    positions = [text.index(words) for words in order]
    assert positions == sorted(positions)
    last_contact = date.today() - timedelta(days=12)
    assert f"Last contact: {last_contact.day} {last_contact:%b %Y}" in text
    assert "Last contact: not yet" in text
    assert "Status: Partner" in text
    assert "Engagement: partnering" in text
    assert "Saturday mornings" in text and "Step-free entrance" in text
    assert "Elsewhere Club" not in text
    assert "For partners" in text


@pytest.mark.parametrize("audience", ["public", "partners", "internal"])
def test_no_document_shows_a_contact_persons_details(staff_client, eastgate, audience):
    for url in (asset_map_url(eastgate), profile_url(eastgate)):
        text = pdf_text(staff_client.get(f"{url}?audience={audience}").data)
        for detail in (SENTINEL_NAME, "Sentinelworth", SENTINEL_EMAIL, SENTINEL_PHONE):
            assert detail not in text


def test_asset_map_pdf_for_partners_leaves_out_staff_notes(staff_client, eastgate):
    partners = pdf_text(staff_client.get(asset_map_url(eastgate)).data)
    internal = pdf_text(staff_client.get(asset_map_url(eastgate, "?audience=internal")).data)
    assert "director prefers email" not in partners
    assert "director prefers email" in internal
    assert "Internal: not for sharing outside the library" in internal


def test_profile_pdf_is_one_page_even_with_long_text(staff_client, eastgate, make_organization,
                                                     make_conversation, staff, make_branch):
    eastgate.who = eastgate.why_chosen = eastgate.baseline_notes = LONG_TEXT
    eastgate.branches = [make_branch(name=f"{name} Branch Library") for name in
                         ("Eastgate", "Central", "Northside", "Millbrook", "Westview")]
    for number in range(10):
        make_organization(name=f"Eastgate and Millview Intercultural Family Association {number}",
                          relationship_status="partner", focus_communities=[eastgate])
    for days in range(6):
        make_conversation(happened_on=date.today() - timedelta(days), focus_community=eastgate,
                          kind="community_conversation", notes=LONG_TEXT, logged_by=staff,
                          place_text="The community room on the second floor of Tower 2")
    db.session.commit()
    for query in ("", "?audience=public"):
        response = staff_client.get(profile_url(eastgate, query))
        assert response.status_code == 200
        assert page_count(response.data) == 1
    text = pdf_text(response.data)
    assert "…" in text
    assert "more on the asset map list" in text


def test_profile_pdf_shows_who_counts_partners_and_recent_conversations(staff_client, eastgate):
    response = staff_client.get(profile_url(eastgate))
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")
    text = pdf_text(response.data)
    for words in ("Newcomer families with school-age children", "Card sign-ups fell by a third",
                  "22% of children hold a card", "Branch: Eastgate",
                  "3 organizations and groups", "1 community space",
                  "1 conversation in the last 90 days", "Eastgate Settlement Services",
                  "Horn of Africa Families Association", "Settlement lobby",
                  "None knew a library card is free",
                  "Internal: not for sharing outside the library"):
        assert words in text
    assert "Sunrise Halal Market" not in text


def test_profile_pdf_for_the_public_leaves_out_conversation_notes(staff_client, eastgate):
    text = pdf_text(staff_client.get(profile_url(eastgate, "?audience=public")).data)
    assert "Settlement lobby" in text
    assert "None knew a library card is free" not in text
    assert "For the public" in text


def test_pdfs_carry_their_title(staff_client, eastgate):
    for url, title in ((asset_map_url(eastgate), "Asset map: Newcomer families, Eastgate"),
                       (profile_url(eastgate),
                        "Focus community profile: Newcomer families, Eastgate")):
        reader = PdfReader(BytesIO(staff_client.get(url).data))
        assert reader.metadata.title == title


def test_large_print_asset_map_takes_more_pages(staff_client, eastgate, make_organization):
    for number in range(8):
        make_organization(name=f"Association {number}", programs_services=LONG_TEXT[:200],
                          focus_communities=[eastgate])
    db.session.commit()
    normal = staff_client.get(asset_map_url(eastgate)).data
    large = staff_client.get(asset_map_url(eastgate, "?large=1")).data
    assert page_count(large) > page_count(normal)


def test_members_may_not_print_community_documents(member_client, eastgate):
    assert member_client.get(asset_map_url(eastgate)).status_code == 403
    assert member_client.get(profile_url(eastgate)).status_code == 403


def test_a_missing_focus_community_gives_404(staff_client):
    assert staff_client.get("/community/focus-communities/999999/asset-map.pdf").status_code == 404
    assert staff_client.get("/community/focus-communities/999999/profile.pdf").status_code == 404


def test_an_unknown_audience_gives_400_with_words(staff_client, eastgate):
    for url in (asset_map_url(eastgate, "?audience=everyone"),
                profile_url(eastgate, "?audience=everyone")):
        response = staff_client.get(url)
        assert response.status_code == 400
        assert "audience=partners" in response.get_data(as_text=True)
