"""Which action groups a person belongs to: the rule behind every page a member may open.

Staff and admins see every group. A member sees only the groups they currently belong to,
and through them those groups' plans, meetings, action items and stories; any other group's
records answer 403 ("not open to you"), and records of no group are for staff only.
"""

import sqlalchemy as sa
from flask import abort

from app.accounts.models import User
from app.extensions import db
from app.plans.models import Membership


def group_ids_for(user: User) -> set[int] | None:
    """Return the ids of the groups `user` may see, or None when they may see every group."""
    if user.is_staff:
        return None
    rows = db.session.scalars(
        sa.select(Membership.action_group_id).where(
            Membership.user_id == user.id, Membership.left_on.is_(None)))
    return set(rows)


def may_see_group(user: User, action_group_id: int | None) -> bool:
    """Return whether `user` may see records of the group; records of no group are staff-only."""
    allowed = group_ids_for(user)
    if allowed is None:
        return True
    return action_group_id is not None and action_group_id in allowed


def require_group(user: User, action_group_id: int | None) -> None:
    """Answer 403 unless `user` may see records of the group."""
    if not may_see_group(user, action_group_id):
        abort(403)


def visible_to(user: User, column: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """Return a WHERE clause keeping rows whose action group `column` the user may see."""
    allowed = group_ids_for(user)
    if allowed is None:
        return sa.true()
    return column.in_(allowed) if allowed else sa.false()
