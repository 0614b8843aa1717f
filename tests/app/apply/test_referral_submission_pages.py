"""Checking a whole referral, submitting it, reading it once submitted, withdrawing it, and the person's timeline."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Referral, ReferralEvent, Region
from app.permissions import Role
from app.services.referral_submission import submit
from tests.app.pages import error_messages
from tests.app.referral_answers import COMPLETE_ANSWERS
from vocabulary import ReferralStatus, RiskLevel

NEW_PAGES = ["check-answers", "submitted", "withdraw", "withdrawn"]


@pytest.fixture
def complete(manager, make_referral):
    return make_referral(manager, **COMPLETE_ANSWERS)


def _url(referral, page: str = "") -> str:
    return f"/referrals/{referral.id}" + (f"/{page}" if page else "")


def _error_summary(page) -> list[tuple[str, str]]:
    return [(link.text.strip(), link["href"]) for link in page.select(".govuk-error-summary a")]


def _link(page, text: str):
    return next((link for link in page.select("main a") if link.text.strip() == text), None)


def _tag(page) -> str:
    return page.select_one("main .govuk-tag").text.strip()


def test_the_task_list_leads_to_the_whole_referral_to_check_and_submit(client_request, complete):
    page = client_request.get(_url(complete))
    assert _tag(page) == "In progress"
    assert _link(page, "Check answers and submit")["href"] == _url(complete, "check-answers")
    page = client_request.get(_url(complete, "check-answers"))
    assert page.select_one("#section-risk").text == "Risk of serious harm"
    assert page.find("a", href=f"/referrals/{complete.id}/risk/rosh")
    assert page.select_one(f"form[action='{_url(complete, 'submit')}'] button").text.strip() == "Submit referral"


def test_submitting_an_incomplete_referral_lists_the_sections_still_to_do(client_request, manager, make_referral):
    referral = make_referral(manager, **(COMPLETE_ANSWERS | {"contingency_plan": None, "risk_flags": None}))
    page = client_request.post(_url(referral, "submit"), expected_status=200)
    assert page.title.string.startswith("Error: Check your answers before submitting")
    assert _error_summary(page) == [
        ("Complete the risk of serious harm section", "#section-risk"),
        ("Complete the contingency plan and arrival information section", "#section-arrival"),
    ]
    db.session.refresh(referral)
    assert referral.status is ReferralStatus.DRAFT


def test_a_complete_referral_is_submitted_once_and_confirmed_with_its_reference(client_request, complete):
    assert client_request.post(_url(complete, "submit")) == _url(complete, "submitted")
    assert client_request.post(_url(complete, "submit")) == _url(complete, "submitted")  # a double click
    db.session.refresh(complete)
    page = client_request.get(_url(complete, "submitted"))
    assert page.select_one(".govuk-panel__title").text.strip() == "Referral submitted"
    assert page.select_one(".govuk-panel__body strong").text == complete.reference
    assert page.find("h2", string="What happens next")
    assert db.session.scalar(sa.select(sa.func.count(ReferralEvent.id)).where(
        ReferralEvent.referral_id == complete.id)) == 1


def test_a_submitted_referral_is_read_not_changed(client_request, manager, complete):
    submit(manager, complete)
    page = client_request.get(_url(complete))
    assert _tag(page) == "Submitted"
    assert complete.reference in page.select_one("main").text
    assert page.select(".govuk-summary-list__row") and not _link(page, "Change")
    assert not page.select("input[type=radio], textarea")
    question = f"/referrals/{complete.id}/risk/rosh"
    for url in (question, f"/referrals/{complete.id}/risk/check-answers", _url(complete, "check-answers")):
        assert client_request.client.get(url).headers["Location"] == _url(complete)
    assert client_request.post(question, {"rosh_overall": "low"}) == _url(complete)
    db.session.refresh(complete)
    assert complete.rosh_overall is RiskLevel.HIGH


def test_the_submitted_confirmation_of_a_draft_leads_to_its_answers(client_request, complete):
    assert client_request.client.get(_url(complete, "submitted")).headers["Location"] == _url(complete, "check-answers")
    assert client_request.client.get(_url(complete, "withdrawn")).headers["Location"] == _url(complete)


@pytest.mark.parametrize(("status", "label", "colour"), [
    (ReferralStatus.DRAFT, "In progress", "light-blue"),
    (ReferralStatus.SUBMITTED, "Submitted", "blue"),
    (ReferralStatus.AWAITING_INFORMATION, "Further information requested", "yellow"),
    (ReferralStatus.ACCEPTED, "Accepted", "green"),
    (ReferralStatus.REJECTED, "Rejected", "red"),
    (ReferralStatus.WITHDRAWN, "Withdrawn", "grey"),
])
def test_my_referrals_and_the_person_show_each_status_as_a_coloured_tag(client_request, manager, make_referral,
                                                                       status, label, colour):
    referral = make_referral(manager, status=status, reference="AP-30-ABCDEF" if status.is_open else None)
    for url in ("/referrals", f"/people/{referral.person.id}"):
        tag = client_request.get(url).select_one("td .govuk-tag")
        assert (tag.text.strip(), tag["class"][-1]) == (label, f"govuk-tag--{colour}")
    row = client_request.get("/referrals").select("tbody td")
    assert row[3].text.strip() == ("AP-30-ABCDEF" if status.is_open else "Not submitted")


def test_withdrawing_needs_a_reason_shown_at_the_field_and_in_the_summary(client_request, complete):
    page = client_request.get(_url(complete, "withdraw"))
    assert page.select_one("legend h1").text.strip() == "Why is the referral being withdrawn?"
    page = client_request.post(_url(complete, "withdraw"), {"detail": "Kept"}, expected_status=200)
    assert error_messages(page) == {"reason": "Select why the referral is being withdrawn"}
    assert _error_summary(page) == [("Select why the referral is being withdrawn", "#reason")]
    assert page.select_one("textarea[name=detail]").text.strip() == "Kept"
    page = client_request.post(_url(complete, "withdraw"), {"reason": "other"}, expected_status=200)
    assert error_messages(page) == {"detail": "Enter why the referral is being withdrawn"}
    assert page.select_one("input[name=reason][value=other][checked]")
    db.session.refresh(complete)
    assert complete.status is ReferralStatus.DRAFT


def test_a_withdrawal_is_confirmed_and_read_on_the_persons_timeline(client_request, manager, complete):
    submit(manager, complete)
    data = {"reason": "other_accommodation_identified", "detail": "Moving in with his sister"}
    assert client_request.post(_url(complete, "withdraw"), data) == _url(complete, "withdrawn")
    page = client_request.get(_url(complete, "withdrawn"))
    assert page.select_one(".govuk-panel__title").text.strip() == "Referral withdrawn"
    assert "other accommodation found (Moving in with his sister)" in page.select_one("main p").text
    timeline = client_request.get(f"/people/{complete.person.id}").select(".app-timeline__item")
    assert [item.h3.text for item in timeline] == ["Referral withdrawn", "Referral submitted"]
    byline = " ".join(timeline[0].select_one(".app-timeline__byline").text.split())
    assert byline == f"15 June 2030 at 12:00pm by {manager.name}, referral {complete.reference}"
    assert timeline[0].select_one(".app-timeline__note").text == "Other accommodation found: Moving in with his sister"
    assert _tag(client_request.get(_url(complete))) == "Withdrawn"


@pytest.mark.parametrize("status", [ReferralStatus.ACCEPTED, ReferralStatus.REJECTED, ReferralStatus.WITHDRAWN])
def test_a_decided_or_withdrawn_referral_offers_no_withdrawal(client_request, manager, make_referral, status):
    referral = make_referral(manager, status=status)
    assert not _link(client_request.get(_url(referral)), "Withdraw this referral")
    assert client_request.client.get(_url(referral, "withdraw")).headers["Location"] == _url(referral)
    assert client_request.post(_url(referral, "withdraw"), {"reason": "death"}) == _url(referral)
    db.session.refresh(referral)
    assert referral.status is status


@pytest.mark.parametrize("page", NEW_PAGES)
def test_another_regions_offender_manager_gets_not_found(client_request, manager, make_user, complete, page):
    submit(manager, complete)
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    client_request.sign_in(make_user(Role.OFFENDER_MANAGER, region=wales))
    client_request.get(_url(complete, page), expected_status=404)
    client_request.post(_url(complete, "submit"), expected_status=404)
    client_request.post(_url(complete, "withdraw"), {"reason": "death"}, expected_status=404)
    assert db.session.get(Referral, complete.id).status is ReferralStatus.SUBMITTED


@pytest.mark.parametrize("page", NEW_PAGES)
def test_other_roles_are_forbidden_and_anonymous_users_sent_to_sign_in(app, client_request, make_user, region,
                                                                       complete, page):
    anonymous = app.test_client()
    assert anonymous.get(_url(complete, page)).headers["Location"].startswith("/sign-in")
    assert anonymous.post(_url(complete, "submit")).headers["Location"].startswith("/sign-in")
    client_request.sign_in(make_user(Role.ASSESSOR, region=region))
    client_request.get(_url(complete, page), expected_status=403)
    client_request.post(_url(complete, "submit"), expected_status=403)
