# Two commands do all set-up: `make run` (the bot, or the terminal chat without a token) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test chat check eval bench browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,webhooks]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot start

test: $(STAMP) browser
	$(PY) -m ruff check .
	$(PY) -m bot check
	$(PY) -m pytest -q

chat: $(STAMP)
	$(PY) -m bot chat

eval: $(STAMP)
	$(PY) -m bot eval

bench: $(STAMP)
	$(PY) bench/matcher.py
	$(PY) bench/throughput.py
	$(PY) bench/report.py

# The HTML report test renders the page in Debian's headless Chromium.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's 'chromium' package (the HTML report test needs it)"; exit 1; fi; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
