#!/usr/bin/env bash
# Skeleton: package the PyInstaller folder (dist/medirete) as a .deb for Debian 12.
# Run from the repository root after `pyinstaller --noconfirm installers/medirete.spec`.
# Installs to /opt/medirete with /usr/bin links and a desktop entry; user data stay in
# ~/.local/share/medirete. Not yet built or smoke-run in CI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="${1:-$("$ROOT/.venv/bin/python" -c 'import app; print(app.__version__)')}"
BUNDLE="$ROOT/dist/medirete"
STAGE="$ROOT/build/deb/medirete_${VERSION}_amd64"
OUT="$ROOT/dist/medirete_${VERSION}_amd64.deb"

[[ -x "$BUNDLE/medirete" ]] || { echo "build-deb: $BUNDLE missing: run PyInstaller first" >&2; exit 1; }

rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications"
cp -a "$BUNDLE" "$STAGE/opt/medirete"
ln -s /opt/medirete/medirete "$STAGE/usr/bin/medirete"
ln -s /opt/medirete/medirete-admin "$STAGE/usr/bin/medirete-admin"

cat >"$STAGE/usr/share/applications/medirete.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Medirete
Comment=Cartella clinica condivisa per la medicina di gruppo
Exec=/opt/medirete/medirete
Terminal=false
Categories=Office;Science;MedicalSoftware;
DESKTOP

# The same system libraries scripts/bootstrap installs for Qt (xvfb etc. excluded).
cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: medirete
Version: ${VERSION}
Section: misc
Priority: optional
Architecture: amd64
Maintainer: Medirete <medirete@example.invalid>
Depends: libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libdbus-1-3, libglib2.0-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxcb-randr0, libxcb-render-util0, libxcb-image0, libxcb-xinerama0, libxcb-xkb1, fonts-dejavu-core
Description: Shared encrypted clinical record for Italian GP group centers
 Medirete keeps one chart per patient shared by the GPs, nurses and secretaries
 of a center, encrypted at rest and synchronised between workstations.
CONTROL

dpkg-deb --root-owner-group --build "$STAGE" "$OUT"
echo "build-deb: wrote $OUT"
