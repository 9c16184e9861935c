# Two commands for a newcomer:  make lab   and   make test
# Both create .venv (with Python 3.11 or newer) and install requirements.txt,
# which pins every version and installs xorlib in editable mode.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told; containers and CI often are root.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install lab test notebooks html clean assignments slides

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

test: install
	$(BIN)/python -m pytest

notebooks: install
	$(BIN)/python scripts/execute_notebooks.py
	$(BIN)/python scripts/build_solutions.py

html: install
	$(BIN)/python scripts/build_html.py

# nbgrader course (issue 14): build/course/source from the notebooks and xorlib.exercises, then release/
assignments: install
	$(BIN)/python scripts/build_assignments.py

# Static reveal.js decks (issue 14): reveal.js and require.js from npm, pinned in slides/package-lock.json
slides: install
	mkdir -p build/slides-vendor
	cp slides/package.json slides/package-lock.json build/slides-vendor/
	cd build/slides-vendor && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python scripts/build_slides.py

clean:
	rm -rf $(VENV) build .pytest_cache
