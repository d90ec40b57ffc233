"""The seed-demo command and the Riverbend demo library it loads."""

import re
from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import Branch, User
from app.community.models import Contact, FocusCommunity, Organization, Space
from app.conversations.models import Conversation, FollowUp, Quote
from app.extensions import db
from app.records import library_today

COUNTED = (Branch, User, FocusCommunity, Organization, Contact, Space, Conversation, Quote,
           FollowUp)


def _count(model, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def _seed(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def _printed_password(output: str, email: str) -> str:
    return re.search(rf"{re.escape(email)}\s+password: (\S+)", output).group(1)


def test_seed_demo_loads_the_riverbend_library_map(runner):
    result = _seed(runner)
    assert "Loaded the Riverbend Public Library demo." in result.output
    kinds = db.session.scalars(sa.select(Branch.kind)).all()
    assert len(kinds) >= 5 and "bookmobile" in kinds and "main_library" in kinds
    rural = db.session.scalars(sa.select(Branch).where(Branch.catchment.contains("rural")))
    assert [branch.name for branch in rural] == ["Millbrook"]
    assert _count(FocusCommunity) == 4
    assert _count(Organization) >= 12
    assert _count(Organization, Organization.kind == "informal_group") >= 1
    assert _count(Space) == 5
    assert _count(Contact, Contact.has_consented.is_(True)) >= 3
    assert _count(Contact, Contact.has_consented.is_(False)) >= 1


def test_seed_demo_gives_every_organization_a_dated_standing_history(runner):
    _seed(runner)
    organizations = db.session.scalars(sa.select(Organization)).all()
    assert all(organization.status_changes for organization in organizations)
    changed_later = [organization for organization in organizations
                     if any(change.previous for change in organization.status_changes)]
    assert 3 <= len(changed_later) <= 5
    dates = {change.changed_at.date() for organization in changed_later
             for change in organization.status_changes}
    assert min(dates) < library_today() - timedelta(days=60)


def test_seed_demo_logs_three_months_of_conversations_by_several_staff(runner):
    _seed(runner)
    today = library_today()
    conversations = db.session.scalars(sa.select(Conversation)).all()
    assert len(conversations) >= 15
    assert all(today - timedelta(days=100) <= c.happened_on <= today for c in conversations)
    assert len({c.logged_by_id for c in conversations}) >= 3
    assert len({c.branch_id for c in conversations}) >= 4
    assert _count(Quote) >= 8
    assert _count(Quote, Quote.is_public.is_(True)) >= 3
    assert _count(Quote, Quote.attribution == "role") >= 2
    assert _count(Quote, Quote.attribution == "first_name", Quote.has_name_consent) == 1


def test_seed_demo_leaves_the_staff_login_with_overdue_and_upcoming_follow_ups(runner):
    _seed(runner)
    today = library_today()
    amira = db.session.scalar(sa.select(User).filter_by(email="amira@riverbend.example"))
    open_for_amira = (FollowUp.owner_id == amira.id, FollowUp.done_at.is_(None))
    assert _count(FollowUp, *open_for_amira, FollowUp.due_on < today) >= 3
    assert _count(FollowUp, *open_for_amira, FollowUp.due_on.between(
        today, today + timedelta(days=7))) >= 1
    assert _count(FollowUp) >= 8
    assert _count(FollowUp, FollowUp.done_at.is_not(None)) >= 3
    assert len(set(db.session.scalars(sa.select(FollowUp.owner_id)))) >= 4


def test_the_printed_staff_login_opens_amiras_home_page(runner, client):
    result = _seed(runner)
    password = _printed_password(result.output, "amira@riverbend.example")
    response = client.post("/login", data={"email": "amira@riverbend.example",
                                           "password": password})
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Hello, Amira Haddad" in home
    assert "Overdue" in home


def test_every_printed_demo_login_works(runner):
    result = _seed(runner)
    logins = re.findall(r"(\w+)\s+(\S+@riverbend\.example)", result.output)
    assert [role for role, _email in logins] == ["admin", "staff", "member"]
    for role, email in logins:
        user = db.session.scalar(sa.select(User).filter_by(email=email))
        assert user.role == role
        assert user.check_password(_printed_password(result.output, email))


def test_seed_demo_twice_adds_nothing_the_second_time(runner):
    _seed(runner)
    before = {model: _count(model) for model in COUNTED}
    result = _seed(runner)
    assert "already holds data; demo data was not loaded" in result.output
    assert {model: _count(model) for model in COUNTED} == before


def test_seed_demo_does_nothing_on_a_database_in_use(runner, staff):
    db.session.commit()
    result = _seed(runner)
    assert "demo data was not loaded" in result.output
    assert _count(Organization) == 0 and _count(User) == 1
