# itemsrel: the two commands of the README's quick start, and a few helpers.
#   make book   create .venv if needed, install, execute every chapter, build _build/html (-W);
#               tools/build_book.py runs `jupyter-book build` with one Sphinx process per core
#   make test   ruff + unit tests + nbval over every notebook + browser checks of the built site
#   make lab    open the notebooks in JupyterLab (widgets work)
#   make bench  run the benchmark suite, book build included (~6 min; not part of the tests)
#   make format tools/format_notebooks.py: checked-cell tags, hidden setup, code formatted to the
#               code box, figure captions as myst-nb metadata (make lint checks it)

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Kernels, settings and lab state come from the project's environment, never from a stale
# per-user Jupyter folder.
export JUPYTER_DATA_DIR := $(CURDIR)/$(VENV)/share/jupyter
export JUPYTER_CONFIG_DIR := $(CURDIR)/$(VENV)/etc/jupyter
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Later chapters first: they take longest, so the parallel workers finish together.
NOTEBOOKS := $(shell ls -r notebooks/*.ipynb) $(wildcard book/*.ipynb)
# Processes for the unit tests, the notebooks and the book's execution (one per core).
JOBS ?= $(shell nproc)

.PHONY: book test lab bench install clean unit nbval browser lint format

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[book,test]'
	@touch $(STAMP)

install: $(STAMP)

book: $(STAMP)
	@start=$$(date +%s); \
	BOOK_JOBS=$(JOBS) $(BIN)/python tools/build_book.py --all -W -n --keep-going --path-output . . || exit 1; \
	end=$$(date +%s); \
	echo "Book built in $$((end-start)) s: open $(CURDIR)/_build/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks book/_ext tools notebooks book/*.ipynb
	$(BIN)/python tools/format_notebooks.py --check

format: $(STAMP)
	$(BIN)/python tools/format_notebooks.py

unit: $(STAMP)
	$(BIN)/python -m pytest -q -n $(JOBS) tests/unit

nbval: $(STAMP)
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:randomly $(NOTEBOOKS)

browser: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python -m pytest -q tests/browser

test: $(STAMP)
	@start=$$(date +%s); times=""; \
	for stage in lint unit nbval book browser; do \
		t0=$$(date +%s); \
		$(MAKE) --no-print-directory $$stage || exit 1; \
		times="$$times $$stage $$(( $$(date +%s) - t0 )) s,"; \
	done; \
	end=$$(date +%s); echo "All tests passed in $$((end-start)) s:$${times%,}"

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python -m benchmarks --book

clean:
	rm -rf _build _plotly_static .cache/itemsrel
