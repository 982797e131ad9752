# Two commands on a fresh machine with Python 3.11+:
#   make run    create the environment when needed and open the app
#   make test   install what the tests need and run the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench catalogs catalogs-extract catalogs-update catalogs-compile screenshots bundle smoke

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[gui,hub,dev]'
	touch $(STAMP)

run: $(STAMP) catalogs-compile
	$(BIN)/tipintake

test: $(STAMP) catalogs-compile
	sh scripts/test-prereqs.sh
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

bench: $(STAMP)
	for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# Translations (scripts/catalogs.py; the .mo files are built, never committed).
catalogs: catalogs-extract catalogs-update catalogs-compile

catalogs-extract: $(STAMP)
	$(BIN)/python scripts/catalogs.py extract

catalogs-update: $(STAMP)
	$(BIN)/python scripts/catalogs.py update

catalogs-compile: $(STAMP)
	$(BIN)/python scripts/catalogs.py compile

# PNGs of the main screens in every language, offscreen and under Xvfb (screenshots/, git-ignored).
screenshots: $(STAMP) catalogs-compile
	$(BIN)/python scripts/screenshots.py
	$(BIN)/python scripts/screenshots.py --xvfb

# Desktop bundle (packaging/README.md): one folder, dist/tipintake/, for a laptop without Python.
# `make smoke` tests the built bundle; it is not part of `make test` (a build takes minutes).
PKG_STAMP := $(VENV)/.packaging-installed

$(PKG_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[gui,packaging]'
	touch $(PKG_STAMP)

bundle: $(PKG_STAMP) catalogs-compile
	sh packaging/prereqs.sh
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/tipintake.spec

smoke: $(PKG_STAMP)
	sh packaging/prereqs.sh
	$(BIN)/python packaging/smoke.py
