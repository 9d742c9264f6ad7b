#!/usr/bin/env python3
"""Draw the protocol icon: a rounded blue square with a white speech bubble.

Writes icons/scalable/ucwa.svg and icons/{16,22,48}/ucwa.png from one set of
shapes, using nothing but the standard library (PNG is written by hand).
Run it from anywhere; the output lands next to this script.
"""

import math
import os
import struct
import zlib

# Shapes in a unit square, y pointing down.
BACKGROUND = dict(x0=0.02, y0=0.02, x1=0.98, y1=0.98, r=0.22)
BUBBLE = dict(x0=0.17, y0=0.20, x1=0.83, y1=0.66, r=0.16)
TAIL = [(0.28, 0.58), (0.50, 0.62), (0.24, 0.84)]
DOTS = [(0.34, 0.43), (0.50, 0.43), (0.66, 0.43)]
DOT_RADIUS = 0.055
DOTS_FROM_SIZE = 22  # below this the dots only blur the bubble

TOP = (0x3b, 0x8e, 0xde)
BOTTOM = (0x1a, 0x5a, 0xa8)
WHITE = (0xff, 0xff, 0xff)

SAMPLES = 8  # per axis, for anti-aliasing


def in_rounded_rect(px, py, rect):
    x0, y0, x1, y1, r = rect["x0"], rect["y0"], rect["x1"], rect["y1"], rect["r"]
    if px < x0 or px > x1 or py < y0 or py > y1:
        return False
    cx = min(max(px, x0 + r), x1 - r)
    cy = min(max(py, y0 + r), y1 - r)
    return (px - cx) ** 2 + (py - cy) ** 2 <= r * r


def in_triangle(px, py, tri):
    (ax, ay), (bx, by), (cx, cy) = tri

    def side(x1, y1, x2, y2):
        return (px - x2) * (y1 - y2) - (x1 - x2) * (py - y2)

    d1, d2, d3 = side(ax, ay, bx, by), side(bx, by, cx, cy), side(cx, cy, ax, ay)
    has_neg = d1 < 0 or d2 < 0 or d3 < 0
    has_pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (has_neg and has_pos)


def background_colour(py):
    t = min(max(py, 0.0), 1.0)
    return tuple(round(a + (b - a) * t) for a, b in zip(TOP, BOTTOM))


def sample(px, py, with_dots):
    """Colour and alpha of one sample point."""
    if not in_rounded_rect(px, py, BACKGROUND):
        return (0, 0, 0), 0
    colour = background_colour(py)
    if in_rounded_rect(px, py, BUBBLE) or in_triangle(px, py, TAIL):
        colour = WHITE
        if with_dots and any(math.hypot(px - dx, py - dy) <= DOT_RADIUS
                             for dx, dy in DOTS):
            colour = background_colour(py)
    return colour, 255


def render(size):
    with_dots = size >= DOTS_FROM_SIZE
    rows = []
    for y in range(size):
        row = bytearray([0])  # PNG filter type: none
        for x in range(size):
            r = g = b = a = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    px = (x + (sx + 0.5) / SAMPLES) / size
                    py = (y + (sy + 0.5) / SAMPLES) / size
                    (cr, cg, cb), ca = sample(px, py, with_dots)
                    r += cr * ca
                    g += cg * ca
                    b += cb * ca
                    a += ca
            n = SAMPLES * SAMPLES
            if a:
                row += bytes((round(r / a), round(g / a), round(b / a), round(a / n)))
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return rows


def png_bytes(size, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def hex_colour(c):
    return "#%02x%02x%02x" % c


def svg_text():
    s = 48.0

    def n(v):
        return ("%.2f" % (v * s)).rstrip("0").rstrip(".")

    def rect(shape, fill):
        return ('  <rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s"/>\n'
                % (n(shape["x0"]), n(shape["y0"]), n(shape["x1"] - shape["x0"]),
                   n(shape["y1"] - shape["y0"]), n(shape["r"]), fill))

    tail = " ".join("%s,%s" % (n(x), n(y)) for x, y in TAIL)
    dots = "".join('  <circle cx="%s" cy="%s" r="%s" fill="url(#bg)"/>\n'
                   % (n(x), n(y), n(DOT_RADIUS)) for x, y in DOTS)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">\n'
            '  <defs>\n'
            '    <linearGradient id="bg" gradientUnits="userSpaceOnUse" x1="0" y1="0" x2="0" y2="48">\n'
            '      <stop offset="0" stop-color="%s"/>\n'
            '      <stop offset="1" stop-color="%s"/>\n'
            '    </linearGradient>\n'
            '  </defs>\n'
            % (hex_colour(TOP), hex_colour(BOTTOM))
            + rect(BACKGROUND, "url(#bg)")
            + rect(BUBBLE, "#ffffff")
            + '  <polygon points="%s" fill="#ffffff"/>\n' % tail
            + dots
            + '</svg>\n')


def main():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icons")
    os.makedirs(os.path.join(here, "scalable"), exist_ok=True)
    with open(os.path.join(here, "scalable", "ucwa.svg"), "w") as f:
        f.write(svg_text())
    for size in (16, 22, 48):
        os.makedirs(os.path.join(here, str(size)), exist_ok=True)
        with open(os.path.join(here, str(size), "ucwa.png"), "wb") as f:
            f.write(png_bytes(size, render(size)))


if __name__ == "__main__":
    main()
