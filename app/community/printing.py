"""Plain data for the community documents: the asset map list and the focus community profile.

The same data can feed a screen. Contact people never appear here; staff notes and conversation
notes appear only for an internal audience.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.community.models import AssetCategory, FocusCommunity, Organization, RelationshipStatus
from app.conversations.models import Conversation
from app.conversations.services import last_contact_dates
from app.documents.audience import Audience
from app.extensions import db
from app.records import library_today

#: Organizations with these statuses are the focus community's known partners.
PARTNER_STATUSES = (RelationshipStatus.PARTNER, RelationshipStatus.IN_RELATIONSHIP)
RECENT_DAYS = 90
RECENT_CONVERSATIONS = 5


@dataclass(frozen=True)
class OrganizationEntry:
    """One organization or group as the documents show it."""

    name: str
    kind: str
    asset_category: str
    area_served: str
    languages: list[str]
    programs_services: str
    shareable_resources: str
    relationship_status: str
    engagement_level: str
    last_contact: date | None
    staff_notes: str = ""


@dataclass(frozen=True)
class CategoryGroup:
    """The organizations of one asset category."""

    category: str
    organizations: list[OrganizationEntry]


@dataclass(frozen=True)
class SpaceEntry:
    """A place where people gather."""

    name: str
    kind: str
    area: str
    when_people_gather: str
    accessibility_notes: str
    staff_notes: str = ""


@dataclass(frozen=True)
class AssetMap:
    """Organizations by asset category, and the community spaces, of one focus community."""

    focus_community: str
    who: str
    groups: list[CategoryGroup]
    spaces: list[SpaceEntry]

    @property
    def organization_count(self) -> int:
        return sum(len(group.organizations) for group in self.groups)


@dataclass(frozen=True)
class ConversationEntry:
    """When and where a conversation happened; notes only for an internal audience."""

    happened_on: date
    place: str
    kind: str
    notes: str = ""


@dataclass(frozen=True)
class Profile:
    """Who a focus community is, why the library chose it and what it knows so far."""

    name: str
    status: str
    who: str
    why_chosen: str
    baseline_notes: str
    branches: list[str]
    organizations_by_status: list[tuple[str, int]]
    space_count: int
    recent_conversation_count: int
    recent_days: int
    partners: list[OrganizationEntry]
    recent_conversations: list[ConversationEntry] = field(default_factory=list)

    @property
    def organization_count(self) -> int:
        return sum(count for _, count in self.organizations_by_status)


def asset_map(focus_community: FocusCommunity, *,
              audience: Audience = Audience.INTERNAL) -> AssetMap:
    """Return the asset map of `focus_community`: organizations by category, then spaces."""
    organizations = focus_community.organizations
    by_category: dict[str, list[OrganizationEntry]] = {category: [] for category in AssetCategory}
    for organization, entry in zip(organizations, organization_entries(
            organizations, audience=audience), strict=True):
        by_category[organization.asset_category].append(entry)
    spaces = [SpaceEntry(name=space.name, kind=space.kind_label, area=space.area,
                         when_people_gather=space.when_people_gather,
                         accessibility_notes=space.accessibility_notes,
                         staff_notes=space.notes if audience.is_internal else "")
              for space in focus_community.spaces]
    return AssetMap(focus_community=focus_community.name, who=focus_community.who,
                    groups=[CategoryGroup(AssetCategory(category).label, entries)
                            for category, entries in by_category.items() if entries],
                    spaces=spaces)


def focus_community_profile(focus_community: FocusCommunity, *,
                            audience: Audience = Audience.INTERNAL) -> Profile:
    """Return the one-page profile of `focus_community`."""
    organizations = focus_community.organizations
    statuses = [organization.relationship_status for organization in organizations]
    partners = sorted((organization for organization in organizations
                       if organization.relationship_status in PARTNER_STATUSES),
                      key=lambda organization: (
                          organization.relationship_status != RelationshipStatus.PARTNER,
                          organization.name.lower()))
    return Profile(
        name=focus_community.name, status=focus_community.status_label,
        who=focus_community.who, why_chosen=focus_community.why_chosen,
        baseline_notes=focus_community.baseline_notes,
        branches=[branch.name for branch in focus_community.branches],
        organizations_by_status=[(status.label, statuses.count(status))
                                 for status in RelationshipStatus],
        space_count=len(focus_community.spaces),
        recent_conversation_count=_conversations_since(
            focus_community, library_today() - timedelta(days=RECENT_DAYS)),
        recent_days=RECENT_DAYS,
        partners=organization_entries(partners, audience=audience),
        recent_conversations=_recent_conversations(focus_community, audience=audience),
    )


def organization_entries(organizations: list[Organization], *,
                         audience: Audience) -> list[OrganizationEntry]:
    """Return printable entries for `organizations`, with last contact dates in one query."""
    last_contact = last_contact_dates([organization.id for organization in organizations])
    return [
        OrganizationEntry(
            name=organization.name, kind=organization.kind_label,
            asset_category=organization.asset_category_label,
            area_served=organization.area_served, languages=list(organization.languages or []),
            programs_services=organization.programs_services,
            shareable_resources=organization.shareable_resources,
            relationship_status=organization.relationship_status_label,
            engagement_level=organization.engagement_level_label,
            last_contact=last_contact.get(organization.id),
            staff_notes=organization.notes if audience.is_internal else "")
        for organization in organizations
    ]


def _conversations_since(focus_community: FocusCommunity, since: date) -> int:
    query = sa.select(sa.func.count(Conversation.id)).where(
        Conversation.focus_community_id == focus_community.id, Conversation.happened_on >= since)
    return db.session.scalar(query) or 0


def _recent_conversations(focus_community: FocusCommunity, *,
                          audience: Audience) -> list[ConversationEntry]:
    # Sensitive conversations stay out of printouts altogether.
    query = (
        sa.select(Conversation)
        .where(Conversation.focus_community_id == focus_community.id,
               Conversation.is_sensitive.is_(False))
        .order_by(Conversation.happened_on.desc(), Conversation.id.desc())
        .limit(RECENT_CONVERSATIONS)
        .options(selectinload(Conversation.space), selectinload(Conversation.place_organization))
    )
    return [ConversationEntry(happened_on=conversation.happened_on,
                              place=conversation.place_label or "Not recorded",
                              kind=conversation.kind_label,
                              notes=conversation.notes if audience.is_internal else "")
            for conversation in db.session.scalars(query)]
