"""Staff screens for importing past outcome data from a CSV file into a form: upload, match the
columns to questions, preview with every problem listed, import, and the list of past imports.

Staff only. The kept file is named by a token in the URL that belongs to the person who uploaded
it; anyone else's token, or a made-up one, answers 404.
"""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.accounts.access import Access, allow
from app.errors import forget_unread_body
from app.evaluation import bp, importing
from app.evaluation.import_forms import ImportForm, UploadForm, build_mapping_form
from app.evaluation.importing import ImportRefused, Upload, UploadNotFound
from app.evaluation.models import OutcomeImport
from app.extensions import csrf, db
from app.forms import SubmitForm
from app.surveys.models import Survey

#: Room for the form fields around a file of the largest size we take.
UPLOAD_REQUEST_LIMIT = importing.MAX_BYTES + 64 * 1024
TOO_BIG = "The file is larger than 5 MB. Split it into smaller files and import each one."


def get_upload_or_404(survey: Survey, token: str) -> Upload:
    """Return the current person's kept upload for `survey`, or answer 404."""
    try:
        return importing.load_upload(token, survey, current_user)
    except UploadNotFound:
        abort(404)


@bp.route("/forms/<int:survey_id>/import", methods=["GET", "POST"])
@allow(Access.STAFF)
@csrf.exempt  # checked below, once this page's larger upload limit is in place
def start_import(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    request.max_content_length = UPLOAD_REQUEST_LIMIT
    try:
        if request.method == "POST" and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        form = UploadForm()
    except RequestEntityTooLarge:
        forget_unread_body()
        return render_template("evaluation/import_upload.html", survey=survey,
                               form=UploadForm(formdata=None), refusal=TOO_BIG), 413
    if form.validate_on_submit():
        try:
            upload = importing.keep_upload(
                survey, current_user, filename=form.file.data.filename or "",
                content=form.file.data.read(importing.MAX_BYTES + 1),
                source_tool=form.source_tool.data or "")
        except ImportRefused as refusal:
            form.file.errors.append(str(refusal))
        else:
            return redirect(url_for(".import_columns", survey_id=survey.id, token=upload.token))
    return render_template("evaluation/import_upload.html", survey=survey, form=form)


@bp.route("/forms/<int:survey_id>/import/<token>/columns", methods=["GET", "POST"])
@allow(Access.STAFF)
def import_columns(survey_id: int, token: str):
    survey = db.get_or_404(Survey, survey_id)
    upload = get_upload_or_404(survey, token)
    table = importing.read_table(upload)
    chosen = upload.mapping or importing.guess_mapping(table.columns, survey)
    form = build_mapping_form(table, importing.mapping_choices(survey), chosen)()
    if form.validate_on_submit():
        try:
            importing.set_mapping(upload, form.mapping(), survey)
        except ImportRefused as refusal:
            flash(str(refusal), "error")
        else:
            return redirect(url_for(".import_preview", survey_id=survey.id, token=token))
    return render_template("evaluation/import_columns.html", survey=survey, upload=upload,
                           form=form, row_count=len(table.rows))


@bp.route("/forms/<int:survey_id>/import/<token>/preview")
@allow(Access.STAFF)
def import_preview(survey_id: int, token: str):
    survey = db.get_or_404(Survey, survey_id)
    upload = get_upload_or_404(survey, token)
    if not upload.mapping:
        return redirect(url_for(".import_columns", survey_id=survey.id, token=token))
    return render_template(
        "evaluation/import_preview.html", survey=survey, upload=upload, form=ImportForm(),
        check=importing.check_upload(upload, survey),
        earlier=importing.earlier_imports(upload, survey))


@bp.route("/forms/<int:survey_id>/import/<token>/run", methods=["POST"])
@allow(Access.STAFF)
def run_import(survey_id: int, token: str):
    survey = db.get_or_404(Survey, survey_id)
    upload = get_upload_or_404(survey, token)
    form = ImportForm()
    try:
        record, skipped = importing.import_upload(upload, survey, current_user,
                                                  allow_repeat=form.import_again.data)
    except ImportRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for(".import_preview", survey_id=survey.id, token=token))
    db.session.commit()
    importing.discard_upload(upload.token)
    left_out = f" {skipped:,} rows without answers were left out." if skipped else ""
    flash(f"Imported {record.row_count:,} responses from {record.filename}.{left_out}", "success")
    return redirect(url_for(".imports", survey_id=survey.id))


@bp.route("/forms/<int:survey_id>/imports")
@allow(Access.STAFF)
def imports(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    return render_template("evaluation/import_list.html", survey=survey,
                           imports=importing.imports_of(survey))


@bp.route("/forms/<int:survey_id>/imports/<int:import_id>/remove", methods=["GET", "POST"])
@allow(Access.STAFF)
def remove_import(survey_id: int, import_id: int):
    record = db.first_or_404(sa.select(OutcomeImport).where(
        OutcomeImport.id == import_id, OutcomeImport.survey_id == survey_id))
    form = SubmitForm()
    if form.validate_on_submit():
        removed = importing.remove_import(record)
        db.session.commit()
        flash(f"Removed the import of {record.filename} and its {removed:,} responses.",
              "success")
        return redirect(url_for(".imports", survey_id=survey_id))
    return render_template("evaluation/import_remove.html", survey=record.survey,
                           record=record, form=form)
