"""Forms for the community map: one per screen; create and edit share a class."""

import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.community.models import (
    AssetCategory,
    ConsentMethod,
    ContactChannel,
    EngagementLevel,
    FocusCommunityStatus,
    OrganizationKind,
    RelationshipStatus,
    SpaceKind,
)
from app.forms import MultiCheckboxField
from app.records import library_today

EMAIL_LOOKING = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
PHONE_LOOKING = re.compile(r"^\+?[\d\s().-]+((x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)
MIN_PHONE_DIGITS = 7


def strip(value: Any) -> Any:
    """Trim spaces around typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


def _text(label: str, max_length: int, *, required: bool = False, **kwargs) -> StringField:
    checks = [DataRequired()] if required else []
    return StringField(label, checks + [Length(max=max_length)], filters=[strip], **kwargs)


def _long_text(label: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, [Length(max=5000)], filters=[strip], **kwargs)


def _any(label: str) -> list[tuple[str, str]]:
    return [("", label)]


class DetailsForm(FlaskForm):
    """A record's form whose field names match the keys its save service takes."""

    def details(self) -> dict[str, Any]:
        """Return the typed values of every field except the CSRF token."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class FocusCommunityForm(DetailsForm):
    name = _text("Name", 160, required=True,
                 description='A short name people recognise, e.g. "Newcomer families, Eastgate".')
    status = SelectField("Status", choices=FocusCommunityStatus.pairs(),
                         default=FocusCommunityStatus.ACTIVE.value)
    branch_ids = MultiCheckboxField("Branches", coerce=int)
    languages = MultiCheckboxField(
        "Languages", description="The languages people in this community speak. Handouts "
                                 "carry their headings in these languages where translated.")
    who = _long_text("Who they are", description="Who the library is working with, in plain "
                                                 "words.")
    why_chosen = _long_text("Why we chose this community")
    baseline_notes = _long_text(
        "Baseline", description="What exists already: relationships, resources, and any data "
                                "with its source and date.")


class OrganizationForm(DetailsForm):
    name = _text("Name", 200, required=True)
    kind = RadioField("Kind", choices=OrganizationKind.pairs(),
                      default=OrganizationKind.ORGANIZATION.value)
    asset_category = SelectField("Asset category", choices=AssetCategory.pairs(),
                                 default=AssetCategory.ASSOCIATION.value)
    area_served = _text("Area served", 200)
    languages = MultiCheckboxField("Languages")
    programs_services = _long_text("Programs and services")
    gaps_barriers = _long_text("Gaps and barriers they see")
    shareable_resources = _long_text(
        "Resources they could share", description="Space, equipment, volunteers or skills.")
    notes = _long_text("Notes")
    staff_lead_id = SelectField("Staff lead", coerce=int, validators=[Optional()])
    focus_community_ids = MultiCheckboxField("Focus communities", coerce=int)
    relationship_status = SelectField("Relationship status", choices=RelationshipStatus.pairs(),
                                      default=RelationshipStatus.IDENTIFIED.value)
    engagement_level = SelectField("Engagement level", choices=EngagementLevel.pairs(),
                                   default=EngagementLevel.INFORMING.value)
    change_note = _text(
        "Note about this change", 500,
        description="If the relationship status or engagement level changed: what happened? "
                    "Kept in the history.")


class ContactForm(DetailsForm):
    organization_id = SelectField("Organization", coerce=int, validators=[Optional()])
    name = _text("Name", 160, required=True)
    role = _text("Role", 160, description="Their role at the organization, e.g. settlement "
                                          "worker.")
    preferred_channel = SelectField("Preferred way to reach them", choices=ContactChannel.pairs(),
                                    default=ContactChannel.THROUGH_ORGANIZATION.value)
    channel_value = _text("Phone number, email address or other detail", 200,
                          description="Only the one detail needed for the preferred way.")
    languages = MultiCheckboxField("Languages")
    has_consented = BooleanField("They agreed to be contacted by the library")
    consented_on = DateField("Date consent was given", validators=[Optional()])
    consent_method = SelectField("How consent was given",
                                 choices=_any("Choose one") + ConsentMethod.pairs(), default="")

    def validate_channel_value(self, field: StringField) -> None:
        channel = self.preferred_channel.data
        needs_detail = channel in (ContactChannel.EMAIL, ContactChannel.PHONE, ContactChannel.TEXT)
        if needs_detail and not field.data:
            raise ValidationError(f"Enter the {_detail_name(channel)} for this way.")
        if channel == ContactChannel.EMAIL and not EMAIL_LOOKING.match(field.data):
            raise ValidationError("Enter an email address like name@example.org.")
        if channel in (ContactChannel.PHONE, ContactChannel.TEXT) and not _is_phone(field.data):
            raise ValidationError("Enter a phone number with at least 7 digits, like "
                                  "613-555-0142.")

    def validate(self, extra_validators=None) -> bool:
        """Check every field, then that given consent has a date (Optional skips empty ones)."""
        is_valid = super().validate(extra_validators)
        if self.has_consented.data and not self.consented_on.data:
            if not self.consented_on.errors:
                self.consented_on.errors.append("Enter the date they agreed.")
            return False
        return is_valid

    def validate_consented_on(self, field: DateField) -> None:
        if field.data and field.data > library_today():
            raise ValidationError("Consent cannot be dated in the future.")

    def validate_consent_method(self, field: SelectField) -> None:
        if self.has_consented.data and not field.data:
            raise ValidationError("Say how they agreed.")

    def validate_has_consented(self, field: BooleanField) -> None:
        if not field.data and (self.consented_on.data or self.consent_method.data):
            raise ValidationError("You entered when or how they agreed: tick this box, or clear "
                                  "the date and how consent was given.")


def _detail_name(channel: str) -> str:
    return "email address" if channel == ContactChannel.EMAIL else "phone number"


def _is_phone(value: str) -> bool:
    digits = sum(character.isdigit() for character in value)
    return bool(PHONE_LOOKING.match(value)) and digits >= MIN_PHONE_DIGITS


class SpaceForm(DetailsForm):
    name = _text("Name", 200, required=True)
    kind = SelectField("Kind of place", choices=SpaceKind.pairs(), default=SpaceKind.OTHER.value)
    area = _text("Area", 200, description="Neighbourhood or address, as precise as is useful.")
    when_people_gather = _text("When people gather", 300,
                               description='e.g. "Saturday mornings" or "after mail delivery, '
                                           'about 11 am".')
    who_is_there = _long_text("Who is there")
    accessibility_notes = _long_text("Accessibility")
    notes = _long_text("Notes")
    organization_id = SelectField("Organization it belongs to", coerce=int,
                                  validators=[Optional()])
    focus_community_ids = MultiCheckboxField("Focus communities", coerce=int)


class FilterForm(FlaskForm):
    """A GET form above a list; it changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField("Search", [Length(max=200)], filters=[strip])

    def filters(self) -> dict[str, Any]:
        """Return the filters that were given and are valid, by field name."""
        return {name: field.data for name, field in self._fields.items()
                if field.data not in (None, "", 0) and not field.errors}


def _id_filter(label: str) -> SelectField:
    return SelectField(label, coerce=lambda value: int(value) if value else 0, default=0)


class OrganizationFilterForm(FilterForm):
    kind = SelectField("Kind", choices=_any("Any kind") + OrganizationKind.pairs(), default="")
    asset_category = SelectField("Asset category", default="",
                                 choices=_any("Any category") + AssetCategory.pairs())
    relationship_status = SelectField("Relationship status", default="",
                                      choices=_any("Any status") + RelationshipStatus.pairs())
    engagement_level = SelectField("Engagement level", default="",
                                   choices=_any("Any level") + EngagementLevel.pairs())
    focus_community_id = _id_filter("Focus community")
    language = SelectField("Language", default="")
    staff_lead_id = _id_filter("Staff lead")


class ContactFilterForm(FilterForm):
    organization_id = _id_filter("Organization")


class SpaceFilterForm(FilterForm):
    kind = SelectField("Kind of place", choices=_any("Any kind") + SpaceKind.pairs(), default="")
    focus_community_id = _id_filter("Focus community")
