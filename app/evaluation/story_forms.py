"""Forms for stories of change, the panel's selections and the filters of the story list."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.evaluation.models import Story, StoryConsent, StorySelection
from app.evaluation.stories import SelectionDetails, StoryDetails

#: Each consent level with what it means for the story, in plain words.
CONSENT_CHOICES = [
    (StoryConsent.INTERNAL.value,
     "Internal only: the action group and library staff may read it. It is never printed "
     "for the public or partners."),
    (StoryConsent.ANONYMOUS_PUBLIC.value,
     "Public, without a name: it may be printed and shared, with the teller described only "
     "by their role."),
    (StoryConsent.NAMED_PUBLIC.value,
     "Public, with their name: it may be printed and shared with the teller's name. Choose "
     "this only if they said yes to that."),
]


def strip(value: Any) -> Any:
    """Trim spaces around typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


class StoryForm(FlaskForm):
    """Add or change a story of change."""

    title = StringField("Title", [DataRequired(message="Give the story a short title."),
                                  Length(max=200)], filters=[strip],
                        description="A few words the group will recognise it by.")
    domain = StringField("Domain of change", [Length(max=200)], filters=[strip],
                         description="The kind of change, in the group's words. For example: "
                                     "feeling at home in the library.")
    period_start = DateField("The change began", validators=[Optional()])
    period_end = DateField("Until", validators=[Optional()])
    what_changed = TextAreaField(
        "What changed", [DataRequired(message="Write what changed, in the teller's words."),
                         Length(max=10000)], filters=[strip],
        description="In the teller's words, as close as you can. Leave out phone numbers, "
                    "emails and addresses.")
    why_it_matters = TextAreaField("Why it matters", [Length(max=10000)], filters=[strip],
                                   description="Why this change matters to the teller.")
    teller_role = StringField(
        "Who told it", [DataRequired(message="Describe the teller, without their name."),
                        Length(max=200)], filters=[strip],
        description="Describe them by their role, without a name. For example: a grandmother "
                    "from Tower B.")
    consent_level = RadioField("What the teller agreed to", choices=CONSENT_CHOICES,
                               default=StoryConsent.INTERNAL.value)
    teller_name = StringField(
        "The teller's name", [Length(max=160)], filters=[strip],
        description="Only when they agreed to be named in public (the last choice above). "
                    "Otherwise leave it empty.")
    told_on = DateField("Told on", validators=[Optional()])
    verified = BooleanField("The teller has read or heard the story as written and said it "
                            "is right")
    keep_personal_details = BooleanField("I have checked: keep these details in the text")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.period_start.data, self.period_end.data
        if start and end and end < start:
            self.period_end.errors.append("The end comes before the start.")
            valid = False
        return valid

    def details(self) -> StoryDetails:
        """Return what was typed as the save services take it."""
        return StoryDetails(
            title=self.title.data, domain=self.domain.data or "",
            period_start=self.period_start.data, period_end=self.period_end.data,
            what_changed=self.what_changed.data, why_it_matters=self.why_it_matters.data or "",
            teller_role=self.teller_role.data, teller_name=self.teller_name.data or "",
            consent_level=self.consent_level.data, told_on=self.told_on.data,
            verified=bool(self.verified.data))


def story_values(story: Story) -> dict[str, Any]:
    """Return the story form's starting values for `story`."""
    return {name: getattr(story, name) for name in (
        "title", "domain", "period_start", "period_end", "what_changed", "why_it_matters",
        "teller_role", "teller_name", "consent_level", "told_on", "verified")}


class SelectionForm(FlaskForm):
    """Record a panel's choice of a story, and later the day the teller heard of it."""

    panel = StringField(
        "Who sat on the panel", [DataRequired(message="Describe who chose the story."),
                                 Length(max=300)], filters=[strip],
        description="As the panel wishes to be described. For example: two parents, the "
                    "settlement worker and the branch librarian.")
    round = StringField("Round", [Length(max=120)], filters=[strip],
                        description="If you choose stories in rounds. For example: spring 2026.")
    chosen_on = DateField("Chosen on", validators=[DataRequired(
        message="Give the date the panel chose the story.")])
    reason = TextAreaField(
        "Why the panel chose it", [DataRequired(message="Write why the panel chose this story."),
                                   Length(max=10000)], filters=[strip])
    fed_back_on = DateField("The teller was told on", validators=[Optional()],
                            description="Fill this in once you have told the teller their story "
                                        "was chosen, and why.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen, told = self.chosen_on.data, self.fed_back_on.data
        if chosen and told and told < chosen:
            self.fed_back_on.errors.append("The teller is told after the panel chose the story.")
            valid = False
        return valid

    def details(self) -> SelectionDetails:
        """Return what was typed as the save services take it."""
        return SelectionDetails(panel=self.panel.data, round=self.round.data or "",
                                chosen_on=self.chosen_on.data, reason=self.reason.data,
                                fed_back_on=self.fed_back_on.data)


def selection_values(selection: StorySelection) -> dict[str, Any]:
    """Return the selection form's starting values for `selection`."""
    return {name: getattr(selection, name)
            for name in ("panel", "round", "chosen_on", "reason", "fed_back_on")}


class StoryFilterForm(FlaskForm):
    """The filters above the list of a plan's stories, sent as a GET query."""

    class Meta:
        csrf = False

    selected = SelectField("Chosen by a panel", choices=[
        ("", "All stories"), ("1", "Only stories a panel chose")], default="")
    consent = SelectField("Consent", choices=[("", "Any consent")] + StoryConsent.pairs(),
                          default="")
