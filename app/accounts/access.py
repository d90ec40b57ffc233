"""Who may open which page: the one place where access is decided.

Every view declares its level with `@allow(...)`. A hook that runs before every request looks
the level up; a view that declares nothing is closed to everyone, so a forgotten declaration
fails safe and the URL-map test in tests/accounts/test_access.py names it.
"""

import time
from collections.abc import Callable
from enum import IntEnum
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user

from app.accounts.models import Role

F = TypeVar("F", bound=Callable)


class Access(IntEnum):
    PUBLIC = 0  #: anyone, logged in or not: login, public forms, health check
    MEMBER = 1  #: any logged-in person: community members, staff and admins
    STAFF = 2  #: staff and admins: the library's own records and personal details
    ADMIN = 3  #: admins only: accounts, branches, settings


#: What each role reaches, from the bottom up.
ROLE_REACH = {Role.MEMBER: Access.MEMBER, Role.STAFF: Access.STAFF, Role.ADMIN: Access.ADMIN}

#: Endpoints that Flask itself registers.
BUILT_IN = {"static": Access.PUBLIC}


def allow(level: Access) -> Callable[[F], F]:
    """Declare who may open a view."""

    def declare(view: F) -> F:
        view.access = level  # type: ignore[attr-defined]
        return view

    return declare


def access_for(app: Flask, endpoint: str) -> Access | None:
    """Return the declared level of an endpoint, or None when it declares nothing."""
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def may_reach(level: Access) -> bool:
    """Return whether the current person may open a page of `level`."""
    if level == Access.PUBLIC:
        return True
    if not current_user.is_authenticated:
        return False
    return ROLE_REACH.get(Role(current_user.role), Access.PUBLIC) >= level


def enforce_access():
    """Refuse the request unless the current person may open its endpoint."""
    if request.endpoint is None:  # no route matched; the 404 or 405 handler answers
        return None
    level = access_for(current_app, request.endpoint)
    if level == Access.PUBLIC:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if level is None or not may_reach(level):
        abort(403)
    if level == Access.ADMIN and not password_is_fresh():
        return _confirm_password_first()
    return None


#: Where the time the person last typed their password lives in the signed session.
CONFIRMED_AT_KEY = "password_confirmed_at"


def note_password_confirmed() -> None:
    """Record that the person has just typed their password (at login or on the confirm page)."""
    session[CONFIRMED_AT_KEY] = time.time()


def password_is_fresh() -> bool:
    """Whether the password was typed recently enough for admin actions.

    Opening an admin page needs a password typed within ADMIN_FRESH_MINUTES; sending one of its
    forms gets twice as long, so a form opened just in time is not lost.
    """
    minutes = current_app.config["ADMIN_FRESH_MINUTES"]
    if request.method == "POST":
        minutes *= 2
    confirmed = session.get(CONFIRMED_AT_KEY)
    return isinstance(confirmed, int | float) and time.time() - confirmed <= minutes * 60


def _confirm_password_first():
    if request.method == "POST":
        flash("For admin changes, type your password again first. Nothing was changed; send "
              "the form again afterwards.", "warning")
        referrer = urlsplit(request.referrer or "")
        back = (referrer.path + (f"?{referrer.query}" if referrer.query else "")
                if referrer.netloc == request.host else request.path)
        return redirect(url_for("accounts.confirm_password", next=back))
    return redirect(url_for("accounts.confirm_password", next=request.full_path.rstrip("?")))


def register_access_rules(app: Flask) -> None:
    app.before_request(enforce_access)
    app.jinja_env.globals.update(Access=Access, may_reach=may_reach)
