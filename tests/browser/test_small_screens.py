"""Every page fits a phone 375 px wide: nothing scrolls sideways. A wide table scrolls inside its own region,
which keyboard users can reach and scroll, as the GOV.UK Design System advises."""

import pytest
from sqlalchemy import select

from app.demo.data import STAFF_PREMISES_NAME
from app.extensions import db
from app.models import Bed, OutOfServiceBed, Premises, Room, User
from tests.browser.conftest import Journey

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}

PAGES = {
    None: ["/sign-in", "/no-such-page"],
    "offender.manager@demo.test": ["/", "/premises", "/premises/{premises}"],
    "ap.staff@demo.test": [
        "/premises/{premises}",
        "/premises/{premises}/out-of-service-beds/new?bed_id={bed}",
        "/premises/{premises}/out-of-service-beds/{out_of_service}/cancel",
    ],
    "admin@demo.test": [
        "/admin/users", "/admin/users/new", "/admin/users/{user}", "/admin/users/{user}/edit",
        "/admin/premises", "/admin/premises/new", "/admin/premises/{premises}", "/admin/premises/{premises}/edit",
        "/admin/premises/{premises}/rooms/new", "/admin/premises/{premises}/rooms/{room}",
        "/admin/premises/{premises}/rooms/{room}/beds/new", "/admin/premises/{premises}/beds/{bed}/end",
        "/admin/audit", "/no-such-page",
    ],
}


@pytest.fixture(scope="module")
def ids(live_app) -> dict[str, int]:
    """The AP staff's own premises and things in it, which every role above may see."""
    with live_app.app_context():
        premises = db.session.scalar(select(Premises).where(Premises.name == STAFF_PREMISES_NAME))
        bed = db.session.scalar(select(Bed).join(Bed.room).where(Room.premises_id == premises.id, Bed.active_to.is_(None)).limit(1))
        out_of_service = db.session.scalar(
            select(OutOfServiceBed.id).join(OutOfServiceBed.bed).join(Bed.room)
            .where(Room.premises_id == premises.id, OutOfServiceBed.cancelled_at.is_(None)).limit(1))
        user = db.session.scalar(select(User.id).where(User.email == "ap.staff@demo.test"))
        return {"premises": premises.id, "bed": bed.id, "room": bed.room_id, "out_of_service": out_of_service, "user": user}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield Journey(context.new_page(), live_server)
    context.close()


@pytest.mark.parametrize("email", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(phone, ids, email):
    if email:
        phone.sign_in(email)
    too_wide = {}
    for path in PAGES[email]:
        page = phone.open(path.format(**ids))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert too_wide == {}


def test_a_wide_table_scrolls_inside_a_region_that_keyboard_users_can_reach(phone, ids):
    page = phone.sign_in("offender.manager@demo.test")
    phone.open("/premises")
    region = page.get_by_role("region", name="Premises")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth"), "the table is wider than a phone"
    assert region.locator("caption").evaluate("caption => caption.getBoundingClientRect().right") <= PHONE["width"]
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
