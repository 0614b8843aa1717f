"""The whole referral's answers, section by section, with Change links for its author and without for readers."""

from bs4 import BeautifulSoup
from flask import render_template_string

from app.models import ExclusionZone, NonAssociate
from app.services import referrals
from app.services.victim_details import VictimDetails
from tests.app.referral_answers import COMPLETE_ANSWERS
from vocabulary import ExclusionZoneSource, NonAssociateReason

SUMMARY = '{% from "apply/_referral_summary.html" import referral_summary %}{{ referral_summary(summary, change_links) }}'


def _summary(app, referral, change_links: bool, victims=None) -> BeautifulSoup:
    with app.test_request_context():
        html = render_template_string(SUMMARY, summary=referrals.summary(referral, victims), change_links=change_links)
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


def test_zones_and_non_associates_are_withheld_unless_revealed_and_then_drawn(app, manager, make_referral):
    referral = make_referral(manager, **(COMPLETE_ANSWERS | {"has_exclusion_zones": True, "has_non_associates": True}))
    zone = ExclusionZone(label="Near the school", source=ExclusionZoneSource.CIRCLE, area_km2=3.1, centre_name="Leeds",
                         geometry='{"type": "Polygon", "coordinates": [[[-1.5, 53.8], [-1.4, 53.8], [-1.4, 53.9]]]}')
    other = NonAssociate(crn="A111111", name="Sam Other", reason=NonAssociateReason.CO_DEFENDANT)
    referral.exclusion_zones.append(zone)
    referral.non_associates.append(other)

    def row(page, key):
        return next(r.dd.text.strip() for r in page.select(".govuk-summary-list__row") if r.dt.text.strip() == key)

    withheld = _summary(app, referral, change_links=False)
    assert row(withheld, "Zones") == row(withheld, "Who") == "Shown only to those who may see victims’ details"
    assert not withheld.select("[data-zone-map]")

    shown = _summary(app, referral, change_links=False, victims=VictimDetails(zones=[zone], non_associates=[other]))
    assert (row(shown, "Zones"), row(shown, "Who")) == ("Near the school", "Sam Other (A111111): Co-defendant")
    assert shown.select("[data-zone-map]")
