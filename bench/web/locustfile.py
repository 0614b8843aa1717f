"""Locust users for `make bench-web`: signed-in people using the service at once (bench/web/run.py starts it).

Who: four in five browse the estate as the non-administrator demo accounts (offender manager, assessor,
referral unit, national manager, AP staff): home, the premises list, the list filtered, one premises. The
fifth is the administrator, who also spends almost half of their visits on the users list, the premises list
to manage and the audit log.
Every user also fetches a static file (the page everything else is compared with) and /health (a load
balancer's probe), so that each has enough samples for a steady 95th percentile.

Think time: 1 to 3 seconds between pages, a busy person clicking through lists and filters rather than
reading them. People reading a page take longer, so 20 of these users weigh on the server as many more real
people would; the figures are a pessimistic busy hour.

Each user comes from its own loopback address (127.0.0.2, 127.0.0.3, ...), as real people come from their
own addresses: sign-in is rate-limited per address, and 20 people behind one address would trip it.
"""

import ipaddress
import itertools
import os
import random
import re

import gevent
from locust import HttpUser, between, events, task
from urllib3 import PoolManager

PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password")
BROWSING_ACCOUNTS = itertools.cycle(
    [
        "offender.manager@demo.test",
        "assessor@demo.test",
        "referral.unit@demo.test",
        "national.manager@demo.test",
        "ap.staff@demo.test",
    ]
)
LOOPBACK_HOSTS = (str(ipaddress.IPv4Address("127.0.0.2") + n) for n in itertools.count())
STATIC_PAGE = "/assets/govuk-frontend.min.css"
FILTERS = ("region", "gender", "ap_type", "characteristic")


def _options(html: str, select_name: str) -> list[str]:
    """The non-blank choices of one <select> on a page."""
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, re.DOTALL)
    return [value for value in re.findall(r'value="([^"]*)"', select.group(1)) if value] if select else []


@events.init_command_line_parser.add_listener
def _add_measure_seconds(parser):
    parser.add_argument("--measure-seconds", type=int, default=60, help="how long to measure once every user is in")


def _ready(environment, users_ready=itertools.count(1)) -> None:
    """Measure from the moment the last user has signed in: a crowd signing in at once is not the steady state."""
    if next(users_ready) == environment.parsed_options.num_users:
        environment.stats.reset_all()
        gevent.spawn_later(environment.parsed_options.measure_seconds, environment.runner.quit)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    email: str

    def __init__(self, environment):
        self.pool_manager = PoolManager(source_address=(next(LOOPBACK_HOSTS), 0))
        super().__init__(environment)

    def on_start(self):
        self.sign_in()
        premises_list = self.client.get("/premises", name="/premises").text
        self.premises_ids = re.findall(r'href="/premises/(\d+)"', premises_list)
        self.filter_choices = {name: _options(premises_list, name) for name in FILTERS}
        _ready(self.environment)

    def sign_in(self):
        page = self.client.get("/sign-in", name="/sign-in").text
        csrf_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        with self.client.post(
            "/sign-in",
            name="/sign-in",
            data={"email": self.email, "password": PASSWORD, "csrf_token": csrf_token},
            catch_response=True,
        ) as response:
            if response.url.endswith("/sign-in"):  # still on the form: the sign-in was refused
                response.failure(f"{self.email} could not sign in")

    @task(2)
    def static_file(self):
        self.client.get(STATIC_PAGE, name="static file")

    @task(1)
    def health(self):
        self.client.get("/health", name="/health")

    @task(2)
    def home(self):
        self.client.get("/", name="/")

    @task(3)
    def premises_list(self):
        self.client.get("/premises", name="/premises")

    @task(3)
    def premises_list_filtered(self):
        name = random.choice([name for name in FILTERS if self.filter_choices[name]])
        self.client.get("/premises", params={name: random.choice(self.filter_choices[name])}, name="/premises?filter")

    @task(4)
    def premises_detail(self):
        self.client.get(f"/premises/{random.choice(self.premises_ids)}", name="/premises/<id>")


class BrowsingPerson(Person):
    weight = 4

    def __init__(self, environment):
        super().__init__(environment)
        self.email = next(BROWSING_ACCOUNTS)


class Administrator(Person):
    weight = 1
    email = "admin@demo.test"

    @task(4)
    def users(self):
        self.client.get("/admin/users", name="/admin/users")

    @task(4)
    def premises_to_manage(self):
        self.client.get("/admin/premises", name="/admin/premises")

    @task(4)
    def audit_log(self):
        self.client.get("/admin/audit", name="/admin/audit")
