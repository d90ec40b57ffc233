"""The admin's privacy pages: retention at a glance, one person's records, the audit log."""

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.access import Access, allow
from app.extensions import db
from app.privacy import bp
from app.privacy.audit import EVENTS_PER_PAGE, events_query
from app.privacy.forms import AuditFilterForm, PersonRecordsForm, PersonSearchForm
from app.privacy.people import (
    CannotAnonymise,
    PersonRecord,
    anonymise_person,
    export_person,
    find_person,
    records_from_refs,
)
from app.privacy.retention import COMMAND, plan_retention
from app.records import library_today


@bp.route("/admin/privacy")
@allow(Access.ADMIN)
def index():
    """Show the retention settings and what falls due, and search for one person's records."""
    search = PersonSearchForm(request.args)
    found = find_person(search.q.data) if search.q.data and search.validate() else []
    # Nothing is ticked at first: the admin picks the person's own records from what matched.
    form = _records_form(found, term=search.q.data or "")
    return render_template("privacy/index.html", schedule=plan_retention(), command=COMMAND,
                           search=search, found=found, form=form)


@bp.route("/admin/privacy/person/export", methods=["POST"])
@allow(Access.ADMIN)
def export():
    """Download every chosen record of one person as JSON; the export is audited."""
    records, form = _chosen_records()
    if not form.validate_on_submit():
        flash("Choose at least one record to export.", "error")
        return redirect(url_for(".index", q=form.q.data or None))
    document = json.dumps(export_person(records), ensure_ascii=False, indent=2)
    db.session.commit()
    filename = f"person-export-{library_today().isoformat()}.json"
    return Response(document, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/admin/privacy/person/anonymise", methods=["POST"])
@allow(Access.ADMIN)
def anonymise():
    """Show what anonymising will change; once confirmed, do it."""
    records, form = _chosen_records()
    if not form.validate_on_submit():
        flash("Choose at least one record to anonymise.", "error")
        return redirect(url_for(".index", q=form.q.data or None))
    if not form.is_confirmed:
        return render_template("privacy/anonymise.html", form=form, records=records)
    try:
        count = anonymise_person(records, by=current_user)
    except CannotAnonymise as refused:
        flash(str(refused), "error")
        return redirect(url_for(".index", q=form.q.data or None))
    db.session.commit()
    flash(f"Anonymised {count} record{'s' if count != 1 else ''}.", "success")
    return redirect(url_for(".index"))


@bp.route("/admin/privacy/audit")
@allow(Access.ADMIN)
def audit():
    """List who looked at, exported or changed personal details, newest first."""
    form = AuditFilterForm(request.args)
    action = form.action.data if form.validate() else ""
    page = db.paginate(events_query(action), per_page=EVENTS_PER_PAGE)
    return render_template("privacy/audit.html", form=form, page=page,
                           args={"action": action} if action else {})


def _records_form(records: list[PersonRecord], *, term: str) -> PersonRecordsForm:
    form = PersonRecordsForm(q=term)
    form.records.choices = [(item.ref, f"{item.label}: {item.details}") for item in records]
    return form


def _chosen_records() -> tuple[list[PersonRecord], PersonRecordsForm]:
    """Load the records ticked in the posted form, and the form itself."""
    records = records_from_refs(request.form.getlist("records"))
    return records, _records_form(records, term=request.form.get("q", ""))
