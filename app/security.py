"""Security headers on every response, error pages included."""

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

# Inline styles are allowed because the SVG charts and QR codes carry their own <style>;
# scripts stay limited to our own files.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; "
                           "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'")


#: Headers every response carries unless its view set its own, with their names in lower case.
HEADERS = tuple((name.lower(), name, value) for name, value in (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin")))
#: Pages hold personal details and community voices: keep them out of shared caches.
NO_STORE = ("cache-control", "Cache-Control", "no-store")
HSTS = ("strict-transport-security", "Strict-Transport-Security", "max-age=31536000")


def wanted_headers(*, static: bool, secure: bool) -> tuple[tuple[str, str, str], ...]:
    """Return the headers a response gets (lower-case name, name, value): all of HEADERS, no-store
    unless it is a static file, and HSTS when it was asked for over HTTPS."""
    return HEADERS + (() if static else (NO_STORE,)) + ((HSTS,) if secure else ())


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        # One pass over the response's headers, then one extend: this runs on every response.
        headers = response.headers
        wanted = wanted_headers(static=request.endpoint == "static", secure=request.is_secure)
        present = {name.lower() for name, _ in headers}
        headers.extend([(name, value) for lower, name, value in wanted if lower not in present])
        return response


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, with its signer built once per key instead of on every
    request (twice on a request that has a session). Public form pages carry no cookie, and
    the signer cost them as much as the rest of their session handling (issue 8, P1). A new
    SECRET_KEY or SECRET_KEY_FALLBACKS gets a new signer."""

    def __init__(self) -> None:
        self._signers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        signer = self._signers.get(keys)
        if signer is None:
            signer = self._signers[keys] = super().get_signing_serializer(app)
        return signer
