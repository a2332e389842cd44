# Every target sets itself up from a fresh clone: it creates .venv and installs the
# project when pyproject.toml is newer than the last install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEED   := seeds/000_20713228fd6701a2.txt
# Debian's Chromium and ChromeDriver: the PNG export and the browser tests drive them.
CHROMIUM         := /usr/bin/chromium
CHROMEDRIVER     := /usr/bin/chromedriver
BROWSER_PACKAGES := chromium chromium-driver
# Debian's Redis server: the store tests run the Redis backend against one they start and stop.
REDIS_SERVER     := redis-server

# axe-core, the accessibility engine the browser tests run in each view, from the npm registry.
AXE_VERSION := 4.11.0
AXE         := .cache/axe-core/node_modules/axe-core/axe.min.js

.PHONY: run test lint bench data clean browser redis

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench,dask,redis]'
	touch $(STAMP)

# The dashboard on the seed article at http://127.0.0.1:8050 (the browser renders PNG exports).
run: $(STAMP) browser
	$(BIN)/python -m dashboard serve --host 127.0.0.1 --port 8050

lint: $(STAMP)
	$(BIN)/ruff check .

# Installs Debian's Chromium and ChromeDriver with apt when they are missing and make runs as
# root; otherwise stops with a message that names the packages.
browser:
	@if [ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian's $(BROWSER_PACKAGES) with apt-get"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); \
	else \
	  echo "make test needs Debian's chromium and chromium-driver:" \
	    "sudo apt-get install $(BROWSER_PACKAGES)" >&2; \
	  exit 1; \
	fi

# Installs Debian's redis-server with apt when it is missing and make runs as root; otherwise
# stops with a message that names the package.
redis:
	@if command -v $(REDIS_SERVER) >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian's $(REDIS_SERVER) with apt-get"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(REDIS_SERVER); \
	else \
	  echo "make test needs Debian's redis-server for the store tests:" \
	    "sudo apt-get install $(REDIS_SERVER)" >&2; \
	  exit 1; \
	fi

$(AXE):
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's npm with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
	  else echo "make test needs npm for axe-core: sudo apt-get install npm" >&2; exit 1; fi; }
	npm install --no-save --no-audit --no-fund --silent --prefix .cache/axe-core \
	  axe-core@$(AXE_VERSION)

test: lint browser redis $(AXE)
	$(BIN)/python -m pytest

bench: $(STAMP) browser
	$(BIN)/python -m bench

data: $(STAMP)
	$(BIN)/python -m dashboard data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .cache
