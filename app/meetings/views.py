"""Placeholder until its routes are written."""

from app.meetings import bp  # noqa: F401
