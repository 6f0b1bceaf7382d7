# Partnership Portal tasks. `make help` lists them; `make run` and `make test` work on a
# fresh clone (they create the virtualenv first).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation chromium

.DEFAULT_GOAL := help
.PHONY: help venv install-system run test lint format bench migrate demo worker beat backup restore

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv and install the portal with its dev tools

# Re-installs only when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install-system: ## As root, apt-get install WeasyPrint's libraries and Chromium if missing
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

run: venv install-system migrate demo ## Run the portal with demo data at http://127.0.0.1:8000
	$(MANAGE) runserver 127.0.0.1:8000

test: venv install-system ## Run the whole test suite (pass pytest options in ARGS="...")
	@test -x $(CHROMIUM) || echo "Note: $(CHROMIUM) is missing, so the browser tests will be skipped (see the summary)."
	$(BIN)/pytest $(ARGS)

lint: venv ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv ## Fix what ruff can and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: venv ## Run the benchmarks: pytest benchmarks/, then pages at two scales and a load run
	$(BIN)/pytest benchmarks/
	$(BIN)/python -m benchmarks.scale

migrate: venv ## Apply database migrations
	$(MANAGE) migrate

demo: venv ## Load the demo partnerships, projects and users (DEBUG only)
	$(MANAGE) load_demo

worker: venv ## Run a Celery worker (needs CELERY_BROKER_URL)
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0"; exit 1; }
	$(BIN)/celery -A config worker --loglevel=INFO

beat: venv ## Run the Celery beat scheduler (needs CELERY_BROKER_URL)
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0"; exit 1; }
	$(BIN)/celery -A config beat --loglevel=INFO

backup: venv ## Back up the database and private files to backups/ (or BACKUP_DIR)
	$(MANAGE) backup

restore: venv ## Restore BACKUP=backups/<folder> into DATABASE_URL (REPLACE=1 overwrites)
	@test -n "$(BACKUP)" || { echo "Name the backup: make restore BACKUP=backups/2026-12-07T221500"; exit 1; }
	$(MANAGE) restore "$(BACKUP)" $(if $(REPLACE),--replace)
