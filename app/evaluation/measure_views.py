"""Screens for measuring an indicator: its values per period, hand entries, and (staff) how it
is measured.

Members of the plan's action group see an indicator's measurements and add, correct and
remove hand entries; staff also choose how the indicator is measured. Anything outside a
member's groups answers 403.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.evaluation import bp, measuring
from app.evaluation.measure_forms import (
    MeasureForm,
    MeasurementForm,
    RangeForm,
    measure_values,
    measurement_values,
)
from app.evaluation.models import Measurement
from app.extensions import db
from app.plans.membership import require_group
from app.plans.models import Indicator
from app.plans.plan_views import get_indicator_or_404
from app.records import library_today


def get_measurement_or_404(measurement_id: int) -> Measurement:
    """Return the hand entry: 404 if there is none, 403 if it is another group's."""
    measurement = db.get_or_404(Measurement, measurement_id)
    require_group(current_user, measurement.indicator.plan.action_group_id)
    return measurement


def _place_error(form, refused: measuring.MeasurementError) -> None:
    """Show a refusal next to its field, or at the top when it belongs to none."""
    if refused.field and refused.field in form:
        form[refused.field].errors = [*form[refused.field].errors, str(refused)]
    else:
        flash(str(refused), "error")


def _indicator_page(indicator: Indicator, form: MeasurementForm):
    dates = RangeForm(request.args, today=library_today(),
                      default=measuring.default_range(indicator.plan))
    start, end = dates.chosen()
    page = measuring.indicator_page(indicator, current_user, start, end)
    return render_template("evaluation/indicator_measurements.html", indicator=indicator,
                           plan=indicator.plan, form=form, dates=dates, **page)


@bp.route("/indicators/<int:indicator_id>/measurements", methods=["GET", "POST"])
@allow(Access.MEMBER)
def indicator_measurements(indicator_id: int):
    """The indicator's values per period and its hand entries; a POST adds an entry."""
    indicator = get_indicator_or_404(indicator_id)
    form = MeasurementForm(today=library_today())
    if form.validate_on_submit():
        try:
            measuring.add_measurement(indicator, form.details(), by=current_user,
                                      today=library_today())
        except measuring.MeasurementError as refused:
            _place_error(form, refused)
        else:
            db.session.commit()
            flash("Added the value.", "success")
            return redirect(url_for(".indicator_measurements", indicator_id=indicator.id))
    return _indicator_page(indicator, form)


@bp.route("/measurements/<int:measurement_id>/edit", methods=["GET", "POST"])
@allow(Access.MEMBER)
def edit_measurement(measurement_id: int):
    measurement = get_measurement_or_404(measurement_id)
    form = MeasurementForm(data=measurement_values(measurement), today=library_today())
    if form.validate_on_submit():
        try:
            measuring.update_measurement(measurement, form.details(), today=library_today())
        except measuring.MeasurementError as refused:
            _place_error(form, refused)
        else:
            db.session.commit()
            flash("Saved the value.", "success")
            return redirect(url_for(".indicator_measurements",
                                    indicator_id=measurement.indicator_id))
    return render_template("evaluation/measurement_form.html", form=form,
                           measurement=measurement, indicator=measurement.indicator,
                           label=measuring.span_label(measurement.period_start,
                                                      measurement.period_end))


@bp.route("/measurements/<int:measurement_id>/remove", methods=["POST"])
@allow(Access.MEMBER)
def remove_measurement(measurement_id: int):
    measurement = get_measurement_or_404(measurement_id)
    indicator_id = measurement.indicator_id
    try:
        measuring.remove_measurement(measurement)
    except measuring.MeasurementError as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash("Removed the value.", "success")
    return redirect(url_for(".indicator_measurements", indicator_id=indicator_id))


@bp.route("/indicators/<int:indicator_id>/measure", methods=["GET", "POST"])
@allow(Access.STAFF)
def indicator_measure(indicator_id: int):
    """Choose how the indicator is measured."""
    indicator = get_indicator_or_404(indicator_id)
    questions = measuring.measurable_questions(indicator)
    form = MeasureForm(data=measure_values(measuring.measure_for(indicator)),
                       questions=questions)
    if form.validate_on_submit():
        try:
            measuring.set_measure(indicator, form.details())
        except measuring.MeasurementError as refused:
            _place_error(form, refused)
        else:
            db.session.commit()
            flash("Saved how the indicator is measured.", "success")
            return redirect(url_for(".indicator_measurements", indicator_id=indicator.id))
    return render_template("evaluation/indicator_measure.html", form=form,
                           indicator=indicator, plan=indicator.plan, questions=questions,
                           how=measuring.describe_measure(indicator))
