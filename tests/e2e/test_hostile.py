"""End-to-end: one document's failure costs the run nothing else, and a
change whose mail could not be queued is queued by the next run."""
import fcntl
import glob
import os
import shutil
import signal
import subprocess
import time
import unittest

from cwtest import BIN, Case
from test_mail import PAGE


class HostileRunTest(Case):

    def conf_docs(self, *docs):
        text = ""
        for doc_id, path in docs:
            text += '[document "%s"]\n\turl = %s/%s\n\tteam = legal\n' % (
                doc_id, self.srv.base, path)
        text += '[team "legal"]\n\temail = legal@example.com\n'
        self.conf(text)

    def outbox(self):
        return sorted(glob.glob(os.path.join(self.store, "outbox", "new", "*.eml")))

    def start(self, *args, now):
        env = dict(os.environ, CLAUSEWATCH_RETRY_MS="100")
        env.pop("CLAUSEWATCH_NOW", None)
        return subprocess.Popen([BIN, "-w", self.wl, "-s", self.store, "--now", now] +
                                list(args), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)

    def wait_for(self, cond, what, limit=60):
        end = time.time() + limit
        while not cond():
            if time.time() > end:
                self.fail("never happened: " + what)
            time.sleep(0.05)

    def ledger_busy(self):
        """Whether a run holds the ledger (it has opened it)."""
        with open(os.path.join(self.store, "ledger", "lock"), "a") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.flock(f, fcntl.LOCK_UN)
            return False

    def test_killed_run_keeps_what_it_recorded(self):
        """A run killed while a slow document is still coming has already
        made the others' records durable and queued their mail."""
        self.page("a.html", PAGE % dict(fee="10 euros", contact="a@example.com"))
        self.page("b.html", PAGE % dict(fee="10 euros", contact="b@example.com"))
        self.conf_docs(("ex/a", "a.html"), ("ex/b", "b.html"))
        r = self.cw("run", now="2026-11-01T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        before = self.commits()
        self.page("a.html", PAGE % dict(fee="45 euros", contact="a@example.com"))
        self.conf_docs(("ex/a", "a.html"), ("ex/b", "slow/60/b.html"))
        p = self.start("run", now="2026-11-02T08:00:00Z")
        try:
            # well before b's answer (60 s) and the run's end
            self.wait_for(lambda: len(self.commits()) > len(before), "a's change on main",
                          limit=20)
            self.wait_for(lambda: glob.glob(os.path.join(self.store, "ledger", "msg", "*")),
                          "a's mail in the ledger", limit=10)
            self.assertIsNone(p.poll())
        finally:
            p.send_signal(signal.SIGKILL)
            p.communicate()
        self.assertIn("45 euros", self.git("show", "main:ex/a.md"))
        # the next run delivers a's mail once and does not record a again
        self.conf_docs(("ex/a", "a.html"), ("ex/b", "b.html"))
        r = self.cw("run", now="2026-11-02T09:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(self.outbox()), 1)
        self.assertEqual(len(self.commits()), len(before) + 1)

    def test_markup_bomb_fails_that_document_only(self):
        """A page whose tree would take 30 times its size (2 MiB of tiny
        elements) fails on its own, over its memory budget; the other
        document of the run is recorded."""
        self.page("a.html", PAGE % dict(fee="10 euros", contact="a@example.com"))
        self.page("bomb.html", "<html><body>" + "<i>x</i>" * (1 << 18) + "</body></html>")
        self.conf_docs(("ex/a", "a.html"), ("ex/bomb", "bomb.html"))
        r = self.cw("run", now="2026-11-01T08:00:00Z")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("ex/bomb", r.stderr)
        self.assertIn("the page needs more than 40.0 MiB to parse and render: over its "
                      "memory budget (16 times its 2.0 MiB decoded + 8 MiB)", r.stderr)
        self.assertNotIn("ex/a", r.stderr)
        self.assertIn("10 euros", self.git("show", "main:ex/a.md"))
        self.assertEqual(self.git("ls-tree", "-r", "--name-only", "main").split(), ["ex/a.md"])

    def test_mail_not_queued_is_queued_next_run(self):
        """The ledger cannot take the change's mail (its tmp/ is not a
        folder: what a full disk looks like to mkdir, even for root): the
        run exits 1, the announced mark stays, the next run queues it."""
        self.page("a.html", PAGE % dict(fee="10 euros", contact="a@example.com"))
        self.conf_docs(("ex/a", "slow/1/a.html"))
        r = self.cw("run", now="2026-11-01T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        mark = self.git("rev-parse", "refs/clausewatch/announced").strip()
        self.page("a.html", PAGE % dict(fee="45 euros", contact="a@example.com"))
        tmp = os.path.join(self.store, "ledger", "tmp")
        p = self.start("run", now="2026-11-02T08:00:00Z")
        try:
            self.wait_for(self.ledger_busy, "the run opens its ledger")
            shutil.rmtree(tmp)
            with open(tmp, "w") as f:
                f.write("not a folder\n")
            out, err = p.communicate(timeout=120)
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate()
        self.assertEqual(p.returncode, 1, err)
        self.assertIn("material change recorded", out)
        self.assertIn("mail ex/a", err)
        self.assertEqual(self.outbox(), [])
        self.assertEqual(self.git("rev-parse", "refs/clausewatch/announced").strip(), mark)
        os.unlink(tmp)
        os.mkdir(tmp)
        r = self.cw("run", now="2026-11-02T09:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.outbox()), 1)
        self.assertEqual(self.git("rev-parse", "refs/clausewatch/announced").strip(),
                         self.git("rev-parse", "main").strip())
        r = self.cw("run", now="2026-11-02T10:00:00Z")
        self.assertEqual(len(self.outbox()), 1)


class HostileAnswerTest(Case):
    """Answers that are no page: failed for that document, never recorded."""

    def one(self, path, ctype=None, body=None, name="a.html"):
        if body is not None:
            self.page(name, body, ctype)
        self.conf('[document "ex/a"]\n\turl = %s/%s\n' % (self.srv.base, path))

    def assert_failed_unrecorded(self, r, why):
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(why, r.stderr)
        self.assertEqual(self.commits(), [])

    def test_no_content_and_empty_bodies(self):
        for path, why in (("status/204", "HTTP 204 with an empty body"),
                          ("status/304", "HTTP 304 to a request without validators"),
                          ("empty.html", "HTTP 200 with an empty body")):
            self.page("empty.html", "")
            self.one(path)
            self.assert_failed_unrecorded(self.cw("run"), why)

    def test_page_without_text_is_not_a_first_record(self):
        self.one("a.html", body="<html><body><script>x()</script><div hidden>"
                 "gone</div></body></html>")
        self.assert_failed_unrecorded(self.cw("run"), "no text in the page")

    def test_binary_body_served_as_html(self):
        png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
        self.one("a.html", body=png)
        self.assert_failed_unrecorded(self.cw("run"), "the body is not text: binary byte")
        # no NUL, but not UTF-8 at all though it says so
        self.page("a.html", b"<p>" + bytes(range(0x80, 0x100)) * 40 + b"</p>",
                  "text/html; charset=utf-8")
        self.assert_failed_unrecorded(self.cw("run"), "do not decode as UTF-8")

    def test_charset_labels_browsers_ignore(self):
        body = "<html><body><p>Fees +ADw-b+AD4-rise+ADw-/b+AD4- in Café</p></body></html>"
        for label in ("utf-7", "UTF-32", "ibm037", "x-unknown"):
            self.one("a.html", body=body, ctype="text/html; charset=%s" % label)
            r = self.cw("run")
            self.assertEqual(r.returncode, 0, label + r.stderr)
            text = self.git("show", "main:ex/a.md")
            self.assertIn("Fees +ADw-b+AD4-rise+ADw-/b+AD4- in Café", text, label)
            shutil.rmtree(self.store)

    def test_run_deadline_bounds_hung_documents(self):
        self.page("a.html", PAGE % dict(fee="1 euro", contact="a@example.com"))
        # first: the hung ones then hold both of the host's connections
        conf = '[run]\n\tdeadline = 2\n[document "ex/fast"]\n\turl = %s/a.html\n' % (
            self.srv.base)
        for i in range(3):
            conf += '[document "ex/hung%d"]\n\turl = %s/slow/100/a.html?%d\n' % (
                i, self.srv.base, i)
        self.conf(conf)
        r = self.cw("run", timeout=50)      # the default timeout is 60 s each
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stderr.count("not fetched within the run's deadline (2 s)"), 3,
                         r.stderr)
        self.assertIn("ex/fast: first record", r.stdout)

    def test_check_refuses_titles_over_lines_and_option_ids(self):
        self.conf('[document "ex/a"]\n\turl = %s/a.html\n'
                  '\ttitle = "Terms\\nMaterial: no"\n'
                  '[document "-rf"]\n\turl = %s/a.html\n' % (self.srv.base, self.srv.base))
        r = self.cw("check")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("test.conf:3: title holds a control character", r.stderr)
        self.assertIn("document id '-rf' is not valid", r.stderr)


if __name__ == "__main__":
    unittest.main()
