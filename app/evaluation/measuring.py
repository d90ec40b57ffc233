"""(Being written.)"""

from app.accounts.models import User
from app.plans.models import Plan


def overview(plan: Plan, user: User) -> dict:
    """Return what the plan's evaluation page shows of this part."""
    return {}
