# Two commands on a fresh machine with Python 3.11+:
#   make run    create the environment when needed and open the app
#   make test   install what the tests need and run the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench catalogs screenshots bundle smoke

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[gui,hub,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/tipintake

test: $(STAMP)
	sh scripts/test-prereqs.sh
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

bench: $(STAMP)
	for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done
