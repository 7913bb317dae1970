# The two commands a new user needs:  make serve  (edition at http://127.0.0.1:8000)  and  make test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv serve build test test-fast check stats import bench pdf clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

serve: $(STAMP)
	$(BIN)/edition serve

build: $(STAMP)
	$(BIN)/edition build

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not slow"

check: $(STAMP)
	$(BIN)/edition check

stats: $(STAMP)
	$(BIN)/edition stats

pdf: $(STAMP)
	$(BIN)/edition pdf

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale.py   # 1x and 10x; EDITION_BENCH_SCALES="1 10 50" adds 50x

clean:
	rm -rf site pdf docs/edition build
