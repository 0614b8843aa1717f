"""Risk of serious harm, likelihood of reoffending, offences, needs, licence
conditions, move-on and
arrival information, page by page, with errors at the fields."""

from datetime import date

from app.extensions import db
from tests.app.pages import error_messages
from vocabulary import RiskLevel


def _url(referral, section: str, slug: str) -> str:
    return f"/referrals/{referral.id}/{section}/{slug}"


def _rows(page) -> dict[str, str]:
    return {row.dt.text.strip(): row.dd.text.strip() for row in page.select(".govuk-summary-list__row")}


def _status(client_request, referral, section: str) -> str:
    page = client_request.get(f"/referrals/{referral.id}")
    item = next(item for item in page.select(".govuk-task-list__item")
                if item.select_one(".govuk-task-list__name-and-hint").text.strip() == section)
    return item.select_one(".govuk-task-list__status").text.strip()


ROSH = {"rosh_overall": "high", "rosh_children": "low", "rosh_public": "high", "rosh_known_adult": "very_high",
        "rosh_staff": "medium", "rosh_assessed_on": ["1", "6", "2030"]}


def test_the_risk_section_page_by_page_to_completed(client_request, referral):
    assert client_request.post(_url(referral, "risk", "rosh"), ROSH) == _url(referral, "risk", "review")
    assert _status(client_request, referral, "Risk of serious harm") == "In progress"
    assert client_request.post(_url(referral, "risk", "review"), {"rosh_review_due_on": ["21", "9", "2030"]}) == \
        _url(referral, "risk", "flags")
    assert client_request.post(_url(referral, "risk", "flags"), {"risk_flags": ["arson", "weapons"]}) == \
        _url(referral, "risk", "check-answers")
    rows = _rows(client_request.get(_url(referral, "risk", "check-answers")))
    assert (rows["To a known adult"], rows["Next review due by"], rows["Risk flags"]) == (
        "Very high", "21 September 2030", "Arson, Weapons")
    assert _status(client_request, referral, "Risk of serious harm") == "Completed"


def test_saved_risk_is_shown_again_on_its_page(client_request, manager, make_referral):
    referral = make_referral(manager, rosh_staff=RiskLevel.VERY_HIGH, risk_flags=[])
    page = client_request.get(_url(referral, "risk", "rosh"))
    assert page.select_one("input[name=rosh_staff][checked]")["value"] == "very_high"
    page = client_request.get(_url(referral, "risk", "flags"))
    assert [box["value"] for box in page.select("input[name=risk_flags][checked]")] == ["none"]


def test_a_future_assessment_and_a_missing_level_are_errors_at_their_fields(client_request, referral):
    data = ROSH | {"rosh_assessed_on": ["16", "6", "2030"], "rosh_public": ""}
    page = client_request.post(_url(referral, "risk", "rosh"), data, expected_status=200)
    assert error_messages(page) == {
        "rosh_public": "Select the risk of serious harm to the public",
        "rosh_assessed_on-day": "The date of the risk assessment must be today or in the past",
    }
    assert [link["href"] for link in page.select(".govuk-error-summary a")] == ["#rosh_public", "#rosh_assessed_on-day"]
    db.session.refresh(referral)
    assert referral.rosh_overall is None


def test_a_review_more_than_16_weeks_on_is_refused_and_the_saved_date_kept(client_request, manager, make_referral):
    referral = make_referral(manager, rosh_assessed_on=date(2030, 6, 1), rosh_review_due_on=date(2030, 9, 1))
    page = client_request.post(_url(referral, "risk", "review"), {"rosh_review_due_on": ["22", "9", "2030"]},
                               expected_status=200)
    assert error_messages(page) == {
        "rosh_review_due_on-day": "The review date must be within 16 weeks of the assessment date"}
    db.session.refresh(referral)
    assert referral.rosh_review_due_on == date(2030, 9, 1)


def test_no_risk_flag_ticked_is_an_error_and_none_of_these_is_an_answer(client_request, referral):
    page = client_request.post(_url(referral, "risk", "flags"), {}, expected_status=200)
    assert error_messages(page) == {"risk_flags": "Select the person's risk flags, or that they have none"}
    client_request.post(_url(referral, "risk", "flags"), {"risk_flags": "none"})
    db.session.refresh(referral)
    assert referral.risk_flags == []
    page = client_request.post(_url(referral, "risk", "flags"), {"risk_flags": "nonsense"}, expected_status=200)
    assert error_messages(page) == {"risk_flags": "Select risk flags from the list"}
    page = client_request.post(_url(referral, "risk", "flags"), {"risk_flags": ["arson", "none"]}, expected_status=200)
    assert error_messages(page) == {"risk_flags": "Select risk flags, or select none of these, not both"}
    db.session.refresh(referral)
    assert referral.risk_flags == []


def test_likelihood_of_reoffending_says_it_is_not_risk_of_harm(client_request, referral):
    page = client_request.get(_url(referral, "reoffending", "likelihood"))
    hints = " ".join(hint.text for hint in page.select(".govuk-hint"))
    assert "not the risk of serious harm" in hints
    page = client_request.post(_url(referral, "reoffending", "likelihood"), {"ogrs_percentage": "abc"},
                               expected_status=200)
    assert error_messages(page) == {"ogrs_percentage": "The OGRS score must be a whole number from 0 to 100"}
    assert client_request.post(_url(referral, "reoffending", "likelihood"),
                               {"ogrs_percentage": "42", "reoffending_tier": "b"}) == \
        _url(referral, "reoffending", "check-answers")
    rows = _rows(client_request.get(_url(referral, "reoffending", "check-answers")))
    assert (rows["OGRS score"], rows["Tier"]) == ("42%", "Tier B")
    assert _status(client_request, referral, "Likelihood of reoffending") == "Completed"


def test_offences_each_answered_on_one_page(client_request, referral):
    answers = {"arson_offence": "current", "sexual_offence_against_adults": "none",
               "contact_sexual_offence_against_children": "none", "non_contact_sexual_offence_against_children": "previous",
               "non_sexual_offence_against_children": "none"}
    page = client_request.post(_url(referral, "offences", "offences"), answers, expected_status=200)
    assert error_messages(page) == {"hate_crime_offence": "Select whether the person has committed hate crime"}
    assert client_request.post(_url(referral, "offences", "offences"), answers | {"hate_crime_offence": "none"}) == \
        _url(referral, "offences", "check-answers")
    rows = _rows(client_request.get(_url(referral, "offences", "check-answers")))
    assert (rows["Arson"], rows["Non-contact sexual offences against children"]) == (
        "Yes, a current offence", "Yes, a previous offence only")
    assert _status(client_request, referral, "Offences") == "Completed"


def test_needs_ticked_then_their_details_to_completed(client_request, referral):
    page = client_request.post(_url(referral, "needs", "needs"), {}, expected_status=200)
    assert error_messages(page) == {"needs": "Select the person's needs, or that they have none"}
    assert page.select_one(".govuk-error-summary a")["href"] == "#needs"
    assert client_request.post(_url(referral, "needs", "needs"), {"needs": ["uses_wheelchair", "takes_medication"]}) == \
        _url(referral, "needs", "medication")
    assert _status(client_request, referral, "Needs") == "In progress"
    page = client_request.post(_url(referral, "needs", "medication"), {"medication_detail": ""}, expected_status=200)
    assert error_messages(page) == {"medication_detail": "Describe the medication the person takes"}
    assert client_request.post(_url(referral, "needs", "medication"), {"medication_detail": "Insulin, kept cold"}) == \
        _url(referral, "needs", "check-answers")
    rows = _rows(client_request.get(_url(referral, "needs", "check-answers")))
    assert (rows["Needs"], rows["Medication"]) == ("Uses a wheelchair; Takes medication", "Insulin, kept cold")
    assert "Interpreter language" not in rows
    assert _status(client_request, referral, "Needs") == "Completed"
    page = client_request.get(_url(referral, "needs", "needs"))
    assert [box["value"] for box in page.select("input[name=needs][checked]")] == ["uses_wheelchair", "takes_medication"]


def test_needs_and_none_of_these_together_are_refused(client_request, referral):
    page = client_request.post(_url(referral, "needs", "needs"), {"needs": ["is_pregnant", "none"]}, expected_status=200)
    assert error_messages(page) == {"needs": "Select needs, or select none of these, not both"}
    db.session.refresh(referral)
    assert referral.needs is None


def test_licence_conditions_with_a_curfew_to_completed(client_request, referral):
    assert client_request.post(_url(referral, "licence-conditions", "conditions"), {
        "has_standard_licence_conditions": "yes", "has_electronic_monitoring": "no"}) == \
        _url(referral, "licence-conditions", "curfew")
    page = client_request.post(_url(referral, "licence-conditions", "curfew"),
                               {"has_curfew": "yes", "curfew_starts_at": "25:00", "curfew_ends_at": ""},
                               expected_status=200)
    assert error_messages(page) == {
        "curfew_starts_at": "Enter the time as hours and minutes on the 24-hour clock, for example 19:00",
        "curfew_ends_at": "Enter the time the curfew ends, for example 07:00",
    }
    assert page.select_one("#curfew_starts_at")["value"] == "25:00"
    assert client_request.post(_url(referral, "licence-conditions", "curfew"),
                               {"has_curfew": "yes", "curfew_starts_at": "19:00", "curfew_ends_at": "7.30"}) == \
        _url(referral, "licence-conditions", "check-answers")
    rows = _rows(client_request.get(_url(referral, "licence-conditions", "check-answers")))
    assert (rows["Standard licence conditions"], rows["Curfew"]) == ("Yes", "From 19:00 to 07:30")
    assert _status(client_request, referral, "Licence conditions") == "Completed"


def test_hours_typed_before_answering_no_curfew_are_not_saved(client_request, referral):
    client_request.post(_url(referral, "licence-conditions", "curfew"),
                        {"has_curfew": "no", "curfew_starts_at": "19:00", "curfew_ends_at": "07:00"})
    db.session.refresh(referral)
    assert (referral.has_curfew, referral.curfew_starts_at) == (False, None)


def test_move_on_with_an_unknown_area_then_to_completed(client_request, referral):
    page = client_request.post(_url(referral, "move-on", "move-on"),
                               {"move_on_category": "supported_housing", "relocation_area": "Atlantis"}, expected_status=200)
    assert error_messages(page) == {
        "relocation_area": "Enter a town in England or Wales, or a postcode district, like Leeds or LS1"}
    assert page.select_one("#relocation_area")["value"] == "Atlantis"
    assert client_request.post(_url(referral, "move-on", "move-on"),
                               {"move_on_category": "supported_housing", "relocation_area": "Leeds"}) == \
        _url(referral, "move-on", "plans")
    assert client_request.post(_url(referral, "move-on", "plans"),
                               {"has_move_on_plans": "yes", "has_immigration_issues": "no"}) == \
        _url(referral, "move-on", "check-answers")
    rows = _rows(client_request.get(_url(referral, "move-on", "check-answers")))
    assert (rows["Expected move-on"], rows["Relocation area"]) == ("Supported housing", "Leeds")
    assert _status(client_request, referral, "Move-on") == "Completed"


def test_the_contingency_plan_is_needed_and_the_rest_optional(client_request, referral):
    page = client_request.post(_url(referral, "arrival", "arrival"), {"contingency_plan": ""}, expected_status=200)
    assert error_messages(page) == {"contingency_plan": "Enter the contingency plan"}
    assert client_request.post(_url(referral, "arrival", "arrival"),
                               {"contingency_plan": "Call the duty officer", "arrival_information": "Has a guide dog"}) == \
        _url(referral, "arrival", "check-answers")
    rows = _rows(client_request.get(_url(referral, "arrival", "check-answers")))
    assert rows["What staff must know before arrival"] == "Has a guide dog"
    assert _status(client_request, referral, "Contingency plan and arrival information") == "Completed"
