"""Forms for measuring an indicator: a value entered by hand, and how the indicator is measured."""

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.evaluation.measuring import (
    CHOICE_KINDS,
    NO_VALUE,
    SESSION_OUTPUTS,
    MeasureDetails,
    MeasurementDetails,
    check_dates,
    format_day,
    question_label,
)
from app.evaluation.models import IndicatorMeasure, Measurement, MeasureMethod, MeasurePeriod
from app.forms import MultiCheckboxField
from app.surveys.models import Question

#: The largest number a hand entry takes; more is surely a typing slip.
MAX_VALUE = 1_000_000_000
PERIOD_CHOICES = [(MeasurePeriod.MONTH.value, "Each month"),
                  (MeasurePeriod.QUARTER.value, "Each quarter (Q1 is January to March)"),
                  (MeasurePeriod.YEAR.value, "Each year")]


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class NumberField(FloatField):
    """A number such as 42 or 3.5, with a message in plain words when it is not one."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip().replace(",", "")
        try:
            self.data = float(text.rstrip("%"))
        except ValueError:
            self.data = None
            raise ValueError("Write a number such as 42 or 3.5, without words.") from None


class MeasurementForm(FlaskForm):
    """One value of an indicator, for a day or a period, with where it came from."""

    period_start = DateField("From", validators=[DataRequired(
        message="Give the day the value is for, or the first day of its period.")])
    period_end = DateField("To (for a period)", validators=[Optional()])
    value = NumberField("Number", validators=[Optional(), NumberRange(
        min=-MAX_VALUE, max=MAX_VALUE, message="That number is too large; check it.")],
        description="A count or a percentage, e.g. 42 or 64.")
    value_text = StringField("Value in words", [Length(max=300)], filters=[strip],
                             description="For observations and milestones, e.g. “Done: "
                                         "cards without a lease”.")
    source = StringField("Where it came from", [Length(max=200)], filters=[strip],
                         description="E.g. sign-in sheets, the group's check-in calls.")
    note = TextAreaField("Note", [Length(max=5000)], filters=[strip],
                         description="Anything that helps read the value. Leave out names and "
                                     "contact details.")

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        end = self.period_end.data or self.period_start.data
        for name, problem in check_dates(self.period_start.data, end, self.today).items():
            self[name].errors = [*self[name].errors, problem]
            valid = False
        if self.value.data is None and not self.value.errors and not self.value_text.data:
            self.value.errors = [*self.value.errors, NO_VALUE]
            valid = False
        return valid

    def details(self) -> MeasurementDetails:
        start = self.period_start.data
        return MeasurementDetails(
            period_start=start, period_end=self.period_end.data or start,
            value=self.value.data, value_text=self.value_text.data or "",
            source=self.source.data or "", note=self.note.data or "")


NOT_A_DAY = "Give a date as year-month-day, like 2026-03-31."


class RangeForm(FlaskForm):
    """The days the indicator page shows values for; a GET form, so it changes nothing.
    A date left empty is the plan's own."""

    class Meta:
        csrf = False

    start = DateField("From", validators=[Optional()], invalid_value_message=NOT_A_DAY)
    end = DateField("To", validators=[Optional()], invalid_value_message=NOT_A_DAY)

    def __init__(self, *args: Any, today: date, default: tuple[date, date],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today, self.default = today, default

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.start.data or self.default[0], self.end.data or self.default[1]
        problems = check_dates(start, end, self.today)
        wrong_days = {**check_dates(start, None, self.today), **check_dates(None, end, self.today)}
        if end < start and not wrong_days and self.end.data is None:
            # Only "From" given, and after the plan's end.
            problems = {"period_start": f"That is after {format_day(end)}, where the page "
                                        "ends. Give a “To” date too."}
        elif end < start and not wrong_days and self.start.data is None:
            problems = {"period_end": f"That is before {format_day(start)}, where the page "
                                      "begins. Give a “From” date too."}
        for name, problem in problems.items():
            field = self.start if name == "period_start" else self.end
            if not field.errors:
                field.errors = [*field.errors, problem]
            valid = False
        return valid

    def chosen(self) -> tuple[date, date]:
        """Return the days asked for, or the plan's when none were, or not well."""
        if not (self.start.raw_data or self.end.raw_data) or not self.validate():
            return self.default
        return self.start.data or self.default[0], self.end.data or self.default[1]


def measurement_values(measurement: Measurement) -> dict[str, Any]:
    """The form's starting values for a hand entry; a single day leaves "To" empty."""
    values = {name: getattr(measurement, name) for name in (
        "period_start", "period_end", "value", "value_text", "source", "note")}
    if measurement.period_end == measurement.period_start:
        values["period_end"] = None
    return values


class MeasureForm(FlaskForm):
    """How an indicator is measured: by hand, from form answers, or from session outputs."""

    method = RadioField("How is it measured?", choices=[
        (MeasureMethod.HAND.value, "By hand: staff and group members enter each value"),
        (MeasureMethod.FORM_SHARE.value, "From form answers: the share who gave an answer "
                                         "that counts"),
        (MeasureMethod.SESSION_SUM.value, "From the plan's sessions: a sum of what was "
                                          "counted")], default=MeasureMethod.HAND.value)
    question_id = SelectField("Question", coerce=int, validate_choice=False, default=0,
                              description="The indicator's own questions and those of the "
                                          "plan's outcome forms.")
    counted_option_ids = MultiCheckboxField(
        "Answers that count", coerce=int, validate_choice=False,
        description="For a choice question: tick the answers that count, e.g. Agree and "
                    "Strongly agree. Tick answers of the chosen question only.")
    min_score = IntegerField("Lowest score that counts", validators=[Optional(), NumberRange(
        min=1, max=5, message="Give a score from 1 to 5.")],
        description="For a rating question (1 to 5), e.g. 4 counts scores of 4 and 5. "
                    "A yes or no question counts the share who said yes.")
    session_output = SelectField("What to add up", choices=[
        ("", "Choose…"), *SESSION_OUTPUTS.items()], default="", validate_choice=False)
    period = RadioField("Per", choices=PERIOD_CHOICES, default=MeasurePeriod.MONTH.value)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_id.choices = [(0, "Choose a question…")] + [
            (question.id, f"{question_label(question)}: {question.kind_label.lower()}")
            for question in questions]
        #: The choice questions with their options' ids, to show the options question by question.
        self.option_groups = [(question, {option.id for option in question.options})
                              for question in questions if question.kind in CHOICE_KINDS]
        self.counted_option_ids.choices = [
            (option.id, option.text()) for question, _ in self.option_groups
            for option in question.options]

    def details(self) -> MeasureDetails:
        return MeasureDetails(
            method=self.method.data, question_id=self.question_id.data or None,
            counted_option_ids=tuple(self.counted_option_ids.data or ()),
            min_score=self.min_score.data, session_output=self.session_output.data or "",
            period=self.period.data)


def measure_values(measure: IndicatorMeasure | None) -> dict[str, Any]:
    if measure is None:
        return {}
    return {"method": measure.method, "question_id": measure.question_id or 0,
            "counted_option_ids": list(measure.counted_option_ids or []),
            "min_score": measure.min_score, "session_output": measure.session_output,
            "period": measure.period}
