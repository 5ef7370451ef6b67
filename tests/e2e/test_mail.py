"""End-to-end: the cron job's mail through a real SMTP server (aiosmtpd),
every message parsed with Python's strict MIME parser."""
import email
import email.policy
import glob
import json
import os
import socket
import subprocess
import sys
import time
import unittest

from cwtest import HERE, Case, stop_process

SINK = os.path.join(os.path.dirname(HERE), "smtpsink.py")
# Debian's python3 has python3-aiosmtpd; a python3 earlier in PATH may not.
SINK_PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

PAGE = """<html><body><main>
<h1>Example Terms</h1>
<h2>1. Fees</h2>
<p>The service costs %(fee)s per month.</p>
<h2>2. Changes</h2>
<p>We will notify you by e-mail at least 30 days before changes take effect.
If you continue to use the service, you are deemed to have accepted the changes.</p>
<h2>3. Contact</h2>
<p>Write to %(contact)s.</p>
</main></body></html>"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Sink:
    def __init__(self, maildir, port, fail=False, extra=()):
        args = [SINK_PY, SINK, "--port", str(port), "--maildir", maildir]
        if fail:
            args.append("--fail")
        args += list(extra)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("ready"):
            self.stop()
            raise RuntimeError("smtpsink did not start")

    def stop(self):
        stop_process(self.proc)


class MailTest(Case):

    def setUp(self):
        super().setUp()
        self.maildir = os.path.join(self.dir, "mail")
        self.port = free_port()
        self.sink = None
        self.addCleanup(self.stop_sink)

    def start_sink(self, fail=False, extra=()):
        self.stop_sink()
        self.sink = Sink(self.maildir, self.port, fail, extra)

    def stop_sink(self):
        if self.sink:
            self.sink.stop()
            self.sink = None

    def setup_doc(self, fee="10 euros", contact="help@example.com", timeout=5):
        self.page("terms.html", PAGE % dict(fee=fee, contact=contact))
        self.conf("""[document "ex/terms"]
\turl = %s/terms.html
\ttitle = Example Terms Bcc: evil@example.com
\tteam = legal
\tteam = eng
[team "legal"]
\temail = legal@example.com
\temail = counsel@example.com
[team "eng"]
\temail = eng@example.com
[smtp]
\thost = 127.0.0.1
\tport = %d
\ttimeout = %d
[mail]
\tfrom = clausewatch@example.com
""" % (self.srv.base, self.port, timeout))

    def messages(self):
        out = []
        for path in sorted(glob.glob(os.path.join(self.maildir, "new", "*.eml"))):
            with open(path, "rb") as f:
                raw = f.read()
            msg = email.message_from_bytes(raw, policy=email.policy.strict)
            with open(path[:-4] + ".env") as f:
                env = json.load(f)
            out.append((msg, env, raw))
        return out

    def test_change_mail_reminders_ack(self):
        self.setup_doc()
        self.start_sink()
        r = self.cw("run", now="2026-11-01T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.messages(), [])      # a first record is no change

        self.setup_doc(fee="25 euros")
        r = self.cw("run", now="2026-11-02T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        msgs = self.messages()
        self.assertEqual(len(msgs), 2)             # one per team
        rcpts = sorted(tuple(sorted(env["to"])) for _, env, _ in msgs)
        self.assertEqual(rcpts, [("counsel@example.com", "legal@example.com"),
                                 ("eng@example.com",)])
        ids = set()
        for msg, env, raw in msgs:
            subj = str(msg["subject"])
            self.assertIn("Example Terms", subj)
            self.assertIn("aterial", subj)
            self.assertIn("2026-12-02", subj)      # seen + 30 days' notice
            # a title with a line break is refused by check
            # (test_hostile); header-looking text in one stays text
            self.assertIsNone(msg["bcc"])
            self.assertNotIn(b"\r\nBcc:", raw)
            self.assertTrue(msg["message-id"])
            ids.add(str(msg["message-id"]))
            self.assertIn("<", str(msg["references"]))
            types = [p.get_content_type() for p in msg.walk()]
            self.assertIn("multipart/alternative", types)
            self.assertIn("text/plain", types)
            self.assertIn("text/html", types)
            self.assertIn("text/calendar", types)
            cal = [p for p in msg.walk() if p.get_content_type() == "text/calendar"][0]
            ics = cal.get_content()
            if isinstance(ics, bytes):
                ics = ics.decode()
            # the last day to object, the day before the deadline
            self.assertIn("DTSTART;VALUE=DATE:20261201", ics)
            text = [p for p in msg.walk() if p.get_content_type() == "text/plain"][0].get_content()
            self.assertIn("25", text)
        self.assertEqual(len(ids), 2)

        # nothing sent twice: the same day again
        r = self.cw("run", now="2026-11-02T09:00:00Z")
        self.assertEqual(len(self.messages()), 2, r.stderr)
        # 14 days before the deadline: one reminder per team, once
        r = self.cw("run", now="2026-11-18T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        msgs = self.messages()
        self.assertEqual(len(msgs), 4)
        rem = [m for m, _, _ in msgs if str(m["subject"]).startswith("Reminder:")]
        self.assertEqual(len(rem), 2)
        self.cw("run", now="2026-11-18T12:00:00Z")
        self.assertEqual(len(self.messages()), 4)
        # deadlines lists it; ack stops the reminders
        r = self.cw("deadlines", "--json", now="2026-11-18T12:00:00Z")
        dl = json.loads(r.stdout)
        self.assertEqual([(d["id"], d["deadline"], d["days_left"]) for d in dl],
                         [("ex/terms", "2026-12-02", 14)])
        self.assertEqual(dl[0]["title"], "Example Terms Bcc: evil@example.com")
        self.assertIs(dl[0]["material"], True)
        self.assertEqual(len(dl[0]["commit"]), 40)
        # an editorial change after it: `ack ID` still means the one that binds
        self.page("terms.html", (PAGE % dict(fee="25 euros", contact="help@example.com")).replace("per month.", "per month;"))
        r = self.cw("run", now="2026-11-19T07:00:00Z")
        self.assertIn("editorial", r.stdout)
        r = self.cw("ack", "ex/terms", "--by", "Ann Counsel", now="2026-11-19T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Acknowledged-by: Ann Counsel", self.git("log", "-1", "main~1"))
        self.assertNotIn("Acknowledged-by", self.git("log", "-1", "main"))
        r = self.cw("deadlines", "--json", now="2026-11-19T12:00:00Z")
        self.assertEqual(json.loads(r.stdout), [])
        self.cw("run", now="2026-11-25T08:00:00Z")      # 7 days before: acked, none
        self.assertEqual(len(self.messages()), 4)

    def test_change_recorded_by_a_run_killed_before_its_mail(self):
        """A run that dies between the store's flush and the ledger leaves a
        recorded change without mail: the next run finds it and mails it."""
        self.setup_doc()
        self.start_sink()
        self.assertEqual(self.cw("run", now="2026-11-01T08:00:00Z").returncode, 0)
        # what the killed run left: the new version committed on main
        text = self.git("show", "main:ex/terms.md").replace("10 euros", "45 euros")
        env = dict(os.environ, GIT_INDEX_FILE=os.path.join(self.dir, "index"),
                   GIT_AUTHOR_NAME="clausewatch", GIT_AUTHOR_EMAIL="cw@localhost",
                   GIT_COMMITTER_NAME="clausewatch", GIT_COMMITTER_EMAIL="cw@localhost",
                   GIT_AUTHOR_DATE="2026-11-02T08:00:00Z", GIT_COMMITTER_DATE="2026-11-02T08:00:00Z")
        g = lambda *a, **k: subprocess.run(["git", "-C", self.store] + list(a), env=env,
                                           capture_output=True, text=True, check=True, **k).stdout.strip()
        blob = g("hash-object", "-w", "--stdin", input=text)
        g("read-tree", "main")
        g("update-index", "--cacheinfo", "100644,%s,ex/terms.md" % blob)
        tree = g("write-tree")
        msg = ("Example Terms: material change, accepted by 2026-12-02\n\n"
               "Document: ex/terms\nSource: x\nFetched: 2026-11-02T08:00:00Z\n"
               "Material: yes\nCategories: fees\nDeadline: 2026-12-02\n")
        commit = g("commit-tree", tree, "-p", "main", input=msg)
        g("update-ref", "refs/heads/main", commit)
        self.page("terms.html", PAGE % dict(fee="45 euros", contact="help@example.com"))
        r = self.cw("run", now="2026-11-02T09:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")            # nothing new recorded
        msgs = self.messages()
        self.assertEqual(len(msgs), 2, r.stderr)  # the missed change, per team
        for msg, _, _ in msgs:
            self.assertIn(commit, msg.get_body(preferencelist=("plain",)).get_content())
        self.cw("run", now="2026-11-02T10:00:00Z")
        self.assertEqual(len(self.messages()), 2)  # and only once

    def test_smtp_down_then_up(self):
        self.setup_doc()
        self.start_sink()
        self.cw("run", now="2026-11-01T08:00:00Z")
        self.stop_sink()                            # nothing listening
        self.setup_doc(fee="30 euros")
        r = self.cw("run", now="2026-11-02T08:00:00Z")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not delivered", r.stderr)
        r = self.cw("mail")                         # what is waiting, and why
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 2, r.stdout)
        self.assertTrue(all("\tpending\t" in l for l in lines), r.stdout)
        self.assertEqual(self.cw("mail", "--release", "no.such.key").returncode, 2)
        self.start_sink(fail=True)                  # up, but answering 451
        r = self.cw("run", now="2026-11-02T09:00:00Z")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.messages(), [])
        self.start_sink()                           # healthy
        r = self.cw("run", now="2026-11-02T10:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.messages()), 2)
        r = self.cw("run", now="2026-11-02T11:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.messages()), 2)   # none doubled
        self.assertEqual(self.cw("mail").stdout, "")

    def lost_reply_after_the_dot(self, mode):
        """The server has the whole message but its reply never comes: the
        message is uncertain, not resent by the next run, listed by 'mail',
        and sent again once an operator releases it."""
        self.setup_doc(timeout=2)
        self.start_sink()
        self.cw("run", now="2026-11-01T08:00:00Z")
        self.setup_doc(fee="30 euros", timeout=2)
        self.start_sink(extra=["--after-dot", mode])
        r = self.cw("run", now="2026-11-02T08:00:00Z")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("uncertain", r.stderr)
        self.assertIn("clausewatch mail", r.stderr)
        self.assertEqual(len(self.messages()), 1)   # the server got the first
        r = self.cw("mail")
        rows = [l.split("\t") for l in r.stdout.splitlines()]
        # the other waits: a server that hangs or drops is not tried again
        self.assertEqual(sorted(row[1] for row in rows), ["pending", "uncertain"], r.stdout)
        unc = [row for row in rows if row[1] == "uncertain"][0]
        self.assertIn("no reply after the whole message was sent", unc[3])
        self.start_sink()                           # healthy again
        r = self.cw("run", now="2026-11-02T09:00:00Z")
        self.assertEqual(r.returncode, 1, r.stderr)  # still waiting for the operator
        self.assertIn(unc[0], r.stderr)
        self.assertEqual(len(self.messages()), 2)   # the pending one; not the uncertain
        self.assertEqual(self.cw("mail", "--release", unc[0]).returncode, 0)
        r = self.cw("run", now="2026-11-02T10:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.messages()), 3)   # released: sent again, once
        self.assertEqual(self.cw("mail").stdout, "")
        self.cw("run", now="2026-11-02T11:00:00Z")
        self.assertEqual(len(self.messages()), 3)

    def test_reply_lost_server_hangs_after_the_dot(self):
        self.lost_reply_after_the_dot("hang")

    def test_reply_lost_connection_dropped_after_the_dot(self):
        self.lost_reply_after_the_dot("drop")

    def test_server_reply_cannot_forge_lines_on_stderr(self):
        self.setup_doc()
        self.start_sink()
        self.cw("run", now="2026-11-01T08:00:00Z")
        self.setup_doc(fee="30 euros")
        # a multi-line reply whose lines look like ours, a bare CR, an escape
        self.start_sink(extra=["--rcpt-reply", "451-4.3.0 busy\x1b[2J\rclausewatch: "
                               "forged|451 4.3.0 clausewatch: all mail delivered"])
        r = self.cw("run", now="2026-11-02T08:00:00Z")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("all mail delivered", r.stderr)   # reported, as text
        self.assertNotIn("\x1b", r.stderr)
        # (text mode reads a CR as a line break: the line checks catch both)
        for line in r.stderr.split("\n"):
            self.assertFalse(line.startswith("clausewatch: all mail"), r.stderr)
            self.assertFalse(line.startswith("clausewatch: forged"), r.stderr)
        r = self.cw("mail")
        self.assertEqual(len(r.stdout.splitlines()), 2, r.stdout)

    def test_failure_alert_once_and_recovery(self):
        self.setup_doc()
        self.start_sink()
        self.cw("run", now="2026-11-01T08:00:00Z")
        os.rename(os.path.join(self.pages, "terms.html"), os.path.join(self.pages, "gone.html"))
        for day in range(2, 7):                     # five failing runs
            r = self.cw("run", now="2026-11-%02dT08:00:00Z" % day)
            self.assertEqual(r.returncode, 1)
        msgs = self.messages()
        self.assertEqual(len(msgs), 2, [str(m["subject"]) for m, _, _ in msgs])  # once per team
        os.rename(os.path.join(self.pages, "gone.html"), os.path.join(self.pages, "terms.html"))
        for day in (7, 8):
            r = self.cw("run", now="2026-11-%02dT08:00:00Z" % day)
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.messages()), 4)   # one recovery per team

    def test_outbox_without_smtp(self):
        self.page("terms.html", PAGE % dict(fee="1 euro", contact="a@example.com"))
        self.conf("""[document "ex/terms"]
\turl = %s/terms.html
\tteam = legal
[team "legal"]
\temail = legal@example.com
""" % self.srv.base)
        self.cw("run", now="2026-11-01T08:00:00Z")
        self.page("terms.html", PAGE % dict(fee="2 euros", contact="a@example.com"))
        r = self.cw("run", now="2026-11-02T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        files = glob.glob(os.path.join(self.store, "outbox", "new", "*.eml"))
        self.assertEqual(len(files), 1)
        with open(files[0], "rb") as f:
            msg = email.message_from_bytes(f.read(), policy=email.policy.strict)
        self.assertIn("ex/terms", str(msg["subject"]))


    def test_editorial_changes_in_one_daily_digest(self):
        self.page("terms.html", PAGE % dict(fee="10 euros", contact="help@example.com"))
        self.conf("""[document "ex/terms"]
\turl = %s/terms.html
\ttitle = Example Terms
\tteam = eng
[team "eng"]
\temail = eng@example.com
\tnotify = all
[smtp]
\thost = 127.0.0.1
\tport = %d
""" % (self.srv.base, self.port))
        self.start_sink()
        self.cw("run", now="2026-11-01T08:00:00Z")
        # two editorial changes on one day: no mail that day
        page = PAGE % dict(fee="10 euros", contact="help@example.com")
        self.page("terms.html", page.replace("Write to", "write to"))
        r = self.cw("run", now="2026-11-02T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("editorial", r.stdout)
        self.page("terms.html", page.replace("Write to", "write to").replace("per month.", "per month;"))
        self.cw("run", now="2026-11-02T12:00:00Z")
        self.assertEqual(self.messages(), [])
        # the next day: one digest for the day before, once
        r = self.cw("run", now="2026-11-03T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.cw("run", now="2026-11-03T09:00:00Z")
        msgs = self.messages()
        self.assertEqual(len(msgs), 1, [str(m["subject"]) for m, _, _ in msgs])
        msg = msgs[0][0]
        self.assertIn("2026-11-02", str(msg["subject"]))
        self.assertEqual(msgs[0][1]["to"], ["eng@example.com"])


    def test_announcement_recorded_mailed_once_listed(self):
        """A banner announcing new terms: recorded with its date, mailed
        once as an early warning, listed by deadlines; no material alarm."""
        self.setup_doc()
        self.start_sink()
        r = self.cw("run", now="2026-11-01T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        banner = ("<main><p>Notice: we are updating these terms. The new terms "
                  "will take effect on 1 March 2027.</p>\n<h1>Example Terms</h1>")
        self.page("terms.html", (PAGE % dict(fee="10 euros", contact="help@example.com"))
                  .replace("<main>\n<h1>Example Terms</h1>", banner))
        r = self.cw("run", now="2026-11-02T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("update announced for 2027-03-01", r.stdout)
        log = self.git("log", "-1", "--format=%B", "main")
        self.assertIn("Record: announcement", log)
        self.assertIn("Announced: 2027-03-01", log)
        self.assertIn("Material: no", log)
        msgs = self.messages()
        self.assertEqual(len(msgs), 2)             # one per team
        for msg, _, _ in msgs:
            self.assertEqual(str(msg["subject"]),
                             "Announced: new terms of Example Terms Bcc: evil@example.com "
                             "take effect 2027-03-01")
            text = [p for p in msg.walk() if p.get_content_type() == "text/plain"][0].get_content()
            self.assertIn("Early warning", text)
            self.assertIn("1 March 2027", text)
        r = self.cw("deadlines", "--json", now="2026-11-03T08:00:00Z")
        dl = json.loads(r.stdout)
        self.assertEqual([(d["id"], d["kind"], d["announced"], d["days_left"]) for d in dl],
                         [("ex/terms", "announcement", "2027-03-01", 118)])
        self.assertIsNone(dl[0]["deadline"])
        # the next run, page unchanged: nothing mailed twice
        r = self.cw("run", now="2026-11-03T08:00:00Z")
        self.assertEqual(len(self.messages()), 2, r.stderr)


if __name__ == "__main__":
    unittest.main()
