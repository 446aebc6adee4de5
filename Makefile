# One Story: `make demo` runs the service with a demo council; `make test` runs every check.
# Both set up everything from a fresh clone: Python environment, npm packages, built assets,
# and (unless DATABASE_URL is set) an embedded PostgreSQL.

PYTHON_BOOT ?= python3.11
UV_VERSION := 0.13.9
TOOLS := var/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test bench bench-measures bench-pages setup assets chromium pdf-libs checks-in-db clean \
	returns-validators load drill-restore drill-crash

demo: setup pdf-libs
	$(PY) scripts/stack.py demo

test: setup chromium pdf-libs returns-validators
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint templates
	ONESTORY_ENV=test DATABASE_URL=postgres://typecheck@localhost/typecheck $(VENV)/bin/mypy .
	$(PY) scripts/stack.py with-db -- $(MAKE) --no-print-directory checks-in-db

# Run by `make test` inside the throwaway database.
checks-in-db:
	ONESTORY_ENV=test $(PY) manage.py makemigrations --check --dry-run
	ONESTORY_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
		ONESTORY_MFA_KEY=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
		ALLOWED_HOSTS=onestory.example.org $(PY) manage.py check --deploy --fail-level WARNING
	ONESTORY_ENV=test $(PY) -m pytest

setup: $(VENV)/.synced build/static/.built

$(UV):
	$(PYTHON_BOOT) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON_BOOT) --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/.built: node_modules/.installed scripts/build_assets.mjs $(wildcard static_src/*)
	node scripts/build_assets.mjs
	touch $@

assets: build/static/.built

# Browser tests drive Debian's Chromium; never a downloaded browser.
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The family's copy is a PDF made by WeasyPrint, which needs Debian's Pango and HarfBuzz.
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; }

clean:
	rm -rf $(VENV) node_modules build var/tools

# The Data to Insight validators of the statutory returns (issue 19), in their own environment:
# they pin pandas below 2. onestory/returns/validate.py runs them in a subprocess.
VALIDATORS := var/validators
returns-validators: $(VALIDATORS)/.installed

$(VALIDATORS)/.installed: $(UV) onestory/returns/validators.txt
	$(UV) venv --quiet --clear --python $(PYTHON_BOOT) $(VALIDATORS)
	VIRTUAL_ENV=$(VALIDATORS) $(UV) pip install --quiet -r onestory/returns/validators.txt
	touch $@

# Slow measurements, kept out of the test suite: seed time and database size per scale.
bench: setup
	$(PY) scripts/stack.py with-db -- $(PY) scripts/bench.py $(SCALES)

# The continuity and workforce measures and the pod pages: time and queries, in a throwaway
# database seeded at SCALE (large by default; seeding it takes about 5 minutes).
SCALE ?= large
bench-measures: setup
	$(PY) scripts/stack.py with-db -- sh -c 'ONESTORY_ENV=test $(PY) manage.py migrate -v0 && \
		ONESTORY_ENV=test ONESTORY_DEMO=1 $(PY) manage.py seed_demo --scale $(SCALE) && \
		ONESTORY_ENV=test ONESTORY_DEMO=1 $(PY) scripts/bench_measures.py'

# Server time of the family page, the child's story and search, as ratios to a trivial page,
# in a throwaway database seeded at SCALE (large by default: about 10 million story entries).
bench-pages: setup pdf-libs
	$(PY) scripts/stack.py with-db -- sh -c 'ONESTORY_ENV=test $(PY) manage.py migrate -v0 && \
		ONESTORY_ENV=test ONESTORY_DEMO=1 $(PY) manage.py seed_demo --scale $(SCALE) && \
		ONESTORY_ENV=test ONESTORY_DEMO=1 $(PY) scripts/bench_pages.py'

# The load test (issue 18): ~600 signed-in staff on gunicorn at 127.0.0.1, 3 minutes after the
# ramp; PASS or FAIL against no errors and no p95 over 500 ms. Uses DATABASE_URL (the owner's
# URL) or a throwaway council seeded at SCALE (large by default: about 5 minutes to seed).
load: setup pdf-libs
	$(PY) scripts/load.py

# The backup and restore drill (issue 18; docs/runbook.md): `manage.py backup` of the demo
# council, then `manage.py restore_drill` of that archive. DATABASE_URL's council (owner's URL),
# or a throwaway one seeded small.
drill-restore: setup
	$(PY) scripts/drill_restore.py

# The crash drill (issue 18): writers record and finalise entries on the small demo council
# while its throwaway PostgreSQL is killed (SIGKILL) 25 times and restarted; fails if an
# acknowledged write is lost, an entry is half-finalised or a page answers 500.
drill-crash: setup pdf-libs
	$(PY) scripts/drill_crash.py
