#!/usr/bin/env python3
"""Draws the app icon (a "C" on a rounded square) as PNG, .ico and .icns files, with no
dependencies beyond the standard library, so the icons can be regenerated anywhere. The tray
icon is drawn by the app itself at run time (src-tauri/core/src/tray_icon.rs)."""
import math
import struct
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent

APP_COLOUR = (0x0B, 0x6E, 0x8A)


def png(size, pixel):
    """The PNG file bytes of a square image of the given size."""
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            rows.extend(pixel((x + 0.5) / size, (y + 0.5) / size, 1.0 / size))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def ico(images):
    """A Windows .ico holding PNG images (the form Windows has read since Vista)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for size, image in images:
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(image), offset + len(data))
        data += image
    return header + entries + data


def icns(images):
    """A macOS .icns holding PNG images under the OSType of each size."""
    kinds = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}
    body = b"".join(kinds[size] + struct.pack(">I", 8 + len(image)) + image for size, image in images)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def coverage(distance, pixel):
    """Anti-aliased coverage of a shape whose signed distance (negative inside) is given."""
    return max(0.0, min(1.0, 0.5 - distance / pixel))


def glyph(x, y):
    """Signed distance to a thick "C": a ring with a gap opening to the right."""
    dx, dy = x - 0.5, y - 0.5
    r = math.hypot(dx, dy)
    ring = abs(r - 0.24) - 0.075
    angle = math.degrees(math.atan2(dy, dx))
    gap = 40.0
    if -gap < angle < gap:
        ends = [(0.5 + 0.24 * math.cos(math.radians(a)), 0.5 + 0.24 * math.sin(math.radians(a))) for a in (gap, -gap)]
        return min(math.hypot(x - ex, y - ey) for ex, ey in ends) - 0.075
    return ring


def icon(colour):
    def pixel(x, y, px):
        qx, qy = abs(x - 0.5) - 0.36, abs(y - 0.5) - 0.36
        outside = math.hypot(max(qx, 0), max(qy, 0)) + min(max(qx, qy), 0)
        body = coverage(outside - 0.1, px)
        mark = coverage(glyph(x, y), px) * body
        rgb = [round(c * (1 - mark) + 255 * mark) for c in colour]
        return bytes(rgb + [round(255 * body)])
    return pixel


def main():
    app = {size: png(size, icon(APP_COLOUR)) for size in (16, 32, 64, 128, 256, 512)}
    for name, size in {"32x32.png": 32, "128x128.png": 128, "256x256.png": 256, "icon.png": 512}.items():
        (OUT / name).write_bytes(app[size])
    (OUT / "icon.ico").write_bytes(ico([(size, app[size]) for size in (16, 32, 64, 128, 256)]))
    (OUT / "icon.icns").write_bytes(icns(sorted(app.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
