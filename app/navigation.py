"""The service navigation: each entry shows only to users holding its permission."""

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user

from app.permissions import Permission


@dataclass(frozen=True)
class NavigationItem:
    permission: Permission
    endpoint: str
    text: str
    description: str

    @property
    def href(self) -> str:
        return url_for(self.endpoint)


NAVIGATION = (
    NavigationItem(Permission.USE_SERVICE, "main.home", "Home", "Your work and where to find it."),
    NavigationItem(
        Permission.MANAGE_REFERRALS, "apply.my_referrals", "My referrals",
        "Referrals you have started: carry on with a draft and see each section's status.",
    ),
    NavigationItem(
        Permission.MANAGE_REFERRALS, "apply.find_person", "Find a person",
        "Find a person by CRN or name, or add them, and start a referral.",
    ),
    NavigationItem(
        Permission.ASSESS_REFERRALS, "assess.queue", "Referrals to assess",
        "Submitted referrals by due date: allocate them, ask for more information, accept or reject them.",
    ),
    NavigationItem(
        Permission.PLACE_PEOPLE, "requests.dashboard", "Placement requests",
        "Accepted referrals of your region by urgency: review proposals, book, or record that none can be matched.",
    ),
    NavigationItem(
        Permission.RUN_OPTIMISER, "placements.runs", "Optimiser runs",
        "Run the optimiser over your region's placement requests, follow its progress and see what it proposes.",
    ),
    NavigationItem(
        Permission.RECORD_ARRIVALS, "arrivals.my_arrivals", "Arrivals and departures",
        "Your premises' arrivals board: prepare each arrival, record arrivals and departures, see the occupancy.",
    ),
    NavigationItem(
        Permission.VIEW_ESTATE,
        "manage.premises_list",
        "Approved premises",
        "The national estate: beds, beds in service, occupancy today and characteristics.",
    ),
    NavigationItem(
        Permission.PLAN_CAPACITY, "planning.occupancy_grid", "Capacity planning",
        "Occupancy across premises week by week, the 26-week forecast, move-on and performance figures.",
    ),
    NavigationItem(
        Permission.MANAGE_USERS,
        "admin.users",
        "Users",
        "Create and deactivate accounts, and give people roles and a premises or region.",
    ),
    NavigationItem(
        Permission.MANAGE_PREMISES,
        "admin.premises",
        "Manage premises",
        "Add and change premises, rooms, beds and their characteristics.",
    ),
    NavigationItem(
        Permission.MANAGE_POLICIES, "assess.policy", "Length of stay",
        "The default length of stay an assessor authorises, by AP type, sentence, tier and gender.",
    ),
    NavigationItem(Permission.VIEW_AUDIT, "admin.audit", "Audit log", "Who signed in, and who changed what and when."),
    NavigationItem(Permission.READ_OUTBOX, "admin.outbox", "Outbox",
                   "Every email the service has sent or still owes, and why any could not be sent."),
)


def navigation_items() -> list[NavigationItem]:
    return [item for item in NAVIGATION if current_user.can(item.permission)]
