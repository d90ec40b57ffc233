"""Screens for the community map: focus communities, organizations, contacts and spaces.

Everything here is staff-only: contacts are personal data, and the rest is the library's own
working record.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.accounts.services import branch_choices
from app.community import bp
from app.community.forms import (
    ContactFilterForm,
    ContactForm,
    FocusCommunityForm,
    OrganizationFilterForm,
    OrganizationForm,
    SpaceFilterForm,
    SpaceForm,
)
from app.community.models import Contact, FocusCommunity, Organization, Space
from app.community.services import (
    ChangeNoteWithoutChange,
    FocusCommunityNameTaken,
    all_focus_communities,
    contacts_matching,
    focus_community_choices,
    languages_with,
    map_counts,
    organization_choices,
    organizations_matching,
    save_contact,
    save_focus_community,
    save_organization,
    save_space,
    spaces_matching,
    staff_choices,
)
from app.conversations.services import last_contact_dates, timeline
from app.extensions import db
from app.privacy.audit import AuditAction, record


@bp.route("/")
@allow(Access.STAFF)
def index():
    """Show the community map at a glance: counts, links and the focus communities."""
    return render_template("community/index.html", counts=map_counts(),
                           focus_communities=all_focus_communities())


# Focus communities

@bp.route("/focus-communities/")
@allow(Access.STAFF)
def focus_communities():
    """List the focus communities."""
    return render_template("community/focus_communities.html",
                           focus_communities=all_focus_communities())


@bp.route("/focus-communities/<int:focus_community_id>")
@allow(Access.STAFF)
def focus_community(focus_community_id: int):
    """Show a focus community, its organizations and spaces, and its conversations."""
    community = db.get_or_404(FocusCommunity, focus_community_id)
    return render_template("community/focus_community.html", community=community,
                           conversations=timeline(focus_community=community))


def _focus_community_form(community: FocusCommunity) -> FocusCommunityForm:
    form = FocusCommunityForm(obj=community if community.id else None)
    closed = [(branch.id, branch.name) for branch in community.branches if not branch.is_active]
    form.branch_ids.choices = branch_choices(include_blank=None) + closed
    form.languages.choices = languages_with(community.languages or [])
    if request.method == "GET" and community.id:
        form.branch_ids.data = [branch.id for branch in community.branches]
    return form


@bp.route("/focus-communities/new", methods=["GET", "POST"],
          defaults={"focus_community_id": None})
@bp.route("/focus-communities/<int:focus_community_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_focus_community(focus_community_id: int | None):
    """Add a focus community or change one."""
    community = (db.get_or_404(FocusCommunity, focus_community_id) if focus_community_id
                 else FocusCommunity())
    form = _focus_community_form(community)
    if form.validate_on_submit():
        try:
            save_focus_community(community, form.details())
        except FocusCommunityNameTaken:
            form.name.errors.append("Another focus community already has this name.")
        else:
            db.session.commit()
            flash(f"Saved {community.name}.", "success")
            return redirect(url_for(".focus_community", focus_community_id=community.id))
    return render_template("community/edit_focus_community.html", form=form, community=community)


# Organizations and informal groups

@bp.route("/organizations/")
@allow(Access.STAFF)
def organizations():
    """List organizations and groups, searched, filtered and a page at a time."""
    form = OrganizationFilterForm(request.args)
    form.focus_community_id.choices = focus_community_choices(blank="Any focus community")
    form.language.choices = [("", "Any language")] + languages_with([])
    form.staff_lead_id.choices = staff_choices(blank="Anyone")
    form.validate()
    filters = form.filters()
    page = db.paginate(organizations_matching(filters), per_page=current_app.config["PAGE_SIZE"])
    return render_template("community/organizations.html", form=form, filters=filters,
                           page=page, last_contacts=last_contact_dates(
                               [organization.id for organization in page.items]))


@bp.route("/organizations/<int:organization_id>")
@allow(Access.STAFF)
def organization(organization_id: int):
    """Show an organization, its people and spaces, its standing and its history."""
    organization = db.get_or_404(Organization, organization_id)
    last_contact = last_contact_dates([organization.id]).get(organization.id)
    return render_template("community/organization.html", organization=organization,
                           last_contact=last_contact,
                           conversations=timeline(organization=organization))


def _organization_form(organization: Organization) -> OrganizationForm:
    form = OrganizationForm(obj=organization if organization.id else None)
    form.languages.choices = languages_with(organization.languages or [])
    form.staff_lead_id.choices = staff_choices(blank="No staff lead",
                                               keep=organization.staff_lead)
    form.focus_community_ids.choices = focus_community_choices()
    if request.method == "GET" and organization.id:
        form.staff_lead_id.data = organization.staff_lead_id or 0
        form.focus_community_ids.data = [fc.id for fc in organization.focus_communities]
    return form


@bp.route("/organizations/new", methods=["GET", "POST"], defaults={"organization_id": None})
@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_organization(organization_id: int | None):
    """Add an organization or change one, keeping changes of standing."""
    organization = (db.get_or_404(Organization, organization_id) if organization_id
                    else Organization())
    form = _organization_form(organization)
    if form.validate_on_submit():
        try:
            save_organization(organization, form.details(), changed_by=current_user)
        except ChangeNoteWithoutChange:
            form.change_note.errors.append(
                "Neither the relationship status nor the engagement level changed. Change one, "
                "or put this in Notes instead.")
        else:
            db.session.commit()
            flash(f"Saved {organization.name}.", "success")
            return redirect(url_for(".organization", organization_id=organization.id))
    return render_template("community/edit_organization.html", form=form,
                           organization=organization)


# Contact people

@bp.route("/contacts/")
@allow(Access.STAFF)
def contacts():
    """List contact people, searched and filtered by organization."""
    form = ContactFilterForm(request.args)
    form.organization_id.choices = organization_choices(blank="Any organization")
    form.validate()
    filters = form.filters()
    page = db.paginate(contacts_matching(filters), per_page=current_app.config["PAGE_SIZE"])
    return render_template("community/contacts.html", form=form, filters=filters, page=page)


@bp.route("/contacts/<int:contact_id>")
@allow(Access.STAFF)
def contact(contact_id: int):
    """Show a contact person, their consent and the conversations with them."""
    contact = db.get_or_404(Contact, contact_id)
    record(AuditAction.VIEW_PERSONAL, f"contact {contact.id}")
    db.session.commit()
    return render_template("community/contact.html", contact=contact,
                           conversations=timeline(contact=contact))


def _contact_form(contact: Contact) -> ContactForm:
    if contact.id:
        form = ContactForm(obj=contact)
    else:
        form = ContactForm(organization_id=request.args.get("organization_id", 0, type=int))
    form.organization_id.choices = organization_choices(blank="None: a person on their own")
    form.languages.choices = languages_with(contact.languages or [])
    if request.method == "GET" and contact.id:
        form.organization_id.data = contact.organization_id or 0
        form.consent_method.data = contact.consent_method or ""
    return form


@bp.route("/contacts/new", methods=["GET", "POST"], defaults={"contact_id": None})
@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_contact(contact_id: int | None):
    """Add a contact person or change one."""
    contact = db.get_or_404(Contact, contact_id) if contact_id else Contact()
    form = _contact_form(contact)
    if form.validate_on_submit():
        save_contact(contact, form.details())
        db.session.commit()
        flash(f"Saved {contact.name}.", "success")
        return redirect(url_for(".contact", contact_id=contact.id))
    return render_template("community/edit_contact.html", form=form, contact=contact)


# Community spaces

@bp.route("/spaces/")
@allow(Access.STAFF)
def spaces():
    """List community spaces, searched and filtered."""
    form = SpaceFilterForm(request.args)
    form.focus_community_id.choices = focus_community_choices(blank="Any focus community")
    form.validate()
    filters = form.filters()
    page = db.paginate(spaces_matching(filters), per_page=current_app.config["PAGE_SIZE"])
    return render_template("community/spaces.html", form=form, filters=filters, page=page)


@bp.route("/spaces/<int:space_id>")
@allow(Access.STAFF)
def space(space_id: int):
    """Show a community space and the conversations held there."""
    space = db.get_or_404(Space, space_id)
    return render_template("community/space.html", space=space,
                           conversations=timeline(space=space))


def _space_form(space: Space) -> SpaceForm:
    if space.id:
        form = SpaceForm(obj=space)
    else:
        form = SpaceForm(organization_id=request.args.get("organization_id", 0, type=int))
    form.organization_id.choices = organization_choices(blank="None")
    form.focus_community_ids.choices = focus_community_choices()
    if request.method == "GET" and space.id:
        form.organization_id.data = space.organization_id or 0
        form.focus_community_ids.data = [fc.id for fc in space.focus_communities]
    return form


@bp.route("/spaces/new", methods=["GET", "POST"], defaults={"space_id": None})
@bp.route("/spaces/<int:space_id>/edit", methods=["GET", "POST"])
@allow(Access.STAFF)
def edit_space(space_id: int | None):
    """Add a community space or change one."""
    space = db.get_or_404(Space, space_id) if space_id else Space()
    form = _space_form(space)
    if form.validate_on_submit():
        save_space(space, form.details())
        db.session.commit()
        flash(f"Saved {space.name}.", "success")
        return redirect(url_for(".space", space_id=space.id))
    return render_template("community/edit_space.html", form=form, space=space)
