# BackCare: `make run` starts the bot, `make test` runs everything CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV     := .venv
PY       := $(VENV)/bin/python
BACKCARE := $(VENV)/bin/backcare
STAMP    := $(VENV)/.installed
TRAINING_DATA := data/nlu data/stories data/rules.yml

.PHONY: help install lint types format run train seed validate unit-test services-test quality-gate story-test e2e-test browser-deps eval bench profile test clean lock

help:
	@echo "make run     start BackCare (REST on 127.0.0.1:5005, actions on 5055)"
	@echo "make test    lint, type-check, validate data, train if needed, run unit, story and end-to-end tests"
	@echo "make lint    ruff: lint rules and formatting of bot, actions, support, tests, bench"
	@echo "make types   mypy on bot and actions"
	@echo "make format  rewrite the code the way make lint wants it (ruff format, ruff check --fix)"
	@echo "make eval    held-out NLU scores, story evaluation, 5-fold cross-validation (eval/)"
	@echo "make bench   latency, throughput, memory against Rasa's default pipeline (bench/)"
	@echo "make chaos   PostgreSQL restarted, Redis stopped, a replica killed under traffic: lost or doubled messages (bench/chaos.py)"
	@echo "make lock    refresh requirements/lock.txt from a fresh resolution"

# The virtual environment is rebuilt when a pin changes.
$(STAMP): requirements/lock.txt requirements/spacy-model.txt pyproject.toml
	@python="$$(scripts/find-python310.sh)" || exit 1; \
	  [ -x $(PY) ] || "$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==24.0
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/spacy-model.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

install: $(STAMP)

# Lint rules, formatting and type checking are configured in pyproject.toml.
LINT_PATHS := bot actions support tests bench

lint: install
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

types: install
	$(VENV)/bin/mypy bot actions

format: install
	$(VENV)/bin/ruff format $(LINT_PATHS)
	$(VENV)/bin/ruff check --fix $(LINT_PATHS)

seed: install
	$(BACKCARE) db seed

train: install
	$(BACKCARE) train

run: install
	$(BACKCARE) run

validate: install
	$(VENV)/bin/rasa data validate --domain domain.yml --data $(TRAINING_DATA)

# Test tiers are pytest markers (pyproject.toml, tests/conftest.py); tests/nlu/ is the quality gate.
# Unit tests need nothing running: no server, no PostgreSQL or Redis, no browser, no model.
unit-test: install
	$(PY) -m pytest tests --ignore=tests/nlu -m "not e2e and not services and not browser"

# The PostgreSQL and Redis stores on this machine (skipped if unreachable; a failure with CI=true).
services-test: install
	$(PY) -m pytest tests --ignore=tests/nlu -m "services and not e2e and not browser"

# Quality gate: held-out macro-F1 above tests/nlu/quality_floor.json, red-flag recall 1.0.
quality-gate: train
	$(PY) -m pytest tests/nlu

# Reports in eval/: held-out scores, confusion matrix, stories, 5-fold cross-validation.
eval: install
	$(BACKCARE) eval --cross-validation

# Test stories hold real user text: NLU and dialogue are checked together.
story-test: train
	rm -rf var/story-results
	$(VENV)/bin/rasa test core --model "$$($(PY) -c 'from bot.training import model_path; print(model_path())')" \
	  --stories tests/stories --out var/story-results --fail-on-prediction-errors

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser-deps:
	@[ -n "$${CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "Chromium is missing; installing Debian's chromium package (needs root and apt)..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; \
	  else sudo apt-get install -y -q chromium; fi; } || { \
	  echo "Could not install Chromium: install Debian's 'chromium' package, or set CHROMIUM=/path/to/chromium."; exit 1; }

# Real servers on free ports (tests/e2e/ and the action server and page tests), and the browser tests.
e2e-test: train browser-deps
	$(PY) -m pytest tests --ignore=tests/nlu -m "e2e or browser"

test: lint types validate unit-test services-test quality-gate story-test e2e-test
	@echo "All BackCare tests passed."

# Resolve the direct dependencies afresh and write the full pinned set.
lock:
	@python="$$(scripts/find-python310.sh)" || exit 1; \
	  rm -rf var/lock-venv && "$$python" -m venv var/lock-venv && \
	  var/lock-venv/bin/pip install --quiet pip==24.0 && \
	  var/lock-venv/bin/pip install --quiet . '.[test]' && \
	  { echo "# Full pinned set for Python 3.10 (pip freeze). Refresh with: make lock"; \
	    var/lock-venv/bin/pip freeze --exclude backcare; } > requirements/lock.txt && \
	  rm -rf var/lock-venv

clean:
	rm -rf models var .rasa results

# Latency, throughput, memory and start-up against Rasa's default pipeline (bench/README.md).
bench: train
	$(PY) -m bench.run --concurrency 20 --rounds 2

# Where the Rasa server's time goes under the same load (needs `pip install py-spy`).
profile: train
	$(PY) -m bench.profile

# Faults under traffic on a private PostgreSQL and Redis (bench/chaos.py): nothing lost or doubled.
.PHONY: chaos
chaos: train
	$(PY) -m bench.chaos
