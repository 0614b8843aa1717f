"""gunicorn's settings: the production way to serve the app (`make serve`, and `make bench-web` measures it).

The app reads DATABASE_URL, REDIS_URL and SECRET_KEY from the environment (see README); this file only says how
many requests run at once. A page spends much of its time waiting on the database, so each worker process runs
threads (gthread) that wait in parallel, and there are as many processes as cores so that rendering uses them
all. WEB_CONCURRENCY and GUNICORN_THREADS override the two numbers. On 2 cores, 4 processes of 2 threads measured
no better under `make bench-web` than 2 of 4 (the same median p50s, longer tails), so the default stays.
"""

import multiprocessing
import os

wsgi_app = "app:create_app()"
bind = "127.0.0.1:5000"  # `make serve` passes --bind $(HOST):$(PORT)
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
accesslog = "-"
# Idle connections stay open longer than a person's pause between clicks, so the next page does not race the
# server closing the connection under it.
keepalive = 5


def post_worker_init(worker):
    """Each worker compiles the templates and reads the town gazetteer before it takes requests, so no user waits
    for a page's first render or the first figures that locate home areas."""
    from app import compile_templates
    from app.geo.gazetteer import all_towns

    compile_templates(worker.wsgi)
    all_towns()
