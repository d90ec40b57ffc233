"""The application shell: configuration, database connections, error pages and headers."""

import pytest
import sqlalchemy as sa
from itsdangerous import BadSignature

from app import UnsafeSettings, create_app
from app.accounts.access import Access
from app.config import database_url
from app.extensions import db
from tests.conftest import IS_SHARED_DATABASE, app_config


def test_plain_postgres_urls_use_the_psycopg_driver():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert database_url(None).endswith("instance/groundwork.sqlite")


def test_sqlite_files_get_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    app = create_app(app_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/gw.sqlite",
                                 SQLITE_BUSY_TIMEOUT_MS=7000))
    with app.app_context():
        with db.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == 7000
        db.engine.dispose()


def test_foreign_keys_are_enforced(app, make_conversation):
    from app.conversations.models import Conversation

    make_conversation()
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(Conversation).values(branch_id=424242))
        db.session.flush()
    db.session.rollback()


def test_a_generated_secret_key_is_kept_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setattr("app.INSTANCE", tmp_path)
    first = create_app(app_config(SECRET_KEY=None)).config["SECRET_KEY"]
    again = create_app(app_config(SECRET_KEY=None)).config["SECRET_KEY"]
    assert len(first) == 64 and first == again
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(app_config(SECRET_KEY=None, GROUNDWORK_ENV="production"))


def test_production_refuses_to_start_in_debug_mode():
    with pytest.raises(UnsafeSettings, match="Debug mode"):
        create_app(app_config(GROUNDWORK_ENV="production", DEBUG=True))


def test_production_refuses_memory_rate_limits_when_several_workers_serve():
    unsafe = {"GROUNDWORK_ENV": "production", "RATELIMIT_ENABLED": True,
              "RATELIMIT_STORAGE_URI": "memory://"}
    with pytest.raises(UnsafeSettings, match="RATELIMIT_STORAGE_URI"):
        create_app(app_config(WEB_CONCURRENCY=4, **unsafe))
    assert create_app(app_config(WEB_CONCURRENCY=1, **unsafe))
    assert create_app(app_config(WEB_CONCURRENCY=4, **dict(
        unsafe, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")))


@pytest.mark.parametrize("path, code, words", [
    ("/no/such/page", 404, b"We could not find that page"),
])
def test_error_pages_speak_plainly(client, path, code, words):
    response = client.get(path)
    assert response.status_code == code
    assert words in response.data


def test_a_too_large_request_gets_a_413_page(client):
    response = client.post("/login", data={"email": "x" * 2_000_000, "password": "y"})
    assert response.status_code == 413
    assert b"too much to send at once" in response.data


def test_a_server_error_gets_a_plain_500_page(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    boom.access = Access.PUBLIC
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.data


def test_json_clients_get_errors_as_json(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["error"] == "We could not find that page"


def test_every_page_carries_the_security_headers(client):
    for path in ("/login", "/no/such/page"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store"


def test_the_health_check_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_the_suite_runs_on_the_database_it_was_asked_for(app):
    dialect = db.engine.dialect.name
    assert dialect == ("postgresql" if IS_SHARED_DATABASE else "sqlite")


def test_the_health_check_says_503_when_the_database_is_gone(tmp_path):
    app = create_app(app_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/gone/x.sqlite"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


def test_only_get_head_and_post_reach_any_route(app, staff_client):
    checked = 0
    for rule in app.url_map.iter_rules():
        assert rule.methods <= {"GET", "HEAD", "POST"}, (rule.endpoint, rule.methods)
        url = rule.rule.replace("<int:", "<").split("<")[0] or "/"
        for method in ("OPTIONS", "PUT", "PATCH", "DELETE", "TRACE"):
            response = staff_client.open(url, method=method)
            assert response.status_code in {404, 405}, (rule.endpoint, method, url)
        checked += 1
    assert checked > 20
    assert staff_client.open("/", method="OPTIONS").status_code == 405



def test_a_new_secret_key_or_fallback_reaches_the_session_signer_at_once(app):
    """The session signer is built once per key (app.security.SessionCookies): a key changed
    while the app runs still takes effect on the next request."""
    cookies = app.session_interface
    signed = cookies.get_signing_serializer(app).dumps({"user": 7})
    assert cookies.get_signing_serializer(app).loads(signed) == {"user": 7}
    app.secret_key = "a-new-secret-key"
    with pytest.raises(BadSignature):
        cookies.get_signing_serializer(app).loads(signed)
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret-key"]
    assert cookies.get_signing_serializer(app).loads(signed) == {"user": 7}
