"""Placeholder until its routes are written."""

from app.themes import bp  # noqa: F401
