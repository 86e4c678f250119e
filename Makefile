# Quick start on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make report   set up everything, then build the bundled report into output/
#   make test     set up everything, then run the tests
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages: Pango for WeasyPrint, HarfBuzz subsetting (fast font embedding), the report's
# fonts, poppler for reading PDFs back in tests; Chromium only for the web tests.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
                   fonts-noto-cjk fonts-noto-core poppler-utils
TEST_PACKAGES   := chromium
# axe-core, for the web edition's accessibility tests: from the npm registry, as the lockfile pins it.
AXE := tests/axe/node_modules/axe-core/axe.min.js

.PHONY: setup setup-system setup-test-system setup-test report test lint check translations approve-visuals clean

setup: setup-system $(VENV)/.installed

setup-system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if ! $(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

setup-test-system:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing test packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "installing test packages: npm"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm >/dev/null; }
	npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error
	@touch $@

setup-test: setup setup-test-system $(AXE)

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

report: setup
	$(PY) build.py

check: setup
	$(PY) build.py check

# Two processes (or one per core): the published report's editions are laid out in parallel.
test: setup-test lint
	$(PY) -m pytest -n auto --dist loadgroup

# The code's own checks: style and mistakes (ruff), types (mypy), the stages' import contract (import-linter).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The standard Babel workflow for UI strings: extract from templates and code, update the catalogs.
translations: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k gettext -c "Translators:" --no-location \
	  --sort-output --ignore-dirs=".* output tests" --project=esgreport -o locales/messages.pot .
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d locales --statistics

# After a deliberate design change: store the new look of the selected pages as approved.
approve-visuals: setup
	$(PY) tests/approve_visuals.py

clean:
	rm -rf output tests/axe/node_modules
