#!/usr/bin/env bash
# Run every test of dongthap.qlvb: lint, translations, unit, integration, functional, browser.
# Called by `make test` (after the install steps) and so by .ci/run.
# Tests that need a server (clamd, PostgreSQL, Chromium, SoftHSM2) start or reach it themselves;
# under CI=true none of them may skip.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
status=0
echo "==> ruff"
.venv/bin/ruff check src tests bench scripts || status=1
echo "==> translations (vi)"
$PY scripts/i18n.py check || status=1
echo "==> pytest"
$PY -m pytest -p no:cacheprovider "$@" || status=1
exit $status
