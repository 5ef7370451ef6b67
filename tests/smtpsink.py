#!/usr/bin/python3
"""A real SMTP server for the tests, on aiosmtpd (Debian's python3-aiosmtpd).

    smtpsink.py --port N --maildir DIR [--host H] [--starttls CERT KEY] [--fail]
                [--auth USER:PASSWORD] [--refuse ADDR]... [--reject-data]
                [--after-dot drop|hang] [--drop-in-data] [--rcpt-reply TEXT]

Each accepted message is written to DIR/new/<n>.eml (tmp/ then rename) and
its envelope to DIR/new/<n>.env (JSON). --starttls offers STARTTLS and
refuses mail before it; --fail answers 451 to every RCPT and DATA;
--refuse answers 550 (unknown user) to RCPT TO that address; --reject-data
answers 554 (a permanent refusal) to DATA.

Misbehaving on purpose (the client must not lose or repeat mail):
--after-dot drop|hang keeps the whole message (written as above: the
server has it) and then closes the connection, or never answers, instead
of replying to the final dot; --drop-in-data answers DATA with 354, reads
a little of the message and closes the connection (RST, as data is left
unread), so the client's writes fail before its final dot; --rcpt-reply
answers every RCPT with TEXT, whose "|" become line breaks (a multi-line
reply; the text may hold other control characters).
Prints "ready PORT" on stdout once listening; stops on SIGTERM/SIGINT.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, maildir, fail, refuse=(), reject_data=False, after_dot=None,
                 rcpt_reply=None):
        self.maildir = maildir
        self.fail = fail
        self.refuse = set(a.lower() for a in refuse)
        self.reject_data = reject_data
        self.after_dot = after_dot
        self.rcpt_reply = rcpt_reply
        self.lock = threading.Lock()
        for sub in ("tmp", "new"):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)
        # a sink restarted on the same folder adds to what is there
        self.count = len([n for n in os.listdir(os.path.join(maildir, "new"))
                          if n.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.fail:
            return "451 4.3.0 simulated outage, try again later"
        if self.rcpt_reply:
            return self.rcpt_reply.replace("|", "\r\n")
        if address.lower() in self.refuse:
            return "550 5.1.1 <%s>: unknown user" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail:
            return "451 4.3.0 simulated outage, try again later"
        if self.reject_data:
            return "554 5.6.0 message refused by content policy"
        with self.lock:
            self.count += 1
            name = "%d" % self.count
        tmp = os.path.join(self.maildir, "tmp", name + ".eml")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content)
            f.flush()
            os.fsync(f.fileno())
        env = {"from": envelope.mail_from, "to": envelope.rcpt_tos,
               "tls": session.ssl is not None}
        with open(os.path.join(self.maildir, "new", name + ".env"), "w") as f:
            json.dump(env, f)
        os.rename(tmp, os.path.join(self.maildir, "new", name + ".eml"))
        if self.after_dot == "drop":
            server.transport.close()
            return "250 2.0.0 never sent: the connection is closed"
        if self.after_dot == "hang":
            await asyncio.sleep(3600)
        return "250 2.0.0 queued as %s" % name


class DropInData(SMTP):
    """Closes the connection in the middle of the message."""

    async def smtp_DATA(self, arg):
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        await self._reader.read(1024)
        self.transport.close()


class DropInDataController(Controller):
    def factory(self):
        return DropInData(self.handler, **self.SMTP_kwargs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--fail", action="store_true")
    ap.add_argument("--refuse", action="append", default=[], metavar="ADDR",
                    help="answer 550 to RCPT TO this address")
    ap.add_argument("--reject-data", action="store_true",
                    help="answer 554 to DATA")
    ap.add_argument("--after-dot", choices=("drop", "hang"),
                    help="keep the message, then drop the connection or hang "
                    "instead of answering the final dot")
    ap.add_argument("--drop-in-data", action="store_true",
                    help="close the connection in the middle of the message")
    ap.add_argument("--rcpt-reply", metavar="TEXT",
                    help="answer RCPT with TEXT ('|' separates reply lines)")
    ap.add_argument("--auth", metavar="USER:PASSWORD",
                    help="require AUTH (after STARTTLS) with these credentials")
    a = ap.parse_args()

    kw = {}
    if a.starttls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.starttls[0], a.starttls[1])
        kw = {"tls_context": ctx, "require_starttls": True}
    if a.auth:
        user, _, password = a.auth.partition(":")

        def check(server, session, envelope, mechanism, auth_data):
            from aiosmtpd.smtp import AuthResult, LoginPassword
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == user.encode()
                  and auth_data.password == password.encode())
            # handled=False: aiosmtpd itself answers "535 5.7.8" on a
            # failure. The default (handled=True) means "the authenticator
            # already replied", so nothing is sent and the client waits
            # for its read timeout.
            return AuthResult(success=ok, handled=False)
        kw.update(auth_required=True, authenticator=check)
    cls = DropInDataController if a.drop_in_data else Controller
    c = cls(Sink(a.maildir, a.fail, a.refuse, a.reject_data, a.after_dot, a.rcpt_reply),
            hostname=a.host, port=a.port, server_hostname="sink.test",
            data_size_limit=None, **kw)  # the tests' big messages too
    c.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print("ready %d" % a.port, flush=True)
    parent = os.getppid()
    # a test that dies before it stops us must not leave a server behind
    while not done.wait(1) and os.getppid() == parent:
        pass
    c.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
