"""Failed sign-ins are limited per account and, with a far higher ceiling, per address; successes never count.
The test configuration allows 5 failures per account and 20 per address in 15 minutes."""

import pytest
from flask import g

from app import create_app
from app.extensions import db
from app.permissions import Role
from tests.app.conftest import PASSWORD

OFFICE = "198.51.100.7"  # one proxy's address, shared by a whole office


def _sign_in(client, email: str, password: str, address: str = OFFICE, **headers) -> int:
    g.pop("_login_user", None)
    response = client.post("/sign-in", data={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": address}, headers=headers)
    client.delete_cookie("session")  # so that each attempt starts signed out
    return response.status_code


def _fail(client, email: str, times: int, **kwargs) -> list[int]:
    return [_sign_in(client, email, "wrong password", **kwargs) for _ in range(times)]


@pytest.fixture
def alice(make_user):
    return make_user(Role.ASSESSOR, email="alice@example.test")


@pytest.fixture
def bob(make_user):
    return make_user(Role.ASSESSOR, email="bob@example.test")


def test_an_attacked_account_is_locked_but_its_colleagues_at_the_same_address_sign_in(client, alice, bob):
    assert _fail(client, "alice@example.test", 5) == [200] * 5
    assert _sign_in(client, "alice@example.test", PASSWORD) == 429
    assert _sign_in(client, "ALICE@example.test ", "wrong password") == 429  # the same account, however typed
    assert _sign_in(client, "bob@example.test", PASSWORD) == 302


def test_successful_sign_ins_never_count(client, alice):
    assert _fail(client, "alice@example.test", 4) == [200] * 4
    assert [_sign_in(client, "alice@example.test", PASSWORD) for _ in range(6)] == [302] * 6
    assert _fail(client, "alice@example.test", 1) == [200]
    assert _fail(client, "alice@example.test", 1) == [429]


def test_the_account_limit_holds_across_addresses(client, alice):
    addresses = [f"192.0.2.{number}" for number in range(1, 7)]
    assert [_sign_in(client, "alice@example.test", "wrong password", address) for address in addresses] == [200] * 5 + [429]


def test_one_address_trying_many_accounts_reaches_the_address_ceiling(client):
    attempts = [_sign_in(client, f"guess{number}@example.test", "wrong password") for number in range(21)]
    assert attempts == [200] * 20 + [429]
    assert _sign_in(client, "guess99@example.test", "wrong password", address="192.0.2.1") == 200


def test_forwarded_for_is_ignored_when_no_proxy_is_trusted(client):
    attempts = [_sign_in(client, f"guess{number}@example.test", "wrong password", **{"X-Forwarded-For": f"192.0.2.{number}"})
                for number in range(21)]
    assert attempts == [200] * 20 + [429]


def test_forwarded_for_names_the_address_when_one_proxy_is_trusted(app):
    behind_proxy = create_app("test", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                              WTF_CSRF_ENABLED=False, TRUSTED_PROXIES=1)
    client = behind_proxy.test_client()
    try:
        attacker = _fail(client, "someone@example.test", 1, **{"X-Forwarded-For": "203.0.113.1"})
        attacker += [_sign_in(client, f"guess{number}@example.test", "wrong password", **{"X-Forwarded-For": "203.0.113.1"})
                     for number in range(20)]
        colleague = _sign_in(client, "colleague@example.test", "wrong password", **{"X-Forwarded-For": "203.0.113.2"})
    finally:
        with behind_proxy.app_context():
            db.engine.dispose()
    assert (attacker[-1], colleague) == (429, 200)
