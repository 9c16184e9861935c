# Two commands for a newcomer:  make lab   and   make test
# Both create .venv (with Python 3.11 or newer) and install requirements.txt,
# which pins every version and installs xorlib in editable mode.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told; containers and CI often are root.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install lab lint test notebooks html clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run: make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@# Build matplotlib's font cache now, so that its one-time notice never
	@# reaches a notebook's stderr (nbval would fail that cell).
	$(BIN)/python -c "import matplotlib.pyplot"
	touch $(STAMP)

lab: install
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(LAB_FLAGS)

# Lint the code and the notebooks, then check the CI workflow and CITATION.cff
# against their schemas and audit the workflow. Each step runs even if an earlier
# one failed, so that one run reports everything; the target fails if any did.
LINT_PATHS := xorlib tests scripts benchmarks notebooks solutions
WORKFLOWS  := $(wildcard .github/workflows/*.yml)

lint: install
	status=0; \
	$(BIN)/ruff check --output-format=concise $(LINT_PATHS) || status=1; \
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS) || status=1; \
	$(BIN)/check-jsonschema --builtin-schema vendor.citation-file-format CITATION.cff || status=1; \
	$(BIN)/zizmor --offline --quiet $(WORKFLOWS) || status=1; \
	exit $$status

test: install lint
	$(BIN)/python -m pytest

# JAX, an optional extra (about 500 MB) for notebook 12 and tests/test_jax.py: make autodiff test
.PHONY: autodiff
autodiff: install
	$(BIN)/python -m pip install --quiet -e ".[autodiff]"

notebooks: install
	$(BIN)/python scripts/execute_notebooks.py
	$(BIN)/python scripts/build_solutions.py

html: install
	$(BIN)/python scripts/build_html.py

clean:
	rm -rf $(VENV) build .pytest_cache
