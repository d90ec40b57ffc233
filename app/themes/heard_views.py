"""What we heard: the findings of a slice on screen, and the handout printed from the same data.

Members of action groups see aggregate findings too, as partners would: counts under 5 hidden,
no sensitive notes, no names. Only staff may ask for the internal version.
"""

from flask import abort, render_template, request
from flask_babel import force_locale, gettext
from flask_login import current_user
from wtforms import Form

from app.accounts.access import Access, allow
from app.documents.audience import Audience
from app.documents.pdf import pdf_filename, pdf_response, render_pdf
from app.errors import render_error
from app.languages import language_name
from app.surveys.locale import FALLBACK, interface_language
from app.surveys.printing import direction_of
from app.themes import bp
from app.themes.heard import charted, heard_handout, theme_chart, what_we_heard
from app.themes.heard_forms import HeardFilterForm, HeardPrintForm, has_headings_in


@bp.route("/heard")
@allow(Access.MEMBER)
def heard():
    """Show the themes of a slice ranked by distinct sources and places, barriers apart."""
    form = _filter_form()
    print_form = HeardPrintForm(formdata=None)
    print_form.use_choices(is_staff=current_user.is_staff,
                           focus_community_id=form.focus_community_id.data)
    if not form.validate():
        return render_template("themes/heard.html", form=form, print_form=print_form,
                               findings=None, chart=None), 400
    findings = what_we_heard(form.filters(), form.chosen_audience)
    drawn = charted(findings.themes)
    return render_template("themes/heard.html", form=form, print_form=print_form,
                           findings=findings, charted_count=len(drawn),
                           chart=theme_chart(drawn, "Distinct sources per theme"))


@bp.route("/heard.pdf")
@allow(Access.MEMBER)
def heard_pdf():
    """Print the "What we heard" handout of a slice: for the public unless asked otherwise."""
    form = _filter_form()
    print_form = HeardPrintForm(request.args)
    print_form.use_choices(is_staff=current_user.is_staff,
                           focus_community_id=form.focus_community_id.data)
    filters_ok, options_ok = form.validate(), print_form.validate()
    if not (filters_ok and options_ok):
        return render_error(400, _problems(form, print_form))
    asked = print_form.lang.data
    language = interface_language(asked) if has_headings_in(asked) else FALLBACK
    with force_locale(language):
        handout = heard_handout(
            form.filters(), Audience(print_form.audience.data), language=asked,
            next_steps=print_form.next_steps.data or "", survey=print_form.chosen_survey,
            large_print=print_form.large.data)
        pdf = render_pdf("pdf/themes/heard.html", audience=handout.findings.audience,
                         title=gettext("What we heard"), lang=language,
                         large_print=print_form.large.data, handout=handout,
                         asked_language=language_name(asked),
                         is_translated=has_headings_in(asked), direction_of=direction_of)
    return pdf_response(pdf, pdf_filename("what we heard", handout.focus_community, language))


def _filter_form() -> HeardFilterForm:
    """Read the slice from the query; only staff may see or print the internal version."""
    if request.args.get("audience") == Audience.INTERNAL and not current_user.is_staff:
        abort(403)
    form = HeardFilterForm(request.args)
    form.use_choices(is_staff=current_user.is_staff)
    return form


def _problems(*forms: Form) -> str:
    """Return every field problem in one plain sentence per field."""
    return " ".join(f"{form[name].label.text}: {' '.join(errors)}"
                    for form in forms for name, errors in form.errors.items())
