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
# A folder whose absolute path make cannot use as it is (a space, an apostrophe, `#`, `$`, `:`, ...) is
# reached through a symlink with a plain name in .venv/.paths/ (one per folder, created with it): make splits words
# on spaces, and every target and prerequisite below is a path. `quote` makes one shell word.
quote = '$(subst ','\'',$(1))'
plain_dir = $(shell p=$$(realpath -m -- $(call quote,$(1))); case "$$p" in \
	(*[!A-Za-z0-9._/+,@=-]*) h=$$(printf '%s' "$$p" | sha256sum | cut -c1-12); mkdir -p "$(CURDIR)/$(VENV)/.paths" \
	&& mkdir -p -- "$$p" && ln -sfn -- "$$p" "$(CURDIR)/$(VENV)/.paths/$(2)-$$h" && printf '%s' "$(CURDIR)/$(VENV)/.paths/$(2)-$$h";; \
	(*) printf '%s' "$$p";; esac)
DATA := $(call plain_dir,$(DATA_DIR),data)
REPORTS := $(call plain_dir,$(REPORTS_DIR),reports)
PROCESSED := $(DATA)/processed
NB := notebooks
# The package's bytecode is cached (satudata/__pycache__, ignored by git): without it every stage, kernel and
# command compiles the package again, about 0.3 s of CPU each. An environment that forbids bytecode is overridden
# here. The pipeline never opens a display.
unexport PYTHONDONTWRITEBYTECODE
export MPLBACKEND := Agg
export SATUDATA_DATA_DIR := $(DATA)
export SATUDATA_REPORTS_DIR := $(REPORTS)

ROUNDS := $(sort $(notdir $(wildcard $(DATA)/raw/????-??-??)))
REFERENCE := $(wildcard $(DATA)/reference/*)
PACKAGE := $(shell find satudata -name "*.py" -not -path "*/__pycache__/*") $(shell find satudata/outputs/nbtemplates satudata/outputs/templates -type f 2>/dev/null)
RUN_NB := $(PY) -m satudata notebook
# a whole run holds the data folder's lock: its stages run side by side, another run waits (satudata/run/run_lock.py)
LOCKED := $(PY) -m satudata.run.run_lock "$(DATA)" --
NB_PARAMS = -p putaran $(1) -p data_dir $(DATA) -p reports_dir $(REPORTS) -p settings_file ""

# rounds up to and including a round
rounds_upto = $(shell printf '%s\n' $(ROUNDS) | awk '$$0 <= "$(1)"')
rounds_before = $(shell printf '%s\n' $(ROUNDS) | awk '$$0 < "$(1)"')
round_outputs = $(REPORTS)/$(1)/laporan-evaluasi-$(1).html $(REPORTS)/$(1)/tren-$(1).html

define ROUND_RULES
$(PROCESSED)/$(1)/nilai.parquet: $(PROCESSED)/$(1)/.masukan $(REFERENCE) $(NB)/01_ingest.ipynb $(PACKAGE) | $(SETUP_STAMP)
	@echo ">> [$(1)] tahap 1: membaca kiriman"
	@$(RUN_NB) $(NB)/01_ingest.ipynb --tahap 1 --out $(REPORTS)/$(1)/notebooks/01_ingest.ipynb $(call NB_PARAMS,$(1))

# stages 3 and 4 (--bertahap) write into a hidden folder and move everything into place when done, the
# HTML target last; a failed or killed stage leaves the previous reports, marked stale (--tahap)
# (satudata/run/staged_reports.py)
# rounds' progress runs in date order: each one updates the shared history table
$(PROCESSED)/$(1)/progres_opd.parquet: $(foreach r,$(call rounds_upto,$(1)),$(PROCESSED)/$(r)/nilai.parquet) $(NB)/02_progres.ipynb \
		$(foreach r,$(call rounds_before,$(1)),$(PROCESSED)/$(r)/progres_opd.parquet)
	@echo ">> [$(1)] tahap 2: progres dan zona"
	@$(RUN_NB) $(NB)/02_progres.ipynb --tahap 2 --out $(REPORTS)/$(1)/notebooks/02_progres.ipynb $(call NB_PARAMS,$(1))

$(REPORTS)/$(1)/laporan-evaluasi-$(1).html: $(PROCESSED)/$(1)/progres_opd.parquet $(NB)/03_laporan.ipynb
	@echo ">> [$(1)] tahap 3: laporan evaluasi"
	@$(RUN_NB) $(NB)/03_laporan.ipynb --tahap 3 --bertahap --out $(REPORTS)/$(1)/notebooks/03_laporan.ipynb \
		--html $$@ --title "Laporan Evaluasi Satu Data $(1)" $(call NB_PARAMS,$(1))

$(REPORTS)/$(1)/tren-$(1).html: $(foreach r,$(call rounds_upto,$(1)),$(PROCESSED)/$(r)/progres_opd.parquet) $(REPORTS)/$(1)/laporan-evaluasi-$(1).html $(NB)/04_rakor.ipynb
	@echo ">> [$(1)] tahap 4: tren, bahan rakor dan umpan balik"
	@$(RUN_NB) $(NB)/04_rakor.ipynb --tahap 4 --bertahap --out $(REPORTS)/$(1)/notebooks/04_rakor.ipynb \
		--html $$@ --title "Tren Satu Data $(1)" $(call NB_PARAMS,$(1))

# once the round's reports are up to date, a stale mark left by a run killed after its last move goes
# (satudata/run/staged_reports.py, settle); no Python starts when there is no mark
.PHONY: settled-$(1)
settled-$(1): $(call round_outputs,$(1))
	@if [ -e "$(REPORTS)/$(1)/PERHATIAN-keluaran-usang.txt" ]; then $(PY) -m satudata.run.staged_reports "$(REPORTS)/$(1)" $(1); fi
endef
$(foreach r,$(ROUNDS),$(eval $(call ROUND_RULES,$(r))))

# The state of a round's raw folder (path, size and time of every file, sub-folders included),
# rewritten only when it changes. File names never become make prerequisites, so names such as
# `Dinkes (1) & rekap 50%.xlsx` are safe, and an added, changed or removed file re-runs the round.
$(PROCESSED)/%/.masukan: FORCE
	@mkdir -p $(@D)
	@tmp="$@.tmp.$$$$"; find "$(DATA)/raw/$*" \( -type f -o -type l \) ! -name '.*' -printf '%P\t%s\t%T@\t%l\n' \
		| LC_ALL=C sort > "$$tmp"; if cmp -s "$$tmp" "$@"; then rm -f "$$tmp"; else mv -f "$$tmp" "$@"; fi

FORCE:

.PHONY: FORCE help setup demo demo-data round all eksplorasi templates test test-fast lint lab browser-check benchmark clean

help: ## show this help
	@echo "satudata: evaluasi Satu Data per putaran"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'
	@echo
	@echo "  DATA_DIR="$(call quote,$(DATA_DIR))"  REPORTS_DIR="$(call quote,$(REPORTS_DIR))"  putaran: $(if $(ROUNDS),$(ROUNDS),(belum ada))"

setup: $(SETUP_STAMP) ## create .venv, install satudata (editable, dev extras), register the 'satudata' kernel

$(SETUP_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON_BASE) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@$(PY) -m ipykernel install --sys-prefix --name satudata --display-name "satudata" >/dev/null
	@touch $@
	@echo "siap: $(VENV) dengan kernel Jupyter 'satudata'"

demo-data: | $(SETUP_STAMP)
	@$(PY) -m satudata demo --data-dir $(DATA)

demo: setup ## generate the Demak demo data if missing, then build every demo round
	@$(MAKE) --no-print-directory demo-data
	@$(LOCKED) $(MAKE) --no-print-directory -j2 all

round: | $(SETUP_STAMP) ## build one round: make round ROUND=YYYY-MM-DD
	@[[ $(call quote,$(ROUND)) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$$ ]] || { echo "Tulis putarannya sebagai tanggal: make round ROUND=YYYY-MM-DD" >&2; exit 2; }
	@test -d "$(DATA)/raw/$(ROUND)" || { echo "Folder "$(call quote,$(DATA_DIR)/raw/$(ROUND))" tidak ada: taruh kiriman OPD di sana." >&2; exit 2; }
	@$(LOCKED) $(MAKE) --no-print-directory -j2 settled-$(ROUND)

all: $(foreach r,$(ROUNDS),settled-$(r)) ## build every round under DATA_DIR/raw/, only what changed
	@echo "selesai: $(words $(ROUNDS)) putaran di "$(call quote,$(REPORTS_DIR))

eksplorasi: | $(SETUP_STAMP) ## explore across rounds up to ROUND (OPD=kode for one OPD): REPORTS_DIR/<round>/eksplorasi-<round>.ipynb
	@test -n "$(ROUND)" || { echo "Tulis putarannya: make eksplorasi ROUND=YYYY-MM-DD [OPD=kode_opd]" >&2; exit 2; }
	@test -d "$(DATA)/raw/$(ROUND)" || { echo "Folder $(DATA)/raw/$(ROUND) tidak ada: taruh kiriman OPD di sana." >&2; exit 2; }
	@$(MAKE) --no-print-directory $(PROCESSED)/$(ROUND)/progres_opd.parquet
	@echo ">> [$(ROUND)] eksplorasi antarputaran"
	@$(RUN_NB) $(NB)/05_eksplorasi.ipynb --out $(REPORTS)/$(ROUND)/eksplorasi-$(ROUND).ipynb \
		$(call NB_PARAMS,$(ROUND)) -p opd "$(OPD)"
	@echo "notebook: $(REPORTS)/$(ROUND)/eksplorasi-$(ROUND).ipynb"

templates: | $(SETUP_STAMP) ## write a submission template workbook for every OPD into REPORTS_DIR/templat
	@$(PY) -m satudata template --data-dir $(DATA) --reports-dir $(REPORTS)

.PHONY: katalog
katalog: | $(SETUP_STAMP) ## check the register and catalogue before a round: excluded rows, what each OPD owes
	@$(PY) -m satudata katalog --data-dir $(DATA) --reports-dir $(REPORTS)

test: setup ## run every test (unit, integration, end-to-end)
	@$(PY) -m pytest -q

test-fast: setup ## run the unit and integration tests only
	@$(PY) -m pytest -q tests/unit tests/integration

lint: setup ## check the code with ruff
	@$(PY) -m ruff check satudata tests benchmarks tools

lab: setup ## open JupyterLab on the notebooks
	@$(VENV)/bin/jupyter lab --notebook-dir=$(NB)

browser-check: setup ## open each round's report in headless Chromium (offline) and save screenshots
	@for r in $(ROUNDS); do $(PY) -m satudata.outputs.browser_check $(REPORTS)/$$r/laporan-evaluasi-$$r.html $(REPORTS)/$$r/tangkapan-layar-$$r.png; done

benchmark: setup ## print start-up and import times (CLI vs a naive script), the timings of the demo stages, ingestion, reading real tables, progress at scale, and the time and peak memory of each hostile file
	@$(PY) benchmarks/bench_start.py
	@$(PY) benchmarks/bench_demo.py
	@$(PY) benchmarks/bench_ingest.py
	@$(PY) benchmarks/bench_progress.py
	@$(PY) benchmarks/bench_rakor.py
	@$(PY) benchmarks/bench_reading.py
	@$(PY) benchmarks/bench_totals.py
	@$(PY) benchmarks/bench_hostile.py

clean: ## remove generated outputs (processed, reports) and generated demo data; never your own raw files
	@if [ -x $(PY) ]; then $(PY) -m satudata.run.clean --data-dir "$(DATA)" --reports-dir "$(REPORTS)"; fi
	@if [ -x $(PY) ]; then $(PY) -m satudata clean-demo --data-dir "$(DATA)"; fi
