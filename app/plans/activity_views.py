"""Placeholder until its routes are written."""

from app.plans import bp  # noqa: F401
