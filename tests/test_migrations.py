"""The Alembic revisions build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.database import made_on
from app.extensions import db
from tests.conftest import app_config


def test_migrations_build_the_schema_the_models_describe(tmp_path):
    app = create_app(app_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/m.sqlite"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": made_on(connection.dialect.name)})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        with db.engine.connect() as connection:
            indexes = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='answers'"
            ).scalars().all()
        assert indexes == ["ix_answers_response"]  # the option index is PostgreSQL's only
        downgrade(revision="base")
        with db.engine.connect() as connection:
            tables = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table'").scalars().all()
        assert tables == ["alembic_version"]
        db.engine.dispose()
