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


if __name__ == "__main__":
    unittest.main()
