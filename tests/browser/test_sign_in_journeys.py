import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DEMO_ACCOUNTS = {
    "offender.manager@demo.test": "Offender manager",
    "assessor@demo.test": "Assessor",
    "referral.unit@demo.test": "Central referral unit",
    "national.manager@demo.test": "National capacity manager",
    "ap.staff@demo.test": "AP staff",
    "admin@demo.test": "Administrator",
}


@pytest.mark.parametrize("email", DEMO_ACCOUNTS)
def test_each_demo_role_signs_in_to_its_home_page(journey, email):
    page = journey.sign_in(email)
    expect(page.locator(".govuk-body-l")).to_contain_text(DEMO_ACCOUNTS[email])
    expect(page.locator(".govuk-phase-banner")).to_contain_text("Beta")
    journey.screenshot(f"home-{email.split('@')[0]}")


def test_wrong_password_is_reported_next_to_the_field(journey):
    page = journey.open("/sign-in")
    page.get_by_label("Email address").fill("assessor@demo.test")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    expect(page.locator("#email-error")).to_be_visible()
    journey.check_accessibility()
    journey.screenshot("sign-in-error")


def test_signing_out_ends_the_session_even_for_a_copied_cookie(journey):
    page = journey.sign_in("assessor@demo.test")
    copied = page.context.cookies()
    journey.sign_out()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
    expect(page.locator("h1")).to_have_text("Sign in")

    page.context.add_cookies(copied)
    journey.open("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    expect(page.locator(".govuk-service-navigation")).not_to_contain_text("Sign out")
