"""Forms for the codebook, the coding screen and the "to code" queue."""

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.community.models import FocusCommunity
from app.extensions import db
from app.forms import MultiCheckboxField
from app.themes.codebook import CodebookFilters, ThemeDraft, descendant_ids
from app.themes.models import SourceKind, Theme, ThemeKind, ThemeStatus
from app.themes.queue import QueueFilters


def strip(value):
    """Trim spaces around typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


def none_for_zero(value):
    """Read the "none" choice (0) of an id select as None."""
    return None if value in (0, "0", "", None) else int(value)


def community_choices(none_label: str) -> list[tuple[int, str]]:
    """Return (id, name) of every focus community, after a "none" choice (0)."""
    communities = db.session.execute(
        sa.select(FocusCommunity.id, FocusCommunity.name).order_by(FocusCommunity.name))
    return [(0, none_label), *((row.id, row.name) for row in communities)]


def theme_choices(*, leave_out: Theme | None = None, none_label: str = "Choose a theme",
                  leave_out_ids: set[int] = frozenset()) -> list[tuple[int, str]]:
    """Return (id, "name (kind)") of every theme but the ones left out, after a "none" choice."""
    themes = db.session.scalars(sa.select(Theme).order_by(sa.func.lower(Theme.name)))
    skipped = set(leave_out_ids) | ({leave_out.id} if leave_out is not None else set())
    return [(0, none_label), *((theme.id, f"{theme.name} ({theme.kind_label.lower()})")
                               for theme in themes if theme.id not in skipped)]


def parent_choices(theme: Theme) -> list[tuple[int, str]]:
    """Return the themes that may hold `theme`: not itself, not one of its sub-themes."""
    inside = descendant_ids(theme) if theme.id is not None else set()
    return theme_choices(leave_out=theme if theme.id is not None else None,
                         none_label="None: a theme of its own", leave_out_ids=inside)


class ThemeForm(FlaskForm):
    """Adding or editing a theme; renaming is editing its name."""

    name = StringField("Name, in the community's words", [DataRequired(), Length(max=200)],
                       filters=[strip])
    kind = SelectField("Kind", choices=ThemeKind.pairs())
    description = TextAreaField("What it means", [Length(max=5000)], filters=[strip],
                                description="A sentence or two, so everyone codes alike.")
    parent_id = SelectField("Inside another theme", coerce=none_for_zero,
                            description="Optional: a broader theme this one belongs to.")
    focus_community_id = SelectField("Focus community", coerce=none_for_zero,
                                     description="Leave as “All” for a theme heard anywhere.")
    status = SelectField("Status", choices=ThemeStatus.pairs(),
                         default=ThemeStatus.EMERGING.value)
    submit = SubmitField("Save theme")

    def draft(self) -> ThemeDraft:
        return ThemeDraft(name=self.name.data, kind=self.kind.data,
                          description=self.description.data or "",
                          parent_id=self.parent_id.data,
                          focus_community_id=self.focus_community_id.data,
                          status=self.status.data)


class CodebookFilterForm(FlaskForm):
    """Narrowing the codebook list; read from the query string."""

    class Meta:
        csrf = False

    q = SearchField("Search names and descriptions", [Optional(), Length(max=200)],
                    filters=[strip])
    kind = SelectField("Kind", choices=[("", "Any kind"), *ThemeKind.pairs()],
                       validators=[Optional()])
    status = SelectField("Status", choices=[("", "Any status"), *ThemeStatus.pairs()],
                         validators=[Optional()])
    focus_community_id = SelectField("Focus community", coerce=none_for_zero,
                                     validators=[Optional()])

    def filters(self) -> CodebookFilters:
        return CodebookFilters(q=self.q.data or "", kind=self.kind.data or "",
                               status=self.status.data or "",
                               focus_community_id=self.focus_community_id.data)


class MergeForm(FlaskForm):
    """Choosing the theme that stays; the confirmation screen posts `confirm`."""

    into_id = SelectField("Merge into this theme (it stays)", coerce=none_for_zero,
                          validators=[DataRequired("Choose the theme that stays.")])
    confirm = SubmitField("Merge and delete this theme")


class CodingForm(FlaskForm):
    """Coding a passage (or the whole text) to chosen or new themes."""

    passage = TextAreaField(
        "Passage to code", [Length(max=20000)], filters=[strip],
        description="Select words in the text above, or copy or type them here.")
    start = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0)])
    end = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0)])
    whole = BooleanField("Code the whole text")
    theme_ids = MultiCheckboxField("Themes", coerce=int, validate_choice=False)
    new_theme_name = StringField("New theme", [Length(max=200)], filters=[strip],
                                 description="Name a theme that is not in the codebook yet.")
    new_theme_kind = SelectField("Kind of the new theme", choices=ThemeKind.pairs(),
                                 default=ThemeKind.NEED.value)
    save = SubmitField("Save")
    save_next = SubmitField("Save and next in queue")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.whole.data and not self.passage.data:
            self.passage.errors.append("Select or type the words to code, or tick “Code "
                                       "the whole text”.")
        if not self.theme_ids.data and not self.new_theme_name.data:
            self.theme_ids.errors.append("Tick at least one theme, or name a new one.")
        return not (self.passage.errors or self.theme_ids.errors)


class QueueFilterForm(FlaskForm):
    """Narrowing the "to code" queue; read from the query string."""

    class Meta:
        csrf = False

    focus_community_id = SelectField("Focus community", coerce=none_for_zero,
                                     validators=[Optional()])
    source_kind = SelectField("Kind of text", validators=[Optional()],
                              choices=[("", "Every kind"), *SourceKind.pairs()])

    def filters(self) -> QueueFilters:
        return QueueFilters(focus_community_id=self.focus_community_id.data,
                            source_kind=self.source_kind.data or "")
