"""Forms of the outcome-form screens: taking a person off the follow-up list."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp


class WithdrawConsentForm(FlaskForm):
    """The button that records that a person asked not to get the follow-up form."""

    consent_id = HiddenField("Person on the list", [DataRequired(), Regexp(r"^\d{1,12}$")])
