"""Forms for plans: starting one, its community and internal parts, moves and indicators."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import MultiCheckboxField
from app.plans.models import IndicatorKind, IndicatorLevel, PlanStatus


def strip(value: Any) -> Any:
    """Trim spaces around typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


def _long_text(label: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, [Length(max=5000)], filters=[strip], **kwargs)


class ValuesForm(FlaskForm):
    """A form whose field names match the keys its save service takes."""

    def values(self) -> dict[str, Any]:
        """Return the typed values of every field except the CSRF token."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class PlanSetupForm(ValuesForm):
    """What only staff set: the plan's title and whom it belongs to."""

    title = StringField("Title", [DataRequired(message="Give the plan a title."),
                                  Length(max=200)], filters=[strip])
    focus_community_id = SelectField("Focus community", coerce=int, default=0)
    action_group_id = SelectField(
        "Action group", coerce=int, default=0,
        description="Members of this group can read the plan and write its community part. "
                    "A plan without a group is seen by staff only.")
    branch_id = SelectField("Branch", coerce=int, default=0)

    def values(self) -> dict[str, Any]:
        values = super().values()
        for name in ("focus_community_id", "action_group_id", "branch_id"):
            if name in values:
                values[name] = values[name] or None
        return values


class PlanCommunityForm(PlanSetupForm):
    """The community part; members of the group see it without the setup fields."""

    goal = _long_text("The goal, in the community's words")
    why = _long_text("Why: what was heard that led here")
    summary = _long_text("What will happen", description="In plain words, for everyone.")
    starts_on = DateField("Starts on", validators=[Optional()])
    ends_on = DateField("Ends on", validators=[Optional()])
    theme_ids = MultiCheckboxField("Themes it answers", coerce=int)
    priority_ids = MultiCheckboxField("Priorities it answers", coerce=int)

    def without_setup(self) -> None:
        """Leave out the fields only staff may change."""
        for name in ("title", "focus_community_id", "action_group_id", "branch_id"):
            del self[name]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.starts_on.data and self.ends_on.data and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors.append("The end date cannot be before the start date.")
            valid = False
        return valid


class PlanInternalForm(ValuesForm):
    """The internal part: staff and admins only, never in a partners or public document."""

    staff_hours = StringField("Staff hours", [Length(max=200)], filters=[strip],
                              description="For example: 4 hours a week, two staff.")
    budget = _long_text("Budget")
    resources = _long_text("Resources", description="Rooms, materials, devices, partners' "
                                                    "contributions.")
    risks = _long_text("Risks", description="What could go wrong and what you will do.")


class MoveForm(FlaskForm):
    """One move of the plan's status; endorsement names the decision that made it."""

    target = HiddenField(validators=[DataRequired()])
    # The model decides whether the decision counts, so any id is accepted here.
    decision_id = SelectField("The decision that endorsed it", coerce=int,
                              validate_choice=False, validators=[Optional()])

    def target_status(self) -> PlanStatus | None:
        """Return the status asked for, or None when the form names no status."""
        try:
            return PlanStatus(self.target.data)
        except ValueError:
            return None


class IndicatorForm(ValuesForm):
    """A success indicator, in the community's words; create and edit share it."""

    statement = TextAreaField(
        "The indicator, in the community's words",
        [DataRequired(message="Write how the community will know it worked."),
         Length(max=2000)], filters=[strip],
        description="For example: “Kids in our group bring homework and leave with it done.”")
    kind = SelectField("Kind", choices=IndicatorKind.pairs())
    level = SelectField("Level", choices=IndicatorLevel.pairs(),
                        default=IndicatorLevel.SHORT_TERM.value,
                        description="An output counts what was done; an outcome is a change in "
                                    "people's lives.")
    how_measured = _long_text("How it is measured")
    collected_by = StringField("Who collects it", [Length(max=200)], filters=[strip])
    frequency = StringField("How often", [Length(max=120)], filters=[strip])
    baseline = StringField("Baseline: where things stand now", [Length(max=200)],
                           filters=[strip])
    target = StringField("Target (optional)", [Length(max=200)], filters=[strip])
    agreed_at_id = SelectField(
        "Agreed at", coerce=int, default=0,
        description="The decision, at a meeting that was held, where the community agreed it.")
    question_ids = MultiCheckboxField("Form questions that measure it", coerce=int)


class PlanFilterForm(FlaskForm):
    """The filters above the list of plans, sent as a GET query."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=[("", "Any status")] + PlanStatus.pairs(), default="")
    focus_community_id = SelectField("Focus community", coerce=int, default=0)
    action_group_id = SelectField("Action group", coerce=int, default=0)
