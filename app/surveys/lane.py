"""The public form's lane: the three requests of a person answering a form, served without
Flask's request handling when nothing about them needs it (issue 8, P1).

A public form link on a poster or a QR code at an event brings many people at once, and each
of them makes the same three requests: the blank form, the sent answers, the thank-you page.
Flask's request handling (request and session objects, routing, the access, CSRF, sign-in and
header hooks) cost each of them more than the page itself. The lane sits in front of Flask,
inside ProxyFix, and answers those three requests itself when they are the usual ones:

- GET /f/<token>[?lang=..] of an open form whose blank page is built: the kept page with a
  fresh submission id (app/surveys/form_cache.py);
- GET /f/<token>/thanks[?lang=..] whose page is built: the kept page;
- POST /f/<token> of an open form with a page the quick reader takes (answer_reading.py),
  counted against PUBLIC_SUBMIT_RATE_LIMIT and stored with the view's own INSERTs
  (`insert_once`) on a driver connection, without the ORM session, then 303 to the
  thank-you page; the same page sent again is thanked again.

Everything else goes to Flask unchanged, and so does anything the lane is unsure of: a request
with a cookie (a signed-in person keeps their session handling), HEAD, other query arguments,
a page not built yet, a closed or unknown form, a body that is not plain UTF-8 form data or
holds a NUL, a page with something to say about it, a send refused by the rate limit, a
submission id sent before with other answers, a form closed meanwhile, and any error. A send
the lane counted is marked, so Flask does not count it again. The pages, headers and
redirects are Flask's own: the pages are the ones Flask rendered and kept, the headers come
from app/security.py, and the thank-you address from the app's URL map.
tests/surveys/test_public_lane.py holds the lane to that.
"""

import functools
import io
import re
import urllib.parse
from collections.abc import Callable, Iterable
from contextlib import nullcontext

from flask import Flask, current_app, has_app_context
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound
from werkzeug.utils import redirect

from app.database import write_transaction
from app.extensions import SEND_COUNTED, db, limiter
from app.security import wanted_headers
from app.surveys import bp
from app.surveys.form_cache import (
    answer_form_version,
    built_page,
    public_form_or_404,
    with_new_submission_id,
)
from app.surveys.models import Channel
from app.surveys.public_views import chosen_language, fill_page_key, thanks_page_key
from app.surveys.responding import insert_once, sent_before

#: The public form's paths; a token is what `secrets.token_urlsafe` makes.
FORM_PATH = re.compile(r"/f/([A-Za-z0-9_-]{1,64})(/thanks)?")
FILL = f"{bp.name}.fill"
THANKS = f"{bp.name}.thanks"
HTML = ("Content-Type", "text/html; charset=utf-8")

StartResponse = Callable[..., object]


class NotStored(Exception):
    """Nothing was inserted: the transaction is rolled back and the view takes the send."""


class PublicFormLane:
    """WSGI middleware: serve the usual public form requests, hand the rest to `wsgi_app`."""

    def __init__(self, app: Flask, wsgi_app: Callable):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        match = FORM_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if (match is None or "HTTP_COOKIE" in environ
                or not self.app.config["PUBLIC_FORM_LANE"]):
            return self.wsgi_app(environ, start_response)
        token, is_thanks = match.group(1), match.group(2) is not None
        method = environ.get("REQUEST_METHOD")
        if method == "GET":
            return self._page(environ, start_response, token, is_thanks)
        if method == "POST" and not is_thanks:
            return self._send(environ, start_response, token)
        return self.wsgi_app(environ, start_response)

    def _context(self):
        """The app context: the one already pushed for this app (a test's), else a new one,
        as Flask does for a request."""
        if has_app_context() and current_app._get_current_object() is self.app:  # noqa: SLF001
            return nullcontext()
        return self.app.app_context()

    def _page(self, environ: dict, start_response: StartResponse, token: str,
              is_thanks: bool) -> Iterable[bytes]:
        requested = _only_lang(environ.get("QUERY_STRING", ""))
        page = None if requested is False else self._built_page(token, is_thanks, requested)
        if page is None:
            return self.wsgi_app(environ, start_response)
        body = (page if is_thanks else with_new_submission_id(page)).encode()
        start_response("200 OK", [HTML, ("Content-Length", str(len(body))),
                                  *_security_headers(environ)])
        return [body]

    def _built_page(self, token: str, is_thanks: bool, requested: str | None) -> str | None:
        """Return the kept blank page (of an open form) or thank-you page, if built."""
        with self._context():
            try:
                form = public_form_or_404(token)
            except NotFound:
                return None
            language = chosen_language(form, requested)
            if is_thanks:
                return built_page(form, thanks_page_key(language))
            return built_page(form, fill_page_key(token, language)) if form.is_open else None

    def _send(self, environ: dict, start_response: StartResponse,
              token: str) -> Iterable[bytes]:
        requested = _only_lang(environ.get("QUERY_STRING", ""))
        body = None if requested is False else _form_body(
            environ, self.app.config["MAX_CONTENT_LENGTH"])
        sent = None if body is None else _form_fields(body)
        thanked = None
        if sent is not None:
            try:
                with self._context():
                    thanked = self._store(environ, token, sent, requested)
            except Exception:  # noqa: BLE001 - Flask answers, logs and shows its error page
                # Nothing was stored (the transaction rolled back), or it was and the view
                # finds the same page stored and thanks again: handing on never stores twice.
                self.app.logger.exception("The public form's lane handed a send on to Flask.")
        if thanked is None:
            return self.wsgi_app(environ, start_response)
        location, page = thanked
        start_response("303 SEE OTHER", [HTML, ("Content-Length", str(len(page))),
                                         ("Location", location), *_security_headers(environ)])
        return [page]

    def _store(self, environ: dict, token: str, sent: MultiDict,
               requested: str | None) -> tuple[str, bytes] | None:
        """Count and store a usual sent page; return the thank-you address and redirect body,
        or None to hand the send on to the view."""
        try:
            form = public_form_or_404(token)
        except NotFound:
            return None
        if not form.is_open:
            return None
        # Counted first, as the view counts before it reads; Redis counts while the page is read.
        with limiter.counting_send(self.app.config["PUBLIC_SUBMIT_RATE_LIMIT"], scope=FILL,
                                   address=environ.get("REMOTE_ADDR")) as count:
            try:
                language = chosen_language(form, sent.get("language") or requested)
                version = answer_form_version(form, language)
                answers = version.reader.read(sent)
            finally:
                # Handed on from here, the view does not count the send again.
                environ[SEND_COUNTED] = "refused" if count.refused() else "passed"
        if answers is None or environ[SEND_COUNTED] == "refused":
            return None  # the view shows the page with its messages, or its 429 page
        if db.session.registry.has() and db.session().in_transaction():
            db.session.commit()  # the read is over (it wrote nothing); the write has its own
        engine, submission_id = db.engine, sent["submission_id"]
        try:
            with write_transaction(engine, statements_stand_alone=True) as connection:
                if insert_once(connection, engine.dialect, form.id, version.rules, answers,
                               channel=Channel.WEB, language=language,
                               submission_id=submission_id, while_open=True) is None \
                        and not sent_before(connection, engine.dialect, submission_id, answers):
                    raise NotStored
        except NotStored:
            # Other answers under the same submission id, or the form closed meanwhile: the
            # view says so. The same page sent twice (a double click) is thanked again.
            return None
        return self._thanks(environ.get("SCRIPT_NAME", ""), token, language)

    @functools.cached_property
    def _thanks(self) -> Callable[[str, str, str], tuple[str, bytes]]:
        @functools.lru_cache(maxsize=1024)
        def thanks(script_name: str, token: str, language: str) -> tuple[str, bytes]:
            """The thank-you address as url_for builds it, and the body of Flask's redirect."""
            location = self.app.url_map.bind("", script_name=script_name or "/").build(
                THANKS, {"token": token, "lang": language})
            return location, redirect(location, 303).get_data()
        return thanks


def _security_headers(environ: dict) -> list[tuple[str, str]]:
    return [(name, value) for _, name, value in wanted_headers(
        static=False, secure=environ.get("wsgi.url_scheme") == "https")]


def _only_lang(query: str) -> str | None | bool:
    """Return the ?lang= of a query with nothing else in it, None without one, False for a
    query the lane leaves to Flask."""
    if not query:
        return None
    try:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, errors="strict",
                                       max_num_fields=1)
    except (ValueError, UnicodeDecodeError):
        return False
    if len(pairs) != 1 or pairs[0][0] != "lang" or "\x00" in pairs[0][1]:
        return False
    return pairs[0][1]


def _form_body(environ: dict, most: int | None) -> bytes | None:
    """Return the body of a plain form post of known length within `most` bytes, or None."""
    kind = environ.get("CONTENT_TYPE", "").split(";", 1)
    if kind[0].strip().lower() != "application/x-www-form-urlencoded" or (
            len(kind) > 1 and kind[1].strip().lower() not in ("charset=utf-8", "")):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if length < 0 or (most is not None and length > most):
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)  # Flask reads the same body if handed on
    return body if len(body) == length else None


def _form_fields(body: bytes) -> MultiDict | None:
    """Return the fields of a form body as Flask would read them, or None when Flask must
    (text that is not UTF-8, a NUL)."""
    try:
        pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True, errors="strict")
    except (ValueError, UnicodeDecodeError):
        return None
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        return None
    return MultiDict(pairs)
