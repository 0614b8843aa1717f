import pytest
import sqlalchemy as sa

from app.models import Region
from app.pagination import paginate, pagination_params

REGIONS = sa.select(Region).order_by(Region.name)  # the 12 probation regions of the reference data


@pytest.mark.parametrize(
    ("page_asked", "page", "names"),
    [("", 1, 5), ("2", 2, 5), ("3", 3, 2), ("abc", 1, 5), ("-1", 1, 5), ("9", 9, 0), ("99999999999999999999", 100_000, 0)],
)
def test_the_page_asked_for_or_the_first_or_an_empty_one(app, page_asked, page, names):
    with app.test_request_context(f"/admin/users?page={page_asked}"):
        shown = paginate(REGIONS, per_page=5)
    assert (shown.page, len(shown.items), shown.total) == (page, names, 12)


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
