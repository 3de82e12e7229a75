#!/usr/bin/env python3
"""A loopback Clickatell for benchmarks: answers every request with the seed's JSON balance and
prints one line per request (Unix time, method, path); a POST (an alert to a webhook) is read
and answered "ok". Usage: fake_clickatell.py PORTFILE
[BALANCE]; writes its port to PORTFILE. With TLS_CERT and TLS_KEY (PEM files) it speaks https."""
import http.server
import json
import os
import ssl
import sys
import time

BALANCE = sys.argv[2] if len(sys.argv) > 2 else "300.50"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        print(f"{time.time():.3f}", self.command, self.path, flush=True)
        body = json.dumps({"data": {"balance": BALANCE}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        print(f"{time.time():.3f}", self.command, self.path, flush=True)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
if os.environ.get("TLS_CERT"):
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(os.environ["TLS_CERT"], os.environ["TLS_KEY"])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
