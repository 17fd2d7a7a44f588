# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
DEMO := site/demo/content.json

.PHONY: run test lint format install migrate demo admin browser-test node clean backup restore messages bench

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

# axe-core for the browser tests, pinned in package-lock.json; never served to readers.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

node: node_modules/.package-lock.json

browser-test: install node
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

# Interface text: regenerate site/locale/*/django.po from the sources (simplified msgids),
# then fill the new zh_Hant (Taiwan usage) and en entries (and check, then unflag, any entry
# msgmerge marked "#, fuzzy": its guess is often wrong) and run `make messages` again to
# compile. tests/test_translation_catalogues.py fails while a string lacks a zh_Hant
# translation. Wagtail's gaps live in site/wagtail_locale, which this never touches.
MESSAGE_IGNORES := -i .venv -i node_modules -i benchmarks -i media -i staticfiles -i tests -i 'site/static'
messages: install
	$(MANAGE) makemessages -l zh_Hans -l zh_Hant -l en --no-obsolete --add-location file $(MESSAGE_IGNORES)
	$(MANAGE) compilemessages -l zh_Hans -l zh_Hant -l en --ignore '.venv' --ignore 'node_modules'
# One table of req/s (static file, cached and uncached pages in both scripts), queries, render
# ms, import pages/s and search, at 1x and 10,000 pages: gunicorn, PostgreSQL, Redis and wrk
# (benchmarks/README.md). BENCH_ARGS=--quick for a run of a few minutes.
bench: install
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
