"""Use cases for accounts. Services flush, never commit; the caller owns the transaction."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import Branch, Role, User
from app.accounts.sessions import end_all_sessions
from app.extensions import db
from app.records import utcnow

# Checked against when no account matches, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


class EmailTaken(Exception):
    """Another account already uses this email address."""


class BranchNameTaken(Exception):
    """Another branch already has this name."""


def authenticate(email: str, password: str) -> User | None:
    """Return the active account for these credentials, or None without saying why."""
    user = db.session.scalar(sa.select(User).filter_by(email=User.normalise_email(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def safe_next_url(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:  # browsers read "/\evil.example" as another host
        return None
    return target


def save_user(user: User, *, name: str, email: str, role: str, branch_id: int | None,
              password: str | None, is_disabled: bool = False) -> User:
    """Create or update an account."""
    email = User.normalise_email(email)
    clash = db.session.scalar(sa.select(User.id).where(User.email == email, User.id != user.id)
                              if user.id else sa.select(User.id).where(User.email == email))
    if clash:
        raise EmailTaken(email)
    user.name, user.email, user.role = name.strip(), email, Role(role).value
    user.branch_id = branch_id or None
    if password:
        user.set_password(password)
    if is_disabled:
        user.disable()
    else:
        user.enable()
    db.session.add(user)
    db.session.flush()
    if password or is_disabled:
        end_all_sessions(user)  # a new password or a disabled account logs out every browser
    return user


def create_user(*, email: str, name: str, role: str, password: str,
                branch_id: int | None = None) -> User:
    """Create an account with a password."""
    return save_user(User(), name=name, email=email, role=role, branch_id=branch_id,
                     password=password)


def save_branch(branch: Branch, *, name: str, kind: str, catchment: str,
                is_active: bool) -> Branch:
    """Create or update a branch."""
    name = name.strip()
    query = sa.select(Branch.id).where(sa.func.lower(Branch.name) == name.lower())
    if branch.id:
        query = query.where(Branch.id != branch.id)
    if db.session.scalar(query):
        raise BranchNameTaken(name)
    branch.name, branch.kind, branch.catchment, branch.is_active = name, kind, catchment, is_active
    db.session.add(branch)
    db.session.flush()
    return branch


def branch_choices(*, include_blank: str | None = "No branch") -> list[tuple[int, str]]:
    """Return (id, name) pairs of open branches for a select field."""
    branches = db.session.scalars(
        sa.select(Branch).where(Branch.is_active).order_by(Branch.name)).all()
    pairs = [(branch.id, branch.name) for branch in branches]
    return ([(0, include_blank)] if include_blank else []) + pairs
