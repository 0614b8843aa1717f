"""The whole referral's answers, section by section, with Change links for its author and without for readers."""

from bs4 import BeautifulSoup
from flask import render_template_string

from app.services import referrals
from tests.app.referral_answers import COMPLETE_ANSWERS

SUMMARY = '{% from "apply/_referral_summary.html" import referral_summary %}{{ referral_summary(summary, change_links) }}'


def _summary(app, referral, change_links: bool) -> BeautifulSoup:
    with app.test_request_context():
        html = render_template_string(SUMMARY, summary=referrals.summary(referral), change_links=change_links)
    return BeautifulSoup(html, "html.parser")


def test_every_section_is_shown_with_its_answers_and_change_links(app, manager, make_referral):
    referral = make_referral(manager, **COMPLETE_ANSWERS)
    page = _summary(app, referral, change_links=True)
    assert [heading.text for heading in page.select("h2")] == [section.title for section in referrals.SECTIONS]
    rows = {row.dt.text.strip(): row for row in page.select(".govuk-summary-list__row")}
    assert rows["Notice"].dd.text.strip() == "Standard"
    assert rows["To a known adult"].select_one(".govuk-summary-list__value").text.strip() == "Very high"
    assert rows["Curfew"].select_one(".govuk-summary-list__value").text.strip() == "From 19:00 to 07:00"
    assert rows["Curfew"].select_one("a")["href"] == f"/referrals/{referral.id}/licence-conditions/curfew"
    assert not rows["Notice"].select("a"), "a derived answer has no Change link"
    assert page.select_one("#section-location").find_next("p").text == "This section cannot be completed yet."


def test_read_only_the_same_answers_have_no_change_links(app, manager, make_referral):
    referral = make_referral(manager, **COMPLETE_ANSWERS)
    page = _summary(app, referral, change_links=False)
    assert len(page.select(".govuk-summary-list__row")) == len(
        _summary(app, referral, change_links=True).select(".govuk-summary-list__row"))
    assert not page.select("a")


def test_missing_answers_are_marked_in_the_summary(app, manager, make_referral):
    referral = make_referral(manager, **(COMPLETE_ANSWERS | {"contingency_plan": None}))
    rows = {row.dt.text.strip(): row.dd.text.strip() for row in _summary(app, referral, True).select(".govuk-summary-list__row")}
    assert rows["Contingency plan"] == "Not answered"
