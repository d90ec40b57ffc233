"""The filter forms above the review queue and the results, sent as GET queries."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from app.accounts.services import branch_choices
from app.documents.audience import Audience
from app.languages import language_name
from app.surveys.models import Channel, ReviewStatus, Survey
from app.surveys.results import ResponseFilters
from app.surveys.results_data import BREAKDOWN_BY


class ResponseFilterForm(FlaskForm):
    """Which responses to list: by status, branch, channel, language and dates."""

    class Meta:
        csrf = False

    review_status = SelectField("Review status", default="",
                                choices=[("", "Any status"), *ReviewStatus.pairs()])
    branch_id = SelectField("Branch", coerce=int, default=0)
    channel = SelectField("Channel", default="", choices=[("", "Any channel"), *Channel.pairs()])
    language = SelectField("Language", default="")
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])

    def use_choices(self, survey: Survey) -> None:
        """Offer the library's branches and the form's languages."""
        self.branch_id.choices = branch_choices(include_blank="Any branch")
        self.language.choices = [("", "Any language")] + [
            (code, language_name(code)) for code in survey.languages or [survey.default_language]]

    def filters(self) -> ResponseFilters:
        """Return the filters asked for, or none when the query does not validate."""
        if not self.validate():
            return ResponseFilters()
        return ResponseFilters(
            branch_id=self.branch_id.data or None, channel=self.channel.data or None,
            language=self.language.data or None, date_from=self.date_from.data,
            date_to=self.date_to.data, review_status=self.review_status.data or None)


class ResultsForm(ResponseFilterForm):
    """The results filters, plus who the numbers are for and how to split them."""

    audience = SelectField("Show the numbers as", default=Audience.INTERNAL.value,
                           choices=Audience.pairs(),
                           description="Partners and the public see counts under 5 hidden.")
    by = SelectField("Break choices down by", default="",
                     choices=[("", "No breakdown"), *BREAKDOWN_BY.items()])

    @property
    def chosen_audience(self) -> Audience:
        try:
            return Audience(self.audience.data)
        except ValueError:
            return Audience.INTERNAL

    @property
    def chosen_breakdown(self) -> str | None:
        return self.by.data if self.by.data in BREAKDOWN_BY else None
