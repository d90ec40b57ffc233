"""Configuration defaults. Every value can be overridden by an environment variable of the same
name; tests pass overrides to create_app(). No secrets live here."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("GROUNDWORK_INSTANCE", ROOT / "instance"))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(url: str | None) -> str:
    """Return a SQLAlchemy URL, steering plain postgres URLs to the psycopg 3 driver."""
    if not url:
        return f"sqlite:///{INSTANCE / 'groundwork.sqlite'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Defaults:
    #: "production" makes the app refuse unsafe settings: see check_production_settings().
    GROUNDWORK_ENV = os.environ.get("GROUNDWORK_ENV", "development")
    #: Only GET, HEAD and POST reach a page; OPTIONS and every other method answer 405.
    PROVIDE_AUTOMATIC_OPTIONS = False
    #: How many worker processes serve the app (gunicorn reads the same variable).
    WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY", "1"))
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    #: Milliseconds a SQLite writer waits for another writer before giving up.
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "10000"))

    LIBRARY_NAME = os.environ.get("LIBRARY_NAME", "Our Public Library")
    #: Paper size for printed documents: "letter" or "A4".
    PAPER_SIZE = os.environ.get("PAPER_SIZE", "letter")
    #: IANA time zone used to show times to people.
    TIMEZONE = os.environ.get("TIMEZONE", "America/Toronto")
    #: Printed rows and paragraphs above which a document is printed in the background.
    DOCUMENT_BACKGROUND_ABOVE = int(os.environ.get("DOCUMENT_BACKGROUND_ABOVE", "1000"))
    #: How many big documents of one kind may wait or be printed at once.
    DOCUMENT_BACKGROUND_QUEUE = int(os.environ.get("DOCUMENT_BACKGROUND_QUEUE", "3"))
    #: Where documents printed in the background are kept for a day (shared by every host).
    DOCUMENT_DIR = os.environ.get("DOCUMENT_DIR") or str(INSTANCE / "documents")
    #: Months after a contact's last update or conversation before `flask privacy retention`
    #: anonymises them.
    CONTACT_RETENTION_MONTHS = int(os.environ.get("CONTACT_RETENTION_MONTHS", "24"))
    #: Months after which the words of long-text answers are removed (coded excerpts stay);
    #: 0 keeps them.
    RAW_TEXT_RETENTION_MONTHS = int(os.environ.get("RAW_TEXT_RETENTION_MONTHS", "0"))
    #: Children under this age (13 or 18, where the forms' age bands begin) leave no contact
    #: details on a form; a parent or guardian may leave their own (DOMAIN privacy rule 11).
    CONTACT_MINIMUM_AGE = int(os.environ.get("CONTACT_MINIMUM_AGE", "13"))
    #: Languages the community speaks, as codes; shown by name on forms and records.
    COMMUNITY_LANGUAGES = os.environ.get(
        "COMMUNITY_LANGUAGES", "en,fr,ar,prs,ti,es,tl,zh,so,uk,pa"
    ).split(",")

    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    #: A login ends after this many minutes without a request, and this many hours after login.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    #: Admin pages ask for the password again when it was typed longer ago than this.
    ADMIN_FRESH_MINUTES = int(os.environ.get("ADMIN_FRESH_MINUTES", "15"))

    RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    #: Prefix of the rate-limit keys in Redis, so that several deployments can share one Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")
    #: No X-RateLimit headers: each would cost every sent form two more trips to Redis, and the
    #: "too many" page says in words when to try again.
    RATELIMIT_HEADERS_ENABLED = False
    #: Login attempts allowed per client address.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    #: Login attempts allowed per account, from any address.
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes")

    #: Where Flask-Babel finds the compiled catalogues of the public pages' interface words.
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    BABEL_DEFAULT_LOCALE = "en"
    #: Form submissions allowed per client on public form pages.
    PUBLIC_SUBMIT_RATE_LIMIT = os.environ.get("PUBLIC_SUBMIT_RATE_LIMIT",
                                              "20 per minute;200 per hour")
    #: The public form's usual requests are served before Flask's request handling
    #: (app/surveys/lane.py); 0 sends every request through Flask.
    PUBLIC_FORM_LANE = os.environ.get("PUBLIC_FORM_LANE", "1") != "0"

    #: Rows per page in long lists.
    PAGE_SIZE = int(os.environ.get("PAGE_SIZE", "25"))
    #: Trust X-Forwarded-* headers from this many proxies (0 when not behind a proxy).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
