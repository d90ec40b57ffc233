"""The Riverbend Public Library: an invented library system for demonstrations."""

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db

DEMO_LOGINS = [
    ("admin@riverbend.example", "riverbend-admin-demo", "admin"),
    ("amira@riverbend.example", "riverbend-staff-demo", "staff"),
    ("member@riverbend.example", "riverbend-member-demo", "member"),
]


def has_data() -> bool:
    """Return whether any account exists, i.e. the database is in use."""
    return db.session.scalar(sa.select(sa.func.count(User.id))) > 0


def seed_demo() -> None:
    """Add the demo library. The caller commits."""
    raise NotImplementedError
