"""Page checks shared by the page tests: every page a test fetches is checked like a GOV.UK page."""

from collections import Counter

from bs4 import BeautifulSoup
from flask import g


class PageClient:
    """Fetches pages as a signed-in user and checks each one the way a GOV.UK page must be built."""

    def __init__(self, client):
        self.client = client

    def sign_in(self, user) -> "PageClient":
        with self.client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return self

    def get(self, url: str, expected_status: int = 200) -> BeautifulSoup:
        self._forget_user()
        return self._checked(self.client.get(url), expected_status)

    def post(self, url: str, data: dict | None = None, expected_status: int = 302, follow=False) -> BeautifulSoup | str:
        self._forget_user()
        response = self.client.post(url, data=data or {}, follow_redirects=follow)
        if response.status_code == 302 and expected_status == 302:
            return response.headers["Location"]
        return self._checked(response, expected_status)

    @staticmethod
    def _forget_user() -> None:
        """Requests share the test's app context, so drop the user Flask-Login cached in g by an earlier one."""
        g.pop("_login_user", None)

    @staticmethod
    def _checked(response, expected_status: int) -> BeautifulSoup:
        assert response.status_code == expected_status, response.get_data(as_text=True)[:2000]
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        if response.mimetype == "text/html":
            check_page(page)
        return page


def check_page(page: BeautifulSoup) -> None:
    assert len(page.find_all("h1")) == 1, "a page has exactly one h1"
    assert page.title and page.title.string.strip(), "a page has a title"
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    assert not [i for i, n in ids.items() if n > 1], f"duplicate ids: {[i for i, n in ids.items() if n > 1]}"
    for link in page.select(".govuk-error-summary a"):
        target = link["href"].lstrip("#")
        assert page.find(id=target), f"error summary link #{target} points at no element"
    if page.select(".govuk-error-summary"):
        assert page.title.string.startswith("Error: "), "a page with errors says so in its title"
    for table in page.select("table"):
        region = table.find_parent(class_="app-scrolling-table")
        assert region and region.get("aria-label") and region.get("tabindex") == "0", (
            "a table scrolls inside a labelled region that keyboards reach (components/tables.html), never the page")


def error_messages(page: BeautifulSoup) -> dict[str, str]:
    """Error messages next to fields, keyed by the id of the field they belong to."""
    messages = {}
    for message in page.select(".govuk-error-message"):
        group = message.find_parent(class_="govuk-form-group")
        field = group.find(["input", "select", "textarea"]) if group else None
        messages[field["id"] if field else message.get("id", "")] = message.get_text(" ", strip=True).removeprefix("Error: ").strip()
    return messages
