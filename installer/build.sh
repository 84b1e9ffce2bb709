#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle and smoke-test it (installer/smoke-installed.sh: --self-test, demo, notice)
#   installer/build.sh             # uses .venv (installs the pinned PyInstaller there if missing)
#   PYTHON=/path/to/python installer/build.sh
# On Windows follow installer/README.md (same spec). Prints the build time and the bundle size.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install -q 'pyinstaller==6.22.3'
"$PY" tools/build_forms.py --check
"$PY" tools/i18n.py check
QT_QPA_PLATFORM=offscreen "$PY" installer/make_icons.py build/icons
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
    installer/xinfang-desk.spec
echo "bundle built in $(( $(date +%s) - start )) s"
# --version, --self-test, demo, register and notice from the bundle, in a throwaway folder (a module the
# bundle lacks shows up here, e.g. in printing, which --self-test alone does not reach)
SMOKE=$(mktemp -d /tmp/xinfang-bundle-smoke-XXXXXX)
trap 'rm -rf "$SMOKE"' EXIT
bash installer/smoke-installed.sh "$(pwd)/dist/xinfang-desk/xinfang-desk" "$SMOKE"
echo "bundle: dist/xinfang-desk ($(du -sh dist/xinfang-desk | cut -f1))"
