"""The create-user command."""

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db


def test_create_user_makes_an_account_with_the_given_role(runner):
    result = runner.invoke(args=["create-user", "Lee@Riverbend.example", "--name", "Lee",
                                 "--role", "admin", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    assert "Created admin account for Lee <lee@riverbend.example>" in result.output
    user = db.session.scalar(sa.select(User).filter_by(email="lee@riverbend.example"))
    assert user.role == "admin" and user.check_password("a long enough password")


def test_create_user_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-user", "x@riverbend.example", "--name", "X",
                                 "--password", "short"])
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_create_user_refuses_a_taken_email(runner, staff):
    db.session.commit()
    result = runner.invoke(args=["create-user", "sam@riverbend.example", "--name", "Sam",
                                 "--password", "a long enough password"])
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["create-user", "y@riverbend.example", "--name", "Y",
                                 "--role", "superuser", "--password", "a long enough password"])
    assert result.exit_code != 0
