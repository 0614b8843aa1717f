"""The national occupancy grid: every premises a user may see, day by day through a week.

Counted by app/services/occupancy.py, the rules of every premises' own calendar, for all the premises at once.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from app.extensions import db
from app.models import Premises, User
from app.services import estate, exports, occupancy
from app.services.occupancy import Count, Day

DAYS_IN_WEEK = 7


@dataclass(frozen=True)
class Week:
    first: date  # a Monday

    @classmethod
    def of(cls, day: date) -> "Week":
        return cls(day - timedelta(days=day.weekday()))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(DAYS_IN_WEEK)]

    @property
    def last(self) -> date:
        return self.days[-1]

    @property
    def previous(self) -> "Week":
        return Week(self.first - timedelta(weeks=1))

    @property
    def next(self) -> "Week":
        return Week(self.first + timedelta(weeks=1))


@dataclass(frozen=True)
class PremisesWeek:
    premises: Premises
    days: list[Day]

    def counts(self, room_characteristic: str | None = None) -> list[Count]:
        """Each day's count, of beds in rooms with the characteristic when one is given (none: zero beds)."""
        if room_characteristic is None:
            return [day.total for day in self.days]
        return [day.by_characteristic.get(room_characteristic, Count(0, 0)) for day in self.days]


def occupancy_grid(user: User, filters: estate.EstateFilters, week: Week, room_characteristic: str | None = None
                   ) -> list[PremisesWeek]:
    """The premises the user may see that the filters choose, by name, each with its week: the totals, and the
    beds in rooms with the room characteristic when one is given."""
    premises = list(db.session.scalars(estate.premises_in_scope(user, filters)))
    codes = [room_characteristic] if room_characteristic else []
    days = occupancy.occupancy_of_many([p.id for p in premises], week.days, codes=codes) if premises else {}
    return [PremisesWeek(p, days[p.id]) for p in premises]


def daily_totals(grid: list[PremisesWeek], room_characteristic: str | None = None) -> list[Count]:
    """The grid's columns added up: beds in service and placed, each day."""
    columns = zip(*(row.counts(room_characteristic) for row in grid))
    return [Count(sum(c.in_service for c in column), sum(c.occupied for c in column)) for column in columns]


def grid_table(grid: list[PremisesWeek], week: Week, room_characteristic: str | None = None) -> exports.Table:
    """One row per premises and day, as spreadsheets like their data: long rather than wide."""
    return exports.Table(
        title=f"Occupancy week of {week.first.isoformat()}",
        header=("Premises", "Code", "Region", "Day", "Beds in service", "Booked", "Free", "Out of service",
                "Room characteristic"),
        rows=((row.premises.name, row.premises.code, row.premises.region.name, day.day, count.in_service,
               count.occupied, count.free, day.out_of_service,
               occupancy.LABELS[room_characteristic] if room_characteristic else "All beds")
              for row in grid for day, count in zip(row.days, row.counts(room_characteristic))),
    )
