import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, User
from app.permissions import Role
from tests.app.pages import error_messages

PASSWORD = "a long enough password"


@pytest.fixture
def admin(make_user, client_request):
    user = make_user(Role.ADMIN, email="admin@example.test", name="Ada Admin")
    client_request.sign_in(user)
    return user


def _form(**overrides) -> dict:
    return {"name": "Sam Staff", "email": "sam@example.test", "roles": ["assessor"], "premises": "", "region": "",
            "password": PASSWORD} | overrides


def _user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def _table(page) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in page.select("table tbody tr")]


def _summary(page) -> dict[str, str]:
    return {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
        for row in page.select(".govuk-summary-list__row")
    }


# --- the list -----------------------------------------------------------------------------------------------------


def test_users_list_shows_roles_scope_and_status_and_can_be_searched(client_request, admin, make_user, make_premises):
    make_user(Role.AP_STAFF, name="Bob Staff", email="bob@example.test", premises=make_premises("Preston House"))
    make_user(Role.ASSESSOR, name="Carol Gone", email="carol@example.test", active=False)

    page = client_request.get("/admin/users")

    assert page.h1.get_text(strip=True) == "Users"
    assert _table(page) == [
        ["Ada Admin", "admin@example.test", "Administrator", "", "Active"],
        ["Bob Staff", "bob@example.test", "AP staff", "Preston House", "Active"],
        ["Carol Gone", "carol@example.test", "Assessor", "", "Deactivated"],
    ]
    assert [row[0] for row in _table(client_request.get("/admin/users?q=BOB"))] == ["Bob Staff"]
    assert [row[0] for row in _table(client_request.get("/admin/users?role=assessor"))] == ["Carol Gone"]
    assert [row[0] for row in _table(client_request.get("/admin/users?status=deactivated"))] == ["Carol Gone"]
    page = client_request.get("/admin/users?q=nobody")
    assert "No users match your search." in page.get_text()


def test_tampered_filters_are_ignored(client_request, admin):
    page = client_request.get("/admin/users?role=emperor&status=asleep")
    assert [row[0] for row in _table(page)] == ["Ada Admin"]


def test_users_list_is_paginated(client_request, admin, make_user):
    for number in range(55):
        make_user(Role.ASSESSOR, name=f"User {number:02d}", email=f"user{number}@example.test")
    first = client_request.get("/admin/users?role=assessor")
    assert len(_table(first)) == 50
    assert first.select_one(".govuk-pagination__next a")["href"] == "/admin/users?role=assessor&page=2"
    second = client_request.get("/admin/users?role=assessor&page=2")
    assert [row[0] for row in _table(second)] == [f"User {n}" for n in range(50, 55)]
    assert "Showing 51 to 55 of 55 users" in second.get_text()


@pytest.mark.parametrize("page_number", ["3", "abc", "0"])
def test_a_page_of_users_beyond_the_last_or_not_a_number_is_not_found(client_request, admin, make_user, page_number):
    for number in range(55):
        make_user(Role.ASSESSOR, name=f"User {number:02d}", email=f"user{number}@example.test")
    page = client_request.get(f"/admin/users?role=assessor&page={page_number}", expected_status=404)
    assert "No users match" not in page.get_text()


# --- creating -----------------------------------------------------------------------------------------------------


def test_create_a_user_with_a_premises(client_request, admin, make_premises):
    premises = make_premises("Preston House")
    page = client_request.get("/admin/users/new")
    assert page.h1.get_text(strip=True) == "Add a user"
    assert [label.get_text(strip=True) for label in page.select(".govuk-checkboxes__label")][:3] == [
        "Offender manager", "Assessor", "Central referral unit"]

    location = client_request.post("/admin/users/new", _form(roles=["ap_staff", "ap_manager"], premises=str(premises.id)))

    user = db.session.scalar(sa.select(User).where(User.email == "sam@example.test"))
    assert location == f"/admin/users/{user.id}"
    page = client_request.get(location)
    assert "Account created for Sam Staff" in page.select_one(".govuk-notification-banner").get_text()
    assert _summary(page) == {
        "Full name": "Sam Staff", "Email address": "sam@example.test", "Roles": "AP staff AP premises manager",
        "Premises": "Preston House", "Probation region": "None", "Status": "Active",
    }
    assert db.session.scalar(sa.select(AuditEvent.user_id).where(AuditEvent.action == "user_created")) == admin.id


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"email": "ADMIN@example.test"}, {"email": "An account already uses this email address"}),
        ({"roles": []}, {"roles": "Select at least one role"}),
        ({"roles": ["ap_staff"]}, {"premises": "Select a premises for AP staff and AP premises managers"}),
        ({"roles": ["regional_manager"]}, {"region": "Select a region for offender managers, central referral unit staff and regional managers"}),
        ({"roles": ["offender_manager"]}, {"region": "Select a region for offender managers, central referral unit staff and regional managers"}),
        ({"region": "999999"}, {"region": "Select a region from the list"}),
        ({"region": "north"}, {"region": "Select a region from the list"}),
        ({"region": "9" * 30}, {"region": "Select a region from the list"}),
        ({"premises": "1; drop table"}, {"premises": "Select a premises from the list"}),
        ({"roles": ["emperor"]}, {"roles": "Select roles from the list"}),
        ({"password": "too short"}, {"password": "Password must be 12 characters or more"}),
        ({"name": "", "email": "nope"}, {"name": "Enter the person's full name",
                                         "email": "Enter an email address in the correct format, like name@example.com"}),
    ],
)
def test_bad_input_is_reported_next_to_the_field_and_nothing_is_saved(client_request, admin, overrides, expected):
    page = client_request.post("/admin/users/new", _form(**overrides), expected_status=200)
    assert error_messages(page) == expected
    assert _user_count() == 1
    assert page.select_one("#name")["value"] == overrides.get("name", "Sam Staff")


def test_every_problem_is_shown_at_once(client_request, admin):
    page = client_request.post("/admin/users/new", {"region": "north"}, expected_status=200)
    assert set(error_messages(page)) == {"name", "email", "roles", "region", "password"}
    assert [link["href"] for link in page.select(".govuk-error-summary a")] == [
        "#name", "#email", "#roles", "#region", "#password"]


# --- changing -----------------------------------------------------------------------------------------------------


def test_edit_a_users_roles_and_region(client_request, admin, make_user, region):
    user = make_user(Role.ASSESSOR, name="Sam Staff", email="sam@example.test")
    page = client_request.get(f"/admin/users/{user.id}/edit")
    assert [box["value"] for box in page.select("input[name=roles][checked]")] == ["assessor"]

    location = client_request.post(f"/admin/users/{user.id}/edit", _form(roles=["referral_unit"], region=str(region.id)))

    assert location == f"/admin/users/{user.id}"
    assert _summary(client_request.get(location))["Probation region"] == "North West"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user_updated"))
    assert (event.user_id, event.details["changes"]["roles"]) == (admin.id, [["assessor"], ["referral_unit"]])


def test_edit_refuses_to_leave_ap_staff_without_a_premises(client_request, admin, make_user, make_premises):
    user = make_user(Role.AP_STAFF, email="sam@example.test", premises=make_premises())
    page = client_request.post(f"/admin/users/{user.id}/edit", _form(roles=["ap_staff"]), expected_status=200)
    assert error_messages(page) == {"premises": "Select a premises for AP staff and AP premises managers"}
    db.session.expire_all()
    assert db.session.get(User, user.id).premises is not None


def test_administrators_cannot_remove_their_own_administrator_role(client_request, admin):
    form = _form(name=admin.name, email=admin.email, roles=["assessor"])
    page = client_request.post(f"/admin/users/{admin.id}/edit", form, expected_status=200)
    assert error_messages(page) == {"roles": "You cannot remove the administrator role from your own account"}
    db.session.expire_all()
    assert db.session.get(User, admin.id).roles == [Role.ADMIN]


def test_unknown_user_is_404(client_request, admin):
    client_request.get("/admin/users/999999", expected_status=404)
    client_request.get("/admin/users/999999/edit", expected_status=404)


# --- deactivating -------------------------------------------------------------------------------------------------


def test_deactivate_after_confirming_then_reactivate(client_request, admin, make_user):
    user = make_user(Role.ASSESSOR, name="Sam Staff")
    page = client_request.get(f"/admin/users/{user.id}/status")
    assert page.h1.get_text(strip=True) == "Deactivate Sam Staff's account?"
    assert page.select_one("input[name=active]")["value"] == "false"

    assert client_request.post(f"/admin/users/{user.id}/status", {"active": "false"}) == f"/admin/users/{user.id}"
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_active

    page = client_request.get(f"/admin/users/{user.id}/status")
    assert page.h1.get_text(strip=True) == "Reactivate Sam Staff's account?"
    client_request.post(f"/admin/users/{user.id}/status", {"active": "true"})
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active
    assert list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))) == [
        "user_deactivated", "user_reactivated"]


def test_administrators_cannot_deactivate_themselves(client_request, admin):
    page = client_request.get(f"/admin/users/{admin.id}/status")
    assert "You cannot deactivate your own account" in page.select_one("main").get_text()
    assert page.select_one("main form") is None

    page = client_request.post(f"/admin/users/{admin.id}/status", {"active": "false"}, follow=True, expected_status=200)
    assert "You cannot deactivate your own account" in page.select_one(".govuk-notification-banner").get_text()
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active


def test_a_tampered_status_form_is_a_bad_request(client_request, admin, make_user):
    user = make_user(Role.ASSESSOR)
    client_request.post(f"/admin/users/{user.id}/status", {"active": "maybe"}, expected_status=400)
    client_request.post(f"/admin/users/{user.id}/status", {}, expected_status=400)
    assert db.session.get(User, user.id).is_active


# --- who may -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.ADMIN])
def test_only_administrators_manage_users(client_request, make_user, make_premises, region, role):
    user = make_user(role, premises=make_premises(), region=region)
    client_request.sign_in(user)
    for url in ("/admin/users", "/admin/users/new", f"/admin/users/{user.id}", f"/admin/users/{user.id}/status"):
        client_request.get(url, expected_status=403)
    client_request.post("/admin/users/new", _form(), expected_status=403)
    assert "Users" not in [a.get_text(strip=True) for a in client_request.get("/").select(".govuk-service-navigation__link")]


def test_administrators_see_their_areas_in_the_navigation(client_request, admin):
    links = [a.get_text(strip=True) for a in client_request.get("/").select(".govuk-service-navigation__link")]
    assert {"Users", "Manage premises", "Audit log"} <= set(links)
