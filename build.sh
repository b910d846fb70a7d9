#!/usr/bin/env bash
# One entry point for everything: ./build.sh {serve|test|bundle|wheel|screenshots|schema|setup|...}
# Creates its own virtual environment (.venv) and installs what it needs, so it works on a
# fresh machine.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
VENV=$ROOT/.venv
PY=$VENV/bin/python

setup_python() {
  if [ ! -x "$PY" ]; then
    "${PYTHON:-python3}" -m venv "$VENV"
  fi
  local stamp=$VENV/.installed
  if [ ! -f "$stamp" ] || [ requirements-dev.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet -r requirements-dev.txt
    "$PY" -m pip install --quiet --no-deps -e .
    touch "$stamp"
  fi
}

# Debian packages the tests need (as root: installed; else the command to run is printed).
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "The tests need Debian's $*: sudo apt-get install -y $*" >&2
    exit 1
  fi
}

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
setup_browser() {
  command -v chromium >/dev/null 2>&1 || apt_install chromium
}

# Debian's pandoc: the Quarto extension's Lua filter runs on it in the tests, as Quarto would.
setup_pandoc() {
  command -v pandoc >/dev/null 2>&1 || apt_install pandoc
}

# web/src/protocol.js: the worker protocol's version and request types for the page scripts,
# generated from src/socratiq_local/browser/protocol.py (the bundle build refuses a stale one).
cmd_protocol() {
  setup_python
  "$PY" tools/protocol_js.py "$@"
}

cmd_schema() {
  setup_python
  "$VENV/bin/socratiq-local" schema > quizzes/quiz.schema.json
  echo "wrote quizzes/quiz.schema.json"
}

cmd_lint() {
  setup_python
  "$PY" tools/protocol_js.py --check
  "$VENV/bin/ruff" check src tests
  "$VENV/bin/ruff" format --check src tests
  "$VENV/bin/mypy"
  # The page side: ESLint, and TypeScript's checker over the JSDoc-typed JavaScript.
  setup_node
  node_modules/.bin/eslint web/src web/worker.js web/snapshot.js web/snapshot_maker.js web/sw.js eslint.config.js
  node_modules/.bin/tsc -p tsconfig.json
  node_modules/.bin/tsc -p tsconfig.worker.json
}

# npm ci when node_modules was not installed from this very package-lock.json (its hash, not its
# date: a fresh checkout or worktree has a newer file with the same lock).
setup_node() {
  local want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat node_modules/.socratiq-lock 2>/dev/null)" != "$want" ]; then
    npm ci --no-audit --no-fund
    echo "$want" > node_modules/.socratiq-lock
  fi
}

# The engine's unit tests again, under the real Pyodide (WebAssembly CPython 3.14) in Node.
cmd_pyodide_test() {
  setup_python
  setup_node
  "$PY" tests/pyodide/fetch_wheels.py
  node tests/pyodide/run_pytest.mjs "$@"
}

# The browser tests: the real bundle, served on 127.0.0.1, in Debian's chromium.
cmd_e2e_test() {
  setup_python
  setup_browser
  setup_pandoc
  cmd_bundle
  copy_demo_quizzes
  node tools/check_bundle.mjs web/dist
  "$PY" -m pytest tests/e2e "$@"
}

# The performance budget: the real bundle, served on 127.0.0.1, in Debian's chromium
# (bench/run.py prints the table and writes bench/results.json; --check exits 1 on a missed line).
# The whole, setup and bundle included, in under 10 minutes from a fresh clone (bench/README.md).
cmd_bench() {
  local began=$SECONDS status=0
  setup_python
  setup_browser
  cmd_bundle
  copy_demo_quizzes
  "$PY" bench/run.py "$@" || status=$?
  echo "bench: ./build.sh bench took $((SECONDS - began)) s (setup and bundle included)"
  return "$status"
}

# The wheel authors install: built from the bundle, installed by pip into a fresh venv, its
# CLI run with no Node on PATH (tests/package/; about 15 s once the bundle is built).
cmd_package_test() {
  setup_python
  cmd_bundle
  "$PY" -m pytest tests/package "$@"
}

cmd_test() {
  setup_python
  setup_pandoc
  cmd_lint
  "$VENV/bin/socratiq-local" validate quizzes/
  "$PY" -m pytest "$@"
  cmd_pyodide_test "$@"
  cmd_e2e_test "$@"
  "$PY" -m pytest tests/package "$@"  # the bundle e2e-test just built
}

# web/dist/: the self-contained bundle a book serves (page scripts, Pyodide, wheels, lock, manifest).
cmd_bundle() {
  setup_python
  setup_node
  "$PY" tools/build_bundle.py "$@"
}

# dist/socratiq_local-*.whl: the wheel authors install (`pip install` it), the bundle inside as
# package data, so `socratiq-local bundle -o DIR` needs no Node (tools/build_wheel.py).
cmd_wheel() {
  cmd_bundle
  "$PY" tools/build_wheel.py "$@"
}

# The demo book reads the sample quizzes from its own folder.
copy_demo_quizzes() {
  mkdir -p web/demo/quizzes
  cp quizzes/*.json web/demo/quizzes/
}

# The README's screenshots (docs/screenshots/*.png): the built bundle and the demo book in
# Debian's chromium, a quiz after an answer and the dashboard, phone and desktop, light.
cmd_screenshots() {
  setup_python
  setup_browser
  cmd_bundle
  copy_demo_quizzes
  "$PY" tools/screenshots.py "$@"
}

# Bundle + demo book on http://127.0.0.1:${1:-8000}/ (web/ served, so /dist/ and /demo/ resolve).
cmd_serve() {
  local port=${1:-8000}
  cmd_bundle
  "$VENV/bin/socratiq-local" validate quizzes/
  copy_demo_quizzes
  echo "Demo book: http://127.0.0.1:$port/demo/ (Ctrl-C stops)"
  "$PY" tools/serve.py --port "$port" --directory web
}

case "${1:-}" in
  setup) setup_python ;;
  schema) cmd_schema ;;
  protocol) shift; cmd_protocol "$@" ;;
  lint) cmd_lint ;;
  test) shift; cmd_test "$@" ;;
  pyodide-test) shift; cmd_pyodide_test "$@" ;;
  package-test) shift; cmd_package_test "$@" ;;
  e2e-test) shift; cmd_e2e_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  serve) shift; cmd_serve "$@" ;;
  bundle) shift; cmd_bundle "$@" ;;
  wheel) shift; cmd_wheel "$@" ;;
  screenshots) shift; cmd_screenshots "$@" ;;
  *) echo "usage: ./build.sh {serve|test|bundle|wheel|bench|screenshots|pyodide-test|e2e-test|package-test|schema|protocol|lint|setup}" >&2; exit 2 ;;
esac
