"""Printed documents fetch nothing and hide nothing.

User text carrying links to a listening loopback port (an <img>, a CSS url(), an @import, an
<a href>) and to file:///etc/passwd is rendered through real document routes; no connection
arrives and the file's content never appears. Every document route, found from the URL map,
gives a PDF with a title and a language in its metadata and no embedded files.
"""

import socket
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.themes.models import DotVote
from tests.plans.test_member_access import build_world  # noqa: F401 (a fixture)
from tests.plans.test_plan_document import pdf_text

pytestmark = pytest.mark.usefixtures("public_app")


@pytest.fixture
def listener():
    """A socket listening on a loopback port; yield (sock, port)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock, sock.getsockname()[1]
    sock.close()


def payload(port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    return (f'<img src="{base}/img.png"> <a href="{base}/link">see</a> '
            f'<style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}'
            f'</style> <div style="background-image: url({base}/inline.png)">x</div> '
            f'<link rel="stylesheet" href="{base}/link.css"> '
            f'<img src="file:///etc/passwd"> <object data="file:///etc/passwd"></object> '
            f'<iframe src="file:///etc/passwd"></iframe>')


def _no_connection(sock: socket.socket) -> None:
    sock.settimeout(1.0)
    with pytest.raises(TimeoutError):
        connection, _ = sock.accept()
        connection.close()


def test_a_plan_goal_with_links_fetches_nothing_when_printed(staff_client, make_plan,
                                                             listener):
    sock, port = listener
    plan = make_plan(title="Homework club", goal=payload(port))
    db.session.commit()
    response = staff_client.get(f"/plans/{plan.id}/plan.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    _no_connection(sock)
    text = pdf_text(response.data)
    assert f"http://127.0.0.1:{port}/img.png" in text  # printed as the words it is
    assert "root:x:0:0" not in text


def test_a_focus_community_profile_with_links_fetches_nothing(staff_client,
                                                              make_focus_community, listener):
    sock, port = listener
    community = make_focus_community(name="Eastgate newcomers", who=payload(port),
                                     why_chosen=payload(port), baseline_notes=payload(port))
    db.session.commit()
    for path in (f"/community/focus-communities/{community.id}/profile.pdf",
                 f"/community/focus-communities/{community.id}/asset-map.pdf"):
        response = staff_client.get(path)
        assert response.status_code == 200, path
        assert "root:x:0:0" not in pdf_text(response.data)
    _no_connection(sock)


# Every document route --------------------------------------------------------------------

def _document_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint.endswith("pdf") or rule.rule.endswith(".pdf")]


@pytest.fixture
def ids(build_world, make_survey, make_focus_community, make_priority, admin):  # noqa: F811
    world = build_world("Printed", members=[admin])
    db.session.add(DotVote(meeting=world["meeting"], priority=make_priority(), position=0))
    survey = make_survey()
    community = make_focus_community(name="Eastgate newcomers")
    db.session.commit()
    found = {f"{name}_id": record.id for name, record in world.items()}
    found.update(survey_id=survey.id, focus_community_id=community.id)
    return found


def test_every_document_has_a_title_and_a_language_and_no_embedded_files(app, admin_client,
                                                                        ids):
    checked, problems = [], []
    for rule in _document_rules(app):
        values = {name: ids[name] for name in rule.arguments}
        url = rule.build(values, append_unknown=False)[1]
        response = admin_client.get(url)
        if response.status_code != 200 or response.mimetype != "application/pdf":
            problems.append((rule.endpoint, response.status_code, response.mimetype))
            continue
        reader = PdfReader(BytesIO(response.data))
        root = reader.trailer["/Root"]
        title = (reader.metadata or {}).get("/Title")
        if not title or not str(title).strip():
            problems.append((rule.endpoint, "no title"))
        if not str(root.get("/Lang", "")).strip():
            problems.append((rule.endpoint, "no language"))
        names = root.get("/Names")
        if (names is not None and "/EmbeddedFiles" in names.get_object()) or "/AF" in root:
            problems.append((rule.endpoint, "embedded files"))
        checked.append(rule.endpoint)
    assert problems == []
    assert len(checked) >= 11


def test_even_unescaped_markup_in_a_print_template_fetches_nothing(app, listener):
    """The second line of defence: were a template ever to print user text unescaped, the
    engine's fetcher still loads only data: URIs."""
    from weasyprint import HTML

    from app.documents.pdf import DataURIsOnly

    sock, port = listener
    html = f"<html lang='en'><head><title>t</title></head><body>{payload(port)}</body></html>"
    pdf = HTML(string=html, url_fetcher=DataURIsOnly()).write_pdf()
    assert pdf.startswith(b"%PDF-")
    _no_connection(sock)
    assert "root:x:0:0" not in pdf_text(pdf)
