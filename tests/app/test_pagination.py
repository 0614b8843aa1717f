import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from app.models import Region
from app.pagination import paginate, paginate_list, pagination_params

REGIONS = sa.select(Region).order_by(Region.name)  # the 12 probation regions of the reference data


@pytest.mark.parametrize(("page_asked", "page", "names"), [(None, 1, 5), ("1", 1, 5), ("2", 2, 5), ("3", 3, 2)])
def test_the_page_asked_for_or_the_first(app, page_asked, page, names):
    with app.test_request_context("/admin/users" + (f"?page={page_asked}" if page_asked else "")):
        shown = paginate(REGIONS, per_page=5)
    assert (shown.page, len(shown.items), shown.total) == (page, names, 12)


@pytest.mark.parametrize("page_asked", ["4", "9", "0", "-1", "abc", "", "2.5", " 2", "99999999999999999999"])
def test_a_page_beyond_the_last_or_not_a_page_number_is_not_found(app, page_asked):
    with app.test_request_context(f"/admin/users?page={page_asked}"), pytest.raises(NotFound):
        paginate(REGIONS, per_page=5)


def test_an_empty_list_has_a_first_page(app):
    with app.test_request_context("/admin/users?page=1"):
        shown = paginate(REGIONS.where(Region.name == "Atlantis"))
    assert (shown.page, shown.items, shown.total) == (1, [], 0)


def test_links_keep_the_filters_and_mark_the_current_page(app):
    with app.test_request_context("/admin/users?role=assessor&page=2"):
        params = pagination_params(paginate(REGIONS, per_page=5))
    assert [(item["number"], item["href"], item["current"]) for item in params["items"]] == [
        (1, "/admin/users?role=assessor&page=1", False),
        (2, "/admin/users?role=assessor&page=2", True),
        (3, "/admin/users?role=assessor&page=3", False),
    ]
    assert (params["previous"]["href"], params["next"]["href"]) == (
        "/admin/users?role=assessor&page=1", "/admin/users?role=assessor&page=3"
    )


def test_one_page_needs_no_pagination(app):
    with app.test_request_context("/admin/users"):
        assert pagination_params(paginate(REGIONS)) is None


@pytest.mark.parametrize(("page_asked", "items"), [("1", [0, 1, 2, 3, 4]), ("3", [10, 11])])
def test_a_list_is_paginated_in_the_same_way(app, page_asked, items):
    with app.test_request_context(f"/assess?notice=standard&page={page_asked}"):
        shown = paginate_list(list(range(12)), per_page=5)
        params = pagination_params(shown)
    assert (shown.items, shown.total, shown.pages) == (items, 12, 3)
    assert params["items"][0]["href"] == "/assess?notice=standard&page=1"


@pytest.mark.parametrize("page_asked", ["4", "0", "abc"])
def test_a_list_page_beyond_the_last_or_not_a_page_number_is_not_found(app, page_asked):
    with app.test_request_context(f"/assess?page={page_asked}"), pytest.raises(NotFound):
        paginate_list(list(range(12)), per_page=5)
