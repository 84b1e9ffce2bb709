#!/usr/bin/env bash
# Install a built .deb into a clean Debian chroot (debootstrap, minbase) and run it from the installed files:
#   installer/test-deb-chroot.sh dist/xinfang-desk_<version>_<arch>.deb [SUITE]      (as root; SUITE: bookworm)
# Checks: apt resolves the Depends on a bare system; no bundled library misses a dependency (ldd); --version,
# --self-test, demo --no-gui, register and notice (as the demo clerk); removing the package keeps the user's
# data folder. The chroot lives in a temporary folder and is removed afterwards (KEEP_CHROOT=1 keeps it).
set -euo pipefail
DEB=$(readlink -f "$1")
SUITE=${2:-bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" = 0 ] || { echo "needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
ROOT=$(mktemp -d /tmp/xinfang-deb-chroot-XXXXXX)
chmod 755 "$ROOT"  # the chroot's / must be reachable by its unprivileged user
cleanup() { [ "${KEEP_CHROOT:-0}" = 1 ] && echo "chroot kept in $ROOT" || rm -rf --one-file-system "$ROOT"; }
trap cleanup EXIT
t0=$(date +%s)
debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 || { tail -20 "$ROOT.log"; exit 1; }
rm -f "$ROOT.log"
echo "chroot ($SUITE, minbase) in $(( $(date +%s) - t0 )) s"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
cp "$DEB" "$ROOT/tmp/"
cp "$(dirname "$0")/smoke-installed.sh" "$ROOT/tmp/smoke-installed.sh"
cat > "$ROOT/tmp/check.sh" <<'CHECK'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
apt-get -qq update
apt-get -qq install -y --no-install-recommends /tmp/*.deb >/dev/null
echo "installed: $(dpkg-query -W -f='${Package} ${Version}' xinfang-desk)"
missing=$(find /opt/xinfang-desk -type f -name '*.so*' -exec sh -c 'LD_LIBRARY_PATH=/opt/xinfang-desk/_internal ldd "$1" | grep "not found" | sed "s|^|$1: |"' _ {} \; | sort -u)
[ -z "$missing" ] || { echo "libraries missing on the installed system:"; echo "$missing"; exit 1; }
test -f /usr/share/applications/cn.xinfang.desk.desktop && grep -q '^Name\[zh_CN\]=信访接待' /usr/share/applications/cn.xinfang.desk.desktop
test -f /usr/share/metainfo/cn.xinfang.desk.metainfo.xml && test -f /usr/share/icons/hicolor/scalable/apps/xinfang-desk.svg
useradd -m clerkpc   # a user of the office PC inside the throwaway chroot (never on the host)
cd /home/clerkpc
runuser -u clerkpc -- env -u XINFANG_DESK_DATA -u XINFANG_DESK_DB HOME=/home/clerkpc QT_QPA_PLATFORM=offscreen \
    sh -ec 'xinfang-desk --version; xinfang-desk --self-test; xinfang-desk demo --no-gui'  # default data folder
runuser -u clerkpc -- env HOME=/home/clerkpc bash /tmp/smoke-installed.sh /usr/bin/xinfang-desk /home/clerkpc/smoke
apt-get -qq remove -y xinfang-desk >/dev/null
test ! -e /opt/xinfang-desk/xinfang-desk
ls /home/clerkpc/.local/share/xinfang-desk/*.sqlite3 >/dev/null && echo "removed; the user's data folder is kept"
CHECK
unshare --mount --propagation private sh -c "mount -t proc proc '$ROOT/proc' && chroot '$ROOT' bash /tmp/check.sh"
echo "chroot test passed in $(( $(date +%s) - t0 )) s"
