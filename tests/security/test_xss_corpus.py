"""Hostile text typed into staff forms stays text: escaped on pages, literal in PDFs.

Each form is filled as a browser would send it (every field at the value the blank page shows),
with the text fields under test set to the corpus. A representative set of forms: the community
map, themes, meetings, plans and conversations.
"""

from datetime import date, timedelta
from html.parser import HTMLParser

from app.extensions import db
from tests.plans.test_plan_document import pdf_text

CORPUS = ('<script>alert(1)</script> "><img src=x onerror=alert(1)> {{7*7}} {% print 1 %} '
          'javascript:alert(1)')


class FormFields(HTMLParser):
    """Collect the fields of the page's main POST form (not the log-out button) with the
    values a browser would send untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "method": attrs.get("method", ""),
                               "fields": {}})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields.setdefault(name, []).append(attrs.get("value", "y"))
            elif kind not in ("submit", "button", "file"):
                fields[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and (self._select not in fields
                                                   or "selected" in attrs):
            fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def send_form(client, path: str, **typed) -> str:
    """Open `path`, fill its main form with `typed` over the page's own values, send it and
    return where it redirected to."""
    parser = FormFields()
    parser.feed(client.get(path).text)
    form = next(form for form in parser.forms
                if form["method"].lower() == "post" and "logout" not in (form["action"] or ""))
    data = {**form["fields"], **typed}
    response = client.post(form["action"] or path, data=data)
    assert response.status_code == 302, (path, response.text[-3000:])
    return response.location


def assert_escaped(page: str) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x onerror" not in page
    assert "{{7*7}}" in page and "{% print 1 %}" in page
    assert 'href="javascript:' not in page


def assert_literal_in_pdf(pdf: bytes) -> None:
    text = pdf_text(pdf)
    assert "<script>alert(1)</script>" in text
    assert "{{7*7}}" in text


def test_a_focus_community_keeps_hostile_text_as_text(staff_client):
    where = send_form(staff_client, "/community/focus-communities/new",
                      name=CORPUS, who=CORPUS, why_chosen=CORPUS)
    assert_escaped(staff_client.get(where).text)
    profile = staff_client.get(where.rstrip("/") + "/profile.pdf")
    assert profile.status_code == 200
    assert_literal_in_pdf(profile.data)


def test_a_theme_keeps_hostile_text_as_text(staff_client):
    where = send_form(staff_client, "/themes/new", name=CORPUS[:100], description=CORPUS)
    assert_escaped(staff_client.get(where).text)


def test_a_meeting_keeps_hostile_text_as_text(staff_client):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    where = send_form(staff_client, "/meetings/new", title=CORPUS, held_on=yesterday)
    assert_escaped(staff_client.get(where).text)
    agenda = staff_client.get(where.rstrip("/") + "/agenda.pdf")
    assert agenda.status_code == 200
    assert_literal_in_pdf(agenda.data)


def test_a_plan_keeps_hostile_text_as_text(staff_client, make_action_group):
    make_action_group(name="Homework helpers")
    db.session.commit()
    where = send_form(staff_client, "/plans/new", title=CORPUS, goal=CORPUS)
    assert_escaped(staff_client.get(where).text)
    document = staff_client.get(where.rstrip("/") + "/plan.pdf")
    assert document.status_code == 200
    assert_literal_in_pdf(document.data)


def test_a_conversation_and_its_quote_keep_hostile_text_as_text(staff_client):
    where = send_form(staff_client, "/conversations/new", notes=CORPUS,
                      who_description="about 5 parents waiting", headcount="5",
                      happened_on=date.today().isoformat(), **{"quotes-0-text": CORPUS})
    page = staff_client.get(where).text
    assert_escaped(page)
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # the notes and the quote
