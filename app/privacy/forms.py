"""Forms of the admin's privacy pages."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SearchField, SelectField
from wtforms.validators import InputRequired, Length, Optional

from app.forms import MultiCheckboxField
from app.privacy.models import AuditAction
from app.privacy.people import MIN_SEARCH_LENGTH


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class PersonSearchForm(FlaskForm):
    """A GET search: it changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField("Name, email address or phone number",
                    [Optional(), Length(min=MIN_SEARCH_LENGTH, max=200)], filters=[strip],
                    description="Finds every record that contains these words or digits.")


class PersonRecordsForm(FlaskForm):
    """The records the admin says belong to the person, for export or anonymising."""

    records = MultiCheckboxField("Records that belong to this person",
                                 [InputRequired("Choose at least one record.")],
                                 description="Tick each record that is this person's. None is "
                                             "ticked at first: a search can also find other "
                                             "people who share a number or a name.")
    q = HiddenField(filters=[strip])
    #: Set on the confirmation page: the admin has read what will change.
    confirmed = HiddenField(default="")

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed.data == "yes"


class AuditFilterForm(FlaskForm):
    """A GET filter above the audit log."""

    class Meta:
        csrf = False

    action = SelectField("What happened", default="",
                         choices=[("", "Everything")] + AuditAction.pairs())
