# Fantasize: `make run` serves the shop on http://127.0.0.1:5000, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test test-fast lint format bench install clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host $(HOST) --port $(PORT) --no-debugger --no-reload

# The whole suite. With DATABASE_URL / REDIS_URL set it runs on PostgreSQL and Redis;
# REQUIRE_SERVICES=1 (as in .ci/run) turns a missing service into a failure, not a skip.
test: $(STAMP)
	$(BIN)/pytest

# The quick local loop: SQLite and in-process services, no browser or process tests.
test-fast: $(STAMP)
	env -u DATABASE_URL -u REDIS_URL -u REQUIRE_SERVICES $(BIN)/pytest -q -m "not slow and not browser and not postgres and not redis"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) instance/fantasize.db .pytest_cache .ruff_cache
