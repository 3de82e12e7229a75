#!/usr/bin/python3
"""Saves the X screen's top-left corner (HEIGHT rows of WIDTH pixels; all of the screen when 0
or left out) as a PNG file, with nothing but python3-xlib and the standard library.
Usage: screenshot.py OUT.png [HEIGHT [WIDTH]]."""
import struct
import sys
import zlib

from Xlib import X, display

d = display.Display()
root = d.screen().root
geometry = root.get_geometry()
size = [int(a) for a in sys.argv[2:4]] + [0, 0]
height = size[0] or geometry.height
width = size[1] or geometry.width
image = root.get_image(0, 0, width, height, X.ZPixmap, 0xFFFFFFFF)
raw = image.data  # 32 bits a pixel: B, G, R, unused
rows = bytearray()
for y in range(height):
    rows.append(0)
    line = raw[y * width * 4:(y + 1) * width * 4]
    for x in range(width):
        b, g, r = line[4 * x], line[4 * x + 1], line[4 * x + 2]
        rows.extend((r, g, b))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
with open(sys.argv[1], "wb") as out:
    out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
              + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))
