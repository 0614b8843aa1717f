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
        Permission.VIEW_ESTATE,
        "manage.premises_list",
        "Approved premises",
        "The national estate: beds, beds in service, occupancy today and characteristics.",
    ),
)


def navigation_items() -> list[NavigationItem]:
    return [item for item in NAVIGATION if current_user.can(item.permission)]
