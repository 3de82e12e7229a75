#!/usr/bin/python3
"""Asks the X window titled TITLE to close, as a window manager's close button does
(WM_DELETE_WINDOW). Usage: close_window.py TITLE. Needs python3-xlib."""
import sys

from Xlib import X, display, protocol


def find(window, title):
    if window.get_wm_name() == title:
        return window
    for child in window.query_tree().children:
        found = find(child, title)
        if found:
            return found
    return None


d = display.Display()
target = find(d.screen().root, sys.argv[1])
if target is None:
    sys.exit(f"no window titled {sys.argv[1]!r}")
protocols = d.intern_atom("WM_PROTOCOLS")
delete = d.intern_atom("WM_DELETE_WINDOW")
event = protocol.event.ClientMessage(window=target, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
target.send_event(event, event_mask=X.NoEventMask)
d.flush()
