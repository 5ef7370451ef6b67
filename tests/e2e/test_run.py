"""End-to-end: the cron job against a real HTTP server, store read with git."""
import fcntl
import glob
import os
import signal
import subprocess
import time
import unittest

from cwtest import BIN, Case

POLICY = """<!doctype html><html><head><title>Example policy</title>
<script>var build = "%(build)s";</script></head><body>
<nav><a href="/">Home</a> <a href="/pricing">Pricing</a></nav>
<main>
<h1>Example Privacy Policy</h1>
<h2>1. Information we collect</h2>
<p>We collect your name, e-mail address and %(data)s.</p>
<h2>2. Sharing</h2>
<p>We share personal information with %(recipients)s.</p>
<h2>3. Changes to this policy</h2>
<p>We will notify you by e-mail at least 30 days before a material change
takes effect. If you continue to use the service after that, you are deemed
to have accepted the revised policy.</p>
<ul><li>One</li><li>Two</li></ul>
</main>
<footer>Copyright %(build)s</footer>
</body></html>
"""


def policy(build="b1", data="phone number", recipients="our payment processor"):
    return POLICY % dict(build=build, data=data, recipients=recipients)


class RunTest(Case):

    def basic(self, extra=""):
        self.conf("""[document "example/privacy"]
\turl = %s/policy.html
\ttitle = Example Privacy Policy
\tselect = main
\tteam = legal
[team "legal"]
\temail = legal@example.com
[run]
\ttimeout = 3
\tconnect-timeout = 2
%s""" % (self.srv.base, extra))

    def test_first_record_then_quiet_then_change(self):
        self.page("policy.html", policy())
        self.basic()
        r = self.cw("run", now="2026-11-22T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("example/privacy", r.stdout)
        self.assertEqual(len(self.commits()), 1)
        text = self.git("show", "main:example/privacy.md")
        self.assertIn("# Example Privacy Policy", text)
        self.assertIn("phone number", text)
        self.assertNotIn("Pricing", text)      # nav is outside main
        self.assertNotIn("var build", text)
        msg = self.git("log", "-1", "--format=%B", "main")
        self.assertIn("Document: example/privacy", msg)
        self.assertIn("Source: %s/policy.html" % self.srv.base, msg)
        self.assertIn("Fetched: 2026-11-22T07:00:00Z", msg)
        self.assertEqual(len(self.commits("snapshots")), 1)

        # unchanged page (304 through the ETag): nothing on stdout, no commit
        r = self.cw("run", now="2026-11-23T07:00:00Z")
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)
        self.assertEqual(len(self.commits()), 1)

        # markup noise only (new build id, outside main and in a script)
        self.page("policy.html", policy(build="b2"))
        r = self.cw("run", now="2026-11-24T07:00:00Z")
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)
        self.assertEqual(len(self.commits()), 1)

        # a real change
        self.page("policy.html", policy(build="b3", recipients="our payment processor and advertising partners"))
        r = self.cw("run", now="2026-11-25T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("example/privacy", r.stdout)
        self.assertEqual(len(self.commits()), 2)
        msg = self.git("log", "-1", "--format=%B", "main")
        self.assertIn("Material: yes", msg)
        self.assertIn("sharing", msg.split("Categories:")[1].splitlines()[0])
        self.assertIn("Deadline: 2026-12-25", msg)   # seen + 30 days notice
        self.assertEqual(self.git("log", "--format=%H", "--grep=Material: yes", "main").split(),
                         self.commits()[:1])
        subprocess.run(["git", "-C", self.store, "fsck", "--strict"], check=True,
                       capture_output=True)

    def test_failures_do_not_stop_others(self):
        self.page("policy.html", policy())
        self.conf("""[document "a/missing"]
\turl = %(b)s/status/404
[document "a/ok"]
\turl = %(b)s/policy.html
[document "a/broken"]
\turl = %(b)s/status/503
""" % dict(b=self.srv.base))
        r = self.cw("run")
        self.assertEqual(r.returncode, 1)
        self.assertIn("a/missing", r.stderr)
        self.assertIn("HTTP 404", r.stderr)
        self.assertIn("a/broken", r.stderr)
        self.assertIn("HTTP 503 after 2 tries", r.stderr)
        self.assertEqual(self.git("ls-tree", "-r", "--name-only", "main").split(), ["a/ok.md"])

    def test_timeout_redirect_to_file_oversize_gzip(self):
        self.page("policy.html", policy())
        self.page("big.html", "<html><body><p>" + "x" * 5000 + "</p></body></html>")
        self.conf("""[document "t/slow"]
\turl = %(b)s/slow/5/policy.html
[document "t/file"]
\turl = %(b)s/to-file
[document "t/big"]
\turl = %(b)s/big.html
[document "t/gzip"]
\turl = %(b)s/gzip/policy.html
[document "t/redirect"]
\turl = %(b)s/to/policy.html
[run]
\ttimeout = 1
\tmax-size = 4k
""" % dict(b=self.srv.base))
        r = self.cw("run")
        self.assertEqual(r.returncode, 1)
        err = r.stderr
        self.assertRegex(err, r"t/slow: .*(timed out|Timeout).* after 2 tries")
        self.assertRegex(err, r"t/file: ")
        self.assertRegex(err, r"t/big: larger than 4096 bytes")
        names = self.git("ls-tree", "-r", "--name-only", "main").split()
        self.assertEqual(sorted(names), ["t/gzip.md", "t/redirect.md"])
        self.assertNotIn("root:", self.git("show", "main:t/redirect.md"))

    def test_error_page_is_held_back_until_it_persists(self):
        self.page("policy.html", policy())
        self.basic("\tconfirm-shrink = 2\n")
        self.assertEqual(self.cw("run").returncode, 0)
        self.page("policy.html", "<html><body><main><p>Access denied</p></main></body></html>")
        r = self.cw("run")
        self.assertEqual(r.returncode, 1)
        self.assertIn("lost", r.stderr)
        self.assertEqual(len(self.commits()), 1)
        r = self.cw("run")     # still there on the second run: it is real
        self.assertEqual(len(self.commits()), 2, r.stderr)
        self.assertIn("Access denied", self.git("show", "main:example/privacy.md"))

    def test_lock_and_kill(self):
        self.page("policy.html", policy())
        self.basic()
        self.assertEqual(self.cw("run").returncode, 0)
        # a second run while one holds the lock exits at once, store untouched
        with open(os.path.join(self.store, "clausewatch.lock"), "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            before = self.commits()
            self.page("policy.html", policy(data="passport number"))
            r = self.cw("run")
            self.assertEqual(r.returncode, 2)
            self.assertIn("another clausewatch run", r.stderr)
            self.assertEqual(self.commits(), before)
        # kill -9 in the middle of a run, then the next run completes
        docs = "".join('[document "k/d%02d"]\n\turl = %s/slow/0.2/p%02d.html\n' % (i, self.srv.base, i)
                       for i in range(20))
        for i in range(20):
            self.page("p%02d.html" % i, policy(data="item %d" % i))
        self.conf(docs, "more.conf")
        p = subprocess.Popen([BIN, "-w", self.wl, "-s", self.store, "run", "-j", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        p.send_signal(signal.SIGKILL)
        p.wait()
        subprocess.run(["git", "-C", self.store, "fsck", "--strict"], check=True,
                       capture_output=True)
        r = self.cw("run")
        self.assertEqual(r.returncode, 0, r.stderr)
        names = self.git("ls-tree", "-r", "--name-only", "main").split()
        self.assertEqual(len([n for n in names if n.startswith("k/")]), 20)
        subprocess.run(["git", "-C", self.store, "fsck", "--strict"], check=True,
                       capture_output=True)

    def test_killed_at_any_point_of_a_pack_writing_run(self):
        # the run's objects go into one pack at its end: killed before, in
        # or after that, the store stays one git accepts and the next run
        # completes; the first records share one commit
        n = 150
        for i in range(n):
            self.page("m%03d.html" % i, policy(data="item %d" % i))
        self.conf("".join('[document "m/d%03d"]\n\turl = %s/m%03d.html\n\tselect = main\n'
                          % (i, self.srv.base, i) for i in range(n)))
        delay, finished = 0.05, False
        while not finished:
            p = subprocess.Popen([BIN, "-q", "-w", self.wl, "-s", self.store, "run"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            finished = p.poll() is not None
            p.send_signal(signal.SIGKILL)
            p.wait()
            if os.path.exists(os.path.join(self.store, "HEAD")):
                subprocess.run(["git", "-C", self.store, "fsck", "--strict"], check=True,
                               capture_output=True)
                packdir = os.path.join(self.store, "objects", "pack")
                for f in os.listdir(packdir) if os.path.isdir(packdir) else []:
                    self.assertRegex(f, r"^pack-[0-9a-f]{40}\.(pack|idx)$")
                # a branch's lock the kill left could be a git command's:
                # runs leave it ten minutes (test_stale_ref_lock_of_a_killed_run)
                old = time.time() - 3600
                for lock in glob.glob(os.path.join(self.store, "refs", "heads", "*.lock")):
                    os.utime(lock, (old, old))
            delay *= 1.6
        r = self.cw("run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.git("ls-tree", "-r", "--name-only", "main").split()), n)
        self.assertEqual(len(self.commits()), 1)
        self.assertEqual(self.git("log", "-1", "--format=%s", "main"),
                         "First record of %d documents\n" % n)
        docs = self.git("log", "-1", "--format=%(trailers:key=Document,valueonly)", "main").split()
        self.assertEqual(sorted(docs), ["m/d%03d" % i for i in range(n)])
        # no loose objects: the run wrote one pack
        self.assertIn("count: 0\n", self.git("count-objects", "-v"))
        subprocess.run(["git", "-C", self.store, "fsck", "--strict"], check=True,
                       capture_output=True)
        # the readers see each document's first record in the shared commit
        r = self.cw("log", "m/d007")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("First record of %d documents" % n, r.stdout)
        r = self.cw("list")
        line = [l for l in r.stdout.splitlines() if l.startswith("m/d042\t")][0]
        self.assertNotIn("changed -", line)
        # the same bytes again: nothing to record, still no loose object
        r = self.cw("run")
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)
        self.page("m007.html", policy(data="item 7 and your location"))
        r = self.cw("run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("m/d007", r.stdout)
        self.assertEqual(len(self.commits()), 2)
        self.assertIn("Document: m/d007", self.git("log", "-1", "--format=%B", "main"))
        # a change's few objects are written loose, not as a pack of their own
        counts = dict(l.split(": ") for l in self.git("count-objects", "-v").splitlines())
        self.assertEqual(counts["packs"], "1")
        self.assertTrue(0 < int(counts["count"]) < 20, counts)
        subprocess.run(["git", "-C", self.store, "fsck", "--strict"], check=True,
                       capture_output=True)

    def test_stale_ref_lock_of_a_killed_run(self):
        self.page("policy.html", policy())
        self.basic()
        self.assertEqual(self.cw("run").returncode, 0)
        lock = os.path.join(self.store, "refs", "heads", "main.lock")
        with open(lock, "w") as f:
            f.write("0" * 40 + "\n")
        self.page("policy.html", policy(data="passport number"))
        # a fresh lock may belong to a git command still running: left alone
        r = self.cw("run")
        self.assertEqual(r.returncode, 2)      # the store write stopped the run
        self.assertIn("main.lock", r.stderr)
        self.assertEqual(len(self.commits()), 1)
        # an old one was left by a killed run: removed, and the run completes
        old = time.time() - 3600
        os.utime(lock, (old, old))
        r = self.cw("run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("interrupted run", r.stderr)
        self.assertFalse(os.path.exists(lock))
        self.assertEqual(len(self.commits()), 2)

    def test_selector_change_reextracts_without_judging(self):
        self.page("policy.html", policy())
        self.basic()
        self.assertEqual(self.cw("run").returncode, 0)
        self.assertIn("- One", self.git("show", "main:example/privacy.md"))
        # the page is unchanged (its ETag would answer 304) but the watchlist
        # now drops the list: the new extraction is recorded, not judged
        self.basic("[document \"example/privacy\"]\n\tremove = ul\n")
        r = self.cw("run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("new extraction", r.stdout)
        self.assertNotIn("- One", self.git("show", "main:example/privacy.md"))
        msg = self.git("log", "-1", "--format=%B", "main")
        self.assertIn("Material: no", msg)
        self.assertIn("Deadline: none", msg)
        r = self.cw("run")          # and then quiet again
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)

    def test_only_dry_run_and_list(self):
        self.page("policy.html", policy())
        self.page("other.txt", "Terms\n\n1. Be nice.\n")
        self.conf("""[document "x/one"]
\turl = %(b)s/policy.html
[document "x/two"]
\turl = %(b)s/other.txt
""" % dict(b=self.srv.base))
        r = self.cw("run", "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("x/one", r.stdout)
        self.assertEqual(self.commits(), [])
        r = self.cw("run", "--only", "x/two")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.git("ls-tree", "-r", "--name-only", "main").split(), ["x/two.md"])
        self.assertEqual(self.cw("run", "--only", "x/none").returncode, 2)
        r = self.cw("list")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[0].startswith("x/one\t"))
        self.assertIn("never fetched", lines[0])
        self.assertIn(" ok", lines[1])

    def test_a_bad_selector_fails_the_runs_that_fetch_its_document(self):
        self.page("other.txt", "Terms\n\n1. Be nice.\n")
        self.conf("""[document "x/bad"]
\turl = %(b)s/other.txt
\tremove = p:hover
[document "x/two"]
\turl = %(b)s/other.txt
""" % dict(b=self.srv.base))
        for args in (("check",), ("run",), ("run", "--only", "x/bad")):
            r = self.cw(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn(".conf:3: remove: ", r.stderr)
            self.assertIn("'p:hover'", r.stderr)
        self.assertEqual(self.commits(), [])
        # a run of another document does not read this one's selectors
        r = self.cw("run", "--only", "x/two")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.git("ls-tree", "-r", "--name-only", "main").split(), ["x/two.md"])


if __name__ == "__main__":
    unittest.main()
