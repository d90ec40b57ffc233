"""The codebook's use cases: listing themes with their evidence, saving, merging and uncoding.

Merging is how a codebook stays tidy when two people named one pattern twice: everything that
pointed at the theme that goes (excerpts, child themes, priorities, plans) moves to the one that
stays, without storing any link twice.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.plans.models import plan_themes
from app.themes.coding import Segment, Source, excerpts_of, highlight
from app.themes.models import (
    DismissedSuggestion,
    Excerpt,
    Priority,
    Theme,
    ThemeKind,
    ThemeStatus,
    excerpt_themes,
)
from app.themes.suggesting import Suggestion, suggest_themes


class CodebookError(ValueError):
    """The codebook cannot change as asked: the message says why in plain words."""


class ThemeNameTaken(CodebookError):
    """Another theme already has this name."""


class ParentNotAllowed(CodebookError):
    """The chosen parent would put the theme inside itself."""


@dataclass(frozen=True)
class CodebookFilters:
    """What the codebook list is narrowed to; empty values mean "any"."""

    q: str = ""
    kind: str = ""
    status: str = ""
    focus_community_id: int | None = None

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        conditions = []
        if self.q.strip():
            words = f"%{self.q.strip()}%"
            conditions.append(sa.or_(Theme.name.ilike(words), Theme.description.ilike(words)))
        if self.kind:
            conditions.append(Theme.kind == self.kind)
        if self.status:
            conditions.append(Theme.status == self.status)
        if self.focus_community_id:
            conditions.append(Theme.focus_community_id == self.focus_community_id)
        return conditions


@dataclass(frozen=True)
class ThemeRow:
    """A theme in the codebook list, with how much evidence it has."""

    theme: Theme
    excerpt_count: int
    source_count: int


@dataclass(frozen=True)
class KindGroup:
    kind: ThemeKind
    rows: list[ThemeRow]


@dataclass(frozen=True)
class ThemeDraft:
    """A theme as the edit form gives it."""

    name: str
    kind: str
    description: str = ""
    parent_id: int | None = None
    focus_community_id: int | None = None
    status: str = ThemeStatus.EMERGING.value


@dataclass(frozen=True)
class MergePlan:
    """What a merge will move: the numbers the confirmation screen states."""

    gone: Theme
    into: Theme
    excerpts_moving: int
    excerpts_on_both: int
    children: int
    priorities: int
    plans_moving: int
    plans_on_both: int


def codebook(filters: CodebookFilters) -> list[KindGroup]:
    """Return the themes under `filters`, grouped by kind, with excerpt and source counts."""
    counts = (
        sa.select(Theme, sa.func.count(sa.distinct(Excerpt.id)),
                  sa.func.count(sa.distinct(Excerpt.source_key)))
        .outerjoin(excerpt_themes, excerpt_themes.c.theme_id == Theme.id)
        .outerjoin(Excerpt, Excerpt.id == excerpt_themes.c.excerpt_id)
        .where(*filters.conditions())
        .group_by(Theme.id)
        .order_by(sa.func.lower(Theme.name), Theme.id))
    rows = [ThemeRow(theme, excerpts, sources)
            for theme, excerpts, sources in db.session.execute(counts)]
    groups = [KindGroup(kind, [row for row in rows if row.theme.kind == kind])
              for kind in ThemeKind]
    return [group for group in groups if group.rows]


def theme_excerpts(theme: Theme) -> list[Excerpt]:
    """Return the theme's excerpts, most recently heard first."""
    return list(db.session.scalars(
        sa.select(Excerpt).join(excerpt_themes, excerpt_themes.c.excerpt_id == Excerpt.id)
        .where(excerpt_themes.c.theme_id == theme.id)
        .order_by(Excerpt.heard_on.desc(), Excerpt.id.desc())))


def descendant_ids(theme: Theme) -> set[int]:
    """Return the ids of the theme's children, their children, and so on."""
    found: set[int] = set()
    frontier = {theme.id}
    while frontier:
        frontier = set(db.session.scalars(
            sa.select(Theme.id).where(Theme.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


def theme_named(name: str, *, other_than: Theme | None = None) -> Theme | None:
    """Return the theme with this name (ignoring case and outer spaces), if there is one."""
    query = sa.select(Theme).where(sa.func.lower(Theme.name) == name.strip().lower())
    if other_than is not None and other_than.id is not None:
        query = query.where(Theme.id != other_than.id)
    return db.session.scalars(query.limit(1)).first()


def save_theme(theme: Theme, draft: ThemeDraft, *, by: User) -> Theme:
    """Store a new or renamed theme. Raises ThemeNameTaken or ParentNotAllowed."""
    if theme_named(draft.name, other_than=theme) is not None:
        raise ThemeNameTaken(f"A theme called “{draft.name.strip()}” is already in the "
                             "codebook. Choose another name, or merge the two themes.")
    if draft.parent_id is not None and theme.id is not None and (
            draft.parent_id == theme.id or draft.parent_id in descendant_ids(theme)):
        raise ParentNotAllowed("A theme cannot sit inside itself or inside one of its own "
                               "sub-themes. Choose another parent.")
    theme.name = draft.name.strip()
    theme.kind = draft.kind
    theme.description = draft.description
    theme.parent_id = draft.parent_id
    theme.focus_community_id = draft.focus_community_id
    theme.status = draft.status
    if theme.id is None:
        theme.created_by = by
        db.session.add(theme)
    db.session.flush()
    return theme


def theme_for_coding(name: str, kind: str, *, by: User,
                     focus_community_id: int | None = None) -> Theme:
    """Return the theme with this name, or a new emerging one, made while coding."""
    existing = theme_named(name)
    if existing is not None:
        return existing
    return save_theme(Theme(), ThemeDraft(name=name, kind=kind,
                                          focus_community_id=focus_community_id), by=by)


def _count(statement: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


def _links(table: sa.Table, key: str, theme: Theme) -> sa.Select:
    return sa.select(table.c[key]).where(table.c.theme_id == theme.id)


def plan_merge(gone: Theme, into: Theme) -> MergePlan:
    """Return what merging `gone` into `into` would move. Raises CodebookError if the same."""
    if gone.id == into.id:
        raise CodebookError("Choose another theme: a theme cannot be merged into itself.")
    gone_excerpts = _links(excerpt_themes, "excerpt_id", gone)
    gone_plans = _links(plan_themes, "plan_id", gone)
    on_both = _count(gone_excerpts.where(
        excerpt_themes.c.excerpt_id.in_(_links(excerpt_themes, "excerpt_id", into))))
    plans_on_both = _count(gone_plans.where(
        plan_themes.c.plan_id.in_(_links(plan_themes, "plan_id", into))))
    return MergePlan(
        gone=gone, into=into, excerpts_moving=_count(gone_excerpts) - on_both,
        excerpts_on_both=on_both,
        children=_count(sa.select(Theme.id).where(Theme.parent_id == gone.id,
                                                  Theme.id != into.id)),
        priorities=_count(sa.select(Priority.id).where(Priority.theme_id == gone.id)),
        plans_moving=_count(gone_plans) - plans_on_both, plans_on_both=plans_on_both)


def _move_links(table: sa.Table, key: str, gone: Theme, into: Theme) -> None:
    """Point the links of `gone` at `into`, dropping those `into` already has."""
    kept = _links(table, key, into).scalar_subquery()
    db.session.execute(table.update().where(table.c.theme_id == gone.id,
                                            table.c[key].not_in(kept))
                       .values(theme_id=into.id))
    db.session.execute(table.delete().where(table.c.theme_id == gone.id))


def merge_themes(gone: Theme, into: Theme) -> MergePlan:
    """Move everything of `gone` to `into` and delete `gone`; return what moved.

    Raises CodebookError when both are the same theme. The caller commits.
    """
    plan = plan_merge(gone, into)
    if into.id in descendant_ids(gone):
        # `into` takes the place of `gone` in the tree, so no theme ends up inside itself.
        into.parent_id = gone.parent_id
        db.session.flush()
    _move_links(excerpt_themes, "excerpt_id", gone, into)
    _move_links(plan_themes, "plan_id", gone, into)
    db.session.execute(sa.update(Theme).where(Theme.parent_id == gone.id)
                       .values(parent_id=into.id))
    db.session.execute(sa.update(Priority).where(Priority.theme_id == gone.id)
                       .values(theme_id=into.id))
    db.session.execute(sa.delete(DismissedSuggestion)
                       .where(DismissedSuggestion.theme_id == gone.id))
    db.session.expire_all()
    db.session.delete(db.session.get(Theme, gone.id))
    db.session.flush()
    return plan


def uncode(excerpt: Excerpt, theme: Theme) -> bool:
    """Take `theme` off the excerpt; an excerpt left without themes is deleted.

    Return whether the excerpt was deleted. The caller commits.
    """
    if theme in excerpt.themes:
        excerpt.themes.remove(theme)
    deleted = not excerpt.themes
    if deleted:
        db.session.delete(excerpt)
    db.session.flush()
    return deleted


@dataclass(frozen=True)
class CodingScreen:
    """Everything the coding screen shows for one text."""

    source: Source
    segments: list[Segment]
    excerpts: list[Excerpt]
    suggestions: list[Suggestion]
    theme_groups: list[tuple[ThemeKind, list[Theme]]]

    @property
    def whole_text_excerpts(self) -> list[Excerpt]:
        return [excerpt for excerpt in self.excerpts if excerpt.is_whole_item]


def themes_for_coding(focus_community_id: int | None) -> list[tuple[ThemeKind, list[Theme]]]:
    """Return every theme grouped by kind: the focus community's own first, then by name."""
    def order(theme: Theme) -> tuple:
        own = focus_community_id is not None and theme.focus_community_id == focus_community_id
        return (not own, theme.focus_community_id is not None, theme.name.lower())

    themes = sorted(db.session.scalars(sa.select(Theme)), key=order)
    groups = [(kind, [theme for theme in themes if theme.kind == kind]) for kind in ThemeKind]
    return [(kind, members) for kind, members in groups if members]


def coding_screen(source: Source) -> CodingScreen:
    """Return the text with its coded passages marked, its excerpts, suggestions and themes."""
    excerpts = excerpts_of(source)
    return CodingScreen(source=source, segments=highlight(source.text, excerpts),
                        excerpts=excerpts, suggestions=suggest_themes(source),
                        theme_groups=themes_for_coding(source.focus_community_id))
