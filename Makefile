# One command surface for people, CI and the README. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 installs on Python 3.10 only; find one even when the pyenv shim is not active.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	$$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.requirements-installed

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_WARN_20 := 1
export ACTION_SERVER_URL ?= http://127.0.0.1:5055/webhook
export ACTION_SERVER_PORT ?= 5055
export RASA_PORT ?= 5005
# rasa_sdk binds to 0.0.0.0 unless told otherwise; nothing here needs to be public.
export SANIC_HOST ?= 127.0.0.1
# Used only by deploy/endpoints.yml (PostgreSQL tracker store, Redis lock store).
export TRACKER_DB_HOST ?= 127.0.0.1
export TRACKER_DB_PORT ?= 5432
export TRACKER_DB_NAME ?= rasa_tracker
export TRACKER_DB_USER ?= postgres
export TRACKER_DB_PASSWORD ?=
export REDIS_HOST ?= 127.0.0.1
export REDIS_PORT ?= 6379
export REDIS_DB ?= 1
export REDIS_KEY_PREFIX ?= legalservices
MODEL := models/current.tar.gz
# Local state (ignored by git): conversations, the bot's inbox, generated local secrets.
STATE := state
export RASA_TRACKER_DB ?= $(STATE)/rasa-tracker.db
SECRETS := $(STATE)/secrets.env
# Sources the local secrets (created on first use; variables already set win).
WITH_SECRETS = $(PY) -m scripts.local_secrets >/dev/null && . $(SECRETS)

.PHONY: help setup venv load-kb model train shell actions run validate lint test telegram inbox retrain evaluate unanswered bench cluster-up cluster-down

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required (Rasa 3.6 does not install on 3.11+)."; exit 1; }
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip wheel
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip check
	@touch $@

venv: $(STAMP) ## create .venv with Python 3.10 and install requirements.txt

setup: $(STAMP) load-kb model ## venv + knowledge base + model (trains only if its inputs changed)

load-kb: $(STAMP) ## (re)load the knowledge base from knowledge/data (no retraining needed)
	$(PY) -m knowledge load

model: $(STAMP) ## train the model only if none exists for the current inputs
	$(PY) -m scripts.model_store ensure

train: $(STAMP) ## train the model now, even if one exists for these inputs
	$(PY) -m scripts.model_store train

# `make shell` and `make run` hide the libraries' start-up warnings (scripts/rasa_cli.py);
# tests keep every warning as an error (pytest.ini).
QUIET := QUIET_THIRD_PARTY_WARNINGS=1

shell: setup ## talk to the assistant in this terminal (starts the action server too)
	@mkdir -p $(STATE); set -m; $(QUIET) $(PY) -m scripts.rasa_cli run actions --port $(ACTION_SERVER_PORT) --quiet >.action-server.log 2>&1 & \
	actions_pid=$$!; trap 'kill $$actions_pid 2>/dev/null; wait $$actions_pid 2>/dev/null' EXIT INT TERM; \
	$(QUIET) $(PY) -m scripts.rasa_cli shell --model $(MODEL) --interface 127.0.0.1 --port $(RASA_PORT)

actions: $(STAMP) ## run the action server alone on 127.0.0.1:$(ACTION_SERVER_PORT)
	$(RASA) run actions --port $(ACTION_SERVER_PORT)

run: setup ## action server + Rasa HTTP server (REST and bot channels) on 127.0.0.1:$(RASA_PORT)
	@mkdir -p $(STATE); $(WITH_SECRETS); set -m; $(QUIET) $(PY) -m scripts.rasa_cli run actions --port $(ACTION_SERVER_PORT) & \
	actions_pid=$$!; trap 'kill $$actions_pid 2>/dev/null; wait $$actions_pid 2>/dev/null' EXIT INT TERM; \
	$(QUIET) $(PY) -m scripts.rasa_cli run --model $(MODEL) --interface 127.0.0.1 --port $(RASA_PORT) \
		--credentials $${RASA_CREDENTIALS:-credentials.yml} $${RASA_JWT_SECRET:+--enable-api} \
		$${RASA_ENDPOINTS:+--endpoints "$$RASA_ENDPOINTS"}

validate: $(STAMP) ## check the training data (rasa data validate + knowledge data)
	$(RASA) data validate --config config.yml --domain domain.yml --data data
	$(PY) -m knowledge check
	$(PY) -m scripts.check_training_data
	$(PY) -m scripts.near_duplicates

lint: $(STAMP) ## ruff on the whole tree, mypy on bot/ assistant/ knowledge/, bandit (settings: pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -q -c pyproject.toml -r actions assistant bot knowledge rasa_addons scripts bench testkit

test: $(STAMP) ## lint, the whole test suite (needs PostgreSQL and Redis running), then data validation
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest
	$(MAKE) --no-print-directory validate

cluster-up: setup ## nginx + 3 Rasa replicas + 2 action servers (+ 2 Telegram receivers with TELEGRAM_TOKEN), PostgreSQL + Redis (README "Several replicas")
	@mkdir -p $(STATE); $(WITH_SECRETS); $(PY) -m scripts.cluster up $${CLUSTER_OPTIONS:-}

cluster-down: $(STAMP) ## stop what cluster-up started
	$(PY) -m scripts.cluster down

telegram: $(STAMP) ## run the Telegram front end (needs TELEGRAM_TOKEN; `make run` in another terminal)
	@$(WITH_SECRETS); $(PY) -m bot

inbox: $(STAMP) ## the Telegram inbox: pending, failed and done updates, oldest pending age
	$(PY) -m bot inbox

evaluate: setup ## score the current model on every held-out set, per language (QUESTIONS=file for one)
	$(PY) -m scripts.evaluate $${QUESTIONS:+--questions "$$QUESTIONS"}; status=$$?; \
	if [ -z "$$QUESTIONS" ]; then $(PY) -m scripts.evaluate_conversations || status=1; fi; exit $$status

retrain: $(STAMP) load-kb ## validate, train, evaluate, then serve the new model (old one kept on failure)
	$(PY) -m scripts.retrain

unanswered: $(STAMP) ## report questions that hit fallback, from the tracker store (deploy/endpoints.yml)
	$(PY) -m scripts.unanswered --endpoints $${RASA_ENDPOINTS:-deploy/endpoints.yml}

bench: setup ## benchmarks vs stock Rasa and vs the previous build, writes bench/RESULTS.md, PREVIOUS_BUILD.md and DURABLE.md (~25 min; the first time the stock model trains too, hours on 2 cores: see docs/design-notes.md, Benchmarks)
	$(PY) -m bench
	$(PY) -m bench.previous_build
	$(PY) -m bench.durable
