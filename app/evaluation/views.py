"""The evaluation of one plan on one page: its outcome forms, how each indicator is doing, its
stories of change and its evaluations. Each part's own screens live in their own modules.

Members of the plan's action group see this page for their plans; any other plan answers 403.
"""

from flask import render_template
from flask_login import current_user

from app.accounts.access import Access, allow
from app.evaluation import bp, evaluating, measuring, outcomes, stories
from app.plans.plan_views import get_plan_or_404


@bp.route("/plans/<int:plan_id>/evaluation")
@allow(Access.MEMBER)
def overview(plan_id: int):
    plan = get_plan_or_404(plan_id)
    return render_template(
        "evaluation/overview.html", plan=plan,
        outcomes=outcomes.overview(plan, current_user),
        measures=measuring.overview(plan, current_user),
        stories=stories.overview(plan, current_user),
        evaluations=evaluating.overview(plan, current_user))
