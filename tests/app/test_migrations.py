"""The migrations build the whole schema from nothing, and the models have no change left to migrate."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

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


def test_upgrading_gives_each_existing_account_its_own_session_token(tmp_path):
    """Sessions made before the upgrade hold only an id, so they end; each account gets a token of its own."""
    from app import create_app

    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'accounts.db'}")
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            for number in range(2):
                connection.execute(text("INSERT INTO user (name, email, password_hash, is_active) VALUES (:name, :email, 'x', 1)"),
                                   {"name": f"User {number}", "email": f"user{number}@example.test"})
        upgrade(revision="0004")
        with db.engine.connect() as connection:
            tokens = connection.execute(text("SELECT session_token FROM user")).scalars().all()
        db.engine.dispose()
    assert len(set(tokens)) == 2 and all(len(token) == 43 for token in tokens)
