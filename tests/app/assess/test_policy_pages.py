"""Administrators set the length-of-stay policy; nobody else reaches its pages."""

import sqlalchemy as sa

from app.extensions import db
from app.models import LengthOfStayRule
from app.permissions import Role
from tests.app.pages import error_messages
from vocabulary import APType, SentenceType


def _rows(page) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")][:5] for row in page.select("tbody tr")]


def _rule(**criteria) -> LengthOfStayRule:
    return db.session.scalar(sa.select(LengthOfStayRule).filter_by(**criteria))


def test_the_policy_lists_the_rules_for_everyone_first(client_request, make_user):
    client_request.sign_in(make_user(Role.ADMIN))
    page = client_request.get("/admin/length-of-stay")
    rows = _rows(page)
    assert rows[0] == ["Any", "Any", "Any", "Any", "12"]
    assert ["Psychologically informed planned environment (PIPE)", "Any", "Any", "Any", "26"] in rows
    assert "Remove" not in page.select("tbody tr")[0].text, "the rule for everyone stays"


def test_add_change_and_remove_a_rule(client_request, make_user):
    client_request.sign_in(make_user(Role.ADMIN))
    form = {"ap_type": "", "sentence_type": "extended_determinate", "reoffending_tier": "a", "gender": "", "weeks": "20"}
    assert client_request.post("/admin/length-of-stay/new", form) == "/admin/length-of-stay"
    rule = _rule(sentence_type=SentenceType.EXTENDED_DETERMINATE)
    assert (rule.criteria, rule.weeks) == ("Extended determinate sentence, Tier A", 20)

    page = client_request.get(f"/admin/length-of-stay/{rule.id}")
    assert page.select_one("#weeks")["value"] == "20"
    assert client_request.post(f"/admin/length-of-stay/{rule.id}", form | {"weeks": "18"}) == "/admin/length-of-stay"
    db.session.refresh(rule)
    assert rule.weeks == 18

    client_request.get(f"/admin/length-of-stay/{rule.id}/remove")
    assert client_request.post(f"/admin/length-of-stay/{rule.id}/remove") == "/admin/length-of-stay"
    assert _rule(sentence_type=SentenceType.EXTENDED_DETERMINATE) is None


def test_bad_rules_are_errors_at_the_field(client_request, make_user):
    client_request.sign_in(make_user(Role.ADMIN))
    page = client_request.post("/admin/length-of-stay/new", {"ap_type": "pipe", "weeks": "0"}, expected_status=200)
    assert error_messages(page) == {"ap_type": "There is already a rule for these: change that rule instead",
                                    "weeks": "The length of stay must be from 1 to 104 weeks"}
    page = client_request.post("/admin/length-of-stay/new", {"ap_type": "castle", "weeks": "ten"}, expected_status=200)
    assert error_messages(page) == {"ap_type": "Select an AP type from the list",
                                    "weeks": "Enter the length of stay as a whole number of weeks"}
    everyone = _rule(ap_type=None, sentence_type=None, reoffending_tier=None, gender=None)
    assert client_request.post(f"/admin/length-of-stay/{everyone.id}/remove") == "/admin/length-of-stay"
    assert "The rule for everyone cannot be removed" in client_request.get("/admin/length-of-stay").text
    assert _rule(ap_type=APType.PIPE).weeks == 26


def test_only_administrators_reach_the_policy(client_request, make_user):
    client_request.sign_in(make_user(Role.ASSESSOR))
    client_request.get("/admin/length-of-stay", expected_status=403)
    client_request.get("/admin/length-of-stay/999999", expected_status=403)
    client_request.sign_in(make_user(Role.ADMIN, email="admin@example.test"))
    client_request.get("/admin/length-of-stay/999999", expected_status=404)
