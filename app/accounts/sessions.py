"""Server-side login sessions: logout, disabling an account or a time-out ends them for real.

A copied session cookie is worth nothing once its login session has ended. Sessions end after
SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after login, whichever is first.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import LoginSession, User
from app.extensions import db
from app.records import as_utc, utcnow

#: How often the last-seen time is written, so that not every page view writes.
SEEN_GRANULARITY = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Open a login session for `user` and return the token the browser keeps."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_digest(token)))
    db.session.flush()
    return token


def _has_lapsed(login: LoginSession, now: datetime) -> bool:
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    longest = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    return (now - as_utc(login.last_seen_at) > idle) or (now - as_utc(login.started_at) > longest)


def resume_session(user_id: int, token: str | None) -> User | None:
    """Return the active user of a still-open login session, ending it if it has lapsed.

    Commits its own bookkeeping: it runs before any view, with nothing else pending.
    """
    if not token:
        return None
    login = db.session.scalar(sa.select(LoginSession).where(
        LoginSession.token_hash == _digest(token), LoginSession.user_id == user_id,
        LoginSession.ended_at.is_(None)))
    if login is None or not login.user.is_active:
        return None
    now = utcnow()
    user, mark = login.user, sa.update(LoginSession).where(LoginSession.id == login.id)
    if _has_lapsed(login, now):
        _write_now(mark.values(ended_at=now))
        return None
    if now - as_utc(login.last_seen_at) > SEEN_GRANULARITY:
        _write_now(mark.values(last_seen_at=now))
    return user


def _write_now(statement: sa.Update) -> None:
    """Run one bookkeeping UPDATE in a transaction of its own, and commit it.

    The read above is ended first: on SQLite a reading transaction that turns into a writing
    one fails at once when another request wrote meanwhile, where a fresh write waits its turn.
    """
    db.session.rollback()
    db.session.execute(statement)
    db.session.commit()


def end_session(token: str | None) -> None:
    """End the login session that `token` belongs to."""
    if token:
        db.session.execute(sa.update(LoginSession).where(
            LoginSession.token_hash == _digest(token), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow()))


def end_all_sessions(user: User) -> None:
    """End every open login session of `user`, on every browser."""
    db.session.execute(sa.update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow()))
