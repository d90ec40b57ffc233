"""Printed documents of the community map: the asset map list and the focus community profile."""

from typing import Any

from flask import request
from flask_login import current_user

from app.accounts.access import Access, allow
from app.community import bp
from app.community.models import FocusCommunity
from app.community.printing import asset_map, focus_community_profile
from app.documents.audience import Audience, PrintOptions, print_request
from app.documents.pdf import pdf_filename, pdf_response, render_pdf
from app.extensions import db


@bp.route("/focus-communities/<int:focus_community_id>/asset-map.pdf")
@allow(Access.STAFF)
def asset_map_pdf(focus_community_id: int):
    """Print the organizations and spaces of a focus community, by asset category."""
    focus_community = db.get_or_404(FocusCommunity, focus_community_id)
    options = print_request(request.args, default=Audience.PARTNERS, viewer=current_user)
    pdf = _render("pdf/community/asset_map.html", f"Asset map: {focus_community.name}", options,
                  asset_map=asset_map(focus_community, audience=options.audience))
    return pdf_response(pdf, pdf_filename("asset map", focus_community.name))


@bp.route("/focus-communities/<int:focus_community_id>/profile.pdf")
@allow(Access.STAFF)
def profile_pdf(focus_community_id: int):
    """Print the one-page profile of a focus community."""
    focus_community = db.get_or_404(FocusCommunity, focus_community_id)
    options = print_request(request.args, default=Audience.INTERNAL, viewer=current_user)
    pdf = _render("pdf/community/profile.html", f"Focus community profile: {focus_community.name}",
                  options, profile=focus_community_profile(focus_community,
                                                           audience=options.audience))
    return pdf_response(pdf, pdf_filename("profile", focus_community.name))


def _render(template: str, title: str, options: PrintOptions, **data: Any) -> bytes:
    return render_pdf(template, audience=options.audience, title=title,
                      large_print=options.large_print, **data)
