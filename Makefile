# gongkai: the two commands a newcomer needs are `make serve` and `make test`.
# Each sets up .venv (pinned versions from pyproject.toml) the first time it runs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
# The package's bytecode, written as pip writes an installed package's: an editable install
# leaves it to the first import, which PYTHONDONTWRITEBYTECODE (set on some machines) forbids,
# and then every `gongkai` command compiles its modules again (60 ms of a 1 s check).
COMPILE := $(BIN)/python -m compileall -q hooks
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve edit build test bench lint clean

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(COMPILE)
	touch $(READY)

## Build and serve the site at http://127.0.0.1:8000/ (rebuilds when files change).
serve: $(READY)
	GONGKAI_SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## The editor in the browser: http://127.0.0.1:8001/admin/ (preview at http://127.0.0.1:8000/).
# Decap CMS comes from the npm registry at the versions in editor/package-lock.json, into
# editor/node_modules (git-ignored); only this setup needs npm, `gongkai edit` needs no Node.
EDITOR_READY := editor/node_modules/.ready
$(EDITOR_READY): editor/package.json editor/package-lock.json
	cd editor && npm ci --no-audit --no-fund --ignore-scripts
	touch $(EDITOR_READY)

edit: $(READY) $(EDITOR_READY)
	$(BIN)/gongkai edit

## Build site/ with --strict (hooks/gongkai/publish.py): one build at a time, into a fresh
## folder under .site-builds/; site is a link switched to it in one step when the build
## succeeded, so site/ is always a complete site, the old or the new.
build: $(READY)
	$(BIN)/python -m gongkai.publish

## Run the whole test suite.
test: $(READY)
	$(COMPILE)
	$(BIN)/python -m pytest

## ruff and mypy over the package, tests and benchmarks.
lint: $(READY)
	$(BIN)/pip install --quiet -e '.[lint]'
	$(BIN)/ruff check hooks tests bench
	cd hooks && ../$(BIN)/mypy -p gongkai --ignore-missing-imports

## Benchmark (about an hour on 2 quiet cores; writes bench/RESULTS.md, bench/README.md explains
## it): gongkai against plain Material and Material with jieba search, both corpus shapes, at
## SIZES site pages (30,000 built once), with search bytes and quality, and Pagefind on the same
## pages as the reference (at PAGEFIND_SIZES); then attachments: 2,000 files, first inspection
## and the repeated check; then the preview: seconds from saving an entry to seeing it.
## Quicker: make bench SIZES=1000,10000 SHAPES=township RUNS=1
SIZES ?= 1000,10000,30000
SHAPES ?= township,county
RUNS ?= 3
# Pagefind at 30,000 county pages alone takes many minutes and several GiB: add it by hand.
PAGEFIND_SIZES ?= 10000
PREVIEW_SIZE ?= 10000
# The bench extra: Pagefind (the reference index) and jieba (Material's Chinese search).
BENCH_READY := $(VENV)/.bench-ready
$(BENCH_READY): $(READY)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(BENCH_READY)

bench: $(BENCH_READY)
	$(COMPILE)
	$(BIN)/python bench/bench_build.py --sizes $(SIZES) --shapes $(SHAPES) --runs $(RUNS) \
		--pagefind-sizes $(PAGEFIND_SIZES)
	$(BIN)/python bench/bench_attachments.py --site-only
	$(BIN)/python bench/bench_preview.py --size $(PREVIEW_SIZE)

clean:
	rm -rf $(VENV) site .site-builds .site.lock site.new site.old editor/node_modules
