"""The planning pages as a regional manager reads them, and what they refuse."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Region
from tests.app.pages import error_messages

PAGES = ["/planning/occupancy", "/planning/forecast", "/planning/move-on", "/planning/figures"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_shows_the_regions_data(client_request, manager, june, url):
    page = client_request.sign_in(manager).get(url)
    assert page.select_one("[aria-current=page]")
    assert "Elsewhere House" not in page.get_text()


def test_the_grid_links_each_cell_to_the_premises_calendar_and_moves_week_by_week(client_request, manager, june):
    page = client_request.sign_in(manager).get("/planning/occupancy")
    cells = page.select("tbody tr")[1].select("td")
    assert cells[0].get_text(" ", strip=True) == "1 free at May House on 3 June 2030 2 booked of 3"
    assert cells[0].a["href"] == f"/arrivals/{june['premises'].id}/occupancy?month=2030-06"
    next_week = page.select_one("a[rel=next]")["href"]
    assert "week=2030-06-10" in next_week
    later = client_request.get(next_week)
    assert later.select("tbody tr")[1].select("td")[2].get_text(" ", strip=True).startswith("1 free at May House on 12")


def test_the_forecast_highlights_its_shortfall_weeks_in_the_chart_and_the_table(client_request, manager, june):
    page = client_request.sign_in(manager).get("/planning/forecast")
    assert len(page.select("svg.app-chart rect.app-chart__shortfall")) == 3
    assert page.select_one("svg.app-chart title").get_text().startswith("Beds in service and expected demand")
    assert len(page.select("tr.app-shortfall-row")) == 3
    assert "3 of 26 weeks short of beds, the first from 12 June 2030" in page.get_text()


def test_figures_show_the_cost_at_the_chosen_rate(client_request, manager, may):
    page = client_request.sign_in(manager).get(
        "/planning/figures?start=1&start=5&start=2030&end=31&end=5&end=2030&cost=100")
    assert "£9,300 for 93 bed-nights at £100 a night" in page.get_text()
    assert "£1,000 for 10 bed-nights" in page.get_text()


@pytest.mark.parametrize(("query", "field", "message"), [
    ("start=2&start=5&start=2030&end=1&end=5&end=2030", "end", "The end date must be the same as or after the start date"),
    ("start=1&start=5&start=2020&end=1&end=5&end=2030", "end", "The period must be shorter than 5 years"),
    ("region=999&start=1&start=5&start=2030&end=31&end=5&end=2030", "region", "Select a region you can see from the list"),
    ("start=1&start=5&start=2030&end=31&end=5&end=2030&cost=fifty", "cost", "Enter a cost per bed-night from £0 to £10,000"),
    ("start=1&start=5&start=2030&end=31&end=5&end=2030&cost=-1", "cost", "Enter a cost per bed-night from £0 to £10,000"),
])
@pytest.mark.parametrize("url", ["/planning/figures", "/planning/figures/download.csv", "/planning/figures/placements.csv"])
def test_bad_choices_are_errors_beside_their_fields_and_nothing_downloads(client_request, manager, may, url, query,
                                                                           field, message):
    page = client_request.sign_in(manager).get(f"{url}?{query}")
    assert error_messages(page)[f"{field}-day" if field == "end" else field].startswith(message)
    assert not page.select("table")


def test_a_download_of_another_regions_grid_is_refused(client_request, manager, june):
    wales = db.session.scalar(sa.select(Region).where(Region.name == "Wales"))
    page = client_request.sign_in(manager).get(f"/planning/occupancy/download.csv?region={wales.id}")
    assert error_messages(page)["region"] == "Select a region from the list"


def test_a_years_placements_download_as_csv(client_request, manager, may):
    response = client_request.sign_in(manager).client.get(
        "/planning/figures/placements.csv?start=1&start=6&start=2029&end=31&end=5&end=2030")
    lines = response.get_data(as_text=True).splitlines()
    assert response.mimetype == "text/csv"
    assert lines[0].startswith("CRN,Premises,Code,Status")
    assert [line.split(",")[3] for line in lines[1:]] == ["Departed", "Arrived", "Not arrived"]
