"""Long lists are shown a page at a time with the GOV.UK pagination component."""

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.extensions import db

PER_PAGE = 50
LAST_PAGE_ASKED = 100_000  # a larger number would overflow the database's OFFSET


def paginate(query: Select, per_page: int = PER_PAGE) -> Pagination:
    """The page named by ?page=; a missing, malformed or out-of-range number shows the first or an empty page."""
    page = min(request.args.get("page", 1, type=int), LAST_PAGE_ASKED)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def pagination_params(page: Pagination) -> dict | None:
    """Parameters for govukPagination, keeping the current filters in every link; None when one page is enough."""
    if page.pages <= 1:
        return None

    def href(number: int) -> str:
        return url_for(request.endpoint, **(request.view_args or {}), **(request.args.to_dict() | {"page": number}))

    params = {
        "items": [
            {"ellipsis": True} if number is None else {"number": number, "href": href(number), "current": number == page.page}
            for number in page.iter_pages(left_edge=1, left_current=1, right_current=2, right_edge=1)
        ]
    }
    if page.has_prev:
        params["previous"] = {"href": href(page.prev_num)}
    if page.has_next:
        params["next"] = {"href": href(page.next_num)}
    return params
