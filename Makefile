# Every target sets itself up from a fresh clone: it creates .venv and installs the
# project when pyproject.toml is newer than the last install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEED   := seeds/000_20713228fd6701a2.txt

.PHONY: run test lint bench data clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m dashboard extract $(SEED)

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench

data: $(STAMP)
	$(BIN)/python -m dashboard data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
