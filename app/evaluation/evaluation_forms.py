"""Forms for evaluations: the evaluation itself, the stories it features, and its sign-off."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import MultiCheckboxField
from app.plans.plan_forms import ValuesForm, strip

#: The fields only staff set: what is evaluated and over which period.
SETUP_FIELDS = ("title", "period_start", "period_end")


def _long_text(label: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, [Length(max=5000)], filters=[strip], **kwargs)


class EvaluationForm(ValuesForm):
    """An evaluation of a plan over a period; create and edit share it."""

    title = StringField("Title", [DataRequired(message="Give the evaluation a title."),
                                  Length(max=200)], filters=[strip],
                        description="For example: “First six months of homework mornings”.")
    period_start = DateField("Period starts on",
                             [DataRequired(message="Enter the first day of the period.")])
    period_end = DateField("Period ends on",
                           [DataRequired(message="Enter the last day of the period.")])
    evaluators = StringField(
        "Who evaluated", [Length(max=300)], filters=[strip],
        description="Community members included, described as they wish: “three parents, the "
                    "settlement worker and the branch librarian”.")
    methods = _long_text("How we evaluated",
                         description="Sign-in sheets, forms, story circles, check-in calls…")
    lessons = _long_text("What we learned")
    keep = _long_text("What to keep")
    change = _long_text("What to change")
    stop = _long_text("What to stop")
    start = _long_text("What to start")
    recommendations = _long_text("Recommendations")
    policy_changes = _long_text(
        "Library policies that need to change",
        description="Barriers that only a change of library policy can remove.")
    what_changed = _long_text(
        "What changed, in plain words",
        description="For the “You said, we did” handout: short sentences anyone can read.")

    def without_setup(self) -> None:
        """Leave out the fields only staff may change."""
        for name in SETUP_FIELDS:
            del self[name]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start = self.period_start.data if "period_start" in self else None
        end = self.period_end.data if "period_end" in self else None
        if start and end and end < start:
            self.period_end.errors.append("The end of the period cannot be before its start.")
            valid = False
        return valid


class StoriesForm(FlaskForm):
    """Which of the plan's stories the evaluation features."""

    story_ids = MultiCheckboxField("Stories this evaluation features", coerce=int,
                                   validators=[Optional()])


class SignOffForm(FlaskForm):
    """The decision, at a meeting that was held, that signed the evaluation off."""

    # The model decides whether the decision counts, so any id is accepted here.
    decision_id = SelectField("The decision that signed it off", coerce=int,
                              validate_choice=False, validators=[Optional()])
