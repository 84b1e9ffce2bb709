#!/usr/bin/env bash
# Smoke-test an INSTALLED xinfang-desk (a venv from the wheel, an unpacked .deb, a bundle) from outside the checkout:
#   installer/smoke-installed.sh /path/to/xinfang-desk WORKDIR      (needs only a POSIX shell: runs in a bare chroot)
# --version, --self-test, demo --no-gui, then register a visit and print its notice as the demo clerk
# (README: clerk / Clerk2026), then log in once and list the day without the password, with a database and data
# folder of its own in WORKDIR.
set -euo pipefail
APP=$1
WORK=$2
mkdir -p "$WORK"
cd "$WORK"
export XINFANG_DESK_DATA="$WORK/data" XINFANG_DESK_DB="sqlite:///$WORK/smoke.sqlite3" QT_QPA_PLATFORM=offscreen
unset XINFANG_DESK_RESOURCES
"$APP" --version
"$APP" --self-test
"$APP" demo --no-gui
cat > visit.json <<'JSON'
{"received_on": "2026-11-27", "channel": "visit", "group_size": 1,
 "people": [{"name": "王小明", "phone": "13800138000", "address": "龙潭镇"}],
 "matter": {"kind": "labour.dispute", "summary": "拖欠工资", "demands": "支付工资", "respondent": "某公司",
            "facts": {"act_known_on": "2026-06-01"}}}
JSON
export XINFANG_DESK_PASSWORD=Clerk2026
"$APP" --user clerk register --json visit.json > registered.json
code=$(sed -n 's/.*"query_code": *"\([^"]*\)".*/\1/p' registered.json)
[ -n "$code" ] || { echo "register printed no query_code:" >&2; cat registered.json >&2; exit 1; }
"$APP" --user clerk notice "$code" --pdf notice.pdf
head -c 5 notice.pdf | grep -q '%PDF-' || { echo "notice.pdf is not a PDF" >&2; exit 1; }
"$APP" --user clerk login
unset XINFANG_DESK_PASSWORD
"$APP" visits --date 2026-11-27 --json > listed.json
grep -q "$code" listed.json || { echo "visits (in the login session) did not list $code:" >&2; cat listed.json >&2; exit 1; }
"$APP" logout
if "$APP" visits --date 2026-11-27 --json > /dev/null 2>&1; then echo "visits ran after logout" >&2; exit 1; fi
echo "smoke: $APP registered $code, printed its notice ($(wc -c < notice.pdf) bytes), listed it in a login session"
