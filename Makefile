# The README's set-up: `make run` serves the demo zone, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
export ZHAOSHANG_DEBUG ?= 1

# `make serve`: production mode on this machine (DEBUG off, keys generated into var/, static
# files collected, gunicorn and one task worker) over plain HTTP on loopback.
SERVE_ENV = ZHAOSHANG_DEBUG=0 ZHAOSHANG_SECRET_KEY="$$(cat var/secret_key)" ZHAOSHANG_FIELD_KEY="$$(cat var/field_key)" \
	ZHAOSHANG_ALLOWED_HOSTS=127.0.0.1,localhost \
	ZHAOSHANG_SECURE_SSL_REDIRECT=0 ZHAOSHANG_SECURE_COOKIES=0 ZHAOSHANG_BIND=$(HOST)

.PHONY: install install-dev run serve test test-fast bench screenshots clean

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

serve: install
	@mkdir -p var
	@test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	@chmod 600 var/secret_key
	@# The key of the phones stored encrypted: the same file `make run` uses, so both read one database.
	@test -s var/field_key || $(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > var/field_key
	@chmod 600 var/field_key
	$(SERVE_ENV) $(BIN)/zhaoshang migrate --noinput
	$(SERVE_ENV) $(BIN)/zhaoshang collectstatic --noinput -v0
	$(SERVE_ENV) $(BIN)/zhaoshang seed_demo --if-empty
	$(SERVE_ENV) $(BIN)/zhaoshang ensure_admin
	@echo "打开 http://$(HOST)/ 登录（Ctrl-C 停止）"
	$(SERVE_ENV) $(BIN)/zhaoshang serve

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
