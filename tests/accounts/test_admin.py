"""Admins manage accounts and branches."""

import sqlalchemy as sa

from app.accounts.models import Branch, User
from app.extensions import db
from tests.conftest import PASSWORD


def _user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).filter_by(email=email))


def test_an_admin_creates_a_staff_account_that_can_log_in(admin_client, make_branch, client):
    branch = make_branch(name="Eastgate")
    db.session.commit()
    response = admin_client.post("/admin/users/new", data={
        "name": "Nadia Noor", "email": "Nadia@Riverbend.example", "role": "staff",
        "branch_id": branch.id, "password": "a long enough password"})
    assert response.status_code == 302
    created = _user("nadia@riverbend.example")
    assert created.role == "staff" and created.branch_id == branch.id
    assert created.password_hash.startswith("scrypt:")
    admin_client.post("/logout")
    login = client.post("/login", data={"email": "nadia@riverbend.example",
                                        "password": "a long enough password"})
    assert login.location == "/"


def test_a_short_password_is_refused_next_to_the_field(admin_client):
    response = admin_client.post("/admin/users/new", data={
        "name": "Short", "email": "short@riverbend.example", "role": "staff", "branch_id": 0,
        "password": "tooshort"})
    assert response.status_code == 200
    assert b"at least 12 characters" in response.data
    assert b'value="short@riverbend.example"' in response.data
    assert _user("short@riverbend.example") is None


def test_a_new_account_needs_a_password(admin_client):
    response = admin_client.post("/admin/users/new", data={
        "name": "No Password", "email": "nopw@riverbend.example", "role": "staff",
        "branch_id": 0})
    assert b"A new account needs a password." in response.data
    assert _user("nopw@riverbend.example") is None


def test_an_email_already_in_use_is_refused(admin_client, staff):
    db.session.commit()
    response = admin_client.post("/admin/users/new", data={
        "name": "Copy", "email": "SAM@riverbend.example", "role": "staff", "branch_id": 0,
        "password": "a long enough password"})
    assert b"Another account already uses this email address." in response.data


def test_disabling_a_user_keeps_the_account_and_stops_login(admin_client, staff, client):
    db.session.commit()
    response = admin_client.post(f"/admin/users/{staff.id}", data={
        "name": staff.name, "email": staff.email, "role": "staff", "branch_id": 0,
        "is_disabled": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, staff.id).disabled_at is not None
    assert b"Disabled" in admin_client.get("/admin/users").data
    admin_client.post("/logout")
    refused = client.post("/login", data={"email": staff.email, "password": PASSWORD})
    assert b"do not match an active account" in refused.data


def test_editing_without_a_password_keeps_the_old_one(admin_client, staff):
    db.session.commit()
    old_hash = staff.password_hash
    admin_client.post(f"/admin/users/{staff.id}", data={
        "name": "Sam S.", "email": staff.email, "role": "staff", "branch_id": 0})
    db.session.expire_all()
    edited = db.session.get(User, staff.id)
    assert edited.name == "Sam S." and edited.password_hash == old_hash


def test_admins_cannot_lock_themselves_out(admin_client, admin):
    db.session.commit()
    response = admin_client.post(f"/admin/users/{admin.id}", data={
        "name": admin.name, "email": admin.email, "role": "staff", "branch_id": 0})
    assert b"You cannot disable your own account" in response.data
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"


def test_an_admin_adds_and_renames_a_branch(admin_client):
    response = admin_client.post("/admin/branches/new", data={
        "name": "Books on the Go", "kind": "bookmobile", "catchment": "Seniors' buildings",
        "is_active": "y"})
    assert response.status_code == 302
    branch = db.session.scalar(sa.select(Branch).filter_by(name="Books on the Go"))
    assert branch.kind == "bookmobile" and branch.is_active
    admin_client.post(f"/admin/branches/{branch.id}", data={
        "name": "Bookmobile", "kind": "bookmobile", "catchment": ""})
    db.session.expire_all()
    renamed = db.session.get(Branch, branch.id)
    assert renamed.name == "Bookmobile" and not renamed.is_active
    assert b"Bookmobile" in admin_client.get("/admin/branches").data


def test_branch_names_are_unique(admin_client, make_branch):
    make_branch(name="Northside")
    db.session.commit()
    response = admin_client.post("/admin/branches/new", data={
        "name": "northside", "kind": "branch", "catchment": ""})
    assert b"Another branch already has this name." in response.data


def test_an_unknown_branch_kind_is_refused(admin_client):
    response = admin_client.post("/admin/branches/new", data={"name": "X", "kind": "castle"})
    assert response.status_code == 200
    assert b"Not a valid choice" in response.data
    assert db.session.scalar(sa.select(sa.func.count(Branch.id))) == 0


def test_editing_a_missing_user_is_404(admin_client):
    assert admin_client.get("/admin/users/9999").status_code == 404
