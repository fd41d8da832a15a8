# owa-kit: `make lab` (the main job) and `make test` (sets up everything, runs every check).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV     := .venv
LAB_VENV := .venv-lab
CHROMIUM ?= /usr/bin/chromium

# Browser and server tests run in the same pytest session and find their parts through these.
export OWA_KIT_LAB_PYTHON  := $(CURDIR)/$(LAB_VENV)/bin/python
export OWA_KIT_OWUI_PYTHON := $(CURDIR)/.venv-owui/bin/python
export OWA_KIT_CHROMIUM    := $(CHROMIUM)

# Jupyter refuses to start as root without this flag.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS  ?=
PYTEST_ARGS ?=

.PHONY: help lab test setup venv lab-venv chromium owui lint typecheck pytest bench clean

help:
	@echo "make lab    JupyterLab on notebooks/ with the embedded emulator (no server needed)"
	@echo "make test   set up every venv and part, then ruff, mypy and pytest"
	@echo "make bench  benchmarks: core (bench.py), notebook front (bench_notebook.py), emulator vs server (bench_live.py), live recording (bench_record.py)"
	@echo "make clean  remove the venvs, caches and build output"

lab: lab-venv
	@mkdir -p notebooks
	@echo "owa-kit: starting JupyterLab on notebooks/ - open the http://127.0.0.1:... URL it prints"
	$(LAB_VENV)/bin/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 \
	  --notebook-dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

venv:
	bash scripts/venv.sh $(VENV) test

lab-venv:
	bash scripts/venv.sh $(LAB_VENV) lab,test

chromium:
	OWA_KIT_CHROMIUM=$(CHROMIUM) bash scripts/chromium.sh

owui:
	bash scripts/owui.sh

setup: venv lab-venv chromium owui

lint: venv
	$(VENV)/bin/ruff check .

typecheck: venv
	$(VENV)/bin/mypy

# pytest exits 5 when it collected no test: that is a failure here, not a quiet success.
pytest: venv
	rc=0; $(VENV)/bin/python -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [[ $$rc == 5 ]]; then echo "owa-kit: pytest collected no tests - failing" >&2; exit 1; fi; \
	exit $$rc

test: setup
	$(MAKE) --no-print-directory --keep-going lint typecheck pytest

bench: venv
	$(VENV)/bin/python scripts/bench.py
	$(VENV)/bin/python scripts/bench_notebook.py
	@if [[ -x .venv-owui/bin/python ]]; then $(VENV)/bin/python scripts/bench_live.py; \
	$(VENV)/bin/python scripts/bench_record.py; \
	else echo "owa-kit: no .venv-owui, so no live benchmark (make owui creates it)"; fi

clean:
	rm -rf $(VENV) $(LAB_VENV) .venv-owui .cache .pytest_cache .mypy_cache .ruff_cache build dist
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
