"""People who log in, and the library's branches they work from."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.records import Choice, Timestamped, choice_column, utcnow

MIN_PASSWORD_LENGTH = 12


class Role(Choice):
    ADMIN = "admin", "Administrator"
    STAFF = "staff", "Staff"
    MEMBER = "member", "Community member"


class BranchKind(Choice):
    MAIN = "main_library", "Main library"
    BRANCH = "branch", "Branch"
    BOOKMOBILE = "bookmobile", "Bookmobile"
    OTHER = "other", "Other service point"


class Branch(Timestamped, db.Model):
    __tablename__ = "branches"
    __table_args__ = (BranchKind.check("kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[str] = choice_column(BranchKind, default=BranchKind.BRANCH)
    #: Where the branch serves and who lives there, in the library's words.
    catchment: Mapped[str] = mapped_column(sa.Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def kind_label(self) -> str:
        return BranchKind(self.kind).label

    def __repr__(self) -> str:
        return f"<Branch {self.name!r}>"


class User(UserMixin, Timestamped, db.Model):
    __tablename__ = "users"
    __table_args__ = (Role.check("role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = choice_column(Role, default=Role.STAFF)
    #: The branch the person mostly works from; conversations default to it.
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"))
    disabled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    branch: Mapped[Branch | None] = relationship()

    @staticmethod
    def normalise_email(email: str) -> str:
        """Return the form of an email address that accounts are stored and found under."""
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of `password`."""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # read by Flask-Login
        return self.disabled_at is None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        """True for staff and admins: everyone who may see the library's own records."""
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def disable(self) -> None:
        """Stop this account from logging in; what they recorded stays attributed to them."""
        if self.disabled_at is None:
            self.disabled_at = utcnow()

    def enable(self) -> None:
        self.disabled_at = None

    def __repr__(self) -> str:
        return f"<User {self.email!r} {self.role}>"


class LoginSession(db.Model):
    """One login on one browser, kept on the server so that logging out really ends it.

    The browser holds a random token; only its SHA-256 is stored.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship()
