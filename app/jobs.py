"""Background jobs: in a thread of this process by default, on Redis with RQ when REDIS_URL is set.

Either way a job runs in an app context of its own, so with a database session of its own, as a request does.
`make worker` starts an RQ worker (`flask worker`) inside the app's context, which each job it forks inherits.
"""

import threading
from collections.abc import Callable

from flask import Flask, current_app
from redis import Redis
from rq import Queue, Worker

from app.geo.gazetteer import all_towns

# Beyond the job's own time limit: how long RQ lets it finish off (explain and store a plan) before killing it.
FINISHING_S = 600


def enqueue(function: Callable, *args, time_limit_s: float) -> None:
    """Run `function(*args)` in the background; a job on RQ is killed if it runs far beyond `time_limit_s`."""
    app = current_app._get_current_object()
    if app.config["REDIS_URL"]:
        queue(app).enqueue(perform, function, *args, job_timeout=int(time_limit_s) + FINISHING_S)
    else:
        threading.Thread(target=_in_thread, args=(app, function, args), name=f"job-{function.__name__}",
                         daemon=True).start()


def perform(function: Callable, *args) -> None:
    """What RQ runs: the job in a fresh app context of the worker's app."""
    with current_app.app_context():
        function(*args)


def _in_thread(app: Flask, function: Callable, args: tuple) -> None:
    with app.app_context():
        function(*args)


def queue(app: Flask) -> Queue:
    return Queue(app.config["RQ_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"]))


def work(app: Flask) -> None:
    """Take jobs from the app's queue until stopped: `make worker`. Each job runs in a forked work horse, which
    inherits the town gazetteer read here once rather than reading it again for every run."""
    all_towns()
    found = queue(app)
    Worker([found], connection=found.connection).work()
