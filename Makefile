# Two commands for a newcomer:  make lab   and   make test
# Both create .venv (with Python 3.11 or newer). make lab installs what a
# student needs (requirements.txt: exact pins, and xorlib in editable mode);
# make test, make notebooks and make html add the tests and maintainers' tools
# (requirements-dev.txt). Each install is redone when its files change.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STUDENT_STAMP := $(VENV)/.installed-student
DEV_STAMP     := $(VENV)/.installed-dev
FIRST_NOTEBOOK := notebooks/00_xor_and_the_network.ipynb
# JupyterLab refuses to run as root unless told; containers and CI often are root.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help student install lab present lint test notebooks html check-regeneration check-portability clean assignments slides student-wheel handouts
.DEFAULT_GOAL := help

# make (or make help): every target, with the time it took on the project's 2-core machine.
help:
	@echo "For students"
	@echo "  make lab                  install what a student needs into .venv, open JupyterLab at notebook 00 (1-2 min the first time)"
	@echo "For instructors"
	@echo "  make present              JupyterLab with RISE for presenting (also as root); Alt+R starts a slideshow"
	@echo "  make slides               a static reveal.js deck of every notebook in build/slides/, offline (about 30 s)"
	@echo "  make html                 the static site in build/html/, offline (about 1 min)"
	@echo "  make handouts             every notebook as an A4 PDF in build/handouts/, offline, with Chromium (about 50 s)"
	@echo "  make assignments          the nbgrader course in build/course/ (about 1 min)"
	@echo "  make student-wheel        build/student/xorlib-*.whl: xorlib for students, without the answer keys (a few s)"
	@echo "For maintainers"
	@echo "  make test                 lint, unit tests, every notebook and solution under nbval, browser tests and axe-core (about 8 min)"
	@echo "  make lint                 ruff over code and notebooks, workflow and citation checks (about 10 s)"
	@echo "  make notebooks            re-execute every notebook and rebuild the solutions (about 80 s)"
	@echo "  make check-regeneration   make notebooks, then fail on any change (about 90 s)"
	@echo "  make check-portability    nbval again under three other arithmetic profiles (about 2 min)"
	@echo "  make autodiff             add the optional JAX extra for notebook 12 (about 1 min)"
	@echo "  make install              install the test and maintainer tools into .venv (1-2 min the first time)"
	@echo "  make clean                remove .venv, build/ and every cache"

student: $(STUDENT_STAMP)

install: $(DEV_STAMP)

$(STUDENT_STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run: make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@# Build matplotlib's font cache now, so that its one-time notice never
	@# shows up under a student's first figure.
	$(BIN)/python -c "import matplotlib.pyplot"
	@# Compile train_many's loops once now (numba keeps them in xorlib's __pycache__),
	@# so that no notebook waits for the compiler.
	$(BIN)/python -m xorlib.studies.compile_loops
	touch $(STUDENT_STAMP)

$(DEV_STAMP): $(STUDENT_STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

# Opens at the repository's root, so that notebooks/ and solutions/ are both in
# the file browser, with the first notebook open (also from the printed URL).
# Kernels get CurveZMQ keys, so ipykernel does not warn about unencrypted TCP.
lab: student
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/$(FIRST_NOTEBOOK) \
		--KernelManager.transport_encryption=auto $(LAB_FLAGS)

# The same JupyterLab with the instructor's tools (RISE, nbgrader), root-safe like make lab.
present: install
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/$(FIRST_NOTEBOOK) \
		--KernelManager.transport_encryption=auto $(LAB_FLAGS)

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

# Everything, in two worker processes (a single test file: .venv/bin/python -m pytest tests/lesson/test_edges.py).
PYTEST_PARALLEL := -n 2 --dist loadscope

test: install lint
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

# JAX, an optional extra (about 500 MB) for notebook 12 and tests/course/test_jax.py: make autodiff test
.PHONY: autodiff
autodiff: install
	$(BIN)/python -m pip install --quiet -e ".[autodiff]"

notebooks: install
	$(BIN)/python scripts/execute_notebooks.py
	$(BIN)/python scripts/build_solutions.py

# make notebooks, then fail if any stored notebook changed (.ci/run calls it).
check-regeneration: install
	$(BIN)/python scripts/check_regeneration.py

# nbval over every notebook and solution under other arithmetic (numpy's SIMD dispatch limited,
# other OpenBLAS kernels, one BLAS thread): a stored output must not print rounding noise.
check-portability: install
	$(BIN)/python scripts/check_portability.py

html: install
	$(BIN)/python scripts/build_html.py

# nbgrader course (issue 14): build/course/source from the notebooks and xorlib.course.exercises, then release/
handouts: html
	$(BIN)/python scripts/build_handouts.py

assignments: install
	$(BIN)/python scripts/build_assignments.py

# xorlib for a class: the package without xorlib/course/keys (the worked solutions); check works the same.
student-wheel: install
	$(BIN)/python scripts/build_student_wheel.py

# Static reveal.js decks (issue 14): reveal.js and require.js from npm, pinned in slides/package-lock.json
slides: install
	mkdir -p build/slides-vendor
	cp slides/package.json slides/package-lock.json build/slides-vendor/
	cd build/slides-vendor && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python scripts/build_slides.py

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis .ruff_cache xorlib.egg-info
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
	find . -name __pycache__ -type d -not -path "./.git/*" -prune -exec rm -rf {} +
