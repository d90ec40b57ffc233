"""The share page: public links and QR codes per language, printouts, and kiosk links."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.surveys.models import KioskLink
from app.surveys.sharing import (
    UnknownBranch,
    add_kiosk_link,
    language_links,
    own_language_name,
    short_link,
)


def share_url(survey) -> str:
    return f"/forms/{survey.id}/share"


@pytest.fixture
def survey(make_survey):
    survey = make_survey()
    db.session.commit()
    return survey


def test_share_page_shows_each_language_link_with_its_qr_code(staff_client, survey):
    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    for code in ("en", "es", "ar"):
        assert f"http://localhost/f/{survey.token}?lang={code}" in page
    assert page.count('<svg role="img"') == 3
    assert "Scan with a phone camera to open the form in Spanish." in page


def test_share_page_shows_the_short_code_and_the_printouts(staff_client, survey):
    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    assert survey.short_code in page
    assert f"/forms/{survey.id}/poster.pdf?lang=es" in page
    assert f"/forms/{survey.id}/paper.pdf?lang=ar" in page
    assert f"/forms/{survey.id}/paper.pdf?lang=ar&amp;large=1" in page
    assert "Printouts are on Letter paper." in page


def test_share_page_names_languages_in_their_own_words(staff_client, survey):
    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    assert "Spanish · <span lang=\"es\">Español</span>" in page
    assert '<span lang="ar" dir="rtl">العربية</span>' in page


@pytest.mark.parametrize("app_overrides", [{"PAPER_SIZE": "A4"}])
def test_share_page_says_which_paper_the_library_prints_on(staff_client, survey):
    assert "Printouts are on A4 paper." in staff_client.get(share_url(survey)).get_data(
        as_text=True)


def test_draft_form_says_its_links_work_only_once_open(staff_client, make_survey):
    survey = make_survey(status="draft")
    db.session.commit()
    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    assert "This form is still a draft." in page
    assert "work only once the form is open" in page


def test_open_form_shows_no_draft_notice(staff_client, survey):
    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    assert "still a draft" not in page
    assert "This form is closed." not in page


def test_closed_form_says_its_links_show_a_closed_page(staff_client, make_survey):
    survey = make_survey(status="closed")
    db.session.commit()
    assert "This form is closed." in staff_client.get(share_url(survey)).get_data(as_text=True)


def test_share_page_of_a_missing_form_is_not_found(staff_client):
    assert staff_client.get("/forms/999/share").status_code == 404


@pytest.mark.parametrize("path", ["share", "paper.pdf", "poster.pdf"])
def test_members_cannot_open_share_pages_or_printouts(member_client, survey, path):
    assert member_client.get(f"/forms/{survey.id}/{path}").status_code == 403


def test_members_cannot_make_kiosk_links(member_client, survey, make_branch):
    branch = make_branch()
    db.session.commit()
    response = member_client.post(f"/forms/{survey.id}/kiosk-links", data={"branch_id": branch.id})
    assert response.status_code == 403
    assert db.session.scalars(sa.select(KioskLink)).all() == []


def test_logged_out_visitors_are_sent_to_log_in(client, survey):
    response = client.get(share_url(survey))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_staff_make_a_kiosk_link_for_a_branch(staff_client, staff, survey, make_branch):
    branch = make_branch(name="Eastgate")
    db.session.commit()
    response = staff_client.post(f"/forms/{survey.id}/kiosk-links",
                                 data={"branch_id": branch.id, "label": " Tablet by the holds "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/forms/{survey.id}/share#kiosk-links")
    link = db.session.scalars(sa.select(KioskLink)).one()
    assert (link.survey_id, link.branch_id) == (survey.id, branch.id)
    assert link.label == "Tablet by the holds"
    assert link.created_by_id == staff.id
    assert link.is_active

    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    assert "Made a kiosk link for Eastgate." in page
    assert f"http://localhost/kiosk/{link.token}" in page
    assert "Tablet by the holds" in page
    assert "Made by Sam Staff on" in page
    assert "Revoke: this device will stop showing the form" in page


def test_a_kiosk_link_needs_a_branch(staff_client, survey, make_branch):
    make_branch()
    db.session.commit()
    response = staff_client.post(f"/forms/{survey.id}/kiosk-links", data={"label": "Tablet"})
    assert response.status_code == 400
    assert "Choose the branch where the device stands." in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(KioskLink)).all() == []


def test_closed_branches_are_not_offered_for_kiosk_links(staff_client, survey, make_branch):
    closed = make_branch(name="Old Mill", is_active=False)
    make_branch(name="Eastgate")
    db.session.commit()
    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    assert "Eastgate" in page and "Old Mill" not in page
    response = staff_client.post(f"/forms/{survey.id}/kiosk-links", data={"branch_id": closed.id})
    assert response.status_code == 400
    assert db.session.scalars(sa.select(KioskLink)).all() == []


def test_without_branches_the_page_says_to_add_one(staff_client, survey):
    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    assert "There are no open branches yet." in page
    assert "No kiosk links yet." in page


def test_add_kiosk_link_refuses_a_closed_branch(app, survey, make_branch, staff):
    closed = make_branch(is_active=False)
    with pytest.raises(UnknownBranch):
        add_kiosk_link(survey, branch_id=closed.id, label="", created_by=staff)
    with pytest.raises(UnknownBranch):
        add_kiosk_link(survey, branch_id=9999, label="", created_by=staff)


def test_revoking_a_kiosk_link_stops_it_and_lists_it_as_revoked(
        staff_client, staff, survey, make_branch):
    link = add_kiosk_link(survey, branch_id=make_branch(name="Northside").id, label="Lobby",
                          created_by=staff)
    db.session.commit()
    response = staff_client.post(f"/forms/{survey.id}/kiosk-links/{link.id}/revoke")
    assert response.status_code == 302
    db.session.refresh(link)
    assert link.revoked_at is not None
    assert not link.is_active

    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    assert "Revoked the kiosk link for Northside." in page
    assert '<span class="tag tag-bad">Revoked</span>' in page
    assert "revoked on" in page
    assert f"/kiosk/{link.token}" not in page
    assert "Revoke: this device" not in page


def test_revoking_a_link_of_another_form_is_not_found(staff_client, staff, make_survey,
                                                      make_branch):
    survey, other = make_survey(), make_survey()
    link = add_kiosk_link(other, branch_id=make_branch().id, label="", created_by=staff)
    db.session.commit()
    response = staff_client.post(f"/forms/{survey.id}/kiosk-links/{link.id}/revoke")
    assert response.status_code == 404
    db.session.refresh(link)
    assert link.revoked_at is None


def test_active_kiosk_links_come_before_revoked_ones(staff_client, staff, survey, make_branch):
    old = add_kiosk_link(survey, branch_id=make_branch(name="Alpha").id, label="",
                         created_by=staff)
    old.revoke()
    add_kiosk_link(survey, branch_id=make_branch(name="Beta").id, label="", created_by=staff)
    db.session.commit()
    page = staff_client.get(share_url(survey)).get_data(as_text=True)
    assert page.index("<strong>Beta</strong>") < page.index("<strong>Alpha</strong>")


def test_language_links_open_the_form_in_each_language(app, survey):
    with app.test_request_context(base_url="https://library.example"):
        links = language_links(survey)
    assert [link.language for link in links] == ["en", "es", "ar"]
    assert links[1].url == f"https://library.example/f/{survey.token}?lang=es"
    assert links[0].short_link == f"library.example/s/{survey.short_code}"
    assert links[1].short_link == f"library.example/s/{survey.short_code}/es"
    assert [link.is_right_to_left for link in links] == [False, False, True]


def test_the_short_link_is_short_and_leaves_out_the_scheme(app, survey):
    with app.test_request_context(base_url="https://library.example"):
        assert short_link(survey) == f"library.example/s/{survey.short_code}"
        assert short_link(survey, "ar") == f"library.example/s/{survey.short_code}/ar"


def test_a_typed_short_link_opens_the_form_in_its_language(client, survey):
    response = client.get(f"/s/{survey.short_code.lower()}/ar")
    assert response.status_code == 302
    assert response.location == f"/f/{survey.token}?lang=ar"
    assert client.get(f"/s/{survey.short_code}").location == f"/f/{survey.token}"
    assert client.get(f"/s/{survey.short_code}/xx").location == f"/f/{survey.token}"


def test_an_unknown_or_draft_short_link_is_not_found(client, survey):
    assert client.get("/s/NOPE99").status_code == 404
    survey.status = "draft"
    db.session.commit()
    assert client.get(f"/s/{survey.short_code}").status_code == 404


@pytest.mark.parametrize(("code", "name"), [("es", "Español"), ("ar", "العربية"),
                                            ("fr", "Français"), ("prs", "Dari")])
def test_languages_are_named_in_themselves(app, code, name):
    assert own_language_name(code) == name


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_kiosk_links_cannot_be_made_or_revoked_without_a_csrf_token(
        staff_client, staff, survey, make_branch):
    branch = make_branch()
    link = add_kiosk_link(survey, branch_id=branch.id, label="", created_by=staff)
    db.session.commit()
    assert staff_client.post(f"/forms/{survey.id}/kiosk-links",
                             data={"branch_id": branch.id}).status_code == 400
    assert staff_client.post(f"/forms/{survey.id}/kiosk-links/{link.id}/revoke").status_code == 400
    db.session.refresh(link)
    assert link.revoked_at is None
    assert len(db.session.scalars(sa.select(KioskLink)).all()) == 1


def test_the_share_page_warns_before_printing_a_form_in_chinese(staff_client, make_survey,
                                                                 no_chinese_font):
    survey = make_survey(languages=["en", "zh"])
    db.session.commit()
    page = staff_client.get(f"/forms/{survey.id}/share").text
    assert "Some printouts would show empty boxes." in page
    assert "no font for\n    Chinese," in page and "<code>fonts-noto-cjk</code>" in page
    other = make_survey(languages=["en", "ar"])
    db.session.commit()
    assert "empty boxes" not in staff_client.get(f"/forms/{other.id}/share").text
