#!/usr/bin/env python3
"""A slow HTTP server for tests/test_fetch.c, on loopback addresses only.

Usage: slowhttpd.py ADDR [ADDR...]   (e.g. 127.0.0.1 127.0.0.2)
Listens on a free port on each address and prints "ports P1 P2 ..." once all
listen. Every request is HTTP/1.0 on its own connection. Paths:
  /slow/N      answers after N seconds (a float)
  /status/C    answers status C
  /flaky/KEY   503 the first time KEY is asked for, 200 after that
  /gate/K      waits until the other listeners together have answered K
               requests, at most 10 s; the body says "open" or "closed"
  /stats       "max=M now=C served=S" for this listener: the most requests
               it was serving at once, now, and answered in all (/stats not
               counted)
A request counts as being served from the moment its request line is read
until just before its response is written, so a client that starts the next
transfer once it has the whole answer never looks concurrent.
Stops on SIGTERM, or when its stdin closes (the test process is gone).
"""
import http.server
import os
import signal
import sys
import threading
import time

lock = threading.Condition()
flaky = set()


class Listener:
    def __init__(self):
        self.now = 0
        self.max = 0
        self.served = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        if os.environ.get("HTTPD_LOG"):
            sys.stderr.write("slowhttpd: " + fmt % args + "\n")

    def answer(self, code, body):
        body = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        me = self.server.stats
        parts = [p for p in self.path.split("?", 1)[0].split("/") if p]
        if parts == ["stats"]:
            with lock:
                text = "max=%d now=%d served=%d" % (me.max, me.now, me.served)
            self.answer(200, text)
            return
        with lock:
            me.now += 1
            me.max = max(me.max, me.now)
        code, body = 404, "not found"
        try:
            if len(parts) == 2 and parts[0] == "slow":
                time.sleep(float(parts[1]))
                code, body = 200, "slept " + parts[1]
            elif len(parts) == 2 and parts[0] == "status":
                code, body = int(parts[1]), "status " + parts[1]
            elif len(parts) == 2 and parts[0] == "flaky":
                with lock:
                    again = parts[1] in flaky
                    flaky.add(parts[1])
                code, body = (200, "flaky ok") if again else (503, "flaky")
            elif len(parts) == 2 and parts[0] == "gate":
                want = int(parts[1])
                end = time.monotonic() + 10
                with lock:
                    while (sum(s.stats.served for s in servers if s.stats is not me) < want
                           and time.monotonic() < end):
                        lock.wait(end - time.monotonic())
                    opened = sum(s.stats.served for s in servers
                                 if s.stats is not me) >= want
                code, body = 200, "open" if opened else "closed"
        finally:
            with lock:
                me.now -= 1
                me.served += 1
                lock.notify_all()
        self.answer(code, body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a client that timed out and hung up is part of the tests
        if os.environ.get("HTTPD_LOG"):
            super().handle_error(request, client_address)


servers = []


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: slowhttpd.py ADDR [ADDR...]\n")
        sys.exit(2)
    for addr in sys.argv[1:]:
        srv = Server((addr, 0), Handler)
        srv.stats = Listener()
        servers.append(srv)
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    print("ports " + " ".join(str(s.server_address[1]) for s in servers), flush=True)
    # the test holds our stdin open: EOF means it is gone, so are we
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
