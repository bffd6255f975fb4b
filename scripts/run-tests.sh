#!/usr/bin/env bash
# Run every test of dongthap.qlvb: lint, translations, unit, integration, functional, browser.
# Called by `make test` (after the install steps) and so by .ci/run.
# Tests that need a server (clamd, PostgreSQL, Chromium, SoftHSM2) start or reach it themselves;
# under CI=true none of them may skip.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
status=0
# Bytecode of the virtualenv (once per install: .venv/.bytecode) and of src, written ahead: every Zope
# process the tests start (zconsole, runwsgi: a few dozen) otherwise compiles Plone again from source
# where PYTHONDONTWRITEBYTECODE is set or the installer wrote no .pyc (uv) — about 3.5 of the
# 8 CPU seconds of a Zope start. Once: ~20 CPU seconds; src alone: <1 s.
echo "==> bytecode"
if [ ! .venv/.bytecode -nt .venv/.installed ]; then
    # a few packages ship files that are not Python 3 (templates, examples): never imported
    $PY -m compileall -qq -j 2 "$($PY -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
        >/dev/null 2>&1 || true
    touch .venv/.bytecode
fi
$PY -m compileall -qq src || true
echo "==> ruff"
.venv/bin/ruff check src tests bench scripts || status=1
echo "==> translations (vi)"
$PY scripts/i18n.py check || status=1
# Three pytest sessions run side by side, each with its own services, ports and temporary files,
# so that both cores stay busy to the end and the whole run stays under 15 minutes:
#   1. the stress tests (marker "stress": thousands of requests, two Zope processes on
#      RelStorage, load while issuing/importing), left out of a plain pytest run;
#   2. the tests that drive real processes and browsers (SECOND below);
#   3. everything else (the same tree without SECOND) — together 2 and 3 are a plain pytest run.
# Their output follows in that order.
SECOND=(tests/browser tests/transfer tests/instance tests/search tests/signing)
ignore=()
for d in "${SECOND[@]}"; do ignore+=(--ignore="$d"); done
stress_log=$(mktemp)
second_log=$(mktemp)
$PY -m pytest -p no:cacheprovider --durations=25 --stress "$@" > "$stress_log" 2>&1 &
stress_pid=$!
$PY -m pytest -p no:cacheprovider --durations=25 "${SECOND[@]}" "$@" > "$second_log" 2>&1 &
second_pid=$!
echo "==> pytest (all but ${SECOND[*]}; those and the stress tests run alongside, their output follows)"
$PY -m pytest -p no:cacheprovider --durations=25 "${ignore[@]}" "$@" || status=1
wait $second_pid
second_rc=$?
echo "==> pytest ${SECOND[*]}"
cat "$second_log"
wait $stress_pid
rc=$?
echo "==> pytest --stress"
cat "$stress_log"
rm -f "$stress_log" "$second_log"
[ $second_rc -eq 0 ] || [ $second_rc -eq 5 ] || status=1  # 5: "$@" selected none of them
[ $rc -eq 0 ] || [ $rc -eq 5 ] || status=1  # 5: the selection holds no stress test
exit $status
