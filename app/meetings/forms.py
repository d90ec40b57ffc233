"""Forms for meetings: the meeting with its agenda, a decision, an action item, the filters."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.forms import MultiCheckboxField
from app.meetings.models import DecisionMethod, Meeting, MeetingKind, MeetingStatus, Support
from app.meetings.services import (
    ActionItemDraft,
    AgendaItemDraft,
    DecisionDraft,
    MeetingDraft,
    MeetingFilters,
)

MAX_ROWS = 40
EMPTY_ROWS = 2
FIGURE_RANGE = NumberRange(min=0, max=100000, message="Write a number from 0 to 100,000.")


def strip(value: Any) -> Any:
    """Trim spaces around typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


class AgendaRowForm(Form):
    """One agenda item; a row without a title is left out."""

    id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    title = StringField("Item", [Length(max=300)], filters=[strip])
    led_by = StringField("Who leads it", [Length(max=160)], filters=[strip],
                         description="Printed on the agenda: a role or a first name is enough.")
    minutes = IntegerField("Minutes", validators=[Optional(), NumberRange(
        min=1, max=600, message="Write a number of minutes from 1 to 600.")])
    remove = BooleanField("Remove this item")

    @property
    def is_blank(self) -> bool:
        typed_minutes = self.minutes.data is not None or any(self.minutes.raw_data or [])
        return not self.title.data and not self.led_by.data and not typed_minutes

    def validate(self, extra_validators=None) -> bool:
        if self.remove.data or self.is_blank:  # left out: nothing in it needs checking
            return True
        if not super().validate(extra_validators):
            return False
        if not self.title.data:
            self.title.errors.append("Say what the item is about, or clear the row.")
            return False
        return True

    def draft(self) -> AgendaItemDraft:
        """Return the row as the save service takes it."""
        return AgendaItemDraft(title=self.title.data or "", led_by=self.led_by.data or "",
                               minutes=self.minutes.data, id=self.id.data,
                               remove=self.remove.data)


class MeetingForm(FlaskForm):
    """Plan or record a meeting; "Add another item" shows one more agenda row."""

    title = StringField("Title", [DataRequired(message="Give the meeting a title."),
                                  Length(max=200)], filters=[strip])
    kind = SelectField("Kind of meeting", choices=MeetingKind.pairs())
    held_on = DateField("Date", validators=[DataRequired(message="Give the date.")])
    starts_at = TimeField("Starts at", validators=[Optional()])
    ends_at = TimeField("Ends at", validators=[Optional()])
    branch_id = SelectField("Branch", coerce=int)
    focus_community_id = SelectField("Focus community", coerce=int)
    action_group_id = SelectField("Action group", coerce=int,
                                  description="Members of the group can open the meeting, add "
                                              "action items and print the agenda and minutes.")
    space_id = SelectField("A community space", coerce=int)
    place_text = StringField("Or describe the place", [Length(max=200)], filters=[strip])
    main_language = SelectField("Main language", description="The printed agenda and sign-in "
                                                             "sheet use it where a translation "
                                                             "exists.")
    languages = MultiCheckboxField("Other languages spoken")
    facilitator = StringField("Facilitator", [Length(max=160)], filters=[strip],
                              description="A staff member or a community member, in words.")
    headcount = IntegerField("How many people came", validators=[
        Optional(), NumberRange(min=0, max=10000, message="Write a number from 0 to 10,000.")])
    supports = MultiCheckboxField("Supports offered", choices=Support.pairs())
    supports_note = StringField("About the supports", [Length(max=300)], filters=[strip],
                                description="For example: Arabic and Tigrinya interpreters; "
                                            "bus tickets at the door.")
    notes = TextAreaField("Notes", [Length(max=20000)], filters=[strip],
                          description="What happened, in plain words. Leave out names and "
                                      "contact details.")
    next_meeting = StringField("Next meeting", [Length(max=300)], filters=[strip])
    feedback_survey_id = SelectField("Feedback form", coerce=int,
                                     description="Its QR code and short link go on the agenda.")
    agenda_items = FieldList(FormField(AgendaRowForm), min_entries=EMPTY_ROWS,
                             max_entries=MAX_ROWS)
    add_agenda_item = SubmitField("Add another item")

    @property
    def wants_another_row(self) -> bool:
        return bool(self.add_agenda_item.data)

    def add_row(self) -> None:
        """Show one more empty agenda row."""
        if len(self.agenda_items) < MAX_ROWS:
            self.agenda_items.append_entry()

    def use_choices(self, choices: dict[str, list[tuple[Any, str]]]) -> None:
        """Offer these choices in the select fields; `choices` is keyed by field name."""
        for name, options in choices.items():
            self[name].choices = options

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.space_id.data and self.place_text.data:
            self.space_id.errors.append("Choose a space or describe the place, not both.")
            valid = False
        if self.starts_at.data and self.ends_at.data and self.ends_at.data <= self.starts_at.data:
            self.ends_at.errors.append("The meeting should end after it starts.")
            valid = False
        return valid

    def draft(self) -> MeetingDraft:
        """Return what was typed as the save service takes it."""
        return MeetingDraft(
            title=self.title.data, kind=self.kind.data, held_on=self.held_on.data,
            starts_at=self.starts_at.data, ends_at=self.ends_at.data,
            branch_id=self.branch_id.data or None,
            focus_community_id=self.focus_community_id.data or None,
            action_group_id=self.action_group_id.data or None,
            space_id=self.space_id.data or None, place_text=self.place_text.data or "",
            languages=self.chosen_languages(), facilitator=self.facilitator.data or "",
            headcount=self.headcount.data, supports=self.supports.data,
            supports_note=self.supports_note.data or "", notes=self.notes.data or "",
            next_meeting=self.next_meeting.data or "",
            feedback_survey_id=self.feedback_survey_id.data or None,
            agenda_items=[row.form.draft() for row in self.agenda_items])

    def chosen_languages(self) -> list[str]:
        """Return the languages with the main language first: the printed documents use it."""
        main = self.main_language.data
        return ([main] if main else []) + [code for code in self.languages.data if code != main]

    def row_errors(self) -> list[tuple[str, str, str]]:
        """Return (field id, what it is, message) for every problem, agenda rows too."""
        problems = []
        for field in self:
            if isinstance(field, FieldList):
                for number, row in enumerate(field, start=1):
                    problems += [(sub.id, f"Agenda item {number}: {sub.label.text}", message)
                                 for sub in row.form for message in sub.errors]
            elif field.name != "csrf_token":
                problems += [(field.id, field.label.text, message) for message in field.errors]
        return problems


def meeting_values(meeting: Meeting) -> dict[str, Any]:
    """Return the meeting form's starting values."""
    values = {name: getattr(meeting, name) for name in (
        "title", "kind", "held_on", "starts_at", "ends_at", "place_text", "languages",
        "facilitator", "headcount", "supports", "supports_note", "notes", "next_meeting")}
    values.update({name: getattr(meeting, name) or 0 for name in (
        "branch_id", "focus_community_id", "action_group_id", "space_id", "feedback_survey_id")})
    values["main_language"] = (meeting.languages or [""])[0]
    values["agenda_items"] = list(meeting.agenda_items) + [None] * EMPTY_ROWS
    return values


class DecisionForm(FlaskForm):
    """Record or correct a decision taken at a held meeting."""

    text = TextAreaField("What was decided", [
        DataRequired(message="Write what was decided."), Length(max=5000)], filters=[strip])
    method = SelectField("How it was decided", choices=DecisionMethod.pairs())
    decided_by = StringField("Who decided", [
        DataRequired(message="Say who decided, for example “Eastgate Families Table, 9 members "
                             "present”."), Length(max=300)], filters=[strip])
    votes_for = IntegerField("Votes or dots for", validators=[Optional(), FIGURE_RANGE])
    votes_against = IntegerField("Votes against", validators=[Optional(), FIGURE_RANGE])
    abstentions = IntegerField("Abstentions", validators=[Optional(), FIGURE_RANGE])
    result_note = StringField("Result in words", [Length(max=500)], filters=[strip],
                              description="For example: “Agreed, with one change to the "
                                          "times”.")

    def draft(self) -> DecisionDraft:
        """Return what was typed as the services take it."""
        return DecisionDraft(text=self.text.data, method=self.method.data,
                             decided_by=self.decided_by.data, votes_for=self.votes_for.data,
                             votes_against=self.votes_against.data,
                             abstentions=self.abstentions.data,
                             result_note=self.result_note.data or "")


class ActionItemForm(FlaskForm):
    """Add or change an action item: a person who logs in, or a name typed in."""

    description = StringField("What will be done", [
        DataRequired(message="Say what will be done."), Length(max=500)], filters=[strip])
    owner_id = SelectField("Who will do it", coerce=int)
    owner_name = StringField("Or type the name of a community member", [Length(max=160)],
                             filters=[strip],
                             description="For someone without a Groundwork login.")
    due_on = DateField("Due by", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.owner_id.data and self.owner_name.data:
            self.owner_name.errors.append("Choose a person or type a name, not both.")
            return False
        if valid and not (self.owner_id.data or self.owner_name.data):
            self.owner_id.errors.append("Say who will do it: choose a person or type a name.")
            return False
        return valid

    def draft(self) -> ActionItemDraft:
        """Return what was typed as the services take it."""
        return ActionItemDraft(description=self.description.data,
                               owner_id=self.owner_id.data or None,
                               owner_name=self.owner_name.data or "", due_on=self.due_on.data)


class StatusForm(FlaskForm):
    """A button that moves a meeting to held, cancelled or back to planned."""

    status = HiddenField(validators=[AnyOf([status.value for status in MeetingStatus])])


class MeetingFilterForm(FlaskForm):
    """The filters above the list of meetings, sent as a GET query."""

    class Meta:
        csrf = False

    kind = SelectField("Kind", choices=[("", "Any kind")] + MeetingKind.pairs(), default="")
    status = SelectField("Status", choices=[("", "Any status")] + MeetingStatus.pairs(),
                         default="")
    focus_community_id = SelectField("Focus community", coerce=int, default=0)
    action_group_id = SelectField("Action group", coerce=int, default=0)

    def filters(self) -> MeetingFilters:
        """Return the chosen filters, or none when something did not validate."""
        if not self.validate():
            return MeetingFilters()
        return MeetingFilters(kind=self.kind.data, status=self.status.data,
                              focus_community_id=self.focus_community_id.data or None,
                              action_group_id=self.action_group_id.data or None)
