import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Region, User
from app.permissions import Role
from app.services import users
from app.services.users import UserDetails
from app.services.validation import InvalidInput, Refused

PASSWORD = "a long enough password"


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, email="admin@example.test", name="Ada Admin")


def _events() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


def _user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def _details(**overrides) -> UserDetails:
    fields = {"name": "Sam Staff", "email": "sam.staff@example.test", "roles": frozenset({Role.ASSESSOR})}
    return UserDetails(**(fields | overrides))


def _refused(action, *args, **kwargs) -> dict[str, str]:
    """The problems an action is refused with; nothing may have been saved or audited."""
    users_before, events_before = _user_count(), len(_events())
    with pytest.raises(InvalidInput) as refusal:
        action(*args, **kwargs)
    db.session.rollback()
    assert (_user_count(), len(_events())) == (users_before, events_before)
    return refusal.value.problems


# --- creating ---------------------------------------------------------------------------------------------------


def test_create_user_saves_roles_and_scope_and_audits_without_the_password(admin, make_premises, region):
    premises = make_premises("Preston House")
    details = _details(email=" Sam.Staff@Example.TEST ", roles=frozenset({Role.AP_STAFF, Role.REFERRAL_UNIT}),
                       premises_id=premises.id, region_id=region.id)

    user = users.create_user(details, PASSWORD, by=admin)

    assert (user.name, user.email, user.roles) == ("Sam Staff", "sam.staff@example.test", [Role.REFERRAL_UNIT, Role.AP_STAFF])
    assert (user.premises, user.region, user.is_active) == (premises, region, True)
    assert user.check_password(PASSWORD)
    [event] = _events()
    assert (event.action, event.user_id, event.object_type, event.object_id) == ("user_created", admin.id, "user", str(user.id))
    assert event.details == {"name": "Sam Staff", "email": "sam.staff@example.test", "roles": ["referral_unit", "ap_staff"],
                             "premises": "Preston House", "region": "North West"}
    assert PASSWORD not in str(event.details)


def test_duplicate_email_is_refused_whatever_its_case(admin, make_user):
    make_user(email="taken@example.test")
    problems = _refused(users.create_user, _details(email="TAKEN@example.test"), PASSWORD, by=admin)
    assert problems == {"email": "An account already uses this email address"}


def test_a_user_needs_at_least_one_role(admin):
    assert _refused(users.create_user, _details(roles=frozenset()), PASSWORD, by=admin) == {"roles": "Select at least one role"}


@pytest.mark.parametrize("role", [Role.AP_STAFF, Role.AP_MANAGER])
def test_ap_staff_need_a_premises(admin, role):
    problems = _refused(users.create_user, _details(roles=frozenset({role})), PASSWORD, by=admin)
    assert problems == {"premises": "Select a premises for AP staff and AP premises managers"}


@pytest.mark.parametrize("role", [Role.OFFENDER_MANAGER, Role.REFERRAL_UNIT, Role.REGIONAL_MANAGER])
def test_offender_managers_referral_unit_and_regional_managers_need_a_region(admin, role):
    problems = _refused(users.create_user, _details(roles=frozenset({role})), PASSWORD, by=admin)
    assert problems == {"region": "Select a region for offender managers, central referral unit staff and regional managers"}


@pytest.mark.parametrize("premises_id", [999, 10**30, 0])
def test_unknown_region_and_premises_ids_are_refused(admin, premises_id):
    missing_region = db.session.scalar(sa.select(sa.func.max(Region.id))) + 1
    problems = _refused(users.create_user, _details(region_id=missing_region, premises_id=premises_id), PASSWORD, by=admin)
    assert problems == {"region": "Select a region from the list", "premises": "Select a premises from the list"}


@pytest.mark.parametrize(
    ("password", "message"),
    [("", "Enter an initial password"), ("elevenchars", "Password must be 12 characters or more"),
     ("x" * 129, "Password must be 128 characters or fewer")],
)
def test_initial_password_rules(admin, password, message):
    assert _refused(users.create_user, _details(), password, by=admin) == {"password": message}


def test_twelve_characters_is_long_enough(admin):
    assert users.create_user(_details(), "twelve chars", by=admin).check_password("twelve chars")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [({"name": "  "}, "name", "Enter the person's full name"),
     ({"name": "x" * 121}, "name", "Full name must be 120 characters or fewer"),
     ({"email": ""}, "email", "Enter an email address"),
     ({"email": "not-an-email"}, "email", "Enter an email address in the correct format, like name@example.com")],
)
def test_name_and_email_must_be_usable(admin, overrides, field, message):
    assert _refused(users.create_user, _details(**overrides), PASSWORD, by=admin) == {field: message}


def test_every_problem_is_reported_at_once(admin):
    problems = _refused(users.create_user, _details(name="", email="", roles=frozenset()), "", by=admin)
    assert set(problems) == {"name", "email", "roles", "password"}


# --- changing -----------------------------------------------------------------------------------------------------


def test_update_user_changes_roles_and_scope_and_audits_what_changed(admin, make_user, make_premises):
    premises = make_premises("Preston House")
    user = make_user(Role.ASSESSOR, email="sam@example.test", name="Sam")

    users.update_user(user, _details(name="Sam", email="sam@example.test", roles=frozenset({Role.AP_MANAGER}),
                                     premises_id=premises.id), by=admin)

    assert (user.roles, user.premises) == ([Role.AP_MANAGER], premises)
    [event] = _events()
    assert (event.action, event.user_id, event.object_id) == ("user_updated", admin.id, str(user.id))
    assert event.details == {"changes": {"roles": [["assessor"], ["ap_manager"]], "premises": [None, "Preston House"]}}


def test_keeping_your_own_email_is_not_a_duplicate_and_no_change_records_nothing(admin, make_user):
    user = make_user(Role.ASSESSOR, email="sam@example.test", name="Sam")
    users.update_user(user, _details(name="Sam", email="SAM@example.test", roles=frozenset({Role.ASSESSOR})), by=admin)
    assert _events() == []


def test_update_refuses_another_users_email_and_leaves_the_account_alone(admin, make_user):
    make_user(email="taken@example.test")
    user = make_user(Role.ASSESSOR, email="sam@example.test")
    problems = _refused(users.update_user, user, _details(email="taken@example.test", roles=frozenset({Role.ASSESSOR})), by=admin)
    assert problems == {"email": "An account already uses this email address"}
    assert db.session.get(User, user.id).email == "sam@example.test"


def test_removing_ap_staff_premises_is_refused(admin, make_user, make_premises):
    user = make_user(Role.AP_STAFF, premises=make_premises())
    problems = _refused(users.update_user, user, _details(roles=frozenset({Role.AP_STAFF})), by=admin)
    assert problems == {"premises": "Select a premises for AP staff and AP premises managers"}
    assert db.session.get(User, user.id).premises is not None


def test_administrators_cannot_remove_their_own_administrator_role(admin):
    problems = _refused(users.update_user, admin, _details(name=admin.name, email=admin.email, roles=frozenset({Role.ASSESSOR})),
                        by=admin)
    assert problems == {"roles": "You cannot remove the administrator role from your own account"}
    assert db.session.get(User, admin.id).roles == [Role.ADMIN]


# --- deactivating -------------------------------------------------------------------------------------------------


def test_deactivate_and_reactivate_are_audited(admin, make_user):
    user = make_user(Role.ASSESSOR)
    users.set_active(user, False, by=admin)
    assert not user.is_active
    users.set_active(user, True, by=admin)
    assert user.is_active
    assert [(e.action, e.user_id, e.object_id) for e in _events()] == [
        ("user_deactivated", admin.id, str(user.id)), ("user_reactivated", admin.id, str(user.id))]


def test_repeating_a_status_change_changes_nothing_twice(admin, make_user):
    user = make_user(Role.ASSESSOR)
    users.set_active(user, False, by=admin)
    users.set_active(user, False, by=admin)
    assert [e.action for e in _events()] == ["user_deactivated"]


def test_administrators_cannot_deactivate_themselves(admin):
    with pytest.raises(Refused, match="You cannot deactivate your own account"):
        users.set_active(admin, False, by=admin)
    db.session.rollback()
    assert db.session.get(User, admin.id).is_active
    assert _events() == []


# --- finding ------------------------------------------------------------------------------------------------------


def test_users_query_searches_name_and_email_and_filters_by_role_and_status(make_user, make_premises):
    make_user(Role.ASSESSOR, name="Alice Assessor", email="alice@example.test")
    make_user(Role.AP_STAFF, name="Bob Staff", email="bob@probation.test", premises=make_premises())
    make_user(Role.ASSESSOR, name="Carol 100% Assessor", email="carol@example.test", active=False)

    def names(**filters):
        return [user.name for user in db.session.scalars(users.users_query(**filters))]

    assert names(search="ALICE") == ["Alice Assessor"]
    assert names(search="probation") == ["Bob Staff"]
    assert names(search="%") == ["Carol 100% Assessor"]
    assert names(role=Role.ASSESSOR) == ["Alice Assessor", "Carol 100% Assessor"]
    assert names(role=Role.ASSESSOR, active=True) == ["Alice Assessor"]
    assert names(active=False) == ["Carol 100% Assessor"]
