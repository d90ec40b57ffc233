"""The outreach log: conversations, quotes and the follow-ups staff promised."""

from flask import Blueprint

bp = Blueprint("conversations", __name__, url_prefix="/conversations")

from app.conversations import views  # noqa: E402,F401
