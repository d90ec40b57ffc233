"""The community map: focus communities, organizations and groups, contact people, spaces."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Branch, User
from app.extensions import db
from app.records import Choice, Timestamped, choice_column, utcnow


class FocusCommunityStatus(Choice):
    EXPLORING = "exploring"
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class OrganizationKind(Choice):
    ORGANIZATION = "organization"
    INFORMAL_GROUP = "informal_group", "Informal group"


class AssetCategory(Choice):
    ASSOCIATION = "association"
    INSTITUTION = "institution"
    BUSINESS = "business", "Business / local economy"
    FAITH = "faith", "Faith community"
    SCHOOL = "school"
    GOVERNMENT = "government"
    GRASSROOTS = "grassroots", "Grassroots group"


class RelationshipStatus(Choice):
    IDENTIFIED = "identified"
    CONTACTED = "contacted"
    IN_RELATIONSHIP = "in_relationship", "In relationship"
    PARTNER = "partner"
    DORMANT = "dormant"


class EngagementLevel(Choice):
    INFORMING = "informing"
    CONSULTING = "consulting"
    ENGAGING = "engaging"
    PARTNERING = "partnering"


class ContactChannel(Choice):
    PHONE = "phone"
    TEXT = "text", "Text message"
    EMAIL = "email"
    IN_PERSON = "in_person", "In person"
    THROUGH_ORGANIZATION = "through_organization", "Through their organization"


class ConsentMethod(Choice):
    VERBAL = "verbal", "Verbal, noted by staff"
    SIGNED = "signed", "Signed form"
    EMAIL = "email", "By email"
    ONLINE = "online", "Online form"


class SpaceKind(Choice):
    DROP_IN = "drop_in", "Drop-in centre"
    LAUNDROMAT = "laundromat"
    CAFE = "cafe", "Café or food court"
    PLACE_OF_WORSHIP = "place_of_worship", "Place of worship"
    PARK = "park", "Park or outdoor space"
    SCHOOL = "school", "School or family room"
    FOOD_BANK = "food_bank", "Food bank"
    REC_CENTRE = "rec_centre", "Recreation centre"
    MARKET = "market", "Market or shop"
    HOUSING_LOBBY = "housing_lobby", "Housing lobby or common room"
    OTHER = "other"


focus_community_branches = sa.Table(
    "focus_community_branches",
    db.metadata,
    sa.Column("focus_community_id", sa.ForeignKey("focus_communities.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
)

organization_focus_communities = sa.Table(
    "organization_focus_communities",
    db.metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("focus_community_id", sa.ForeignKey("focus_communities.id", ondelete="CASCADE"),
              primary_key=True),
)

space_focus_communities = sa.Table(
    "space_focus_communities",
    db.metadata,
    sa.Column("space_id", sa.ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("focus_community_id", sa.ForeignKey("focus_communities.id", ondelete="CASCADE"),
              primary_key=True),
)


class FocusCommunity(Timestamped, db.Model):
    """A segment of the community the library chooses to work with, e.g. newcomer families."""

    __tablename__ = "focus_communities"
    __table_args__ = (FocusCommunityStatus.check("status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    #: Who the library is working with, in plain words.
    who: Mapped[str] = mapped_column(sa.Text, default="")
    why_chosen: Mapped[str] = mapped_column(sa.Text, default="")
    #: What exists already: relationships, resources, data and its source and date.
    baseline_notes: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = choice_column(FocusCommunityStatus, default=FocusCommunityStatus.ACTIVE)
    #: The languages the community speaks, e.g. ["en", "ar"]: handouts carry their headings.
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    branches: Mapped[list[Branch]] = relationship(secondary=focus_community_branches,
                                                  order_by=Branch.name)
    organizations: Mapped[list["Organization"]] = relationship(
        secondary=organization_focus_communities, back_populates="focus_communities",
        order_by="Organization.name")
    spaces: Mapped[list["Space"]] = relationship(
        secondary=space_focus_communities, back_populates="focus_communities",
        order_by="Space.name")

    @property
    def status_label(self) -> str:
        return FocusCommunityStatus(self.status).label


class Organization(Timestamped, db.Model):
    """An organization or informal group: a community asset and possibly a partner."""

    __tablename__ = "organizations"
    __table_args__ = (
        OrganizationKind.check("kind"),
        AssetCategory.check("asset_category"),
        RelationshipStatus.check("relationship_status"),
        EngagementLevel.check("engagement_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    kind: Mapped[str] = choice_column(OrganizationKind, default=OrganizationKind.ORGANIZATION)
    asset_category: Mapped[str] = choice_column(AssetCategory)
    area_served: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Language codes, e.g. ["en", "ar"].
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    programs_services: Mapped[str] = mapped_column(sa.Text, default="")
    #: Gaps and barriers the organization itself sees in the community.
    gaps_barriers: Mapped[str] = mapped_column(sa.Text, default="")
    #: Space, equipment, volunteers or skills it could share.
    shareable_resources: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    staff_lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    relationship_status: Mapped[str] = choice_column(
        RelationshipStatus, default=RelationshipStatus.IDENTIFIED)
    engagement_level: Mapped[str] = choice_column(
        EngagementLevel, default=EngagementLevel.INFORMING)

    staff_lead: Mapped[User | None] = relationship()
    focus_communities: Mapped[list[FocusCommunity]] = relationship(
        secondary=organization_focus_communities, back_populates="organizations",
        order_by=FocusCommunity.name)
    contacts: Mapped[list["Contact"]] = relationship(back_populates="organization",
                                                     order_by="Contact.name")
    spaces: Mapped[list["Space"]] = relationship(back_populates="organization",
                                                 order_by="Space.name")
    status_changes: Mapped[list["OrganizationStatusChange"]] = relationship(
        back_populates="organization", cascade="all, delete-orphan",
        order_by="OrganizationStatusChange.changed_at.desc()")

    @property
    def kind_label(self) -> str:
        return OrganizationKind(self.kind).label

    @property
    def asset_category_label(self) -> str:
        return AssetCategory(self.asset_category).label

    @property
    def relationship_status_label(self) -> str:
        return RelationshipStatus(self.relationship_status).label

    @property
    def engagement_level_label(self) -> str:
        return EngagementLevel(self.engagement_level).label

    def change_standing(self, *, relationship_status: str, engagement_level: str,
                        changed_by: User, note: str = "") -> None:
        """Set relationship status and engagement level, keeping each change in the history."""
        for field, value in (("relationship_status", relationship_status),
                             ("engagement_level", engagement_level)):
            previous = getattr(self, field)
            if previous == value:
                continue
            setattr(self, field, value)
            # A brand-new organization records its starting standing, with no previous value.
            self.status_changes.append(OrganizationStatusChange(
                field=field, previous=previous if self.id else None, value=value,
                changed_by=changed_by, note=note))


class StandingField(Choice):
    RELATIONSHIP_STATUS = "relationship_status", "Relationship"
    ENGAGEMENT_LEVEL = "engagement_level", "Engagement"


class OrganizationStatusChange(db.Model):
    """One change of an organization's relationship status or engagement level."""

    __tablename__ = "organization_status_changes"
    __table_args__ = (StandingField.check("field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = choice_column(StandingField)
    previous: Mapped[str | None] = mapped_column(sa.String(40))
    value: Mapped[str] = mapped_column(sa.String(40))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    organization: Mapped[Organization] = relationship(back_populates="status_changes")
    changed_by: Mapped[User | None] = relationship()

    @property
    def field_label(self) -> str:
        return StandingField(self.field).label

    def _label(self, value: str | None) -> str:
        if value is None:
            return ""
        vocabulary = (RelationshipStatus if self.field == StandingField.RELATIONSHIP_STATUS
                      else EngagementLevel)
        return vocabulary(value).label

    @property
    def previous_label(self) -> str:
        return self._label(self.previous)

    @property
    def value_label(self) -> str:
        return self._label(self.value)


class Contact(Timestamped, db.Model):
    """A named person, usually in their role at an organization. Personal data: staff only."""

    __tablename__ = "contacts"
    __table_args__ = (
        ContactChannel.check("preferred_channel"),
        ConsentMethod.check("consent_method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"),
                                                        index=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    role: Mapped[str] = mapped_column(sa.String(160), default="")
    preferred_channel: Mapped[str] = choice_column(
        ContactChannel, default=ContactChannel.THROUGH_ORGANIZATION)
    #: The phone number, email address or other detail for the preferred channel.
    channel_value: Mapped[str] = mapped_column(sa.String(200), default="")
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Whether the person agreed to be contacted by the library.
    has_consented: Mapped[bool] = mapped_column(default=False)
    consented_on: Mapped[date | None] = mapped_column(sa.Date)
    consent_method: Mapped[str | None] = choice_column(ConsentMethod)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    organization: Mapped[Organization | None] = relationship(back_populates="contacts")

    @property
    def preferred_channel_label(self) -> str:
        return ContactChannel(self.preferred_channel).label

    @property
    def consent_method_label(self) -> str:
        return ConsentMethod(self.consent_method).label if self.consent_method else ""


class Space(Timestamped, db.Model):
    """A place where people gather: a laundromat, a lobby, a food bank line."""

    __tablename__ = "spaces"
    __table_args__ = (SpaceKind.check("kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    kind: Mapped[str] = choice_column(SpaceKind, default=SpaceKind.OTHER)
    #: Neighbourhood or address, as precise as is useful.
    area: Mapped[str] = mapped_column(sa.String(200), default="")
    when_people_gather: Mapped[str] = mapped_column(sa.String(300), default="")
    who_is_there: Mapped[str] = mapped_column(sa.Text, default="")
    accessibility_notes: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"),
                                                        index=True)

    organization: Mapped[Organization | None] = relationship(back_populates="spaces")
    focus_communities: Mapped[list[FocusCommunity]] = relationship(
        secondary=space_focus_communities, back_populates="spaces",
        order_by=FocusCommunity.name)

    @property
    def kind_label(self) -> str:
        return SpaceKind(self.kind).label
