"""The database connection: PostgreSQL connections that the server dropped are replaced."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.conftest import IS_SHARED_DATABASE


@pytest.mark.skipif(not IS_SHARED_DATABASE, reason="PostgreSQL only (set TEST_DATABASE_URL)")
def test_a_terminated_postgresql_backend_does_not_fail_the_next_request(app, staff_client):
    assert staff_client.get("/").status_code == 200
    db.session.remove()  # hand the connection back to the pool, as the end of a request does
    with db.engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"]).connect() as other:
        terminated = other.execute(sa.text("SELECT pg_terminate_backend(:pid)"),
                                   {"pid": pid}).scalar()
    assert terminated

    assert staff_client.get("/").status_code == 200
