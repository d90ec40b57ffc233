"""Forms for logging in and for managing users and branches."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.accounts.models import MIN_PASSWORD_LENGTH, BranchKind, Role


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=200)])


class UserForm(FlaskForm):
    """Create or edit an account; the password is required only when creating."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField("Role", choices=Role.pairs(), default=Role.STAFF.value)
    branch_id = SelectField("Home branch", coerce=int, validators=[Optional()],
                            description="Conversations this person logs start at this branch.")
    password = PasswordField(
        "Password",
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200, message=(
            f"Use at least {MIN_PASSWORD_LENGTH} characters: a few words you will remember "
            "make a good password."))],
        description=f"At least {MIN_PASSWORD_LENGTH} characters. "
                    "Leave empty to keep the current password.")
    is_disabled = BooleanField("Disabled: this person cannot log in",
                               description="Everything they recorded stays, under their name.")


class BranchForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField("Kind", choices=BranchKind.pairs(), default=BranchKind.BRANCH.value)
    catchment = TextAreaField("Who the branch serves", validators=[Length(max=2000)])
    is_active = BooleanField("Open: offered in lists", default=True)
