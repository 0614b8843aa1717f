"""The assessor's pages: the queue, the assessment page, allocation, further information, accept and reject; and what
the offender manager sees of it on their referral."""

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from app.clock import LONDON
from app.extensions import db
from app.models import PlacementRequest, Region
from app.permissions import Role
from app.services import assessments
from tests.app.pages import error_messages
from vocabulary import APType, OffenceHistory, ReferralStatus, RejectionReason

SHORT_NOTICE = {"arrival_date": date(2030, 6, 20), "is_emergency": False, "lateness_reason": "Parole came late"}


def _rows(page) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]


def _summary(page) -> dict[str, str]:
    return {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
            for row in page.select(".govuk-summary-list__row")}


def _error_summary(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".govuk-error-summary a")]


# --- the queue --------------------------------------------------------------------------------------------------


def test_the_queue_shows_the_soonest_due_first_with_overdue_and_due_today_standing_out(
        client_request, assessor, manager, make_submitted_referral):
    make_submitted_referral(manager, submitted_at=datetime(2030, 6, 10, 10, tzinfo=LONDON))
    make_submitted_referral(manager, submitted_at=datetime(2030, 6, 1, 10, tzinfo=LONDON), **SHORT_NOTICE)
    make_submitted_referral(manager, submitted_at=datetime(2030, 6, 15, 11, tzinfo=LONDON),
                            **(SHORT_NOTICE | {"is_emergency": True}), requested_ap_type=APType.PIPE)
    make_submitted_referral(manager, status=ReferralStatus.ACCEPTED)

    page = client_request.get("/assess")

    assert [row[2:] for row in _rows(page)] == [
        ["Standard", "Short notice", "Overdue 7 June 2030", "Not allocated"],
        ["Psychologically informed planned environment (PIPE)", "Emergency", "Due today 15 June 2030 at 1:00pm",
         "Not allocated"],
        ["Standard", "Standard", "24 June 2030", "Not allocated"],
    ]
    assert page.select_one("tbody .govuk-tag--red").text == "Overdue"
    assert page.select_one("tbody .govuk-tag--orange").text == "Due today"


def test_the_queue_filters_by_area_region_ap_type_and_notice(client_request, assessor, manager, make_user,
                                                             make_submitted_referral):
    make_submitted_referral(manager)
    make_submitted_referral(manager, requested_ap_type=APType.PIPE, **SHORT_NOTICE)
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    assert len(_rows(client_request.get("/assess"))) == 2
    assert len(_rows(client_request.get("/assess?notice=short_notice&ap_type=pipe"))) == 1
    assert len(_rows(client_request.get(f"/assess?area={manager.region.area_id}"))) == 2
    page = client_request.get(f"/assess?region={wales.id}")
    assert not _rows(page)
    assert "No referrals to assess match these filters." in page.text


def test_a_filter_that_is_not_offered_is_an_error_at_the_field(client_request, assessor, submitted):
    page = client_request.get("/assess?notice=whenever")
    assert error_messages(page) == {"notice": "Select a notice from the list"}
    assert _error_summary(page) == ["Select a notice from the list"]


def test_the_queue_is_paginated(client_request, assessor, manager, make_submitted_referral):
    for _ in range(51):
        make_submitted_referral(manager)
    assert len(_rows(client_request.get("/assess"))) == 50
    assert len(_rows(client_request.get("/assess?page=2"))) == 1
    client_request.get("/assess?page=3", expected_status=404)


def test_an_offender_manager_cannot_assess(client_request, manager, submitted):
    client_request.sign_in(manager)
    client_request.get("/assess", expected_status=403)
    client_request.get(f"/assess/referrals/{submitted.id}", expected_status=403)


# --- the assessment page ------------------------------------------------------------------------------------------


def test_the_assessment_page_shows_the_whole_referral_read_only_and_what_is_due(client_request, assessor, submitted):
    page = client_request.get(f"/assess/referrals/{submitted.id}")
    summary = _summary(page)
    assert (summary["Status"], summary["Notice"], summary["Due"], summary["Assessor"]) == (
        "Submitted", "Standard", "24 June 2030", "Not allocated Allocate to me")
    assert [heading.text for heading in page.select("h2")][:3] == ["Sentence and release", "Risk of serious harm",
                                                                    "Likelihood of reoffending"]
    assert summary["Type of AP"] == "Standard"
    assert not page.select(f"a[href^='/referrals/{submitted.id}/']"), "no Change links into the offender manager's pages"
    assert not page.select(".govuk-warning-text")


def test_a_risk_assessment_past_its_review_date_is_warned_of(client_request, assessor, manager,
                                                             make_submitted_referral):
    referral = make_submitted_referral(manager, rosh_assessed_on=date(2030, 2, 20), rosh_review_due_on=date(2030, 6, 1))
    warning = client_request.get(f"/assess/referrals/{referral.id}").select_one(".govuk-warning-text")
    assert "it was due for review on 1 June 2030" in warning.text


def test_drafts_and_other_regions_referrals_are_not_found(client_request, assessor, manager, make_referral, make_user,
                                                          make_submitted_referral):
    draft = make_referral(manager)
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    welsh = make_submitted_referral(make_user(Role.OFFENDER_MANAGER, region=wales, email="cy@example.test"))
    for referral in (draft, welsh):
        for action in ("", "/accept", "/reject", "/further-information", "/allocate"):
            client_request.get(f"/assess/referrals/{referral.id}{action}", expected_status=404)
        client_request.post(f"/assess/referrals/{referral.id}/reject", {"reason": "risk_to_staff"}, expected_status=404)


# --- allocation ---------------------------------------------------------------------------------------------------


def test_allocate_to_myself_then_to_a_colleague(client_request, assessor, submitted, make_user):
    colleague = make_user(Role.ASSESSOR, email="colleague@example.test", name="Cole League")
    url = f"/assess/referrals/{submitted.id}"
    assert client_request.post(f"{url}/allocate", {"assessor": assessor.id}) == url
    assert _summary(client_request.get(url))["Assessor"] == "Ada Assessor"
    page = client_request.get(f"{url}/allocate")
    assert [option.text for option in page.select("#assessor option")] == [
        "Select an assessor", "Ada Assessor", "Cole League"]
    page = client_request.post(f"{url}/allocate", {"assessor": ""}, expected_status=200)
    assert error_messages(page) == {"assessor": "Select an assessor who can assess this referral"}
    assert client_request.post(f"{url}/allocate", {"assessor": colleague.id}) == url
    assert "Cole League" in client_request.get("/assess").select_one("tbody").text


# --- further information ------------------------------------------------------------------------------------------


def test_the_assessor_asks_the_offender_manager_answers_and_the_clock_restarts(
        client_request, assessor, manager, submitted, time_machine):
    url = f"/assess/referrals/{submitted.id}"
    page = client_request.post(f"{url}/further-information", {"question": " "}, expected_status=200)
    assert error_messages(page) == {"question": "Enter your question"}
    assert _error_summary(page) == ["Enter your question"]
    time_machine.move_to(datetime(2030, 6, 17, 9, tzinfo=LONDON), tick=False)
    client_request.sign_in(assessor)  # a new day, a new session
    assert client_request.post(f"{url}/further-information", {"question": "Where will they live?"}) == url
    page = client_request.get(url)
    assert _summary(page)["Due"] == "Clock stopped waiting for further information"
    assert "Where will they live?" in page.select_one("#main-content").text
    assert [button.text.strip() for button in page.select(".govuk-button-group .govuk-button")] == ["Reject"]

    client_request.sign_in(manager)
    referral_page = client_request.get(f"/referrals/{submitted.id}")
    banner = referral_page.select_one(".govuk-notification-banner")
    assert "Where will they live?" in banner.text
    answer_url = banner.select_one("a")["href"]
    page = client_request.post(answer_url, {"answer": ""}, expected_status=200)
    assert error_messages(page) == {"answer": "Enter your answer"}
    time_machine.move_to(datetime(2030, 6, 18, 15, tzinfo=LONDON), tick=False)
    client_request.sign_in(manager)
    assert client_request.post(answer_url, {"answer": "Supported housing in Leeds"}) == f"/referrals/{submitted.id}"
    after = client_request.get(f"/referrals/{submitted.id}")
    assert "Answer sent: the referral is back with the assessor" in after.select_one(".govuk-notification-banner").text
    assert "asked for more information" not in after.text
    assert not client_request.get(answer_url).select("#answer"), "nothing to answer any more"

    client_request.sign_in(assessor)
    assert _summary(client_request.get(url))["Due"] == "25 June 2030"  # asked on Monday, answered on Tuesday: a day


# --- accepting ----------------------------------------------------------------------------------------------------


def test_the_acceptance_form_starts_from_the_derived_requirements_and_the_policy(client_request, assessor, manager,
                                                                                 make_submitted_referral):
    referral = make_submitted_referral(manager, requested_ap_type=APType.PIPE)
    page = client_request.get(f"/assess/referrals/{referral.id}/accept")
    assert page.select_one("input[name=ap_type][checked]")["value"] == "pipe"
    assert page.select_one("input[name=gender][checked]")["value"] == "female"
    assert {box["value"] for box in page.select("input[name=essential][checked]")} == {
        "is_arson_suitable", "accepts_hate_crime_offenders", "is_single"}
    assert page.select_one("#length_of_stay_weeks")["value"] == "26"
    assert "Enhanced security (ESAP) 52 weeks" in page.select_one("#length_of_stay_weeks-hint").text


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"ap_type": ""}, "ap_type", "Select the type of AP"),
    ({"length_of_stay_weeks": "0"}, "length_of_stay_weeks", "The length of stay must be from 1 to 104 weeks"),
    ({"length_of_stay_weeks": "-3"}, "length_of_stay_weeks", "The length of stay must be from 1 to 104 weeks"),
    ({"length_of_stay_weeks": "5200"}, "length_of_stay_weeks", "The length of stay must be from 1 to 104 weeks"),
    ({"length_of_stay_weeks": "twelve"}, "length_of_stay_weeks", "Enter the length of stay as a whole number of weeks"),
    ({"length_of_stay_weeks": ""}, "length_of_stay_weeks", "Enter the length of stay in weeks"),
    ({"desirable": ["is_single"]}, "desirable",
     "Single room cannot be both essential and desirable: untick it in one of the lists"),
])
def test_bad_acceptances_are_errors_at_the_field_and_in_the_summary(client_request, assessor, submitted, changes, field,
                                                                    message):
    form = {"ap_type": "standard", "gender": "female", "essential": ["is_single"], "desirable": [],
            "length_of_stay_weeks": "12"} | changes
    page = client_request.post(f"/assess/referrals/{submitted.id}/accept", form, expected_status=200)
    field_id = {"ap_type": "ap_type", "desirable": "desirable"}.get(field, field)
    assert message in error_messages(page).values()
    assert _error_summary(page) == [message]
    assert page.select_one(".govuk-error-summary a")["href"].startswith(f"#{field_id}")
    assert db.session.scalar(sa.select(sa.func.count(PlacementRequest.id))) == 0


def test_accepting_with_changed_requirements_makes_the_placement_request_and_the_manager_sees_it(
        client_request, assessor, manager, submitted):
    url = f"/assess/referrals/{submitted.id}"
    form = {"ap_type": "rfap", "gender": "female", "essential": ["is_arson_suitable", "has_step_free_access"],
            "desirable": ["is_catered"], "length_of_stay_weeks": "14"}
    assert client_request.post(f"{url}/accept", form) == url
    placement_request = db.session.scalars(sa.select(PlacementRequest)).one()
    assert (placement_request.ap_type, placement_request.essential_characteristics,
            placement_request.desirable_characteristics, placement_request.length_of_stay_weeks) == (
        APType.RECOVERY_FOCUSED, ["has_step_free_access", "is_arson_suitable"], ["is_catered"], 14)
    page = client_request.get(url)
    assert _summary(page)["Decision"] == "Referral accepted"
    assert not page.select(".govuk-button-group")
    response = client_request.client.get(f"{url}/accept")
    assert (response.status_code, response.headers["Location"]) == (302, url)

    client_request.sign_in(manager)
    page = client_request.get(f"/referrals/{submitted.id}")
    summary = _summary(page.find("h2", string="Decision").find_next("dl"))
    assert (summary["Decision"], summary["Type of AP"], summary["Authorised length of stay"], summary["Essential"]) == (
        "Referral accepted", "Recovery-focused (RFAP)", "14 weeks",
        "Step-free access, Suitable for people with arson offences")
    assert "Accepted" in client_request.get("/referrals").select_one("tbody .govuk-tag").text


def test_a_referral_awaiting_information_cannot_be_accepted(client_request, assessor, submitted):
    assessments.request_information(assessor, submitted, "Why?")
    url = f"/assess/referrals/{submitted.id}"
    form = {"ap_type": "standard", "gender": "female", "length_of_stay_weeks": "12"}
    assert client_request.post(f"{url}/accept", form) == url
    assert "waiting for further information" in client_request.get(url).select_one(".govuk-notification-banner").text
    assert db.session.scalar(sa.select(sa.func.count(PlacementRequest.id))) == 0


# --- rejecting ----------------------------------------------------------------------------------------------------


def test_a_rejection_needs_a_reason_and_the_manager_reads_it(client_request, assessor, manager, submitted):
    url = f"/assess/referrals/{submitted.id}"
    page = client_request.post(f"{url}/reject", {"detail": "Nothing"}, expected_status=200)
    assert error_messages(page) == {"reason": "Select why the referral is rejected"}
    assert _error_summary(page) == ["Select why the referral is rejected"]
    assert page.select_one("#detail").text.strip() == "Nothing", "what was typed is kept"
    assert client_request.post(f"{url}/reject", {"reason": "risk_to_staff", "detail": "Threats to staff"}) == url
    assert submitted.assessment.rejection_reason is RejectionReason.RISK_TO_STAFF

    client_request.sign_in(manager)
    page = client_request.get(f"/referrals/{submitted.id}")
    summary = _summary(page.find("h2", string="Decision").find_next("dl"))
    assert (summary["Decision"], summary["Reason"], summary["Detail"]) == (
        "Referral rejected", "Risk to staff", "Threats to staff")


def test_the_offender_manager_reads_questions_and_answers_after_the_decision(client_request, assessor, manager,
                                                                             make_submitted_referral):
    referral = make_submitted_referral(manager, arson_offence=OffenceHistory.NONE)
    assessments.request_information(assessor, referral, "Any arson?")
    assessments.provide_information(manager, referral, "None at all")
    client_request.sign_in(manager)
    link = client_request.get(f"/referrals/{referral.id}").select_one("a[href$='/further-information']")
    assert link.text == "Questions from the assessor and your answers"
    assert _summary(client_request.get(link["href"])) == {
        "Question": "Any arson? 15 June 2030 at 12:00pm, Ada Assessor",
        "Answer": "None at all 15 June 2030 at 12:00pm, Olive Manager"}
