# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
DEMO := site/demo/content.json

.PHONY: run test lint format install migrate demo admin browser-test clean backup restore bench

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) import_content $(DEMO)

admin: migrate
	$(MANAGE) ensure_local_admin

# The scheduled-publishing job (go-live, expiry, lapsed consent) runs every minute beside the
# server, and stops with it.
run: demo admin
	$(MANAGE) publish_scheduled --every 60 >/dev/null & job=$$!; \
	trap 'kill $$job 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	DJANGO_ENV=test $(BIN)/pytest -n 2 -m "not browser" -q

browser-test: install
	DJANGO_ENV=test $(BIN)/pytest -m browser -q -p no:xdist

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	find site campaigns stories tongxin -name '*.html' -print0 | xargs -0 $(BIN)/djhtml --check

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	find site campaigns stories tongxin -name '*.html' -print0 | xargs -0 $(BIN)/djhtml

# Encrypted, dated archive of the database, media/ and consent forms; BACKUP_KEY must be set.
backup: install
	$(MANAGE) backup --output $${BACKUP_DIR:-backups}

# Into an empty database (not migrated) and empty media folders: make restore FILE=backups/….tar
restore: install
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/tongxin-backup-….tar" >&2; exit 2)
	$(MANAGE) restore "$(FILE)"

# One table of req/s (static file, cached and uncached pages in both scripts), queries, render
# ms, import pages/s and search, at 1x and 10,000 pages: gunicorn, PostgreSQL, Redis and wrk
# (benchmarks/README.md). BENCH_ARGS=--quick for a run of a few minutes.
bench: install
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
