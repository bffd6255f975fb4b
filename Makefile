# dongthap.qlvb — quick start:
#   make start   set everything up and run the system with demo data on http://localhost:8080/qlvb
#   make test    set everything up and run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
INSTANCE := var/instance
CONF := $(INSTANCE)/etc/zope.conf

.PHONY: help start test install po-merge-driver apt instance site run clamd clamd-test clamd-start clamd-stop peers peers-stop fulltext-worker-stop lint format \
        test-quick buildout bench i18n clean backup-fs restore-fs backup-pg integrity \
        start-cluster stop-cluster bench-install bench-cluster

help:
	@echo "make start   - install what is missing, create the site with demo data, serve on :8080"
	@echo "make test    - install what is missing and run every test (unit, integration, browser)"
	@echo "make lint    - ruff"
	@echo "make bench   - run the benchmarks in bench/"
	@echo "make start-cluster [N=2] - N instances on RelStorage/PostgreSQL behind HAProxy on :8080"
	@echo "make stop-cluster  - stop them"
	@echo "make buildout - build the instance the buildout way (bin/instance)"

apt:
	@bash scripts/apt-ensure.sh

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)

$(UV): | $(PY)
	$(PY) -m pip install -q "uv==$(UV_VERSION)"

# Reinstall only when the pins or the package metadata change.
$(VENV)/.installed: requirements/constraints.txt setup.py | $(UV)
	$(UV) pip install --python $(PY) -q -r requirements/constraints.txt
	$(UV) pip install --python $(PY) -q --no-deps -e .
	@touch $@

# pdf.js for the document preview: a pinned npm tarball, not committed (scripts/fetch_pdfjs.py).
PDFJS := src/dongthap/qlvb/browser/static/pdfjs/VERSION
$(PDFJS): scripts/fetch_pdfjs.py
	@$(PYTHON) scripts/fetch_pdfjs.py
	@touch $@

install: apt $(VENV)/.installed $(PDFJS) po-merge-driver

# Translation catalogs merge entry by entry (scripts/po_merge.py, named in .gitattributes).
po-merge-driver:
	@if git rev-parse --git-dir >/dev/null 2>&1; then git config merge.qlvb-po.driver "python3 scripts/po_merge.py %O %A %B"; fi

instance: install
	@$(PY) scripts/instance.py --name instance --env QLVB_CLAMD=unix://$(CURDIR)/$(CLAMD_VAR)/clamd.sock \
	    --env QLVB_TSA_URL=http://127.0.0.1:8765/pki/tsa

# The demo's test PKI services (CRL, OCSP, time-stamping) on 127.0.0.1:8765; test keys only.
peers: install
	@$(PY) scripts/peers_ctl.py start
peers-stop:
	@$(PY) scripts/peers_ctl.py stop

site: instance clamd peers
	@$(VENV)/bin/zconsole run $(CONF) scripts/create_site.py

start: site
	@echo
	@echo "================================================================="
	@echo " Hệ thống quản lý văn bản và điều hành — http://localhost:8080/qlvb"
	@echo " Zope admin (demo mode): admin / admin   Demo staff password: Demo@2026"
	@echo " Demo logins (one per role per agency): see README.md, e.g."
	@echo "   stttt.vanthu  stttt.lanhdao  stttt.chuyenvien  stttt.quantri  qtht"
	@echo "================================================================="
	@# Exchange worker (issue 7), tick mode next to the web process; stopped with it (or: make exchange-worker-stop).
	@$(PY) scripts/exchange_worker.py --url http://localhost:$${QLVB_PORT:-8080}/qlvb --token-file var/exchange-worker.token --pid-file var/exchange-worker.pid >> var/log/exchange-worker.log 2>&1 &
	@# Full-text worker (issue 16: text of files, OCR of scans), tick mode beside it, stopped with it.
	@$(PY) scripts/fulltext_worker.py --url http://localhost:$${QLVB_PORT:-8080}/qlvb --limit 5 --token-file var/exchange-worker.token --pid-file var/fulltext-worker.pid >> var/log/fulltext-worker.log 2>&1 &
	trap '$(MAKE) -s exchange-worker-stop fulltext-worker-stop' EXIT; $(VENV)/bin/runwsgi $(INSTANCE)/etc/zope.ini

# Province scale (docs/capacity.md): N instances sharing one RelStorage database on PostgreSQL
# (127.0.0.1:5432, database qlvb_cluster unless DSN=...) behind HAProxy on CLUSTER_PORT; the
# workers run once across them. Runs in the background: make stop-cluster.
N ?= 2
CLUSTER_PORT ?= 8080
CLUSTER_THREADS ?= 2
start-cluster: install clamd peers
	@$(PY) scripts/cluster.py start --instances $(N) --port $(CLUSTER_PORT) --threads $(CLUSTER_THREADS) \
	    $(if $(DSN),--dsn "$(DSN)") --env QLVB_CLAMD=unix://$(CURDIR)/$(CLAMD_VAR)/clamd.sock \
	    --env QLVB_TSA_URL=http://127.0.0.1:8765/pki/tsa
stop-cluster:
	@$(PY) scripts/cluster.py stop

exchange-worker-stop:
	@if [ -f var/exchange-worker.pid ]; then kill $$(cat var/exchange-worker.pid) 2>/dev/null || true; fi

fulltext-worker-stop:
	@if [ -f var/fulltext-worker.pid ]; then kill $$(cat var/fulltext-worker.pid) 2>/dev/null || true; fi

# Private clamd (issue 6): own config, socket and log under var/clamd. `make start` uses the
# system signatures (/var/lib/clamav) and falls back LOUDLY to the test database; the test suite
# starts its own clamd with the test database (tests/antivirus/conftest.py).
CLAMD_VAR := var/clamd
CLAMD_DB ?= system
clamd: apt
	@$(PYTHON) scripts/clamd_ctl.py start --var-dir $(CLAMD_VAR) --db $(CLAMD_DB)
clamd-start: clamd
clamd-test:
	@$(PYTHON) scripts/clamd_ctl.py start --var-dir $(CLAMD_VAR) --db test
clamd-stop:
	@$(PYTHON) scripts/clamd_ctl.py stop --var-dir $(CLAMD_VAR)

test: install
	@bash scripts/run-tests.sh

lint: install
	$(VENV)/bin/ruff check src tests bench scripts

# Backup and restore (docs/backup.md): FileStorage + blobs while running; RelStorage via pg_dump.
BACKUP ?= var/backup
backup-fs: install
	$(PY) scripts/backup.py fs-backup --var var --dest $(BACKUP)
restore-fs: install
	@test -n "$(TARGET)" || { echo "make restore-fs BACKUP=<backup> TARGET=<new var folder>"; exit 2; }
	$(PY) scripts/backup.py fs-restore --src $(BACKUP) --var $(TARGET)
backup-pg: install
	$(PY) scripts/backup.py pg-backup --dsn "$${QLVB_RELSTORAGE_DSN:?set QLVB_RELSTORAGE_DSN}" --dest $(BACKUP)/qlvb.dump
integrity: install
	$(VENV)/bin/zconsole run $(CONF) scripts/transfer.py integrity

# Load tests (Locust, pinned apart in requirements/bench.txt: not needed by `make install`).
bench-install: install
	$(UV) pip install --python $(PY) -q -r requirements/bench.txt
bench-cluster: bench-install clamd
	$(PY) bench/bench_cluster.py

bench: bench-install
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

buildout: install
	$(VENV)/bin/buildout -N -c buildout.cfg

clean:
	rm -rf $(VENV) parts bin develop-eggs .installed.cfg
