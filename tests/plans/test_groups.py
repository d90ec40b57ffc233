"""Action groups and their members: staff keep them; members see their own, without details."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.extensions import db
from app.meetings.models import ActionItem
from app.plans.models import ActionGroup, Membership
from app.records import library_today
from tests.conftest import log_in


def _group_form(**values) -> dict:
    form = {"name": "Eastgate Families Table", "status": "forming", "focus_community_id": "0",
            "purpose": "", "meeting_cadence": "", "decision_rules": "", "supports_note": ""}
    form.update(values)
    return form


def _membership_form(**values) -> dict:
    form = {"display_name": "Hodan", "role": "member", "user_id": "0", "preferred_contact": "",
            "joined_on": "2026-01-10", "left_on": ""}
    form.update(values)
    return form


@pytest.fixture
def eastgate(make_action_group, make_user, member):
    """A group with the logged-in member, a listed and an unlisted member, and a liaison."""
    liaison = make_user(Role.STAFF, name="Amira Haddad")
    group = make_action_group(name="Eastgate Families Table", members=[member],
                              purpose="Homework help on Saturdays")
    group.memberships[0].consent_to_be_listed = True
    group.memberships += [
        Membership(display_name="Hodan A.", role="co_chair", consent_to_be_listed=True,
                   preferred_contact="613-555-0101"),
        Membership(display_name="Private Person", role="member", consent_to_be_listed=False,
                   preferred_contact="private@example.org"),
        Membership(display_name="Amira", role="staff_liaison", user=liaison,
                   preferred_contact="amira@library.example"),
    ]
    db.session.commit()
    return group


def test_staff_start_a_group_and_see_it(staff_client, make_focus_community):
    community = make_focus_community(name="Newcomer families, Eastgate")
    db.session.commit()
    response = staff_client.post("/groups/new", data=_group_form(
        focus_community_id=str(community.id), purpose="Homework help", status="active",
        meeting_cadence="Second Saturday", decision_rules="Consensus",
        supports=["childcare", "food"], supports_note="Somali interpretation"))
    group = db.session.scalars(sa.select(ActionGroup)).one()
    assert response.status_code == 302
    assert response.location == f"/groups/{group.id}"
    assert (group.focus_community, group.status, group.supports) == (
        community, "active", ["childcare", "food"])
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Saved Eastgate Families Table." in page
    assert "Childcare, Food. Somali interpretation" in page
    assert "Second Saturday" in page and "Consensus" in page
    assert f'href="/meetings/new?action_group_id={group.id}"' in page


def test_a_group_name_must_be_given_and_unique(staff_client, make_action_group):
    make_action_group(name="Eastgate Families Table")
    db.session.commit()
    page = staff_client.post("/groups/new", data=_group_form(name="eastgate families table"))
    assert page.status_code == 200
    assert "Another action group already has this name." in page.get_data(as_text=True)
    page = staff_client.post("/groups/new", data=_group_form(name=""))
    assert "This field is required." in page.get_data(as_text=True)
    too_long = staff_client.post("/groups/new", data=_group_form(name="x" * 161))
    assert "Field cannot be longer than 160 characters." in too_long.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionGroup)) == 1


def test_staff_edit_a_group(staff_client, make_action_group):
    group = make_action_group(name="Winter Circle", status="forming")
    db.session.commit()
    form = _group_form(name="Northside Winter Circle", status="paused")
    assert staff_client.get(f"/groups/{group.id}/edit").status_code == 200
    staff_client.post(f"/groups/{group.id}/edit", data=form)
    db.session.expire_all()
    assert (group.name, group.status) == ("Northside Winter Circle", "paused")


def test_the_list_shows_status_focus_community_members_and_open_plans(
        staff_client, make_action_group, make_plan, make_focus_community, make_decision):
    community = make_focus_community(name="Newcomer families")
    group = make_action_group(name="Eastgate Families Table", focus_community=community)
    group.memberships = [Membership(display_name=name) for name in ("A", "B", "C")]
    group.memberships.append(Membership(display_name="Left", left_on=date(2026, 1, 1)))
    make_plan(action_group=group)
    make_plan(action_group=group, status="closed", endorsed_by=make_decision())
    db.session.commit()
    page = staff_client.get("/groups/").get_data(as_text=True)
    row = page[page.index("Eastgate Families Table"):]
    assert "Active" in row and "Newcomer families" in row
    assert '<td class="number">3</td>' in row and '<td class="number">1</td>' in row


def test_a_member_lists_only_their_own_groups(member_client, member, make_action_group):
    make_action_group(name="Eastgate Families Table", members=[member])
    make_action_group(name="Northside Winter Circle")
    db.session.commit()
    page = member_client.get("/groups/").get_data(as_text=True)
    assert "Eastgate Families Table" in page
    assert "Northside Winter Circle" not in page
    assert "Start an action group" not in page


def test_a_member_who_left_no_longer_sees_the_group(member_client, member, make_action_group):
    group = make_action_group(name="Eastgate Families Table", members=[member])
    group.memberships[0].left_on = library_today()
    db.session.commit()
    assert "Eastgate Families Table" not in member_client.get("/groups/").get_data(as_text=True)
    assert member_client.get(f"/groups/{group.id}").status_code == 403


def test_members_see_listed_names_and_liaisons_but_no_contacts(member_client, eastgate):
    page = member_client.get(f"/groups/{eastgate.id}").get_data(as_text=True)
    assert "Homework help on Saturdays" in page
    assert "Hodan A." in page and "Co-chair" in page
    assert "Amira" in page and "Staff liaison" in page
    assert "Mo Member" in page
    assert "Private Person" not in page
    assert "1 member not listed by name" in page
    for detail in ("613-555-0101", "private@example.org", "amira@library.example",
                   "mo@riverbend.example"):
        assert detail not in page
    assert "Edit the group" not in page and "Invite to log in" not in page


def test_staff_see_everyone_with_contact_and_consent(staff_client, eastgate):
    page = staff_client.get(f"/groups/{eastgate.id}").get_data(as_text=True)
    for shown in ("Private Person", "613-555-0101", "private@example.org", "No: staff only",
                  "Yes, agreed", "Staff: always listed", "mo@riverbend.example"):
        assert shown in page
    private = next(m for m in eastgate.memberships if m.display_name == "Private Person")
    assert f"/groups/members/{private.id}/invite" in page


def test_another_groups_page_answers_403_to_a_member(member_client, make_action_group):
    other = make_action_group(name="Northside Winter Circle")
    db.session.commit()
    assert member_client.get(f"/groups/{other.id}").status_code == 403
    assert member_client.get("/groups/999").status_code == 404


def test_the_group_page_shows_meetings_plans_and_open_action_items(
        member_client, member, make_action_group, make_meeting, make_plan):
    group = make_action_group(name="Eastgate Families Table", members=[member])
    soon = make_meeting(title="March meeting", action_group=group, status="planned",
                        held_on=library_today() + timedelta(days=5))
    held = make_meeting(title="February meeting", action_group=group)
    other = make_meeting(title="Someone else's meeting")
    held.action_items = [
        ActionItem(description="Book the room", owner_name="Hodan",
                   due_on=library_today() - timedelta(days=1)),
        ActionItem(description="Already done", done_at=held.created_at)]
    other.action_items = [ActionItem(description="Not ours")]
    plan = make_plan(title="Saturday mornings", action_group=group)
    db.session.commit()
    page = member_client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert f'href="/meetings/{soon.id}"' in page and f'href="/meetings/{held.id}"' in page
    assert "Someone else" not in page
    assert f'href="/plans/{plan.id}"' in page and "Saturday mornings" in page
    assert "Book the room" in page and "Overdue" in page
    assert "Already done" not in page and "Not ours" not in page
    assert "Add a meeting" not in page


def test_staff_add_a_community_member(staff_client, make_action_group):
    group = make_action_group()
    db.session.commit()
    response = staff_client.post(f"/groups/{group.id}/members/new", data=_membership_form(
        display_name="Hodan", role="co_chair", preferred_contact="613-555-0101",
        consent_to_be_listed="y"))
    assert response.status_code == 302
    assert response.location == f"/groups/{group.id}#members-heading"
    membership = db.session.scalars(sa.select(Membership)).one()
    assert (membership.action_group, membership.display_name, membership.role) == (
        group, "Hodan", "co_chair")
    assert membership.preferred_contact == "613-555-0101" and membership.consent_to_be_listed
    assert membership.joined_on == date(2026, 1, 10) and membership.user is None


def test_a_staff_liaison_is_a_staff_login_chosen_from_the_list(
        staff_client, make_action_group, make_user, member):
    group = make_action_group()
    amira = make_user(Role.STAFF, name="Amira Haddad")
    db.session.commit()
    form_page = staff_client.get(f"/groups/{group.id}/members/new").get_data(as_text=True)
    assert f'<option value="{amira.id}">Amira Haddad (staff)</option>' in form_page
    refused = staff_client.post(f"/groups/{group.id}/members/new", data=_membership_form(
        role="staff_liaison", display_name="", user_id=str(member.id)))
    assert "A staff liaison is a member of staff" in refused.get_data(as_text=True)
    staff_client.post(f"/groups/{group.id}/members/new", data=_membership_form(
        role="staff_liaison", display_name="", user_id=str(amira.id)))
    liaison = db.session.scalars(sa.select(Membership)).one()
    assert (liaison.user, liaison.display_name, liaison.role) == (
        amira, "Amira Haddad", "staff_liaison")


def test_a_staff_login_cannot_hold_a_community_role(staff_client, make_action_group, staff):
    group = make_action_group()
    db.session.commit()
    page = staff_client.post(f"/groups/{group.id}/members/new", data=_membership_form(
        user_id=str(staff.id))).get_data(as_text=True)
    assert "Staff take part in a group as staff liaisons." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 0


def test_one_login_has_one_place_on_a_group(staff_client, make_action_group, member):
    group = make_action_group(members=[member])
    db.session.commit()
    page = staff_client.post(f"/groups/{group.id}/members/new", data=_membership_form(
        user_id=str(member.id))).get_data(as_text=True)
    assert "Mo Member already has a place on this group." in page


def test_staff_edit_a_membership_and_link_an_existing_member_login(
        staff_client, make_action_group, member):
    group = make_action_group()
    group.memberships = [Membership(display_name="Mo")]
    db.session.commit()
    membership = group.memberships[0]
    staff_client.post(f"/groups/members/{membership.id}/edit", data=_membership_form(
        display_name="Mo M.", user_id=str(member.id), consent_to_be_listed="y"))
    db.session.expire_all()
    assert (membership.display_name, membership.user, membership.consent_to_be_listed) == (
        "Mo M.", member, True)


def test_a_leaving_date_before_joining_is_refused_next_to_the_field(
        staff_client, make_action_group):
    group = make_action_group()
    group.memberships = [Membership(display_name="Mo", joined_on=date(2026, 2, 1))]
    db.session.commit()
    membership = group.memberships[0]
    page = staff_client.post(f"/groups/members/{membership.id}/edit", data=_membership_form(
        display_name="Mo", joined_on="2026-02-01", left_on="2026-01-15")).get_data(as_text=True)
    assert 'id="left_on-error"' in page
    assert "The leaving date cannot be before the day they joined (1 February 2026)." in page
    db.session.expire_all()
    assert membership.left_on is None


def test_the_database_refuses_leaving_before_joining(make_action_group):
    group = make_action_group()
    group.memberships = [Membership(display_name="Mo", joined_on=date(2026, 2, 1),
                                    left_on=date(2026, 1, 1))]
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_staff_record_that_a_member_left_today(staff_client, make_action_group, member):
    group = make_action_group(members=[member])
    db.session.commit()
    membership = group.memberships[0]
    edit_page = staff_client.get(f"/groups/members/{membership.id}/edit").get_data(as_text=True)
    assert f'action="/groups/members/{membership.id}/end"' in edit_page
    response = staff_client.post(f"/groups/members/{membership.id}/end")
    assert response.status_code == 302
    db.session.expire_all()
    assert membership.left_on == library_today()
    page = staff_client.get(response.location).get_data(as_text=True)
    assert f"Mo Member has left {group.name}." in page
    assert "Past members (1)" in page


def test_members_cannot_change_groups_or_memberships(member_client, member, make_action_group):
    group = make_action_group(members=[member])
    db.session.commit()
    membership_id = group.memberships[0].id
    for url in ("/groups/new", f"/groups/{group.id}/edit", f"/groups/{group.id}/members/new",
                f"/groups/members/{membership_id}/edit",
                f"/groups/members/{membership_id}/invite"):
        assert member_client.get(url).status_code == 403, url
        assert member_client.post(url, data=_group_form()).status_code == 403, url
    assert member_client.post(f"/groups/members/{membership_id}/end").status_code == 403


def test_unknown_groups_and_memberships_answer_404_to_staff(staff_client):
    for url in ("/groups/999", "/groups/999/edit", "/groups/999/members/new",
                "/groups/members/999/edit", "/groups/members/999/invite"):
        assert staff_client.get(url).status_code == 404, url


def test_a_member_sees_a_group_as_soon_as_staff_link_their_login(
        client, make_user, make_action_group):
    person = make_user(Role.MEMBER, name="Nadia")
    group = make_action_group(name="Eastgate Families Table")
    db.session.commit()
    log_in(client, person)
    assert client.get(f"/groups/{group.id}").status_code == 403
    group.memberships.append(Membership(display_name="Nadia", user=person))
    db.session.commit()
    assert client.get(f"/groups/{group.id}").status_code == 200
