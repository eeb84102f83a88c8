# Two commands on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
SEEDS   ?= seeds
WAREHOUSE ?= warehouse
N       ?= 100000
PYTEST_ARGS ?=
# test modules run on two workers (pytest-xdist), a module stays on one worker; TEST_WORKERS=0 runs them in one process
TEST_WORKERS ?= 2

export DO_NOT_TRACK=1
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=90

.PHONY: run test install bench quality browser postgres clean-warehouse

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/vnclaims run --seeds $(SEEDS) --warehouse $(WAREHOUSE)

# Headless Chromium for the report's browser test (Debian package; needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (install Debian's chromium)"; fi; }

# Debian's PostgreSQL server binaries for the PostgreSQL-catalog tests (the tests start their own server).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "postgresql missing: PostgreSQL-catalog tests will be skipped (install Debian's postgresql)"; fi; }

test: $(STAMP) browser postgres
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# Extraction quality: recall and precision per metric and per phenomenon on the seeds gold, the dev set and
# the challenge set (../shared); printed, and written as JSON (a test holds the committed floor).
quality: $(STAMP)
	$(BIN)/python bench/quality.py --json $(WAREHOUSE)/reports/quality.json

bench: $(STAMP)
	$(BIN)/python bench/run.py --n $(N)

clean-warehouse:
	rm -rf $(WAREHOUSE)/*.ducklake* $(WAREHOUSE)/data $(WAREHOUSE)/raw $(WAREHOUSE)/quarantine $(WAREHOUSE)/reports
