"""The migrations build the whole schema from nothing, and the models have no change left to migrate."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        assert compare_metadata(context, db.metadata) == []


def test_upgrade_head_on_an_empty_database(tmp_path):
    from app import create_app

    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.db'}")
    with app.app_context():
        upgrade()
        assert "premises" in db.inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert "premises" not in db.inspect(db.engine).get_table_names()
        db.engine.dispose()
