from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.permissions import ROLE_PERMISSIONS, Permission, Role
from app.services import audit


def _rows(page) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in page.select("table tbody tr")]


def test_audit_log_lists_recent_events_with_who_did_what_to_which_object(client_request, make_user):
    admin = make_user(Role.ADMIN, name="Ada Admin", email="admin@example.test")
    sam = make_user(Role.ASSESSOR, name="Sam Staff", email="sam@example.test")
    older = audit.record("user_deactivated", sam, user=admin, email=sam.email)
    older.occurred_at = datetime(2030, 1, 5, 9, 30)
    newer = audit.record("user_updated", sam, user=admin, changes={"roles": [["assessor"], ["assessor", "ap_staff"]]})
    newer.occurred_at = datetime(2030, 1, 6, 14, 5)
    anonymous = audit.record("sign_in_failed", None, object_type="user", email="who@example.test")
    anonymous.occurred_at, anonymous.request_id = datetime(2030, 1, 4, 8, 0), "a-web-request"
    command = audit.record("demo_loaded", None, premises=104)
    command.occurred_at = datetime(2030, 1, 3, 7, 0)
    db.session.commit()
    client_request.sign_in(admin)

    page = client_request.get("/admin/audit")

    assert page.h1.get_text(strip=True) == "Audit log"
    assert _rows(page) == [
        ["6 January 2030 at 2:05pm", "Ada Admin", "User updated", "Sam Staff", "Roles: Assessor → Assessor, AP staff"],
        ["5 January 2030 at 9:30am", "Ada Admin", "User deactivated", "Sam Staff", "Email address: sam@example.test"],
        ["4 January 2030 at 8:00am", "Not signed in", "Sign in failed", "User", "Email address: who@example.test"],
        ["3 January 2030 at 7:00am", "System", "Demo loaded", "The service", "Premises: 104"],
    ]
    assert page.select_one("table tbody tr a")["href"] == f"/admin/users/{sam.id}"


def test_admin_changes_made_through_the_pages_appear_in_the_log(client_request, make_user):
    admin = make_user(Role.ADMIN, name="Ada Admin", email="admin@example.test")
    sam = make_user(Role.ASSESSOR, name="Sam Staff")
    client_request.sign_in(admin)
    client_request.post(f"/admin/users/{sam.id}/status", {"active": "false"})
    [row] = _rows(client_request.get("/admin/audit"))
    assert row[1:4] == ["Ada Admin", "User deactivated", "Sam Staff"]


def test_estate_changes_read_as_labels_and_names_never_codes(client_request, make_user, make_premises):
    admin = make_user(Role.ADMIN, name="Ada Admin", email="admin@example.test")
    premises = make_premises("Fictional House", characteristics=("is_catered",))
    client_request.sign_in(admin)
    form = {"name": "Fictional House", "code": premises.code, "gender": "female", "ap_type": "pipe", "address": premises.address,
            "town": premises.town, "postcode": premises.postcode, "longitude": premises.longitude, "latitude": premises.latitude,
            "region": premises.region_id}
    client_request.post(f"/admin/premises/{premises.id}/edit", form)

    [row] = _rows(client_request.get("/admin/audit"))

    assert row[2:4] == ["Premises updated", "Fictional House"]
    text = row[4]
    for line in ("For: Men → Women", "Type of AP: Standard → Psychologically informed planned environment (PIPE)",
                 "Characteristics: Is catered → None", "Status: Active → Inactive"):
        assert line in text
    assert "female" not in text and "pipe" not in text and "is_catered" not in text


def test_audit_log_is_paginated_most_recent_first(client_request, make_user):
    admin = make_user(Role.ADMIN, email="admin@example.test")
    start = datetime(2030, 1, 1)
    for number in range(120):
        audit.record("signed_in", admin, user=admin).occurred_at = start + timedelta(minutes=number)
    db.session.commit()
    client_request.sign_in(admin)

    first = client_request.get("/admin/audit")
    assert len(_rows(first)) == 50
    assert _rows(first)[0][0] == "1 January 2030 at 1:59am"
    assert [a.get_text(strip=True) for a in first.select(".govuk-pagination__item a")] == ["1", "2", "3"]
    assert first.select_one(".govuk-pagination__item--current a").get_text(strip=True) == "1"
    assert first.select_one(".govuk-pagination__prev") is None

    assert first.select_one(".govuk-pagination__next a")["href"] == "/admin/audit?page=2"
    last = client_request.get("/admin/audit?page=3")
    assert len(_rows(last)) == 20
    assert _rows(last)[-1][0] == "1 January 2030 at 12:00am"
    assert last.select_one(".govuk-pagination__next") is None
    assert "Showing 101 to 120 of 120 events" in last.get_text()


@pytest.mark.parametrize("page_number", ["2", "0", "-3", "abc", "99999999999999999999999"])
def test_a_page_of_the_log_beyond_the_last_or_not_a_number_is_not_found(client_request, make_user, page_number):
    client_request.sign_in(make_user(Role.ADMIN))
    client_request.get(f"/admin/audit?page={page_number}", expected_status=404)


@pytest.mark.parametrize("role", [role for role in Role if Permission.VIEW_AUDIT not in ROLE_PERMISSIONS[role]])
def test_only_holders_of_view_audit_see_the_log(client_request, make_user, make_premises, region, role):
    client_request.sign_in(make_user(role, premises=make_premises(), region=region))
    client_request.get("/admin/audit", expected_status=403)
