"""Long lists are shown a page at a time with the GOV.UK pagination component."""

import re

from flask import abort, request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.extensions import db

PER_PAGE = 50
# Nine digits at most: no list has a billion pages, and a longer number would overflow the database's OFFSET.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def paginate(query: Select, per_page: int = PER_PAGE) -> Pagination:
    """The page named by ?page=, the first when none is named. A page that is not a number or lies beyond the last
    is Not Found, never an empty page that looks like "nothing matches": the pages link only to pages that exist,
    and a redirect to the last page would show other rows than the address asked for."""
    return db.paginate(query, page=_page_asked(), per_page=per_page, error_out=True)


def paginate_list(items: list, per_page: int = PER_PAGE) -> Pagination:
    """The same for a list sorted in Python, such as a queue ordered by deadlines that SQL cannot work out."""
    return _ListPagination(page=_page_asked(), per_page=per_page, error_out=True, items=items)


class _ListPagination(Pagination):
    def _query_items(self) -> list:
        return self._query_args["items"][self._query_offset:self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["items"])


def _page_asked() -> int:
    asked = request.args.get("page", "1")
    if not PAGE_NUMBER.fullmatch(asked):
        abort(404)
    return int(asked)


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
