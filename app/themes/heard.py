"""What we heard: the themes, ranked by how many distinct sources and places they came from.

Every count is a GROUP BY over excerpts and excerpt_themes, so the page stays quick with a
million excerpts; only the few excerpts and quotes shown are loaded as rows. The audience
decides what leaves the library: partners and the public see counts under 5 as "fewer than 5",
never a sensitive note, and only quotes the speaker allowed to go public, credited to nobody or
to a role. The public sees no excerpts at all.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import Markup

from app.accounts.models import Branch
from app.community.models import FocusCommunity
from app.conversations.models import Attribution, Quote
from app.documents.audience import SMALL_CELL, Audience, suppress_small
from app.documents.charts import bar_chart_svg
from app.documents.qr import qr_svg
from app.extensions import db
from app.surveys.models import Survey
from app.surveys.sharing import public_link, short_link
from app.themes.models import (
    Excerpt,
    HeardThrough,
    SourceKind,
    Theme,
    ThemeKind,
    ThemeStatus,
    excerpt_themes,
)

#: Excerpts and quotes listed per theme on the screen; the counts say how many there are.
SHOWN_EXCERPTS = 10
SHOWN_QUOTES = 5
#: Growth is shown month by month over at most this many months, the latest ones.
GROWTH_MONTHS = 12
#: Themes followed month by month and drawn in the chart.
CHARTED_THEMES = 8
#: The printed handout keeps to two pages: this many themes (fewer in large print), barriers
#: and quotes per theme.
HANDOUT_THEMES = 7
HANDOUT_THEMES_LARGE = 5
HANDOUT_BARRIERS = 3
HANDOUT_QUOTES = 2
#: Source keys start with what the source was: one conversation is one source, whether its
#: notes or one of its quotes were coded.
SOURCE_FAMILIES = (("conversation", "Conversations"), ("response", "Form responses"),
                   ("meeting", "Meetings"))


@dataclass(frozen=True)
class HeardFilters:
    """Which slice of what was heard: a focus community, branch, dates, channel, source."""

    focus_community_id: int | None = None
    branch_id: int | None = None
    start: date | None = None
    end: date | None = None
    channel: HeardThrough | None = None
    source_kind: SourceKind | None = None

    @property
    def is_set(self) -> bool:
        return any(value is not None for value in vars(self).values())

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        """Return the WHERE clauses on Excerpt that make this slice."""
        wanted = [(Excerpt.focus_community_id, self.focus_community_id),
                  (Excerpt.branch_id, self.branch_id), (Excerpt.heard_through, self.channel),
                  (Excerpt.source_kind, self.source_kind)]
        conditions = [column == value for column, value in wanted if value is not None]
        if self.start is not None:
            conditions.append(Excerpt.heard_on >= self.start)
        if self.end is not None:
            conditions.append(Excerpt.heard_on <= self.end)
        return conditions

    def query_args(self) -> dict[str, str]:
        """Return the filters as query arguments, for links to the same slice."""
        return {name: value.isoformat() if isinstance(value, date) else str(value)
                for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class Tally:
    """A count and how the audience sees it: the number, or "fewer than 5"."""

    count: int
    shown: str
    is_hidden: bool

    @classmethod
    def of(cls, count: int, audience: Audience) -> "Tally":
        return cls(count, suppress_small(count, audience),
                   not audience.is_internal and count < SMALL_CELL)


@dataclass(frozen=True)
class ExcerptLine:
    """A coded passage as the audience may read it; the place only inside the library."""

    text: str
    heard_on: date
    source: str
    place: str
    is_sensitive: bool


@dataclass(frozen=True)
class QuoteLine:
    """Words someone said, credited no further than they agreed to."""

    text: str
    attribution: str
    is_anonymous: bool
    is_public: bool


@dataclass(frozen=True)
class ThemeFinding:
    """One theme with its evidence in the slice."""

    theme_id: int
    name: str
    kind: str
    description: str
    sources: Tally
    places: Tally
    excerpt_count: Tally
    first_heard: date
    last_heard: date
    excerpts: list[ExcerptLine] = field(default_factory=list)
    quotes: list[QuoteLine] = field(default_factory=list)


@dataclass(frozen=True)
class GrowthRow:
    """Distinct sources per month for one theme, or for everything heard."""

    name: str
    months: list[Tally]


@dataclass(frozen=True)
class Growth:
    """How themes grew: one column per month (its first day) of the filtered range."""

    months: list[date]
    rows: list[GrowthRow]
    everything: GrowthRow
    #: The range is longer than GROWTH_MONTHS; only its latest months are shown.
    is_cut: bool


@dataclass(frozen=True)
class WhatWeHeard:
    """The findings of one slice for one audience."""

    filters: HeardFilters
    audience: Audience
    themes: list[ThemeFinding]
    barriers: list[ThemeFinding]
    #: Distinct conversations, form responses and meetings: (label, tally).
    by_source: list[tuple[str, Tally]]
    sources: Tally
    places: Tally
    first_heard: date | None
    last_heard: date | None
    growth: Growth | None

    @property
    def is_empty(self) -> bool:
        return not self.themes and not self.barriers


def what_we_heard(filters: HeardFilters, audience: Audience, *, excerpts: int = SHOWN_EXCERPTS,
                  quotes: int = SHOWN_QUOTES) -> WhatWeHeard:
    """Return the ranked themes, barriers apart, with evidence fit for `audience`."""
    rows = db.session.execute(_theme_counts(filters)).all()
    ids = [row.id for row in rows]
    lines = _excerpt_lines(ids, filters, audience, excerpts) if excerpts else {}
    said = _quote_lines(ids, filters, audience, quotes) if quotes else {}
    findings = [ThemeFinding(
        theme_id=row.id, name=row.name, kind=ThemeKind(row.kind).label,
        description=row.description, sources=Tally.of(row.sources, audience),
        places=Tally.of(row.places, audience), excerpt_count=Tally.of(row.excerpts, audience),
        first_heard=row.first_heard, last_heard=row.last_heard, excerpts=lines.get(row.id, []),
        quotes=said.get(row.id, [])) for row in rows]
    totals = db.session.execute(
        sa.select(_distinct_sources(), _distinct_places(), sa.func.min(Excerpt.heard_on),
                  sa.func.max(Excerpt.heard_on)).where(*filters.conditions())).one()
    themes = [finding for finding, row in zip(findings, rows, strict=True)
              if row.kind != ThemeKind.BARRIER]
    return WhatWeHeard(
        filters=filters, audience=audience, themes=themes,
        barriers=[finding for finding, row in zip(findings, rows, strict=True)
                  if row.kind == ThemeKind.BARRIER],
        by_source=_by_source(filters, audience), sources=Tally.of(totals[0], audience),
        places=Tally.of(totals[1], audience), first_heard=totals[2], last_heard=totals[3],
        growth=_growth(filters, audience, themes[:CHARTED_THEMES], totals[2], totals[3]))


def charted(themes: list[ThemeFinding], limit: int = CHARTED_THEMES) -> list[ThemeFinding]:
    """Return the themes a chart may draw: the top ones, none whose count the audience hides."""
    return [finding for finding in themes[:limit] if not finding.sources.is_hidden]


def theme_chart(themes: list[ThemeFinding], title: str) -> Markup | None:
    """Return bars of distinct sources per theme, or None when there is nothing to draw."""
    if not themes:
        return None
    return bar_chart_svg(title, [finding.name for finding in themes],
                         [finding.sources.count for finding in themes], percent=False)


def _distinct_sources() -> sa.ColumnElement[int]:
    return sa.func.count(sa.distinct(Excerpt.source_key))


def _distinct_places() -> sa.ColumnElement[int]:
    # An excerpt heard nowhere in particular has place_key '' and is not a place.
    return sa.func.count(sa.distinct(sa.func.nullif(Excerpt.place_key, "")))


def _theme_counts(filters: HeardFilters) -> sa.Select:
    return (
        sa.select(Theme.id, Theme.name, Theme.kind, Theme.description,
                  _distinct_sources().label("sources"), _distinct_places().label("places"),
                  sa.func.count(Excerpt.id).label("excerpts"),
                  sa.func.min(Excerpt.heard_on).label("first_heard"),
                  sa.func.max(Excerpt.heard_on).label("last_heard"))
        .select_from(excerpt_themes)
        .join(Excerpt, Excerpt.id == excerpt_themes.c.excerpt_id)
        .join(Theme, Theme.id == excerpt_themes.c.theme_id)
        .where(Theme.status != ThemeStatus.PARKED, *filters.conditions())
        .group_by(Theme.id)
        .order_by(sa.desc("sources"), sa.desc("places"), sa.func.lower(Theme.name), Theme.id))


def _by_source(filters: HeardFilters, audience: Audience) -> list[tuple[str, Tally]]:
    family = sa.case((Excerpt.source_kind == SourceKind.ANSWER, "response"),
                     (Excerpt.source_kind == SourceKind.MEETING, "meeting"),
                     else_="conversation").label("family")
    counts = dict(db.session.execute(
        sa.select(family, _distinct_sources()).where(*filters.conditions()).group_by("family")
    ).all())
    return [(label, Tally.of(counts.get(key, 0), audience)) for key, label in SOURCE_FAMILIES]


def _shareable(audience: Audience) -> list[sa.ColumnElement[bool]]:
    """Return the clauses that keep excerpts the audience may read (Quote outer-joined)."""
    if audience.is_internal:
        return []
    return [Excerpt.is_sensitive.is_(False),
            sa.or_(Excerpt.quote_id.is_(None), _quote_may_leave())]


def _quote_may_leave() -> sa.ColumnElement[bool]:
    # A first name never leaves the library, even with consent to be named inside it.
    return sa.and_(Quote.is_public.is_(True),
                   Quote.attribution.in_([Attribution.ANONYMOUS, Attribution.ROLE]))


def _excerpt_lines(theme_ids: list[int], filters: HeardFilters, audience: Audience,
                   limit: int) -> dict[int, list[ExcerptLine]]:
    if audience == Audience.PUBLIC or not theme_ids:
        return {}
    theme_id = excerpt_themes.c.theme_id
    position = sa.func.row_number().over(
        partition_by=theme_id, order_by=(Excerpt.heard_on.desc(), Excerpt.id.desc()))
    ranked = (
        sa.select(theme_id, Excerpt.id.label("excerpt_id"), position.label("position"))
        .join(Excerpt, Excerpt.id == excerpt_themes.c.excerpt_id)
        .outerjoin(Quote, Quote.id == Excerpt.quote_id)
        .where(theme_id.in_(theme_ids), *filters.conditions(), *_shareable(audience))
    ).subquery()
    rows = db.session.execute(
        sa.select(ranked.c.theme_id, Excerpt).join(Excerpt, Excerpt.id == ranked.c.excerpt_id)
        .where(ranked.c.position <= limit).order_by(ranked.c.theme_id, ranked.c.position))
    lines: dict[int, list[ExcerptLine]] = {}
    for row_theme, excerpt in rows:
        lines.setdefault(row_theme, []).append(ExcerptLine(
            text=excerpt.text, heard_on=excerpt.heard_on, source=excerpt.source_kind_label,
            place=excerpt.place_label if audience.is_internal else "",
            is_sensitive=excerpt.is_sensitive))
    return lines


def _quote_lines(theme_ids: list[int], filters: HeardFilters, audience: Audience,
                 limit: int) -> dict[int, list[QuoteLine]]:
    if not theme_ids:
        return {}
    theme_id = excerpt_themes.c.theme_id
    rules = [] if audience.is_internal else [Excerpt.is_sensitive.is_(False), _quote_may_leave()]
    coded = (
        sa.select(theme_id, Quote.id.label("quote_id"),
                  sa.func.max(Excerpt.heard_on).label("heard_on"))
        .join(Excerpt, Excerpt.id == excerpt_themes.c.excerpt_id)
        .join(Quote, Quote.id == Excerpt.quote_id)
        .where(theme_id.in_(theme_ids), *filters.conditions(), *rules)
        .group_by(theme_id, Quote.id)
    ).subquery()
    ranked = sa.select(coded, sa.func.row_number().over(
        partition_by=coded.c.theme_id,
        order_by=(coded.c.heard_on.desc(), coded.c.quote_id.desc())).label("position")).subquery()
    rows = db.session.execute(
        sa.select(ranked.c.theme_id, Quote).join(Quote, Quote.id == ranked.c.quote_id)
        .where(ranked.c.position <= limit).order_by(ranked.c.theme_id, ranked.c.position))
    lines: dict[int, list[QuoteLine]] = {}
    for row_theme, quote in rows:
        lines.setdefault(row_theme, []).append(QuoteLine(
            text=quote.text, attribution=quote.attribution_label,
            is_anonymous=quote.attribution == Attribution.ANONYMOUS or not quote.attributed_to,
            is_public=quote.is_public))
    return lines


def _growth(filters: HeardFilters, audience: Audience, themes: list[ThemeFinding],
            first: date | None, last: date | None) -> Growth | None:
    if first is None or last is None:
        return None
    months = _months(filters.start or first, filters.end or last)
    shown = months[-GROWTH_MONTHS:]
    year = sa.extract("year", Excerpt.heard_on).label("year")
    month = sa.extract("month", Excerpt.heard_on).label("month")
    where = [*filters.conditions(), Excerpt.heard_on >= shown[0]]
    theme_id = excerpt_themes.c.theme_id
    per_theme = db.session.execute(
        sa.select(theme_id, year, month, _distinct_sources())
        .join(Excerpt, Excerpt.id == excerpt_themes.c.excerpt_id)
        .where(theme_id.in_([finding.theme_id for finding in themes]), *where)
        .group_by(theme_id, "year", "month"))
    counts = {(row[0], int(row[1]), int(row[2])): row[3] for row in per_theme}
    overall = db.session.execute(
        sa.select(year, month, _distinct_sources()).where(*where).group_by("year", "month"))
    everything = {(None, int(row[0]), int(row[1])): row[2] for row in overall}

    def row(key: int | None, name: str, source: dict) -> GrowthRow:
        return GrowthRow(name, [Tally.of(source.get((key, day.year, day.month), 0), audience)
                                for day in shown])

    return Growth(months=shown,
                  rows=[row(finding.theme_id, finding.name, counts) for finding in themes],
                  everything=row(None, "Everything we heard", everything),
                  is_cut=len(months) > len(shown))


def _months(start: date, end: date) -> list[date]:
    """Return the first day of every month from `start` to `end`, at least one."""
    months, day = [], date(start.year, start.month, 1)
    while day <= end or not months:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


@dataclass(frozen=True)
class AddYourVoice:
    """The open form people can use to add to what was heard."""

    title: str
    link: str
    short_link: str
    short_code: str
    qr_svg: Markup


@dataclass(frozen=True)
class Handout:
    """The printed "What we heard" handout: top themes, barriers, next steps, a way back in."""

    findings: WhatWeHeard
    focus_community: str
    branch: str
    themes: list[ThemeFinding]
    barriers: list[ThemeFinding]
    chart: Markup | None
    next_steps: str
    add_your_voice: AddYourVoice | None


def heard_handout(filters: HeardFilters, audience: Audience, *, language: str,
                  next_steps: str = "", survey: Survey | None = None,
                  large_print: bool = False) -> Handout:
    """Return the handout's content. Call it under force_locale() of the headings' language,
    so the chart title and the default next steps come out in it."""
    findings = what_we_heard(filters, audience, excerpts=0,
                             quotes=1 if large_print else HANDOUT_QUOTES)
    themes = findings.themes[:HANDOUT_THEMES_LARGE if large_print else HANDOUT_THEMES]
    community = (db.session.get(FocusCommunity, filters.focus_community_id)
                 if filters.focus_community_id else None)
    branch = db.session.get(Branch, filters.branch_id) if filters.branch_id else None
    return Handout(
        findings=findings, focus_community=community.name if community else "",
        branch=branch.name if branch else "", themes=themes,
        barriers=findings.barriers[:HANDOUT_BARRIERS],
        chart=theme_chart(charted(themes), gettext("How many conversations, forms and "
                                                   "meetings raised each theme")),
        next_steps=next_steps.strip() or gettext(
            "We will share these findings at a community meeting. Come and tell us whether we "
            "heard you right, and help choose what the library does first."),
        add_your_voice=_add_your_voice(survey, language) if survey is not None else None)


def _add_your_voice(survey: Survey, language: str) -> AddYourVoice:
    form_language = language if survey.offers(language) else None
    link = public_link(survey, form_language)
    title = survey.text("title", form_language)
    return AddYourVoice(title=title, link=link, short_link=short_link(survey, form_language),
                        short_code=survey.short_code, qr_svg=qr_svg(link, title=title))
