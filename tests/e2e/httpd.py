#!/usr/bin/env python3
"""A real HTTP server for the end-to-end tests, on 127.0.0.1 only.

Serves files from a folder with strong ETags (304 on If-None-Match), and a few
behaviours the tests need, chosen by path prefix:
  /gzip/NAME       the file, gzip-encoded
  /slow/N/NAME     sleeps N seconds first
  /status/CODE     answers CODE with a short body
  /to-file         302 to file:///etc/passwd (must be refused)
  /to/NAME         302 to /NAME
  /flaky/NAME      503 on every odd request for NAME, the file on even ones
  /noetag/NAME     the file without validators
Prints "port N" on stdout once listening. Stops on SIGTERM.
"""
import gzip
import hashlib
import http.server
import os
import signal
import sys
import threading
import time

ROOT = sys.argv[1]
counts = {}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if os.environ.get("HTTPD_LOG"):
            sys.stderr.write("httpd: " + fmt % args + "\n")

    def send(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        parts = [p for p in path.split("/") if p]
        etag = True
        gz = False
        if parts and parts[0] == "status":
            self.send(int(parts[1]), b"<html><body>status</body></html>",
                      [("Content-Type", "text/html")])
            return
        if parts == ["to-file"]:
            self.send(302, b"", [("Location", "file:///etc/passwd")])
            return
        if parts and parts[0] == "to":
            self.send(302, b"", [("Location", "/" + "/".join(parts[1:]))])
            return
        if parts and parts[0] == "slow":
            time.sleep(float(parts[1]))
            parts = parts[2:]
        if parts and parts[0] == "flaky":
            parts = parts[1:]
            with lock:
                n = counts.get(path, 0) + 1
                counts[path] = n
            if n % 2 == 1:
                self.send(503, b"busy", [("Content-Type", "text/plain")])
                return
        if parts and parts[0] == "gzip":
            gz = True
            parts = parts[1:]
        if parts and parts[0] == "noetag":
            etag = False
            parts = parts[1:]
        name = os.path.join(ROOT, *parts) if parts else ROOT
        if ".." in parts or not os.path.isfile(name):
            self.send(404, b"not found", [("Content-Type", "text/plain")])
            return
        with open(name, "rb") as f:
            body = f.read()
        ctype = "text/html; charset=utf-8"
        if name.endswith(".txt") or name.endswith(".md"):
            ctype = "text/plain; charset=utf-8"
        ctfile = name + ".ctype"
        if os.path.exists(ctfile):
            with open(ctfile) as f:
                ctype = f.read().strip()
        headers = [("Content-Type", ctype)]
        if etag:
            tag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
            headers.append(("ETag", tag))
            if self.headers.get("If-None-Match") == tag:
                self.send(304, b"", [("ETag", tag)])
                return
        if gz:
            body = gzip.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        self.send(200, body, headers)


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass    # clients that give up (timeouts, kill -9) are part of the tests


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
    print("port %d" % srv.server_address[1], flush=True)
    parent = os.getppid()

    def orphan_watch():
        # a test that dies before it stops us must not leave a server behind
        while os.getppid() == parent:
            time.sleep(1)
        srv.shutdown()

    threading.Thread(target=orphan_watch, daemon=True).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
