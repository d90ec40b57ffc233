"""Inviting a member of an action group to log in. Services flush, never commit.

Staff make a one-time link for a membership without a login; the person opens it, chooses a
password, and gets a login with the `member` role, linked to their place on the group. Only a
SHA-256 of the link's token is stored, and the link works once, for 14 days.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.accounts.services import EmailTaken, create_user
from app.extensions import db
from app.plans.models import Invitation, Membership
from app.records import utcnow

INVITATION_LIFETIME = timedelta(days=14)


class InvitationRefused(Exception):
    """This membership cannot be invited to log in: the message says why in plain words."""


class EmailHasAccount(Exception):
    """An account with this email address exists already."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _has_account(email: str) -> bool:
    return db.session.scalar(sa.select(User.id).where(User.email == email)) is not None


def why_not_invitable(membership: Membership) -> str | None:
    """Return why `membership` cannot be invited to log in, or None when it can."""
    if membership.is_staff_liaison:
        return "Staff liaisons log in with their own staff account."
    if not membership.is_current:
        return f"{membership.display_name} has left the group."
    if membership.user_id is not None:
        return f"{membership.display_name} already has a login."
    return None


def invite(membership: Membership, *, email: str, by: User) -> str:
    """Make an invitation for `membership` and return its token; older links stop working.

    Raises InvitationRefused if the membership cannot be invited, EmailHasAccount if the email
    already belongs to an account (staff link that account on the membership instead).
    """
    reason = why_not_invitable(membership)
    if reason:
        raise InvitationRefused(reason)
    email = User.normalise_email(email)
    if _has_account(email):
        raise EmailHasAccount(email)
    now = utcnow()
    for earlier in membership.invitations:
        earlier.withdraw(now)
    token = secrets.token_urlsafe(32)
    membership.invitations.append(Invitation(
        email=email, token_hash=_digest(token), created_by=by,
        expires_at=now + INVITATION_LIFETIME))
    db.session.flush()
    return token


def usable_invitation(token: str) -> Invitation | None:
    """Return the invitation this token opens, if it still works."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == _digest(token)))
    if invitation is None or not invitation.is_usable(utcnow()):
        return None
    return invitation


def accept_invitation(invitation: Invitation, *, name: str, password: str) -> User:
    """Create the member's login from the invitation, link it to their membership, use it up."""
    if _has_account(invitation.email):
        raise EmailHasAccount(invitation.email)
    try:
        user = create_user(email=invitation.email, name=name, role=Role.MEMBER,
                           password=password)
    except EmailTaken as taken:  # made between the check above and now
        raise EmailHasAccount(invitation.email) from taken
    invitation.membership.user = user
    invitation.mark_used(utcnow())
    db.session.flush()
    return user
