"""Render installer/xinfang-desk.svg into the icon files the installers need (generated, never committed):

    python installer/make_icons.py OUTDIR   ->  OUTDIR/xinfang-desk-{16,24,32,48,64,128,256}.png, OUTDIR/xinfang-desk.ico

Uses Qt (QtSvg from PySide6-Essentials); the .ico holds every size as PNG (Windows Vista and later), so no
other tool is needed on the Windows build PC or in CI.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
SVG = Path(__file__).resolve().parent / "xinfang-desk.svg"


def _ico(pngs: list[bytes]) -> bytes:
    """An ICO file with one PNG-compressed image per size (ICONDIR, ICONDIRENTRY*, data)."""
    head = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(head) + 16 * len(pngs)
    entries, data = b"", b""
    for size, png in zip(SIZES, pngs, strict=True):
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return head + entries + data


def main(outdir: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QImage text/painting needs one
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    for size in SIZES:
        img = QImage(size, size, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(p)
        p.end()
        if not img.save(str(out / f"xinfang-desk-{size}.png")):
            print(f"cannot write the {size}px PNG", file=sys.stderr)
            return 1
    (out / "xinfang-desk.ico").write_bytes(_ico([(out / f"xinfang-desk-{n}.png").read_bytes() for n in SIZES]))
    print(f"icons in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "build/icons"))
