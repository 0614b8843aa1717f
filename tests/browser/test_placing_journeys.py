"""The referral unit places people: a finished optimiser run's proposals (the real optimiser, run through the
services over the demo region) are reviewed, one is accepted, and the request shows booked on the dashboard; the
offender manager who referred the person reads the booking on their timeline, and the administrator finds the
email to them in the outbox. axe-core checks every page on the way (tests/browser/conftest.py)."""

from typing import NamedTuple

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import OptimiserRun, PlacementRequestStatus, Proposal, RunStatus, User
from app.services import optimiser_runs

pytestmark = pytest.mark.browser

PLACER = "referral.unit@demo.test"


class Proposed(NamedTuple):
    """Someone the run proposes a place for (which one no page says before the run) and who referred them."""

    name: str
    person_id: int
    referred_by: str  # the offender manager's email


@pytest.fixture(scope="module")
def proposed(live_app) -> Proposed:
    with live_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == PLACER))
        run = OptimiserRun(created_by=user, region_id=user.region_id, method=optimiser_runs.METHOD, time_limit_s=5,
                           parameters={"workers": 1}, progress=[])
        db.session.add(run)
        db.session.commit()
        optimiser_runs.perform(run.id)
        db.session.expire_all()
        assert db.session.get(OptimiserRun, run.id).status is RunStatus.FINISHED
        placed = db.session.scalars(sa.select(Proposal).where(Proposal.run_id == run.id,
                                                              Proposal.premises_id.is_not(None))).first()
        assert placed and placed.placement_request.status is PlacementRequestStatus.PROPOSED
        request = placed.placement_request
        return Proposed(request.person.name, request.person_id, request.referral.created_by.email)


def test_the_referral_unit_reviews_a_proposal_accepts_it_and_sees_it_booked(journey, proposed):
    page = journey.sign_in(PLACER)
    journey.navigate_to("Placement requests")
    expect(page.get_by_role("heading", level=1)).to_have_text("Placement requests")
    booked_before = _count(page, "Booked")
    journey.click("link", "Proposed (")
    journey.screenshot("placement-requests-proposed")

    journey.click("link", proposed.name, exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Placement request")
    journey.click("button", "Review the proposed placement")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposed placement")
    expect(page.get_by_role("heading", name="Why this AP")).to_be_visible()
    expect(page.get_by_role("heading", name="Residents on arrival")).to_be_visible()
    expect(page.locator(".app-zone-map .leaflet-tooltip").first).to_be_visible()  # the map marks its places
    journey.screenshot("proposed-placement")

    journey.click("button", "Accept and book")
    journey.expect_success("Booked at")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Booked")

    journey.navigate_to("Placement requests")
    assert _count(page, "Booked") == booked_before + 1
    journey.click("link", "Proposed (")
    expect(page.locator("main")).not_to_contain_text(proposed.name)
    journey.sign_out()

    page = journey.sign_in(proposed.referred_by)
    journey.open(f"/people/{proposed.person_id}")
    expect(page.locator(".app-timeline__item", has_text="Placement booked").first).to_be_visible()
    journey.screenshot("person-timeline-booked")
    journey.sign_out()

    page = journey.sign_in("admin@demo.test")
    journey.navigate_to("Outbox")
    email = page.locator("tbody tr", has_text="Placement booked").filter(has_text=proposed.referred_by)
    expect(email.first).to_be_visible()


def _count(page, status: str) -> int:
    """The number beside a status on the dashboard: "Booked (12)" is 12."""
    text = page.locator(".app-status-tabs a", has_text=f"{status} (").inner_text()
    return int(text.rsplit("(", 1)[1].rstrip(")"))
