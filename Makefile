# Two commands matter: `make run` serves Concord, `make test` runs the whole suite.
# Both build .venv from the hashed lock files, so every machine gets the same packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test test-fast lint format messages lock bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.test-installed: requirements-test.lock $(VENV)/.run-installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	@touch $@

# Catalogues are compiled with Babel so no system gettext is needed to run. Each app may keep
# its own catalogue in concord/<app>/locale; concord/locale holds the shared ones.
.PHONY: messages-compiled
messages-compiled: $(VENV)/.run-installed
	@for dir in concord/locale concord/*/locale; do $(BIN)/pybabel compile --statistics -d $$dir -D django || exit 1; done

run: $(VENV)/.run-installed messages-compiled
	$(BIN)/concord migrate --no-input
	$(BIN)/concord collectstatic --no-input --verbosity 0
	$(BIN)/concord demo --if-empty
	$(BIN)/concord serve --with-worker --port $(PORT)

test: $(VENV)/.test-installed messages-compiled
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/concord collectstatic --no-input --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite without the browser tests, for a quick loop while editing.
test-fast: $(VENV)/.test-installed messages-compiled
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract new strings into the catalogues of the eight languages besides English (needs GNU
# gettext; the list of settings.LANGUAGES, by locale name: zh-hans is zh_Hans). A string goes to
# the catalogue of the nearest locale folder: concord/<app>/locale, else concord/locale.
messages: $(VENV)/.test-installed
	cd concord && ../$(BIN)/concord makemessages -l fr -l ar -l es -l pt -l ru -l zh_Hans -l az -l sw \
		--no-obsolete --no-location

# Re-pin dependencies after editing pyproject.toml.
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header -o requirements.lock
	uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes --no-header -o requirements-test.lock

# Load and scale benchmarks on SQLite and PostgreSQL (needs wrk, PostgreSQL on 127.0.0.1);
# writes bench/RESULTS.md. QUICK=1 for short runs. See bench/README.md. The test packages
# are needed: emails go to a local SMTP server (aiosmtpd).
bench: $(VENV)/.test-installed messages-compiled
	$(BIN)/python bench/run_all.py $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) var/static
