"""The migrations build the whole schema from nothing, and the models have no change left to migrate."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db


# SQLite's reflection cannot read an index on an expression (the placement departure index), so it is left out of
# the comparison; test_upgrade_head_on_an_empty_database checks that one.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
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
        assert _rows("SELECT name FROM sqlite_master WHERE name = 'ix_placement_departure'") == [
            ("ix_placement_departure",)]
        downgrade(revision="base")
        assert "premises" not in db.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_0002_drops_the_characteristics_that_restated_the_ap_type(tmp_path):
    from app import create_app

    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'ap_types.db'}")
    with app.app_context():
        upgrade(revision="0001")
        _run(
            "INSERT INTO region (id, name) VALUES (1, 'Wales')",
            "INSERT INTO premises (id, name, code, gender, ap_type, address, town, postcode, longitude, latitude,"
            " region_id, is_active, local_restrictions) VALUES"
            " (1, 'Ty Pipe', 'WAL01', 'male', 'pipe', '1 Road', 'Cardiff', 'CF10 1AA', -3.18, 51.48, 1, 1, ''),"
            " (2, 'Ty Arferol', 'WAL02', 'male', 'standard', '2 Road', 'Cardiff', 'CF10 1AB', -3.18, 51.48, 1, 1, '')",
            "INSERT INTO characteristic (id, code, label, scope) VALUES"
            " (1, 'is_pipe', 'Is a PIPE', 'premises'), (2, 'is_catered', 'Is catered', 'premises')",
            "INSERT INTO premises_characteristic (premises_id, characteristic_id) VALUES (1, 1), (1, 2), (2, 1)",
        )

        upgrade(revision="0002")
        assert _rows("SELECT code FROM characteristic") == [("is_catered",)]
        assert _rows("SELECT premises_id, characteristic_id FROM premises_characteristic") == [(1, 2)]

        downgrade(revision="0001")
        assert _rows(
            "SELECT p.name FROM premises p JOIN premises_characteristic pc ON pc.premises_id = p.id"
            " JOIN characteristic c ON c.id = pc.characteristic_id WHERE c.code = 'is_pipe'"
        ) == [("Ty Pipe",)]
        db.engine.dispose()


def _run(*statements: str) -> None:
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))


def _rows(query: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(query + " ORDER BY 1"))]


def test_upgrading_gives_each_existing_account_its_own_session_token(tmp_path):
    """Sessions made before the upgrade hold only an id, so they end; each account gets a token of its own."""
    from app import create_app

    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'accounts.db'}")
    with app.app_context():
        upgrade(revision="0001")
        _run(
            "INSERT INTO user (name, email, password_hash, is_active) VALUES"
            " ('User 0', 'user0@example.test', 'x', 1), ('User 1', 'user1@example.test', 'x', 1)"
        )
        upgrade(revision="0004")
        tokens = [token for (token,) in _rows("SELECT session_token FROM user")]
        db.engine.dispose()
    assert len(set(tokens)) == 2 and all(len(token) == 43 for token in tokens)
