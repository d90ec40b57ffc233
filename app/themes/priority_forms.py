"""Forms for priorities and dot votes: one form per screen, labels on every field."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from app.forms import MultiCheckboxField
from app.themes.models import DotVote, Priority
from app.themes.priorities import PriorityDraft

MAX_DOTS_ENTERED = 9999


def strip(value: Any) -> Any:
    """Trim spaces around typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """A number field whose message for letters or decimals says what to write instead."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError("Write a whole number, such as 12.") from None

    def pre_validate(self, form: Form) -> None:
        # One message is enough: a range check on what was not a number would only repeat it.
        if self.process_errors:
            raise StopValidation()


class PriorityForm(FlaskForm):
    """Write or edit a priority; the same form serves both."""

    title = StringField("The priority, in the community's words", filters=[strip],
                        validators=[DataRequired(message="Write the priority."),
                                    Length(max=300)],
                        description="For example: Saturday homework and language mornings.")
    theme_id = SelectField("Drawn from the theme", coerce=int, default=0)
    focus_community_id = SelectField(
        "Focus community", coerce=int, default=0,
        description="Left at None, a priority takes its theme's focus community.")
    rationale = TextAreaField(
        "Why it matters, in plain words", [Length(max=5000)], filters=[strip],
        description="What was heard that led here. It is printed on the dot-vote sheet, so "
                    "leave out names.")
    rank = WholeNumberField("Rank", validators=[
        Optional(), NumberRange(min=1, max=999, message="Write a rank from 1 to 999.")],
        description="1 is the most important. Leave empty until the community has ranked it.")

    def draft(self) -> PriorityDraft:
        """Return what was typed as the save service takes it."""
        return PriorityDraft(title=self.title.data, theme_id=self.theme_id.data or None,
                             focus_community_id=self.focus_community_id.data or None,
                             rationale=self.rationale.data or "", rank=self.rank.data)


def priority_values(priority: Priority) -> dict[str, Any]:
    """Return the form's starting values for `priority`."""
    # A new priority has its theme and focus community, but no ids until it is saved.
    theme, community = priority.theme, priority.focus_community
    return {"title": priority.title, "theme_id": theme.id if theme else 0,
            "focus_community_id": community.id if community else 0,
            "rationale": priority.rationale, "rank": priority.rank}


class EndorseForm(FlaskForm):
    """Link a priority to the decision that makes it the community's."""

    # Any id is accepted here: the model decides whether the decision may endorse.
    decision_id = SelectField("The decision that endorsed it", coerce=int,
                              validate_choice=False)


class ReturnToDraftForm(FlaskForm):
    """Undo an endorsement, once the person has said they mean it."""

    confirm = BooleanField(
        "Yes, make this a staff draft again. The decision stays on the meeting's record.",
        validators=[DataRequired(message="Tick the box to confirm, or leave the priority as "
                                         "it is.")])


class CandidateRowForm(Form):
    """One priority that may stand in a dot vote."""

    priority_id = IntegerField(widget=HiddenInput())
    include = BooleanField("Put on the sheet")
    position = WholeNumberField("Place on the sheet", validators=[
        Optional(), NumberRange(min=1, max=99, message="Write a place from 1 to 99.")])


class CandidatesForm(FlaskForm):
    """Choose a meeting's candidate priorities and their order on the sheet."""

    rows = FieldList(FormField(CandidateRowForm))

    def chosen_ids(self) -> list[int]:
        """Return the ticked priorities, by the place typed, then in the listed order."""
        ticked = [(row.form.position.data or 100, index, row.form.priority_id.data)
                  for index, row in enumerate(self.rows) if row.form.include.data]
        return [priority_id for _, _, priority_id in sorted(ticked)]


def candidate_rows(priorities: list[Priority], votes: list[DotVote]) -> dict[str, Any]:
    """Return starting values: current candidates ticked in their order, the rest after."""
    places = {vote.priority_id: vote.position for vote in votes}
    ordered = sorted(priorities, key=lambda priority: (priority.id not in places,
                                                       places.get(priority.id, 0)))
    return {"rows": [{"priority_id": priority.id, "include": priority.id in places,
                      "position": places.get(priority.id)} for priority in ordered]}


class VotesForm(FlaskForm):
    """The dots counted for each candidate; built per meeting by `build_votes_form`."""

    def dots(self) -> dict[int, int]:
        """Return the dots typed, keyed by priority id."""
        return {int(name.removeprefix("dots_")): field.data for name, field in self._fields.items()
                if name.startswith("dots_")}


def build_votes_form(votes: list[DotVote]) -> type[VotesForm]:
    """Return a form class with one whole-number field per candidate, named dots_<priority id>."""
    fields = {
        f"dots_{vote.priority_id}": WholeNumberField(vote.priority.title, validators=[
            InputRequired(message="Write the number of dots, 0 if it got none."),
            NumberRange(min=0, max=MAX_DOTS_ENTERED,
                        message="Write a whole number from 0 to 9,999.")])
        for vote in votes}
    return type("MeetingVotesForm", (VotesForm,), fields)


class DecideForm(FlaskForm):
    """Record the decision from a dot vote: which candidates the meeting chose, and who decided."""

    chosen = MultiCheckboxField("Which priorities did the meeting choose?", coerce=int,
                                validate_choice=False)
    decided_by = StringField("Who decided", filters=[strip], validators=[
        DataRequired(message="Say who decided, for example everyone at the meeting."),
        Length(max=300)])
    voters = WholeNumberField("How many people voted", validators=[
        Optional(), NumberRange(min=1, max=10000, message="Write a number from 1 to 10,000.")])

    def validate_chosen(self, field: MultiCheckboxField) -> None:
        if not field.data:
            raise ValidationError("Tick at least one of the candidates the meeting chose.")
