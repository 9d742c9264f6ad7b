#!/usr/bin/env python3
"""Check the protocol icons: each PNG must be a well-formed PNG whose size
matches its directory (16, 22, 48), and the SVG must be an SVG document.

Usage: check-icons.py ICONS_DIR
"""

import os
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def check_png(path, size):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "not a PNG signature"
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        if pos + 8 > len(data):
            return "truncated chunk header"
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            return "bad CRC in chunk %r" % kind
        chunks.append(kind)
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if (width, height) != (size, size):
                return "is %dx%d, expected %dx%d" % (width, height, size, size)
            if (depth, colour) != (8, 6):
                return "is not 8-bit RGBA"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if not chunks or chunks[0] != b"IHDR" or chunks[-1] != b"IEND":
        return "chunks out of order: %r" % chunks
    pixels = zlib.decompress(idat)
    if len(pixels) != size * (size * 4 + 1):
        return "pixel data has %d bytes, expected %d" % (len(pixels), size * (size * 4 + 1))
    alpha = [pixels[r * (size * 4 + 1) + 1 + 4 * c + 3] for r in range(size) for c in range(size)]
    if max(alpha) != 255 or min(alpha) != 0:
        return "expected opaque pixels and transparent corners"
    return None


def main():
    icons = sys.argv[1]
    failures = 0
    for size in (16, 22, 48):
        path = os.path.join(icons, str(size), "ucwa.png")
        problem = check_png(path, size)
        print("%s: %s" % (path, problem or "ok"))
        failures += problem is not None
    svg = os.path.join(icons, "scalable", "ucwa.svg")
    root = ET.parse(svg).getroot()
    ok = root.tag == "{http://www.w3.org/2000/svg}svg"
    print("%s: %s" % (svg, "ok" if ok else "root is %s, not svg" % root.tag))
    failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
