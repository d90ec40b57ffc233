"""Screens for plans: the list, one plan, its two parts, its moves and its success indicators.

Members of a plan's action group read the plan and write its community part and, while it is a
draft, its indicators; any other plan answers 403. The internal part and status moves are for
staff, who record a move after the group has decided at a meeting.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.accounts.services import branch_choices
from app.community.services import focus_community_choices
from app.extensions import db
from app.plans import bp
from app.plans.membership import require_group
from app.plans.models import ActionGroup, Indicator, Plan, PlanStateError
from app.plans.plan_forms import (
    IndicatorForm,
    MoveForm,
    PlanCommunityForm,
    PlanFilterForm,
    PlanInternalForm,
    PlanSetupForm,
)
from app.plans.planning import (
    CLOSED_MESSAGE,
    PlanChangeRefused,
    PlanFilters,
    decision_choices,
    group_choices,
    history_for,
    indicator_groups,
    indicator_refusal,
    move_plan,
    next_moves,
    plans_for,
    priority_choices,
    question_choices,
    remove_indicator,
    save_indicator,
    save_plan_part,
    start_plan,
    theme_choices,
)


def get_plan_or_404(plan_id: int) -> Plan:
    """Return the plan: 404 if there is none, 403 if it is another group's."""
    plan = db.get_or_404(Plan, plan_id)
    require_group(current_user, plan.action_group_id)
    return plan


def get_indicator_or_404(indicator_id: int) -> Indicator:
    """Return the indicator: 404 if there is none, 403 if it is another group's."""
    indicator = db.get_or_404(Indicator, indicator_id)
    require_group(current_user, indicator.plan.action_group_id)
    return indicator


def _use_setup_choices(form: PlanSetupForm) -> None:
    form.focus_community_id.choices = focus_community_choices(blank="No focus community")
    form.action_group_id.choices = group_choices(blank="No action group (staff only)")
    form.branch_id.choices = branch_choices(include_blank="No branch")


@bp.route("/plans/")
@allow(Access.MEMBER)
def index():
    form = PlanFilterForm(request.args)
    form.focus_community_id.choices = focus_community_choices(blank="Any focus community")
    form.action_group_id.choices = group_choices(blank="Any action group")
    filters = PlanFilters()
    if current_user.is_staff and form.validate():
        filters = PlanFilters(**form.data)
    return render_template("plans/index.html", plans=plans_for(current_user, filters),
                           form=form, is_filtered=filters != PlanFilters())


@bp.route("/plans/new", methods=["GET", "POST"])
@allow(Access.STAFF)
def new_plan():
    group = db.session.get(ActionGroup, request.args.get("action_group_id", 0, int))
    prefill = {"action_group_id": group.id,
               "focus_community_id": group.focus_community_id or 0} if group else {}
    form = PlanSetupForm(data=prefill)
    _use_setup_choices(form)
    if form.validate_on_submit():
        plan = start_plan(form.values(), by=current_user)
        db.session.commit()
        flash("Started the plan. Write its goal in the community's words next.", "success")
        return redirect(url_for(".plan", plan_id=plan.id))
    return render_template("plans/new_plan.html", form=form)


@bp.route("/plans/<int:plan_id>")
@allow(Access.MEMBER)
def plan(plan_id: int):
    plan = get_plan_or_404(plan_id)
    move_form = MoveForm()
    move_form.decision_id.choices = decision_choices(
        plan, group_only=not current_user.is_staff)
    return render_template(
        "plans/plan.html", plan=plan, indicator_groups=indicator_groups(plan),
        moves=next_moves(plan, has_decisions=bool(move_form.decision_id.choices)),
        history=history_for(plan, current_user), move_form=move_form,
        indicator_refusal=indicator_refusal(plan, current_user))


@bp.route("/plans/<int:plan_id>/community", methods=["GET", "POST"])
@allow(Access.MEMBER)
def edit_community(plan_id: int):
    plan = get_plan_or_404(plan_id)
    if plan.is_closed:
        return _refused(plan, CLOSED_MESSAGE)
    form = PlanCommunityForm(obj=plan, data=_chosen_ids(plan))
    if current_user.is_staff:
        _use_setup_choices(form)
    else:
        form.without_setup()
    form.theme_ids.choices = theme_choices(plan)
    form.priority_ids.choices = priority_choices(plan)
    if form.validate_on_submit():
        return _save_part(plan, form, "community")
    return render_template("plans/edit_plan_community.html", plan=plan, form=form)


@bp.route("/plans/<int:plan_id>/internal", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_internal(plan_id: int):
    plan = get_plan_or_404(plan_id)
    if plan.is_closed:
        return _refused(plan, CLOSED_MESSAGE)
    form = PlanInternalForm(obj=plan)
    if form.validate_on_submit():
        return _save_part(plan, form, "internal")
    return render_template("plans/edit_plan_internal.html", plan=plan, form=form)


def _chosen_ids(plan: Plan) -> dict[str, list[int]]:
    return {"theme_ids": [theme.id for theme in plan.themes],
            "priority_ids": [priority.id for priority in plan.priorities]}


def _save_part(plan: Plan, form, part: str):
    try:
        summary = save_plan_part(plan, form.values(), by=current_user, part=part)
    except PlanChangeRefused as refused:
        return _refused(plan, str(refused))
    db.session.commit()
    flash(f"{summary}." if summary else "Nothing had changed, so nothing was saved.",
          "success" if summary else "info")
    return redirect(url_for(".plan", plan_id=plan.id))


def _refused(plan: Plan, message: str):
    flash(message, "error")
    return redirect(url_for(".plan", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>/move", methods=["POST"])
@allow(Access.STAFF)
def move(plan_id: int):
    plan = get_plan_or_404(plan_id)
    form = MoveForm()
    target = form.target_status()
    if not form.validate_on_submit() or target is None:
        return _refused(plan, "Choose one of the moves offered on the plan.")
    try:
        move_plan(plan, target, by=current_user, decision_id=form.decision_id.data)
    except PlanStateError as refused:
        return _refused(plan, str(refused))
    db.session.commit()
    flash(f"The plan is now {plan.status_label.lower()}.", "success")
    return redirect(url_for(".plan", plan_id=plan.id, _anchor="status-heading"))


@bp.route("/plans/<int:plan_id>/indicators/new", methods=["GET", "POST"])
@allow(Access.MEMBER)
def new_indicator(plan_id: int):
    return _indicator_screen(get_plan_or_404(plan_id), None)


@bp.route("/plans/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@allow(Access.MEMBER)
def edit_indicator(indicator_id: int):
    indicator = get_indicator_or_404(indicator_id)
    return _indicator_screen(indicator.plan, indicator)


def _indicator_screen(plan: Plan, indicator: Indicator | None):
    refusal = indicator_refusal(plan, current_user)
    if refusal:
        return _refused(plan, refusal)
    every_form = request.args.get("every_form") == "1"
    data = {} if indicator is None else {
        "agreed_at_id": indicator.agreed_at_id or 0,
        "question_ids": [question.id for question in indicator.questions]}
    form = IndicatorForm(obj=indicator, data=data)
    decisions = decision_choices(plan, group_only=not current_user.is_staff)
    form.agreed_at_id.choices = {"Not yet": [(0, "Not agreed at a meeting yet")], **decisions}
    form.question_ids.choices = question_choices(
        plan, every_form=every_form, chosen=indicator.questions if indicator else ())
    if form.validate_on_submit():
        try:
            save_indicator(plan, indicator, form.values(), by=current_user)
        except (PlanChangeRefused, PlanStateError) as refused:
            form.statement.errors.append(str(refused))
        else:
            db.session.commit()
            flash("Saved the indicator.", "success")
            return redirect(url_for(".plan", plan_id=plan.id, _anchor="indicators-heading"))
    return render_template("plans/edit_indicator.html", plan=plan, indicator=indicator,
                           form=form, every_form=every_form)


@bp.route("/plans/indicators/<int:indicator_id>/delete", methods=["POST"])
@allow(Access.MEMBER)
def delete_indicator(indicator_id: int):
    indicator = get_indicator_or_404(indicator_id)
    plan = indicator.plan
    try:
        remove_indicator(indicator, by=current_user)
    except (PlanChangeRefused, PlanStateError) as refused:
        return _refused(plan, str(refused))
    db.session.commit()
    flash("Removed the indicator.", "success")
    return redirect(url_for(".plan", plan_id=plan.id, _anchor="indicators-heading"))

