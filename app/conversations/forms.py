"""Forms for the outreach log: one screen logs a conversation with its quotes and follow-ups."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.conversations.models import Attribution, Conversation, ConversationKind, Purpose, Stage
from app.conversations.services import ConversationDraft, FollowUpDraft, QuoteDraft
from app.forms import MultiCheckboxField

MAX_ROWS = 30
EMPTY_ROWS = 2
#: Rules about a group of fields put their message on its first field, named after the group.
GROUP_NAMES = {"space_id": "Where", "organization_ids": "Who"}


def strip(value: Any) -> Any:
    """Trim spaces around typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


class QuoteRowForm(Form):
    """One quote on the conversation form; a row without words is left out."""

    id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    text = TextAreaField("What they said, in their words", [Length(max=5000)], filters=[strip])
    attribution = SelectField("Credit it to", choices=Attribution.pairs(),
                              default=Attribution.ANONYMOUS.value)
    attributed_to = StringField("Role description or first name", [Length(max=160)],
                                filters=[strip])
    has_name_consent = BooleanField("They agreed to be named")
    is_public = BooleanField("May appear in public documents")
    remove = BooleanField("Remove this quote")

    @property
    def is_blank(self) -> bool:
        return not self.text.data and not self.attributed_to.data

    def validate(self, extra_validators=None) -> bool:
        if self.remove.data or self.is_blank:  # left out: nothing in it needs checking
            return True
        if not super().validate(extra_validators):
            return False
        if not self.text.data:
            self.text.errors.append("Write the words they said, or clear this quote.")
        elif self.attribution.data == Attribution.ROLE and not self.attributed_to.data:
            self.attributed_to.errors.append("Describe their role, or credit it to anonymous.")
        elif self.attribution.data == Attribution.FIRST_NAME:
            if not self.attributed_to.data:
                self.attributed_to.errors.append(
                    "Write their first name, or choose another credit.")
            if not self.has_name_consent.data:
                self.has_name_consent.errors.append(
                    "A first name needs their agreement. Tick this if they agreed, or credit the "
                    "quote to anonymous or a role.")
        return not (self.text.errors or self.attributed_to.errors or self.has_name_consent.errors)

    def draft(self) -> QuoteDraft:
        """Return the row as the save service takes it."""
        return QuoteDraft(text=self.text.data or "", attribution=self.attribution.data,
                          attributed_to=self.attributed_to.data or "",
                          has_name_consent=self.has_name_consent.data,
                          is_public=self.is_public.data, id=self.id.data,
                          remove=self.remove.data)


class FollowUpRowForm(Form):
    """One promise on the conversation form; a row without a description is left out."""

    id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    description = StringField("What was promised", [Length(max=500)], filters=[strip])
    owner_id = SelectField("Who will do it", coerce=int)
    due_on = DateField("Due by", validators=[Optional()])
    remove = BooleanField("Remove this follow-up")

    @property
    def is_blank(self) -> bool:
        typed_date = self.due_on.data or any(self.due_on.raw_data or [])
        return not self.description.data and not typed_date

    def validate(self, extra_validators=None) -> bool:
        if self.remove.data or self.is_blank:  # left out: nothing in it needs checking
            return True
        if not super().validate(extra_validators):
            return False
        if not self.description.data:
            self.description.errors.append("Say what was promised, or clear the date.")
            return False
        return True

    def draft(self) -> FollowUpDraft:
        """Return the row as the save service takes it."""
        return FollowUpDraft(description=self.description.data or "",
                             owner_id=self.owner_id.data, due_on=self.due_on.data,
                             id=self.id.data, remove=self.remove.data)


class ConversationForm(FlaskForm):
    """Log or edit a conversation; "Add another" buttons show one more row, keeping the rest."""

    happened_on = DateField("Date", validators=[DataRequired(message="Give the date.")])
    happened_at = TimeField("Time", validators=[Optional()])
    branch_id = SelectField("Branch", coerce=int)
    focus_community_id = SelectField("Focus community", coerce=int)
    space_id = SelectField("A community space", coerce=int)
    place_organization_id = SelectField("Or an organization's premises", coerce=int)
    place_text = StringField("Or describe the place", [Length(max=200)], filters=[strip])
    organization_ids = SelectMultipleField("Organizations", coerce=int)
    contact_ids = SelectMultipleField("Named contacts", coerce=int)
    who_description = StringField("Or describe who, without names", [Length(max=300)],
                                  filters=[strip])
    headcount = IntegerField("How many people", validators=[
        Optional(), NumberRange(min=0, max=10000, message="Write a number from 0 to 10,000.")])
    kind = SelectField("Kind of conversation", choices=ConversationKind.pairs())
    purpose = SelectField("Purpose", choices=Purpose.pairs())
    languages = MultiCheckboxField("Languages spoken")
    notes = TextAreaField("Notes", [Length(max=20000)], filters=[strip],
                          description="What you heard, in plain words. Leave out names and "
                                      "contact details.")
    stage = SelectField("Stage", choices=Stage.pairs(), default=Stage.KNOW.value)
    is_sensitive = BooleanField("Sensitive", description="Sensitive conversations stay out of "
                                                         "exports and printouts.")
    quotes = FieldList(FormField(QuoteRowForm), min_entries=EMPTY_ROWS, max_entries=MAX_ROWS)
    follow_ups = FieldList(FormField(FollowUpRowForm), min_entries=EMPTY_ROWS,
                           max_entries=MAX_ROWS)
    keep_personal_details = BooleanField("I have checked: keep these details in the text")
    add_quote = SubmitField("Add another quote")
    add_follow_up = SubmitField("Add another follow-up")

    @property
    def wants_another_row(self) -> bool:
        return bool(self.add_quote.data or self.add_follow_up.data)

    def add_row(self, *, owner_id: int) -> None:
        """Show one more empty quote or follow-up row, whichever button was pressed."""
        rows = self.quotes if self.add_quote.data else self.follow_ups
        if len(rows) < MAX_ROWS:
            rows.append_entry({"owner_id": owner_id} if rows is self.follow_ups else None)

    def use_choices(self, choices: dict[str, list[tuple[Any, str]]]) -> None:
        """Offer these choices in the select fields; `choices` is keyed by field name."""
        for name in ("branch_id", "focus_community_id", "space_id", "place_organization_id",
                     "organization_ids", "contact_ids", "languages"):
            self[name].choices = choices[name]
        for row in self.follow_ups:
            row.owner_id.choices = choices["owner_id"]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        places = [self.space_id.data, self.place_organization_id.data, self.place_text.data]
        if sum(1 for place in places if place) > 1:
            self.space_id.errors.append("Choose one place: a space, an organization's premises "
                                        "or a description, not more than one.")
            valid = False
        if not (self.organization_ids.data or self.contact_ids.data
                or self.who_description.data or self.headcount.data is not None):
            self.organization_ids.errors.append(
                "Say who you talked with: an organization, a named contact, or a description "
                "such as \u201cabout 5 parents waiting\u201d with a headcount.")
            valid = False
        return valid

    def draft(self) -> ConversationDraft:
        """Return what was typed as the save service takes it."""
        return ConversationDraft(
            happened_on=self.happened_on.data, happened_at=self.happened_at.data,
            kind=self.kind.data, purpose=self.purpose.data,
            branch_id=self.branch_id.data or None,
            focus_community_id=self.focus_community_id.data or None,
            space_id=self.space_id.data or None,
            place_organization_id=self.place_organization_id.data or None,
            place_text=self.place_text.data or "", organization_ids=self.organization_ids.data,
            contact_ids=self.contact_ids.data, who_description=self.who_description.data or "",
            headcount=self.headcount.data, languages=self.languages.data,
            notes=self.notes.data or "", stage=self.stage.data,
            is_sensitive=self.is_sensitive.data,
            quotes=[row.form.draft() for row in self.quotes],
            follow_ups=[row.form.draft() for row in self.follow_ups])

    def row_errors(self) -> list[tuple[str, str, str]]:
        """Return (field id, what it is, message) for every problem, quotes and follow-ups too."""
        problems = []
        for field in self:
            if isinstance(field, FieldList):
                for number, row in enumerate(field, start=1):
                    noun = "Quote" if field is self.quotes else "Follow-up"
                    problems += [(sub.id, f"{noun} {number}: {sub.label.text}", message)
                                 for sub in row.form for message in sub.errors]
            else:
                name = GROUP_NAMES.get(field.name, field.label.text)
                problems += [(field.id, name, message) for message in field.errors
                             if field.name != "csrf_token"]
        return problems


def values_for(conversation: Conversation, *, owner_id: int) -> dict[str, Any]:
    """Return the form's starting values; new follow-ups start with `owner_id` as owner."""
    values = {name: getattr(conversation, name) for name in (
        "happened_on", "happened_at", "place_text", "who_description", "headcount", "kind",
        "purpose", "languages", "notes", "stage", "is_sensitive")}
    values.update(
        branch_id=conversation.branch_id or 0,
        focus_community_id=conversation.focus_community_id or 0,
        space_id=conversation.space_id or 0,
        place_organization_id=conversation.place_organization_id or 0,
        organization_ids=[organization.id for organization in conversation.organizations],
        contact_ids=[contact.id for contact in conversation.contacts],
        quotes=list(conversation.quotes) + [None] * EMPTY_ROWS,
        follow_ups=list(conversation.follow_ups) + [{"owner_id": owner_id}] * EMPTY_ROWS)
    return values


class ConversationFilterForm(FlaskForm):
    """The filters above the list of conversations, sent as a GET query."""

    class Meta:
        csrf = False

    text = SearchField("Words", [Length(max=200)], filters=[strip],
                       description="Searches notes, places, who and quotes.")
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])
    branch_id = SelectField("Branch", coerce=int, default=0)
    focus_community_id = SelectField("Focus community", coerce=int, default=0)
    organization_id = SelectField("Organization", coerce=int, default=0)
    space_id = SelectField("Space", coerce=int, default=0)
    kind = SelectField("Kind", choices=[("", "Any kind")] + ConversationKind.pairs(),
                       default="")
    purpose = SelectField("Purpose", choices=[("", "Any purpose")] + Purpose.pairs(),
                          default="")
    logged_by_id = SelectField("Logged by", coerce=int, default=0)
