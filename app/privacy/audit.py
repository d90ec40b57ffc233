"""The audit log: who looked at, exported, changed or removed personal details, and when.

Events name the record touched ("contact 12"), never the personal details themselves, and keep
no IP address. `record()` flushes; the view or command that calls it commits.
"""

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user

from app.extensions import db
from app.privacy.models import AuditAction, AuditEvent

#: The actor name of events recorded outside a web request, by a `flask ...` command.
COMMAND_LINE = "Command line"
#: Events shown on one page of the audit log.
EVENTS_PER_PAGE = 50


def record(action: AuditAction | str, subject: str, detail: str = "") -> AuditEvent:
    """Add an audit event by the current person (or the command line) and flush it."""
    actor = current_user if has_request_context() and current_user.is_authenticated else None
    event = AuditEvent(action=AuditAction(action).value, subject=subject[:120],
                       detail=detail[:500], actor_id=actor.id if actor else None,
                       actor_name=actor.name if actor else COMMAND_LINE)
    db.session.add(event)
    db.session.flush()
    return event


def events_query(action: str = "") -> sa.Select:
    """Return the audit events, newest first, optionally of one action only."""
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    return query


def forget_actor_name(user_id: int, replacement: str) -> int:
    """Replace the kept name of an actor in their past events; return how many changed."""
    result = db.session.execute(
        sa.update(AuditEvent).where(AuditEvent.actor_id == user_id)
        .values(actor_name=replacement))
    return result.rowcount


def account_change_detail(user, *, is_new: bool, password_set: bool) -> str:
    """Return what an admin did to an account, in words, without its personal details."""
    parts = ["created" if is_new else "edited", f"role {user.role}"]
    if password_set:
        parts.append("password set")
    if user.disabled_at is not None:
        parts.append("disabled")
    return ", ".join(parts)
