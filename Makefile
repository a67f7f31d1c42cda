# The two commands: `make lecture` renders the lecture, `make test` runs the tests.
# Both first run tools/setup.sh (idempotent: Debian packages, .venv, editable install).
PY := .venv/bin/python
ARGS ?=

.PHONY: setup lecture test test-fast bench lint format

setup:
	@bash tools/setup.sh

lecture: setup
	$(PY) -m scenes render $(ARGS)

test: setup
	$(PY) -m pytest -n auto --dist loadfile $(ARGS)

test-fast: setup
	$(PY) -m pytest -n auto --dist loadfile -m "not slow" $(ARGS)

bench: setup
	$(PY) tools/bench.py $(ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: setup
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .
