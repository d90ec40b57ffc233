"""Use cases for the community map. Services flush, never commit; the caller owns the transaction.

Save services take `details`: a mapping from a form's field names to typed values (see
`DetailsForm.details()`); ids of 0 mean "none".
"""

from collections.abc import Collection, Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from app.accounts.models import Branch, Role, User
from app.community.models import Contact, FocusCommunity, Organization, Space
from app.extensions import db
from app.languages import language_choices, language_name

FOCUS_COMMUNITY_FIELDS = ("name", "status", "languages", "who", "why_chosen", "baseline_notes")
ORGANIZATION_FIELDS = ("name", "kind", "asset_category", "area_served", "languages",
                       "programs_services", "gaps_barriers", "shareable_resources", "notes")
CONTACT_FIELDS = ("name", "role", "preferred_channel", "channel_value", "languages",
                  "has_consented")
SPACE_FIELDS = ("name", "kind", "area", "when_people_gather", "who_is_there",
                "accessibility_notes", "notes")


class FocusCommunityNameTaken(Exception):
    """Another focus community already has this name."""


class ChangeNoteWithoutChange(Exception):
    """A note about a change of standing was given, but neither value changed."""


def map_counts() -> dict[str, int]:
    """Return how many focus communities, organizations, contacts and spaces are on the map."""
    models = {"focus_communities": FocusCommunity, "organizations": Organization,
              "contacts": Contact, "spaces": Space}
    return {name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for name, model in models.items()}


def all_focus_communities() -> list[FocusCommunity]:
    """Return every focus community by name, with its branches."""
    query = (sa.select(FocusCommunity).order_by(FocusCommunity.name)
             .options(selectinload(FocusCommunity.branches)))
    return list(db.session.scalars(query))


def save_focus_community(community: FocusCommunity,
                         details: Mapping[str, Any]) -> FocusCommunity:
    """Create or update a focus community; its name must be unique, whatever the case."""
    clash = sa.select(FocusCommunity.id).where(
        sa.func.lower(FocusCommunity.name) == details["name"].lower())
    if community.id:
        clash = clash.where(FocusCommunity.id != community.id)
    if db.session.scalar(clash):
        raise FocusCommunityNameTaken(details["name"])
    _assign(community, details, FOCUS_COMMUNITY_FIELDS)
    community.branches = _by_ids(Branch, details["branch_ids"])
    db.session.add(community)
    db.session.flush()
    return community


def save_organization(organization: Organization, details: Mapping[str, Any], *,
                      changed_by: User) -> Organization:
    """Create or update an organization, keeping every change of its standing in the history.

    A new organization records its starting relationship status and engagement level.
    """
    standing = (details["relationship_status"], details["engagement_level"])
    unchanged = standing == (organization.relationship_status, organization.engagement_level)
    if details["change_note"] and unchanged:
        raise ChangeNoteWithoutChange()
    # The standing is set before the organization joins the session, so that a new one is
    # still without an id and records its starting values with no previous value.
    organization.change_standing(relationship_status=standing[0], engagement_level=standing[1],
                                 changed_by=changed_by, note=details["change_note"])
    _assign(organization, details, ORGANIZATION_FIELDS)
    organization.staff_lead_id = details["staff_lead_id"] or None
    organization.focus_communities = _by_ids(FocusCommunity, details["focus_community_ids"])
    db.session.add(organization)
    db.session.flush()
    return organization


def save_contact(contact: Contact, details: Mapping[str, Any]) -> Contact:
    """Create or update a contact person; without consent, no consent date or method is kept."""
    _assign(contact, details, CONTACT_FIELDS)
    contact.organization_id = details["organization_id"] or None
    contact.consented_on = details["consented_on"] if contact.has_consented else None
    contact.consent_method = (details["consent_method"] or None) if contact.has_consented else None
    db.session.add(contact)
    db.session.flush()
    return contact


def save_space(space: Space, details: Mapping[str, Any]) -> Space:
    """Create or update a community space."""
    _assign(space, details, SPACE_FIELDS)
    space.organization_id = details["organization_id"] or None
    space.focus_communities = _by_ids(FocusCommunity, details["focus_community_ids"])
    db.session.add(space)
    db.session.flush()
    return space


def organizations_matching(filters: Mapping[str, Any]) -> sa.Select:
    """Return a query for the organizations that match a search and filters, by name."""
    query = sa.select(Organization).order_by(Organization.name, Organization.id)
    if filters.get("q"):
        query = query.where(_contains(filters["q"], Organization.name,
                                      Organization.programs_services, Organization.area_served,
                                      Organization.notes))
    for name in ("kind", "asset_category", "relationship_status", "engagement_level",
                 "staff_lead_id"):
        if filters.get(name):
            query = query.where(getattr(Organization, name) == filters[name])
    if filters.get("focus_community_id"):
        query = query.where(Organization.focus_communities.any(
            FocusCommunity.id == filters["focus_community_id"]))
    if filters.get("language"):
        query = query.where(_has_language(Organization.languages, filters["language"]))
    return query


def contacts_matching(filters: Mapping[str, Any]) -> sa.Select:
    """Return a query for the contacts that match a search and an organization, by name."""
    query = (sa.select(Contact).order_by(Contact.name, Contact.id)
             .options(selectinload(Contact.organization)))
    if filters.get("q"):
        query = query.where(_contains(filters["q"], Contact.name, Contact.role))
    if filters.get("organization_id"):
        query = query.where(Contact.organization_id == filters["organization_id"])
    return query


def spaces_matching(filters: Mapping[str, Any]) -> sa.Select:
    """Return a query for the spaces that match a search and filters, by name."""
    query = (sa.select(Space).order_by(Space.name, Space.id)
             .options(selectinload(Space.organization)))
    if filters.get("q"):
        query = query.where(_contains(filters["q"], Space.name, Space.area, Space.who_is_there,
                                      Space.when_people_gather, Space.notes))
    if filters.get("kind"):
        query = query.where(Space.kind == filters["kind"])
    if filters.get("focus_community_id"):
        query = query.where(Space.focus_communities.any(
            FocusCommunity.id == filters["focus_community_id"]))
    return query


def staff_choices(*, blank: str, keep: User | None = None) -> list[tuple[int, str]]:
    """Return (id, name) pairs of active staff and admins, plus `keep` if it is not among them."""
    query = (sa.select(User).where(User.role.in_([Role.STAFF, Role.ADMIN]),
                                   User.disabled_at.is_(None)).order_by(User.name))
    people = list(db.session.scalars(query))
    if keep is not None and keep not in people:
        people.append(keep)
    return [(0, blank)] + [(person.id, person.name) for person in people]


def focus_community_choices(*, blank: str | None = None) -> list[tuple[int, str]]:
    """Return (id, name) pairs of every focus community."""
    rows = db.session.execute(sa.select(FocusCommunity.id, FocusCommunity.name)
                              .order_by(FocusCommunity.name))
    return ([(0, blank)] if blank else []) + [(row.id, row.name) for row in rows]


def organization_choices(*, blank: str) -> list[tuple[int, str]]:
    """Return (id, name) pairs of every organization."""
    rows = db.session.execute(sa.select(Organization.id, Organization.name)
                              .order_by(Organization.name, Organization.id))
    return [(0, blank)] + [(row.id, row.name) for row in rows]


def languages_with(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Return the library's languages plus any of `codes` that are no longer among them."""
    choices = language_choices()
    known = {code for code, _ in choices}
    return choices + [(code, language_name(code)) for code in codes if code not in known]


def _assign(record: db.Model, details: Mapping[str, Any], fields: Iterable[str]) -> None:
    for name in fields:
        setattr(record, name, details[name])


def _by_ids(model: type[db.Model], ids: Collection[int]) -> list:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(model).where(model.id.in_(ids))))


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(text: str, *columns: InstrumentedAttribute) -> sa.ColumnElement[bool]:
    pattern = _like_pattern(text)
    return sa.or_(*(column.ilike(pattern, escape="\\") for column in columns))


def _has_language(column: InstrumentedAttribute, code: str) -> sa.ColumnElement[bool]:
    # JSON lists are stored as text such as ["en", "ar"] on SQLite and PostgreSQL alike.
    return sa.cast(column, sa.Text).like(_like_pattern(f'"{code}"'), escape="\\")
