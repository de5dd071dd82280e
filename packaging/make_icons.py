"""Rasterize resources/icons/kakikomi.svg into the PNG sizes desktops ask for, a Windows .ico and
a macOS .icns, all beside the SVG. The outputs are committed; run this after editing the SVG:

    python packaging/make_icons.py

Qt's SVG renderer does the drawing (PySide6 is already a dependency), so no other tool is needed.
Both .ico and .icns store the images as PNG, which every Windows since Vista and every macOS
since 10.7 read.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SVG = ICONS / "kakikomi.svg"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# .icns element types holding PNG data, by pixel size.
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024))


def render(renderer: QSvgRenderer, size: int) -> bytes:
    """The icon at `size`×`size` pixels as PNG bytes (transparent outside the rounded square)."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size}px icon as PNG")
    return bytes(data)


def ico(images: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (a width or height of 256 is written as 0)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = b"", b""
    for size in sizes:
        png = images[size]
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def icns(images: dict[int, bytes]) -> bytes:
    """A macOS .icns made of PNG elements."""
    body = b"".join(kind + struct.pack(">I", 8 + len(images[size])) + images[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    keep_alive = [QGuiApplication(sys.argv[:1])]  # QPainter on a QImage wants an application
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"make_icons: {SVG} is not a valid SVG", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in sorted({*PNG_SIZES, *ICO_SIZES, *(s for _k, s in ICNS_TYPES)})}
    for size in PNG_SIZES:
        (ICONS / f"kakikomi-{size}.png").write_bytes(images[size])
    (ICONS / "kakikomi.ico").write_bytes(ico({size: images[size] for size in ICO_SIZES}))
    (ICONS / "kakikomi.icns").write_bytes(icns(images))
    print(f"wrote {len(PNG_SIZES)} PNGs, kakikomi.ico and kakikomi.icns in {ICONS}")
    keep_alive.clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
