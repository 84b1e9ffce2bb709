#!/usr/bin/env bash
# Build the .deb for UOS / Kylin / Debian / Ubuntu from the PyInstaller one-folder bundle.
#   installer/build-deb.sh               # builds the bundle first (installer/build.sh) unless dist/xinfang-desk exists
#   PYTHON=/path/to/python installer/build-deb.sh
# Output: dist/xinfang-desk_<version>_<arch>.deb, with
#   /opt/xinfang-desk/                   the bundle (fonts, translations, statutes, rules, calendar inside)
#   /usr/bin/xinfang-desk, xinfang-desk-gui            symlinks into /opt
#   /usr/share/applications/cn.xinfang.desk.desktop    desktop entry, Chinese name 信访接待, icon
#   /usr/share/metainfo/cn.xinfang.desk.metainfo.xml   AppStream metadata (software centres of UOS / Kylin)
#   /usr/share/icons/hicolor/*/apps/xinfang-desk.*     icon (SVG and PNG sizes)
# Depends is computed from the bundle: every library it needs that it does not carry (ldd), as the build host's
# package names, and libc6 >= the newest glibc symbol version used. Build on the OLDEST system you deploy to
# (see installer/README.md): a bundle built on Debian 12 needs glibc 2.36.
# Removing the package never touches a user's data folder (~/.local/share/xinfang-desk).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
VERSION=$(python3 installer/version.py)
ARCH=$(dpkg --print-architecture)
BUNDLE=dist/xinfang-desk
[ -x "$BUNDLE/xinfang-desk" ] || PYTHON="$PY" installer/build.sh

STAGE=build/deb/root
OUT=dist/xinfang-desk_${VERSION}_${ARCH}.deb
rm -rf "$STAGE" && mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/metainfo" "$STAGE/usr/share/doc/xinfang-desk" "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$STAGE/opt/xinfang-desk"
# On Linux both launchers are the same program (no console question): one copy, saving the second 16 MB exe.
rm -f "$STAGE/opt/xinfang-desk/xinfang-desk-gui" && ln -s xinfang-desk "$STAGE/opt/xinfang-desk/xinfang-desk-gui"
ln -s /opt/xinfang-desk/xinfang-desk "$STAGE/usr/bin/xinfang-desk"
ln -s /opt/xinfang-desk/xinfang-desk-gui "$STAGE/usr/bin/xinfang-desk-gui"

install -m 644 installer/linux/cn.xinfang.desk.desktop "$STAGE/usr/share/applications/"
DATE=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}" +%F)
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$DATE/" installer/linux/cn.xinfang.desk.metainfo.xml.in \
    > "$STAGE/usr/share/metainfo/cn.xinfang.desk.metainfo.xml"
install -m 644 installer/xinfang-desk.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/xinfang-desk.svg"
QT_QPA_PLATFORM=offscreen "$PY" installer/make_icons.py build/icons >/dev/null
for n in 16 24 32 48 64 128 256; do
    install -D -m 644 "build/icons/xinfang-desk-$n.png" "$STAGE/usr/share/icons/hicolor/${n}x${n}/apps/xinfang-desk.png"
done
cat > "$STAGE/usr/share/doc/xinfang-desk/copyright" <<COPYRIGHT
xinfang-desk $VERSION — 信访接待. Proprietary; for the district petition office.
Bundled: Python, Qt 6 / PySide6 (LGPLv3), and the Python packages listed in the bundle's *.dist-info folders.
Fonts (/opt/xinfang-desk/_internal/xinfang_desk/resources/fonts): Noto Serif SC (SIL Open Font License 1.1,
OFL-NotoSerifSC.txt), HanaMin A/B subsets (Hanazono Font licence, LICENSE-Hanazono.txt).
COPYRIGHT

# -- Depends: what the bundle needs from the system ------------------------------------------------------------
APP="$(pwd)/$STAGE/opt/xinfang-desk"
LIBPATH="$APP/_internal:$APP/_internal/PySide6/Qt/lib"
mapfile -t ELFS < <(find "$APP" -type f \( -name '*.so*' -o -name 'xinfang-desk' \) -print)
declare -A PATHS=() MISSING=() PKGS=()
GLIBC=2.17
for f in "${ELFS[@]}"; do
    while read -r name _arrow path _rest; do
        if [ "$path" = "not" ]; then MISSING[$name]=1; continue; fi
        [ -n "$path" ] && PATHS[$path]=1
    done < <(LD_LIBRARY_PATH="$LIBPATH" ldd "$f" 2>/dev/null | grep '=>' || true)
    v=$(objdump -T "$f" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1 || true)
    [ -n "$v" ] && GLIBC=$(printf '%s\n%s\n' "$GLIBC" "$v" | sort -V | tail -1)
done
for path in "${!PATHS[@]}"; do  # merged /usr: dpkg may know the file under /lib or /usr/lib
    real=$(readlink -f "$path")
    case "$real" in "$APP"/*) continue ;; esac  # carried by the bundle
    pkg=$(dpkg -S "$path" "$real" "${real#/usr}" 2>/dev/null | head -1 | cut -d: -f1 || true)
    if [ -n "$pkg" ]; then PKGS[$pkg]=1; else MISSING[$(basename "$path")]=1; fi
done
if [ "${#MISSING[@]}" -gt 0 ]; then
    echo "the bundle needs libraries this build host has no package for: ${!MISSING[*]}" >&2
    echo "install them here (they are then bundled or become dependencies) and build again" >&2
    exit 1
fi
unset 'PKGS[libc6]' 'PKGS[libc6-amd64]'
DEPENDS="libc6 (>= $GLIBC), fontconfig-config"  # the bundled libfontconfig reads the system's /etc/fonts
for p in $(printf '%s\n' "${!PKGS[@]}" | sort); do DEPENDS="$DEPENDS, $p"; done
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)

cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: xinfang-desk
Version: $VERSION
Architecture: $ARCH
Maintainer: District petition office IT <it@xinfang.invalid>
Section: misc
Priority: optional
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Recommends: cups-client, ibus | fcitx5 | fcitx
Homepage: https://xinfang.invalid/desk
Description: 信访接待 — reception desk of a district petition office
 Registration of visitors and their matters, the statutory channel chosen by
 the law in force on the day received, and the printed guidance notice (告知书).
 Works offline and syncs with the district's central PostgreSQL.
CONTROL
find "$STAGE" -type d -exec chmod 755 {} +
chmod 644 "$STAGE/DEBIAN/control"
mkdir -p dist
dpkg-deb --root-owner-group -Zxz -z"${DEB_XZ_LEVEL:-6}" --build "$STAGE" "$OUT" >/dev/null  # DEB_XZ_LEVEL=1: quicker test builds
echo "built $OUT ($(du -h "$OUT" | cut -f1); installed $((INSTALLED_KB / 1024)) MB)"
echo "Depends: $DEPENDS"
