#!/usr/bin/python3
"""Benchmark helper: how long until the X window titled TITLE shows its settled content.
Usage: settle.py TITLE START_MS. START_MS is when the user acted (epoch milliseconds, as
`date +%s%3N` prints). Waits for the window, then grabs its pixels every 15 ms; the content
has settled when it has not changed for SETTLED_MS and is not one flat colour. Prints the
milliseconds from START_MS to the last change. Needs python3-xlib."""
import hashlib
import sys
import time

from Xlib import X, display

SETTLED_MS = 700
TIMEOUT_S = 30


def find(window, title):
    try:
        if window.get_wm_name() == title and window.get_attributes().map_state == X.IsViewable:
            return window
        children = window.query_tree().children
    except Exception:
        return None
    for child in children:
        found = find(child, title)
        if found:
            return found
    return None


def grab(window):
    g = window.get_geometry()
    raw = window.get_image(0, 0, g.width, g.height, X.ZPixmap, 0xFFFFFFFF).data
    flat = raw[:4] * (len(raw) // 4) == raw
    return hashlib.sha1(raw).digest(), flat


def main():
    title, start_ms = sys.argv[1], int(sys.argv[2])
    d = display.Display()
    deadline = time.time() + TIMEOUT_S
    window = None
    while window is None:
        if time.time() > deadline:
            sys.exit(f"no window titled {title!r} within {TIMEOUT_S} s")
        window = find(d.screen().root, title)
        if window is None:
            time.sleep(0.01)
    last, last_change = None, time.time()
    while time.time() < deadline:
        try:
            digest, flat = grab(window)
        except Exception:
            digest, flat = None, True
        now = time.time()
        if digest != last:
            last, last_change = digest, now
        elif not flat and (now - last_change) * 1000 >= SETTLED_MS:
            print(round(last_change * 1000 - start_ms))
            return
        time.sleep(0.015)
    sys.exit(f"the window {title!r} did not settle within {TIMEOUT_S} s")


main()
