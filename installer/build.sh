#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller and smoke-test it: dist/xinfang-desk/xinfang-desk --self-test
#   installer/build.sh            # uses .venv (installs pyinstaller==6.22.3 there if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install -q 'pyinstaller==6.22.3'
"$PY" tools/build_forms.py --check
"$PY" tools/i18n.py check
"$PY" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller installer/xinfang-desk.spec
QT_QPA_PLATFORM=offscreen dist/xinfang-desk/xinfang-desk --self-test
echo "bundle: dist/xinfang-desk ($(du -sh dist/xinfang-desk | cut -f1))"
