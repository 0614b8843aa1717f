"""Victims and exclusion zones: the victim contact scheme, zones and non-associates answered to Completed,
non-associates checked, and every reading of victims' details audited for those allowed to see them."""

from types import SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.extensions import db
from app.models import AuditEvent
from app.permissions import Role
from app.services import referrals, victim_details
from app.services.audit import readable
from app.services.exclusion_zones import ZoneDetails, add_zone
from app.services.non_associates import (
    NonAssociateDetails,
    add_non_associate,
    non_associate_problems,
    remove_non_associate,
)
from app.services.referrals import VICTIMS, SectionStatus
from app.services.validation import InvalidInput, NotInScope
from vocabulary import ExclusionZoneSource, NonAssociateReason, VictimContactScheme

CO_DEFENDANT = NonAssociateDetails(crn="a111111", name="Sam Fictional", reason=NonAssociateReason.CO_DEFENDANT)
ZONE = ZoneDetails(label="Zone 1", source=ExclusionZoneSource.CIRCLE, centre="Leeds", radius_miles=1)


pytestmark = pytest.mark.usefixtures("referral_day")


@pytest.fixture
def referral(offender_manager, make_referral):
    return make_referral(offender_manager)


def _save(user, referral, slug, **answers):
    referrals.save_page(user, referral, VICTIMS, VICTIMS.page(slug), answers)


def _unfinished(referral) -> list[str]:
    return [page.slug for page in referrals.unfinished_pages(referral, VICTIMS)]


def test_the_section_needs_its_zones_and_non_associates_listed_once_answered_yes(offender_manager, referral):
    assert referrals.section_status(referral, VICTIMS) is SectionStatus.NOT_STARTED
    _save(offender_manager, referral, "victim-contact", victim_contact_scheme=VictimContactScheme.OPTED_IN)
    _save(offender_manager, referral, "has-zones", has_exclusion_zones=True)
    _save(offender_manager, referral, "has-non-associates", has_non_associates=True)
    assert _unfinished(referral) == ["zones", "non-associates"]
    add_zone(offender_manager, referral, ZONE)
    add_non_associate(offender_manager, referral, CO_DEFENDANT)
    assert referrals.section_status(referral, VICTIMS) is SectionStatus.COMPLETED


def test_the_section_completes_with_no_zones_and_no_non_associates(offender_manager, referral):
    _save(offender_manager, referral, "victim-contact", victim_contact_scheme=VictimContactScheme.NOT_ELIGIBLE)
    _save(offender_manager, referral, "has-zones", has_exclusion_zones=False)
    _save(offender_manager, referral, "has-non-associates", has_non_associates=False)
    assert referrals.section_status(referral, VICTIMS) is SectionStatus.COMPLETED


def test_answering_no_while_zones_or_non_associates_are_listed_is_refused(offender_manager, make_referral):
    referral = make_referral(offender_manager, has_exclusion_zones=True, has_non_associates=True)
    add_zone(offender_manager, referral, ZONE)
    add_non_associate(offender_manager, referral, CO_DEFENDANT)
    for slug, answer, problem in (
            ("has-zones", {"has_exclusion_zones": False}, "Remove the exclusion zones first, or select yes"),
            ("has-non-associates", {"has_non_associates": False}, "Remove the non-associates first, or select yes")):
        with pytest.raises(InvalidInput) as refusal:
            _save(offender_manager, referral, slug, **answer)
        assert list(refusal.value.problems.values()) == [problem]
    db.session.rollback()
    assert (len(referral.exclusion_zones), referral.has_exclusion_zones) == (1, True)


@pytest.mark.parametrize(("details", "problems"), [
    (NonAssociateDetails(crn="", name="", reason=None), {
        "crn": "Enter the non-associate's CRN", "name": "Enter the non-associate's full name",
        "reason": "Select why they must not be placed together"}),
    (NonAssociateDetails(crn="1234567", name="Sam", reason=NonAssociateReason.GANG), {
        "crn": "Enter a CRN in the correct format: one letter and six numbers, like X123456"}),
    (NonAssociateDetails(crn=" x123456 ", name="Sam", reason=NonAssociateReason.VICTIM), {
        "crn": "X123456 is the CRN of Jane Fictional, who is being referred: enter the non-associate's CRN"}),
    (NonAssociateDetails(crn="A111111", name="Sam", reason=NonAssociateReason.VICTIM), {
        "crn": "A111111 is already a non-associate on this referral"}),
    (NonAssociateDetails(crn="B222222", name="Sam", reason=NonAssociateReason.OTHER, reason_detail=" "), {
        "reason_detail": "Describe the reason"}),
])
def test_a_non_associate_has_a_crn_of_someone_else_a_name_and_a_reason(offender_manager, referral, details, problems):
    add_non_associate(offender_manager, referral, CO_DEFENDANT)
    assert non_associate_problems(referral, details) == problems


@example(crn="z999999")
@given(crn=st.from_regex(r"\s*[A-Za-z][0-9]{6}\s*", fullmatch=True))
def test_any_crn_in_the_right_format_is_accepted_unless_it_is_the_referred_persons(crn):
    referred = SimpleNamespace(person=SimpleNamespace(crn="Z999999", name="Jane Fictional"), non_associates=[])
    details = NonAssociateDetails(crn=crn, name="Sam", reason=NonAssociateReason.GANG)
    problems = non_associate_problems(referred, details)
    assert set(problems) == ({"crn"} if crn.strip().upper() == "Z999999" else set())


def test_a_non_associate_is_added_in_upper_case_and_removed_with_audit(offender_manager, referral):
    added = add_non_associate(offender_manager, referral, CO_DEFENDANT)
    assert (added.crn, added.reason_detail) == ("A111111", None)
    remove_non_associate(offender_manager, referral, added.id)
    assert referral.non_associates == []
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action.like("non_associate_%"))
                                .order_by(AuditEvent.id)).all()
    assert [event.details for event in events] == [{"non_associate": "A111111", "non_associate_reason": "co_defendant"},
                                                   {"non_associate": "A111111"}]
    assert "Why not together: Co-defendant" in readable(events)[0].details


def test_the_other_reason_keeps_its_detail(offender_manager, referral):
    added = add_non_associate(offender_manager, referral, NonAssociateDetails(
        crn="C333333", name="Alex Fictional", reason=NonAssociateReason.OTHER, reason_detail="Family feud"))
    assert added.reason_detail == "Family feud"


def test_seeing_victim_details_is_audited_naming_who_saw_which_referral(offender_manager, referral):
    add_zone(offender_manager, referral, ZONE)
    details = victim_details.reveal(offender_manager, referral, seen_on="check answers")
    assert [zone.label for zone in details.zones] == ["Zone 1"]
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "victim_details_viewed"))
    entry = readable([event])[0]
    assert (entry.who, entry.action, entry.subject, entry.details) == (
        offender_manager.name, "Victim details viewed", "Referral for Jane Fictional (X123456)", ["Seen on: check answers"])


@pytest.mark.parametrize("role", [Role.REGIONAL_MANAGER, Role.AP_STAFF, Role.ADMIN, Role.NATIONAL_MANAGER])
def test_roles_without_the_permission_never_see_victim_details(make_user, referral, role):
    with pytest.raises(NotInScope):
        victim_details.reveal(make_user(role), referral, seen_on="check answers")
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "victim_details_viewed")) is None
