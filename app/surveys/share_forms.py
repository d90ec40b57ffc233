"""The form on the share screen: a new kiosk link for a branch device."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class KioskLinkForm(FlaskForm):
    branch_id = SelectField("Branch", coerce=int, validators=[DataRequired(
        message="Choose the branch where the device stands.")])
    label = StringField("Where the device stands (optional)",
                        description='For example "tablet by the holds shelf".',
                        validators=[Length(max=120)])
