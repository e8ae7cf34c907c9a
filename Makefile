# The README's set-up: `make run` serves the demo zone, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
export ZHAOSHANG_DEBUG ?= 1

.PHONY: install install-dev run test test-fast bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/zhaoshang migrate --noinput
	$(BIN)/zhaoshang seed_demo --if-empty
	$(BIN)/zhaoshang ensure_admin
	@echo "打开 http://$(HOST)/ 登录（Ctrl-C 停止）"
	$(BIN)/zhaoshang rundev $(HOST)

test: install-dev
	$(BIN)/pytest

test-fast: install-dev
	$(BIN)/pytest -m "not slow and not browser"

bench: install-dev
	$(BIN)/python -m bench

# Screenshots of the main pages with the demo data, into docs/screenshots/ (needs Chromium).
screenshots: install-dev
	ZHAOSHANG_SCREENSHOTS=docs/screenshots ZHAOSHANG_REQUIRE_BROWSER=1 $(BIN)/pytest tests/browser/test_screenshots.py tests/browser/test_cockpit.py -q -p no:cacheprovider

clean:
	rm -rf $(VENV) var *.egg-info
