"""(Being written.)"""

from app.privacy import bp  # noqa: F401
