#!/usr/bin/env bash
# learntorch's two entry points, from a fresh machine:
#   bash run.sh learn   set up, then open the notebooks in JupyterLab
#   bash run.sh test    set up, then run every test (what CI runs: .ci/run calls exactly this)
# Set-up: a virtual environment in .venv (reused when present), learntorch installed editable with
# its extras; for `test` also real PyTorch (torch==2.13.0, CPU build, for the parity tests) and, when
# run as root on Debian/Ubuntu, the system packages the tests use (chromium for the browser tests,
# dataset-fashion-mnist for the full-size data tests).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=${LEARNTORCH_VENV:-.venv}

log() { printf '\n== %s\n' "$*"; }

setup_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  # shellcheck disable=SC1091
  . "$VENV/bin/activate"
  python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
}

apt_packages() {
  local need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
  [ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "apt-get install ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "note: not root or no apt-get: skipping ${need[*]} (browser / full-size data tests will be skipped)"
  fi
}

case "${1:-}" in
  learn)
    setup_venv
    log "installing learntorch with the notebook extras"
    python -m pip install -q -e ".[notebook]"
    log "opening JupyterLab on notebooks/00_start_here.ipynb"
    extra=()
    [ "$(id -u)" = 0 ] && extra+=(--allow-root)  # containers often run as root; Jupyter refuses without this
    exec jupyter lab ${extra[@]+"${extra[@]}"} notebooks/00_start_here.ipynb
    ;;
  test)
    apt_packages
    setup_venv
    log "installing torch==2.13.0 (CPU) for parity tests, and learntorch with the test extras"
    python -m pip install -q "torch==2.13.0"
    python -m pip install -q -e ".[test]"
    export MPLBACKEND=Agg
    log "unit, parity, property, backend, widget and browser tests"
    python -m pytest -q -p no:cacheprovider tests
    log "notebooks (nbval, strict; LEARNTORCH_OFFLINE=1: MNIST from the bundled subset, as stored)"
    LEARNTORCH_OFFLINE=1 python -m pytest -q -p no:cacheprovider --nbval --nbval-current-env \
      --nbval-sanitize-with notebooks/sanitize.cfg notebooks
    ;;
  *)
    echo "usage: bash run.sh learn | test" >&2
    exit 2
    ;;
esac
