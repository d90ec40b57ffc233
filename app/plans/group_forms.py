"""Forms for action groups, their members and invitations: one per screen."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.accounts.models import MIN_PASSWORD_LENGTH
from app.community.forms import DetailsForm, strip
from app.forms import MultiCheckboxField
from app.meetings.models import Support
from app.plans.models import ActionGroupStatus, MemberRole


def _text(label: str, max_length: int, *, required: bool = False, **kwargs) -> StringField:
    checks = [DataRequired()] if required else []
    return StringField(label, checks + [Length(max=max_length)], filters=[strip], **kwargs)


def _long_text(label: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, [Length(max=5000)], filters=[strip], **kwargs)


class GroupForm(DetailsForm):
    """Create or edit an action group."""

    name = _text("Name", 160, required=True,
                 description="A name the group chose, e.g. \u201cEastgate Families Table\u201d.")
    status = SelectField("Status", choices=ActionGroupStatus.pairs(),
                         default=ActionGroupStatus.FORMING.value)
    focus_community_id = SelectField("Focus community", coerce=int, validators=[Optional()])
    purpose = _long_text("Purpose", description="What the group came together to do, in its "
                                                "own words.")
    meeting_cadence = _text("How often it meets", 200,
                            description="For example: second Saturday of the month, 10 to 12.")
    decision_rules = _long_text("How the group makes decisions",
                                description="For example: consensus; if we cannot agree, a "
                                            "vote of members present.")
    supports = MultiCheckboxField("Supports the library offers", choices=Support.pairs())
    supports_note = _text("More about the supports", 300,
                          description="For example: interpretation in Somali and Arabic.")


class MembershipForm(DetailsForm):
    """Add a person to a group or change their place on it."""

    display_name = _text("Name or pseudonym", 160,
                         description="As they wish to be known. For a staff liaison, leave "
                                     "empty to use the name of their login.")
    role = SelectField("Role", choices=MemberRole.pairs(), default=MemberRole.MEMBER.value)
    user_id = SelectField("Login", coerce=int, validators=[Optional()],
                          description="A staff liaison needs their staff login. A community "
                                      "member may have a member login, or none: invite them "
                                      "to make one from the group's page.")
    preferred_contact = _text("Preferred contact", 200,
                              description="How they like to be reached, e.g. a phone number "
                                          "or \u201cthrough the settlement office\u201d. Only "
                                          "staff see it.")
    consent_to_be_listed = BooleanField(
        "They agreed to be listed by name",
        description="Without it their name is shown only to staff, never to other members "
                    "or in documents. Staff liaisons are always listed.")
    joined_on = DateField("Joined on", validators=[Optional()])
    left_on = DateField("Left on", validators=[Optional()],
                        description="Leave empty while they are on the group.")


class InvitationForm(FlaskForm):
    """The email address a member's new login will have."""

    email = EmailField("Their email address", filters=[strip], validators=[
        DataRequired(message="Write the email address they will log in with."),
        Email(message="This does not look like an email address. Check it and try again."),
        Length(max=254)])


class AcceptInvitationForm(FlaskForm):
    """A new member chooses the name they show and their password."""

    name = StringField("Your name", filters=[strip], validators=[
        DataRequired(message="Write the name you want to be known by."), Length(max=120)],
        description="A first name or a name you choose. Other members of your group see it.")
    password = PasswordField("Choose a password", validators=[
        DataRequired(message="Choose a password."),
        Length(min=MIN_PASSWORD_LENGTH, max=200, message=(
            f"Use at least {MIN_PASSWORD_LENGTH} characters: a few words you will remember "
            "make a good password."))],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.")
    confirm = PasswordField("Type the password again", validators=[
        DataRequired(message="Type the password again."),
        EqualTo("password", message="The two passwords are not the same. Type them again.")])
