# satudata: evaluasi Satu Data per putaran. `make` (or `make help`) lists the targets.
#
# DATA_DIR and REPORTS_DIR point the whole pipeline at another folder:
#   make round ROUND=2020-09-10 DATA_DIR=/path/data REPORTS_DIR=/path/reports

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

PYTHON_BASE ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SETUP_STAMP := $(VENV)/.satudata-setup
DATA_DIR ?= data
REPORTS_DIR ?= reports
# Folders are passed to the commands below as one shell word each (`quote`), never as make targets: the
# pipeline itself (stages, inputs, the rule that a stage runs only when its inputs changed) is defined once, in
# satudata/run/rounds.py, and `make round`, `make all` and `make demo` call it (`satudata putaran`,
# `satudata semua`), as a Windows user without make does.
quote = '$(subst ','\'',$(1))'
DATA := $(call quote,$(DATA_DIR))
REPORTS := $(call quote,$(REPORTS_DIR))
NB := notebooks
# The package's bytecode is cached (satudata/__pycache__, ignored by git): without it every stage, kernel and
# command compiles the package again, about 0.3 s of CPU each. An environment that forbids bytecode is overridden
# here. The pipeline never opens a display.
unexport PYTHONDONTWRITEBYTECODE
export MPLBACKEND := Agg
export SATUDATA_DATA_DIR := $(DATA_DIR)
export SATUDATA_REPORTS_DIR := $(REPORTS_DIR)

ROUNDS = $(shell cd $(DATA)/raw 2>/dev/null && ls -d ????-??-?? 2>/dev/null)
SATUDATA := $(PY) -m satudata
FOLDERS := --data-dir $(DATA) --reports-dir $(REPORTS)
NB_PARAMS = -p putaran $(1) -p data_dir $(DATA) -p reports_dir $(REPORTS) -p settings_file ""

.PHONY: help setup demo demo-data round all eksplorasi templates test test-fast test-spawn lint lab browser-check benchmark clean

help: ## show this help
	@echo "satudata: evaluasi Satu Data per putaran"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'
	@echo
	@echo "  DATA_DIR="$(DATA)"  REPORTS_DIR="$(REPORTS)"  putaran: $(if $(ROUNDS),$(ROUNDS),(belum ada))"

setup: $(SETUP_STAMP) ## create .venv, install satudata (editable, dev extras), register the 'satudata' kernel

$(SETUP_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON_BASE) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@$(PY) -m ipykernel install --sys-prefix --name satudata --display-name "satudata" >/dev/null
	@touch $@
	@echo "siap: $(VENV) dengan kernel Jupyter 'satudata'"

demo-data: | $(SETUP_STAMP)
	@$(SATUDATA) demo --data-dir $(DATA)

demo: setup ## generate the Demak demo data if missing, then build every demo round
	@$(SATUDATA) demo --bangun $(FOLDERS)

round: | $(SETUP_STAMP) ## build one round: make round ROUND=YYYY-MM-DD
	@[[ $(call quote,$(ROUND)) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$$ ]] || { echo "Tulis putarannya sebagai tanggal: make round ROUND=YYYY-MM-DD" >&2; exit 2; }
	@test -d $(call quote,$(DATA_DIR)/raw/$(ROUND)) || { echo "Folder "$(call quote,$(DATA_DIR)/raw/$(ROUND))" tidak ada: taruh kiriman OPD di sana." >&2; exit 2; }
	@$(SATUDATA) putaran $(ROUND) $(FOLDERS)

all: | $(SETUP_STAMP) ## build every round under DATA_DIR/raw/, only what changed
	@$(SATUDATA) semua $(FOLDERS)

eksplorasi: | $(SETUP_STAMP) ## explore across rounds up to ROUND (OPD=kode for one OPD): REPORTS_DIR/<round>/eksplorasi-<round>.ipynb
	@test -n "$(ROUND)" || { echo "Tulis putarannya: make eksplorasi ROUND=YYYY-MM-DD [OPD=kode_opd]" >&2; exit 2; }
	@[[ $(call quote,$(ROUND)) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$$ ]] || { echo "Tulis putarannya sebagai tanggal: make eksplorasi ROUND=YYYY-MM-DD" >&2; exit 2; }
	@$(SATUDATA) putaran $(ROUND) --sampai-tahap 2 $(FOLDERS)
	@echo ">> [$(ROUND)] eksplorasi antarputaran"
	@$(SATUDATA) notebook $(NB)/05_eksplorasi.ipynb --out $(call quote,$(REPORTS_DIR)/$(ROUND)/eksplorasi-$(ROUND).ipynb) \
		$(call NB_PARAMS,$(ROUND)) -p opd $(call quote,$(OPD))
	@echo "notebook: "$(call quote,$(REPORTS_DIR)/$(ROUND)/eksplorasi-$(ROUND).ipynb)

templates: | $(SETUP_STAMP) ## write a submission template workbook for every OPD into REPORTS_DIR/templat
	@$(SATUDATA) template $(FOLDERS)

.PHONY: katalog
katalog: | $(SETUP_STAMP) ## check the register and catalogue before a round: excluded rows, what each OPD owes
	@$(SATUDATA) katalog $(FOLDERS)

test: setup ## run every test (unit, integration, end-to-end)
	@$(PY) -m pytest -q

test-fast: setup ## run the unit and integration tests only
	@$(PY) -m pytest -q tests/unit tests/integration

test-spawn: setup ## every test (unit, integration, end-to-end) with reading workers started by spawn (as on Windows and macOS)
	@SATUDATA_START_METHOD=spawn $(PY) -m pytest -q

lint: setup ## check the code with ruff
	@$(PY) -m ruff check satudata tests benchmarks tools

lab: setup ## open JupyterLab on the notebooks
	@$(VENV)/bin/jupyter lab --notebook-dir=$(NB)

browser-check: setup ## open each round's report in headless Chromium (offline) and save screenshots
	@for r in $(ROUNDS); do $(PY) -m satudata.outputs.browser_check $(REPORTS)/$$r/laporan-evaluasi-$$r.html $(REPORTS)/$$r/tangkapan-layar-$$r.png; done

benchmark: setup ## print start-up and import times (CLI vs a naive script), the timings of the demo stages, ingestion, reading real tables, progress at scale, the time and peak memory of each hostile file, the feedback workbooks of 30 producers owing 2,000 elements, and every stage of a 400-desa round (bench_scale.py, minutes)
	@$(PY) benchmarks/bench_start.py
	@$(PY) benchmarks/bench_demo.py
	@$(PY) benchmarks/bench_ingest.py
	@$(PY) benchmarks/bench_progress.py
	@$(PY) benchmarks/bench_rakor.py
	@$(PY) benchmarks/bench_feedback.py
	@$(PY) benchmarks/bench_reading.py
	@$(PY) benchmarks/bench_totals.py
	@$(PY) benchmarks/bench_hostile.py
	@$(PY) benchmarks/bench_scale.py

clean: ## remove generated outputs (processed, reports) and generated demo data; never your own raw files
	@if [ -x $(PY) ]; then $(PY) -m satudata.run.clean $(FOLDERS); fi
	@if [ -x $(PY) ]; then $(SATUDATA) clean-demo --data-dir $(DATA); fi
