"""Browser journeys: the real app on a local port with demo data, driven by Debian's headless Chromium,
with axe-core checking every page visited for serious or critical accessibility failures."""

import re
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
DEMO_PASSWORD = "demo-password"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The demo service, backed by its own SQLite file: journeys may look up what a URL needs but no page shows."""
    database = tmp_path_factory.mktemp("browser") / "demo.db"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", DEMO_PASSWORD=DEMO_PASSWORD)
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["demo", "load", "--seed", "1"])
    assert result.exit_code == 0, result.output
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """The demo service on a free local port."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Journey:
    """One user's visit: every page it lands on is checked with axe-core and can be photographed."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.check_accessibility()
        return self.page

    def sign_in(self, email: str) -> Page:
        self.open("/sign-in")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.locator(".govuk-service-navigation")).to_contain_text("Sign out")
        self.check_accessibility()
        return self.page

    def sign_out(self) -> Page:
        self.page.locator(".govuk-service-navigation").get_by_role("button", name="Sign out").click()
        self.check_accessibility()
        return self.page

    def click(self, role: str, name: str, *, exact: bool = False) -> Page:
        self.page.get_by_role(role, name=name, exact=exact).first.click()
        self.check_accessibility()
        return self.page

    def navigate_to(self, name: str) -> Page:
        """Follow an entry of the service navigation, as a user finding their way would."""
        navigation = self.page.locator(".govuk-service-navigation")
        navigation.get_by_role("link", name=name, exact=True).click()
        self.check_accessibility()
        expect(navigation.locator("a[aria-current]")).to_have_text(name)
        return self.page

    def expect_success(self, message: str) -> None:
        expect(self.page.locator(".govuk-notification-banner--success")).to_contain_text(message)

    def expect_error(self, field_id: str, message: str, *, summary_link_focuses_field: bool = True) -> None:
        """The GOV.UK pattern: "Error:" in the title, the message next to the field and in the summary, whose link
        points into that field and, followed, puts the keyboard focus there."""
        expect(self.page).to_have_title(re.compile(r"^Error: "))
        expect(self.page.locator(f"#{field_id}-error")).to_contain_text(message)
        link = self.page.locator(".govuk-error-summary__list a", has_text=message)
        target = link.get_attribute("href").removeprefix("#")
        assert self._in_field(f"document.getElementById({target!r})", field_id), f"#{target} is not in {field_id}"
        if summary_link_focuses_field:
            link.click()
            assert self._in_field("document.activeElement", field_id), f"the link to {field_id} keeps the focus"

    def _in_field(self, element: str, field_id: str) -> bool:
        """Whether the element is in the form group that shows the field's error message (a date's day, month
        and year sit in inner form groups of their own, so look outside the date input)."""
        return self.page.evaluate(
            f"!!((e => (e?.closest('.govuk-date-input') ?? e)?.closest('.govuk-form-group'))({element})?.querySelector({f'#{field_id}-error'!r}))"
        )

    def check_accessibility(self) -> None:
        """Fail on any serious or critical WCAG 2.2 AA violation on the page as it is now."""
        self.page.wait_for_load_state()  # a click may have only started the navigation to the next page
        self.page.add_script_tag(path=str(AXE))
        violations = self.page.evaluate(
            """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
                                                     resultTypes: ['violations']}))
                 .violations.filter(v => ['serious', 'critical'].includes(v.impact))
                 .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)"""
        )
        assert violations == [], f"{self.page.url}: {violations}"

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def journey(browser, live_server):
    context = browser.new_context(bypass_csp=True)  # lets axe-core's script tag in; the app's own CSP is tested elsewhere
    context.set_default_timeout(10_000)  # a missing element fails in seconds rather than half a minute
    yield Journey(context.new_page(), live_server)
    context.close()
