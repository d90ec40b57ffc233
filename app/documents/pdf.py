"""Render print templates to PDF with WeasyPrint, fetching nothing but data: URIs."""

import gc
import re
import unicodedata
from io import BytesIO
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Response, current_app, render_template, send_file
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.documents.audience import Audience
from app.records import library_today

PAPER_SIZES = {"letter": "letter", "a4": "A4"}


class ResourceRefused(ValueError):
    """A print template asked for something other than a data: URI."""


class DataURIsOnly(URLFetcher):
    """A fetcher that serves data: URIs and refuses files, the network and everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource of a data: URI; raise ResourceRefused for any other URL."""
        if not url.lstrip().lower().startswith("data:"):
            raise ResourceRefused(f"PDF templates may not load {url[:80]!r}")
        return super().fetch(url, headers)


def render_pdf(template: str, *, audience: Audience, title: str, lang: str = "en",
               large_print: bool = False, **data: Any) -> bytes:
    """Render a print template to PDF bytes; the template inlines its own CSS."""
    return html_to_pdf(render_print_html(template, audience=audience, title=title, lang=lang,
                                         large_print=large_print, **data))


def render_print_html(template: str, *, audience: Audience, title: str, lang: str = "en",
                      large_print: bool = False, **data: Any) -> str:
    """Render a print template to the HTML that render_pdf() would print."""
    return render_template(
        template, audience=audience, title=title, lang=lang, text_direction=text_direction(lang),
        large_print=large_print, paper_size=paper_size(), printed_on=library_today(), **data)


def html_to_pdf(html: str) -> bytes:
    """Print HTML from render_print_html() to PDF bytes; needs no app, so a background
    process can do it (app/documents/background.py).

    WeasyPrint makes many short-lived objects, and each full pass of Python's cycle collector
    would also walk the app's own objects (some 200,000 after start-up), which slowed printing
    by about a sixth. The objects that exist before printing are set aside (gc.freeze) while
    it runs and handed back (gc.unfreeze) after it, so only WeasyPrint's own are scanned.
    """
    gc.freeze()
    try:
        return HTML(string=html, url_fetcher=DataURIsOnly()).write_pdf()
    finally:
        gc.unfreeze()


def pdf_response(pdf: bytes, filename: str) -> Response:
    """Return PDF bytes as a response the browser shows inline."""
    return send_file(BytesIO(pdf), mimetype="application/pdf", download_name=filename,
                     as_attachment=False)


def pdf_filename(*words: str) -> str:
    """Return a plain ASCII file name such as 'asset-map-eastgate.pdf'."""
    text = unicodedata.normalize("NFKD", " ".join(words)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].rstrip("-")
    return f"{slug or 'document'}.pdf"


def paper_size() -> str:
    """Return the CSS page size for the configured PAPER_SIZE, letter when unrecognised."""
    return PAPER_SIZES.get(str(current_app.config["PAPER_SIZE"]).strip().lower(), "letter")


def text_direction(lang: str) -> str:
    """Return "rtl" for right-to-left languages such as Arabic, otherwise "ltr"."""
    try:
        locale = Locale.parse(lang, sep="-")
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"
