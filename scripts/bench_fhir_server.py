#!/usr/bin/env python3
"""A loopback FHIR server for the benchmark: serves the generator's Task Bundles (fhir/)
as a search would. GET /Task?... answers Task.json, GET /Task-N.json that page; the pages'
next links are relative, so the client follows them back here. Prints the port, then serves
until killed.

    scripts/bench_fhir_server.py DIR
"""
import http.server
import os
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    root = "."

    def do_GET(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        name = "Task.json" if path.endswith("/Task") else os.path.basename(path)
        file = os.path.join(self.root, name)
        if not name.startswith("Task") or not os.path.isfile(file):
            self.send_error(404)
            return
        with open(file, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    Handler.root = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
