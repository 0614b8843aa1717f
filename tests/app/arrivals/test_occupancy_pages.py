"""The occupancy calendar and a day's detail, and the few queries each AP staff page costs however busy it is."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Placement, PlacementStatus, Premises, User
from app.services import arrivals
from tests.app.manage.estate_factories import add_out_of_service, add_placement, beds_of, days
from tests.app.queries import counting_queries
from vocabulary import PreparationItem


@pytest.fixture
def signed_in(client_request, staff):
    return client_request.sign_in(staff)


def _rows(page) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in page.select("main tbody tr")]


def test_the_calendar_shows_each_day_of_the_month(signed_in, premises, beds):
    add_out_of_service(beds[0], date(2030, 6, 10), date(2030, 6, 11))
    add_placement(premises, arrival=date(2030, 6, 1), departure=date(2030, 6, 11), bed=beds[1])
    add_placement(premises, arrival=date(2030, 6, 1), departure=date(2030, 6, 11), bed=beds[2])
    add_placement(premises, arrival=date(2030, 6, 9), departure=date(2030, 6, 12), status=PlacementStatus.UPCOMING)
    page = signed_in.get(f"/arrivals/{premises.id}/occupancy")
    assert page.h1.get_text(strip=True) == "Occupancy in June 2030"
    assert [header.get_text(strip=True) for header in page.select("main thead th")] == ["Day", "All beds", "Single room"]
    rows = _rows(page)
    assert len(rows) == 30
    assert rows[7] == ["Sat 8", "Available 2 placed, 3 in service", "Available 2 placed, 3 in service"]
    assert rows[9] == ["Mon 10", "Overbooked 3 placed, 2 in service", "Full 2 placed, 2 in service"]
    assert rows[14][0] == "Sat 15 (today)"
    assert page.select_one("main tbody a")["href"] == f"/arrivals/{premises.id}/occupancy/2030-06-01"


def test_the_calendar_moves_month_by_month(signed_in, premises):
    page = signed_in.get(f"/arrivals/{premises.id}/occupancy?month=2031-01")
    assert page.h1.get_text(strip=True) == "Occupancy in January 2031"
    assert len(_rows(page)) == 31
    links = {link.get_text(" ", strip=True): link["href"] for link in page.select(".govuk-pagination a")}
    assert links == {"Previous page : December 2030": f"/arrivals/{premises.id}/occupancy?month=2030-12",
                     "Next page : February 2031": f"/arrivals/{premises.id}/occupancy?month=2031-02"}


@pytest.mark.parametrize("month", ["2030-13", "June", "1999-12", "2101-01"])
def test_a_month_that_is_not_one_is_not_found(signed_in, premises, month):
    signed_in.get(f"/arrivals/{premises.id}/occupancy?month={month}", expected_status=404)


def test_a_days_detail(signed_in, premises, beds):
    add_placement(premises, arrival=days(0), departure=days(30), status=PlacementStatus.UPCOMING, bed=beds[0],
                  name="Ann Arriving")
    add_placement(premises, arrival=days(-30), departure=days(0), bed=beds[1], name="Len Leaving")
    add_out_of_service(beds[2], days(-1), days(1), reference="WO-9")
    page = signed_in.get(f"/arrivals/{premises.id}/occupancy/2030-06-15")
    assert page.h1.get_text(strip=True) == "Occupancy on 15 June 2030"
    tables = [_rows_of(table) for table in page.select("main table")]
    assert tables == [
        [["All beds", "2", "1", "1", "Available"], ["Single room", "2", "1", "1", "Available"]],
        [["Ann Arriving", "X000001", "Room 1, Bed 1", "Upcoming"]],
        [["Len Leaving", "X000002", "Room 2, Bed 2", "Arrived"]],
        [["Room 3, Bed 3", "Planned works", "14 June 2030", "16 June 2030"]],
    ]
    signed_in.get(f"/arrivals/{premises.id}/occupancy/2030-02-30", expected_status=404)


def _rows_of(table) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.select("tbody tr")]


# --- queries -------------------------------------------------------------------------------------------------------


def _fill(premises_id: int, staff_id: int, number: int, first: int = 0) -> None:
    """Arrivals, residents leaving soon, out-of-service periods and ticked checklists, `number` of each."""
    premises, staff = db.session.get(Premises, premises_id), db.session.get(User, staff_id)
    beds = beds_of(premises)
    for n in range(first, first + number):
        upcoming = add_placement(premises, arrival=days(n % 10), departure=days(40), status=PlacementStatus.UPCOMING,
                                 bed=beds[n % 3])
        upcoming.key_worker_id = staff.id
        arrivals.save_preparation(staff, upcoming, arrivals.Preparation(frozenset({PreparationItem.RISK_READ})))
        add_placement(premises, arrival=days(-30), departure=days(n % 12), bed=beds[n % 3])
        add_out_of_service(beds[n % 3], days(20 + 3 * n), days(21 + 3 * n))
    db.session.commit()


@pytest.mark.parametrize("page", ["/arrivals/{premises}", "/arrivals/{premises}/occupancy",
                                  "/arrivals/{premises}/occupancy/2030-06-20", "/arrivals/{premises}/placements/{placement}"])
def test_a_page_costs_the_same_queries_however_busy_the_premises(signed_in, premises, beds, staff, upcoming, page):
    url = page.format(premises=premises.id, placement=upcoming.id)
    premises_id, staff_id, upcoming_id = premises.id, staff.id, upcoming.id

    def queries() -> int:
        db.session.expunge_all()  # requests share the test's session: start each from nothing loaded
        with counting_queries() as statements:
            signed_in.get(url)
        return len(statements)

    _fill(premises_id, staff_id, 1)
    few = queries()
    _fill(premises_id, staff_id, 8, first=1)
    arrivals.save_preparation(db.session.get(User, staff_id), db.session.get(Placement, upcoming_id),
                              arrivals.Preparation(frozenset({PreparationItem.MOVE_ON_PLAN_KNOWN})))
    assert queries() == few, url
    assert few <= 8, url


def test_the_calendar_reads_the_month_in_three_grouped_queries(signed_in, premises, beds, staff):
    premises_id = premises.id
    _fill(premises_id, staff.id, 5)
    db.session.expunge_all()
    with counting_queries() as statements:
        signed_in.get(f"/arrivals/{premises_id}/occupancy?month={(date(2030, 6, 15) + timedelta(days=20)):%Y-%m}")
    counting = [s for s in statements if "out_of_service_bed" in s or "FROM placement" in s or "room_characteristic" in s]
    assert len(counting) == 3, counting
