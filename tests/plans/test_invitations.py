"""Inviting a member to log in: a one-time link, shown once, that makes a member login."""

import hashlib
import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.access import Access, access_for
from app.accounts.models import Role, User
from app.extensions import db
from app.plans.invitations import invite
from app.plans.models import Invitation, Membership
from app.records import utcnow
from tests.conftest import log_in

NEW_PASSWORD = "eleven plus one chars"


@pytest.fixture
def hodan(make_action_group):
    """A current member of a group, without a login yet."""
    group = make_action_group(name="Eastgate Families Table")
    group.memberships = [Membership(display_name="Hodan", preferred_contact="613-555-0101")]
    db.session.commit()
    return group.memberships[0]


def _invite(staff_client, membership: Membership, email: str = "hodan@example.org") -> str:
    """Make an invitation through the screen and return the link it showed."""
    response = staff_client.post(f"/groups/members/{membership.id}/invite",
                                 data={"email": email})
    assert response.status_code == 302
    page = staff_client.get(response.location).get_data(as_text=True)
    return re.search(r"http://localhost(/invitations/[\w-]+)", page).group(1)


def _accept(client, link: str, **values):
    form = {"name": "Hodan", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    form.update(values)
    return client.post(link, data=form)


def test_the_invitation_page_is_the_only_public_page_of_groups_and_plans(app):
    public = {rule.endpoint for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("plans.")
              and access_for(app, rule.endpoint) == Access.PUBLIC}
    assert public == {"plans.accept_invitation"}


def test_staff_make_a_link_that_is_shown_once_and_stored_only_as_a_hash(staff_client, hodan,
                                                                         staff):
    link = _invite(staff_client, hodan)
    token = link.rsplit("/", 1)[1]
    invitation = db.session.scalars(sa.select(Invitation)).one()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert (invitation.membership, invitation.email, invitation.created_by) == (
        hodan, "hodan@example.org", staff)
    lifetime = invitation.expires_at.replace(tzinfo=None) - invitation.created_at.replace(
        tzinfo=None)
    assert abs(lifetime - timedelta(days=14)) < timedelta(seconds=5)
    again = staff_client.get(f"/groups/members/{hodan.id}/invite").get_data(as_text=True)
    assert token not in again
    assert "A link made for hodan@example.org" in again


def test_the_link_page_carries_a_qr_code_and_the_group_name(staff_client, hodan):
    response = staff_client.post(f"/groups/members/{hodan.id}/invite",
                                 data={"email": "hodan@example.org"})
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "<svg" in page and "This link is shown only now." in page
    assert "Eastgate Families Table" in page


def test_a_new_link_stops_the_old_one(staff_client, client, hodan):
    first = _invite(staff_client, hodan)
    second = _invite(staff_client, hodan)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_opening_the_link_shows_the_group_and_the_email(staff_client, client, hodan):
    link = _invite(staff_client, hodan)
    client.post("/logout")
    page = client.get(link)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Join Eastgate Families Table on Groundwork" in text
    assert "hodan@example.org" in text
    assert "613-555-0101" not in text


def test_accepting_makes_a_member_login_links_it_and_logs_in(app, hodan):
    staff_client, visitor = app.test_client(), app.test_client()
    _log_in_staff(staff_client)
    link = _invite(staff_client, hodan)
    response = _accept(visitor, link, name="Hodan A.")
    assert response.status_code == 302
    assert response.location == "/"
    db.session.expire_all()
    user = db.session.scalars(sa.select(User).filter_by(email="hodan@example.org")).one()
    assert (user.role, user.name, user.check_password(NEW_PASSWORD)) == (
        Role.MEMBER, "Hodan A.", True)
    assert hodan.user == user
    assert db.session.scalars(sa.select(Invitation)).one().used_at is not None
    home = visitor.get("/").get_data(as_text=True)
    assert "Welcome, Hodan A." in home and "Eastgate Families Table" in home
    assert visitor.get(f"/groups/{hodan.action_group_id}").status_code == 200


def _log_in_staff(client) -> None:
    staff = User(role=Role.STAFF, name="Sam Staff", email="sam@riverbend.example")
    staff.set_password(NEW_PASSWORD)
    db.session.add(staff)
    db.session.commit()
    log_in(client, staff)


def test_a_used_link_answers_404_in_plain_words(app, hodan):
    staff_client, visitor = app.test_client(), app.test_client()
    _log_in_staff(staff_client)
    link = _invite(staff_client, hodan)
    _accept(visitor, link)
    other = app.test_client()
    page = other.get(link)
    assert page.status_code == 404
    assert "It may have been used already, or it expired after 14 days." in page.get_data(
        as_text=True)
    assert _accept(other, link).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_an_expired_or_unknown_link_answers_404(staff_client, client, hodan):
    link = _invite(staff_client, hodan)
    client.post("/logout")
    invitation = db.session.scalars(sa.select(Invitation)).one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link).status_code == 404
    assert client.get("/invitations/not-a-real-token").status_code == 404


def test_a_link_stops_working_when_the_member_leaves(staff_client, client, hodan):
    link = _invite(staff_client, hodan)
    staff_client.post(f"/groups/members/{hodan.id}/end")
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_an_email_with_an_account_is_refused(staff_client, client, hodan, make_user):
    make_user(Role.MEMBER, email="taken@example.org")
    db.session.commit()
    page = staff_client.post(f"/groups/members/{hodan.id}/invite",
                             data={"email": "Taken@Example.org"}).get_data(as_text=True)
    assert "This email already has an account." in page
    link = _invite(staff_client, hodan, email="later@example.org")
    client.post("/logout")
    make_user(Role.MEMBER, email="later@example.org")
    db.session.commit()
    refused = _accept(client, link).get_data(as_text=True)
    assert ("This email already has an account: log in, then ask staff to link it"
            in refused)
    db.session.expire_all()
    assert hodan.user is None
    assert db.session.scalars(sa.select(Invitation)).one().used_at is None


def test_the_password_needs_12_characters_and_the_same_twice(staff_client, client, hodan):
    link = _invite(staff_client, hodan)
    client.post("/logout")
    short = _accept(client, link, password="short", confirm="short").get_data(as_text=True)
    assert "Use at least 12 characters" in short
    different = _accept(client, link, confirm="something else entirely").get_data(as_text=True)
    assert "The two passwords are not the same." in different
    nameless = _accept(client, link, name="").get_data(as_text=True)
    assert "Write the name you want to be known by." in nameless
    assert db.session.scalar(sa.select(User.id).filter_by(email="hodan@example.org")) is None


def test_a_logged_in_person_is_asked_to_log_out_first(staff_client, hodan):
    link = _invite(staff_client, hodan)
    page = staff_client.get(link).get_data(as_text=True)
    assert "Log out first, then open the invitation link again." in page
    _accept(staff_client, link)
    db.session.expire_all()
    assert hodan.user is None


def test_the_email_must_look_like_an_email(staff_client, hodan):
    page = staff_client.post(f"/groups/members/{hodan.id}/invite",
                             data={"email": "not an email"}).get_data(as_text=True)
    assert "This does not look like an email address." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


@pytest.mark.parametrize("change, message", [
    ({"role": "staff_liaison"}, "Staff liaisons log in with their own staff account."),
    ({"left_on": "today"}, "Hodan has left the group."),
    ({"user": "member"}, "Hodan already has a login."),
])
def test_only_current_members_without_a_login_are_invited(staff_client, hodan, member,
                                                          change, message):
    if "role" in change:
        hodan.role = change["role"]
    elif "left_on" in change:
        hodan.left_on = hodan.joined_on = utcnow().date() - timedelta(days=1)
    else:
        hodan.user = member
    db.session.commit()
    form_page = staff_client.get(f"/groups/members/{hodan.id}/invite").get_data(as_text=True)
    assert message in form_page and "Make the invitation link" not in form_page
    refused = staff_client.post(f"/groups/members/{hodan.id}/invite",
                                data={"email": "hodan@example.org"})
    assert message in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def _link_for(membership: Membership) -> str:
    """Make an invitation directly and return its link, without a logged-in client."""
    staff = User(role=Role.STAFF, name="Sam", email="sam@riverbend.example")
    staff.set_password(NEW_PASSWORD)
    db.session.add(staff)
    token = invite(membership, email="hodan@example.org", by=staff)
    db.session.commit()
    return f"/invitations/{token}"


class TestWithCsrf:
    """The invitation form carries a CSRF token, as every form does in production."""

    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_post_without_a_token_is_refused(self, client, hodan):
        response = _accept(client, _link_for(hodan))
        assert response.status_code == 400
        db.session.expire_all()
        assert hodan.user is None

    def test_a_post_with_the_page_token_goes_through(self, client, hodan):
        link = _link_for(hodan)
        page = client.get(link).data
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert _accept(client, link, csrf_token=token.decode()).status_code == 302
        db.session.expire_all()
        assert hodan.user is not None


class TestRateLimit:
    """Sending the invitation form is limited per address, like the login."""

    @pytest.fixture
    def app_overrides(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
                "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_too_many_tries_get_a_429(self, client, hodan):
        link = _link_for(hodan)
        statuses = [_accept(client, link, password="short").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert client.get(link).status_code == 200
