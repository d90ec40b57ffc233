"""Forms for a plan's activities and their sessions; the session form is made for a phone."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import MultiCheckboxField
from app.plans.activities import ActivityDetails, SessionDetails
from app.plans.models import Activity, ActivityKind, ActivitySession, ActivityStatus

#: The largest count a session can record; more is surely a typing slip.
MAX_COUNT = 100_000


def strip(value: Any) -> Any:
    """Trim spaces around typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """A count of 0 or more, with a message in plain words when it is not a whole number."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [Optional(), NumberRange(
            min=0, max=MAX_COUNT, message="Write a whole number: 0 or more.")])
        kwargs.setdefault("render_kw", {"min": 0, "step": 1, "inputmode": "numeric"})
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError("Write a whole number such as 12, without words or decimals.")\
                from None


class ActivityForm(FlaskForm):
    """Add or change an activity of a plan."""

    title = StringField("Name of the activity", [DataRequired(message="Give the activity a "
                                                                      "name."), Length(max=200)],
                        filters=[strip])
    kind = SelectField("Kind", choices=ActivityKind.pairs())
    description = TextAreaField("What happens", [Length(max=5000)], filters=[strip],
                                description="In plain words, as you would tell a neighbour.")
    owner_id = SelectField("From the list", coerce=int,
                           description="A group member or library staff.")
    owner_name = StringField("Or type a name", [Length(max=160)], filters=[strip],
                             description="For someone who does not log in.")
    organization_ids = MultiCheckboxField("Partner organizations", coerce=int)
    place = StringField("Where", [Length(max=200)], filters=[strip])
    schedule = StringField("When it happens", [Length(max=200)], filters=[strip],
                           description="For example: Saturdays 10 to 12, from March to June.")
    starts_on = DateField("Starts", validators=[Optional()])
    ends_on = DateField("Ends", validators=[Optional()])
    languages = MultiCheckboxField("Languages")
    status = SelectField("Status", choices=ActivityStatus.pairs(),
                         default=ActivityStatus.PLANNED.value)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.owner_id.data and self.owner_name.data:
            self.owner_name.errors.append("Choose a person from the list or type a name, "
                                          "not both.")
            valid = False
        if self.starts_on.data and self.ends_on.data and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors.append("The end date comes before the start date.")
            valid = False
        return valid

    def details(self) -> ActivityDetails:
        """Return what was typed as the save service takes it."""
        return ActivityDetails(
            title=self.title.data, kind=self.kind.data, description=self.description.data or "",
            owner_id=self.owner_id.data or None, owner_name=self.owner_name.data or "",
            organization_ids=list(self.organization_ids.data or []),
            place=self.place.data or "", schedule=self.schedule.data or "",
            starts_on=self.starts_on.data, ends_on=self.ends_on.data,
            languages=list(self.languages.data or []), status=self.status.data)


def activity_values(activity: Activity) -> dict[str, Any]:
    """Return the activity form's starting values for `activity`."""
    values = {name: getattr(activity, name) for name in (
        "title", "kind", "description", "owner_name", "place", "schedule", "starts_on",
        "ends_on", "languages", "status")}
    values.update(owner_id=activity.owner_id or 0,
                  organization_ids=[organization.id for organization in activity.organizations])
    return values


class SessionForm(FlaskForm):
    """Record one time an activity happened: its date, place, outputs (counts) and notes."""

    held_on = DateField("Date", validators=[DataRequired(message="Give the date of the "
                                                                 "session.")])
    place = StringField("Where", [Length(max=200)], filters=[strip])
    headcount = WholeNumberField("People who came")
    new_cards = WholeNumberField("New library cards")
    items_borrowed = WholeNumberField("Items borrowed")
    referrals = WholeNumberField("Referrals")
    other_outputs = StringField("Other outputs", [Length(max=300)], filters=[strip],
                                description="Anything else you counted, in words.")
    facilitators = StringField("Who facilitated", [Length(max=300)], filters=[strip])
    notes = TextAreaField("Notes", [Length(max=5000)], filters=[strip],
                          description="What happened, in plain words. Leave out names and "
                                      "contact details.")

    def details(self) -> SessionDetails:
        """Return what was typed as the save service takes it."""
        return SessionDetails(
            held_on=self.held_on.data, place=self.place.data or "",
            facilitators=self.facilitators.data or "", headcount=self.headcount.data,
            new_cards=self.new_cards.data, items_borrowed=self.items_borrowed.data,
            referrals=self.referrals.data, other_outputs=self.other_outputs.data or "",
            notes=self.notes.data or "")


def session_values(session: ActivitySession) -> dict[str, Any]:
    """Return the session form's starting values for `session`."""
    return {name: getattr(session, name) for name in (
        "held_on", "place", "facilitators", "headcount", "new_cards", "items_borrowed",
        "referrals", "other_outputs", "notes")}
