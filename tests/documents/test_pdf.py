"""The printing engine: locked-down fetching, page furniture, audiences and small counts."""

import base64
from io import BytesIO

import pytest
from jinja2 import ChoiceLoader, DictLoader
from pypdf import PdfReader

from app.documents.audience import Audience, UnknownAudience, print_options, suppress_small
from app.documents.pdf import (
    DataURIsOnly,
    ResourceRefused,
    pdf_filename,
    render_pdf,
    text_direction,
)

# A 1x1 red PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
PNG_DATA_URI = "data:image/png;base64," + base64.b64encode(PNG).decode()


def images_in(pdf: bytes) -> int:
    """Return how many images the PDF draws."""
    return sum(len(page.images) for page in PdfReader(BytesIO(pdf)).pages)


def text_of(pdf: bytes) -> str:
    """Return the PDF's text with whitespace collapsed."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def add_templates(app):
    """Let a test render print templates written inline."""

    def add(**templates: str) -> None:
        app.jinja_env.loader = ChoiceLoader([DictLoader(templates), app.jinja_env.loader])
        app.jinja_env.cache.clear()

    return add


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def test_fetcher_refuses_local_files():
    with pytest.raises(ResourceRefused):
        DataURIsOnly()("file:///etc/passwd")


def test_fetcher_refuses_the_network():
    with pytest.raises(ResourceRefused):
        DataURIsOnly()("http://127.0.0.1:9/x")
    with pytest.raises(ResourceRefused):
        DataURIsOnly()("https://example.org/logo.png")


def test_fetcher_serves_data_uris():
    response = DataURIsOnly()(PNG_DATA_URI)
    assert response.read() == PNG


def test_an_image_from_a_file_stays_out_of_the_pdf_without_an_error(
        app, request_context, add_templates, tmp_path, caplog):
    picture = tmp_path / "logo.png"
    picture.write_bytes(PNG)
    add_templates(**{
        "pdf/file_image.html": '{% extends "pdf/base_print.html" %}{% block content %}'
                               f'<img src="{picture.as_uri()}" alt="logo">{{% endblock %}}',
        "pdf/data_image.html": '{% extends "pdf/base_print.html" %}{% block content %}'
                               f'<img src="{PNG_DATA_URI}" alt="logo">{{% endblock %}}',
    })
    from_file = render_pdf("pdf/file_image.html", audience=Audience.PUBLIC, title="Logo")
    from_data = render_pdf("pdf/data_image.html", audience=Audience.PUBLIC, title="Logo")
    assert from_file.startswith(b"%PDF-")
    assert images_in(from_file) == 0
    assert images_in(from_data) == 1
    assert "logo.png" in caplog.text


def test_a_stylesheet_from_the_network_is_not_fetched(app, request_context, add_templates,
                                                      caplog):
    add_templates(**{"pdf/remote_css.html":
                     '{% extends "pdf/base_print.html" %}{% block content %}'
                     '<link rel="stylesheet" href="http://127.0.0.1:9/print.css">'
                     '<p>Still printed</p>{% endblock %}'})
    pdf = render_pdf("pdf/remote_css.html", audience=Audience.PUBLIC, title="Remote")
    assert "Still printed" in text_of(pdf)
    assert "127.0.0.1:9" in caplog.text


def test_every_page_carries_the_library_title_audience_date_and_page_count(
        app, request_context, add_templates):
    add_templates(**{"pdf/long.html": '{% extends "pdf/base_print.html" %}{% block content %}'
                     '{% for n in range(120) %}<p>Line {{ n }}</p>{% endfor %}{% endblock %}'})
    pdf = render_pdf("pdf/long.html", audience=Audience.PARTNERS, title="What we heard")
    reader = PdfReader(BytesIO(pdf))
    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert "Riverbend Public Library" in text
        assert "What we heard" in text
        assert "For partners" in text
        assert "Printed " in text
        assert f"Page {number} of {pages}" in text


def test_internal_documents_say_they_are_not_for_sharing(app, request_context, add_templates):
    add_templates(**{"pdf/plain.html": '{% extends "pdf/base_print.html" %}'})
    pdf = render_pdf("pdf/plain.html", audience=Audience.INTERNAL, title="Staff notes")
    assert "Internal: not for sharing outside the library" in text_of(pdf)


def test_the_pdf_has_a_title_an_author_a_language_and_no_attachments(
        app, request_context, add_templates):
    add_templates(**{"pdf/plain.html": '{% extends "pdf/base_print.html" %}'})
    pdf = render_pdf("pdf/plain.html", audience=Audience.PUBLIC, title="Asset map: Eastgate",
                     lang="fr")
    reader = PdfReader(BytesIO(pdf))
    assert reader.metadata.title == "Asset map: Eastgate"
    assert reader.metadata.author == "Riverbend Public Library"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.attachments == {}


@pytest.mark.parametrize(("paper", "width", "height"), [("letter", 612, 792), ("A4", 595, 842)])
def test_the_page_size_follows_the_paper_size_setting(app, request_context, add_templates,
                                                      paper, width, height):
    app.config["PAPER_SIZE"] = paper
    add_templates(**{"pdf/plain.html": '{% extends "pdf/base_print.html" %}'})
    pdf = render_pdf("pdf/plain.html", audience=Audience.PUBLIC, title="Size")
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (width, height)


def test_large_print_needs_more_pages_for_the_same_text(app, request_context, add_templates):
    add_templates(**{"pdf/text.html": '{% extends "pdf/base_print.html" %}{% block content %}'
                     '{% for n in range(100) %}<p>Paragraph {{ n }} of plain words.</p>'
                     '{% endfor %}{% endblock %}'})
    normal = render_pdf("pdf/text.html", audience=Audience.PUBLIC, title="Text")
    large = render_pdf("pdf/text.html", audience=Audience.PUBLIC, title="Text", large_print=True)
    assert len(PdfReader(BytesIO(large)).pages) > len(PdfReader(BytesIO(normal)).pages)


def test_user_text_in_the_title_cannot_break_out_of_the_markup(app, request_context,
                                                               add_templates):
    add_templates(**{"pdf/plain.html": '{% extends "pdf/base_print.html" %}'})
    title = '</title><img src="file:///etc/passwd"> Ana & Co'
    pdf = render_pdf("pdf/plain.html", audience=Audience.PUBLIC, title=title)
    assert PdfReader(BytesIO(pdf)).metadata.title == title
    assert images_in(pdf) == 0


@pytest.mark.parametrize(("count", "audience", "shown"), [
    (3, Audience.PUBLIC, "fewer than 5"),
    (0, Audience.PARTNERS, "fewer than 5"),
    (4, Audience.PARTNERS, "fewer than 5"),
    (5, Audience.PUBLIC, "5"),
    (27, Audience.PARTNERS, "27"),
    (3, Audience.INTERNAL, "3"),
])
def test_small_counts_are_hidden_outside_the_library(count, audience, shown):
    assert suppress_small(count, audience) == shown


def test_print_options_read_the_audience_and_large_print():
    options = print_options({"audience": "public", "large": "1"}, default=Audience.INTERNAL)
    assert options.audience is Audience.PUBLIC
    assert options.large_print is True
    options = print_options({}, default=Audience.PARTNERS)
    assert options.audience is Audience.PARTNERS
    assert options.large_print is False


def test_print_options_refuse_an_unknown_audience():
    with pytest.raises(UnknownAudience):
        print_options({"audience": "everyone"}, default=Audience.INTERNAL)


def test_audiences_have_labels_people_read():
    assert [audience.label for audience in Audience] == [
        "For the public", "For partners", "Internal: not for sharing outside the library"]


def test_file_names_are_plain_ascii():
    assert pdf_filename("asset map", "Café des Mères / Eastgate") == (
        "asset-map-cafe-des-meres-eastgate.pdf")
    assert pdf_filename("!!!") == "document.pdf"


def test_arabic_documents_read_right_to_left():
    assert text_direction("ar") == "rtl"
    assert text_direction("en") == "ltr"
    assert text_direction("not a language") == "ltr"
