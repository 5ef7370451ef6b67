"""End-to-end: `clausewatch replay` reads a snapshot history and a version
history built here with the git CLI, records through the real normaliser and
store, and compares with the versions. Plus, when ../shared/realworld is
there, one small real document from Open Terms Archive's demo collection."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from cwtest import BIN, TOP

REAL = os.path.join(os.path.dirname(TOP), "shared", "realworld")

T1 = "2024-01-01T00:30:00Z"
T2 = "2024-01-02T00:30:00Z"
T3 = "2024-01-03T00:30:00Z"
T4 = "2024-01-04T00:30:00Z"
T5 = "2024-01-05T00:30:00Z"

TERMS = "Acme/Terms of Service"
PRIVACY = "Acme/Privacy Policy"
COOKIES = "Acme/Cookie Policy"

LONG = "".join("<p>Section %d. We keep the data you give us only as long as the "
               "service needs it, and we tell you before we change that.</p>" % i
               for i in range(1, 9))


def page(body, extra=""):
    return ("<!doctype html><html><head><title>Acme</title>%s</head><body>"
            "<nav><a href='/'>Home</a> <a href='/blog'>Blog</a></nav>%s"
            "<footer>Copyright Acme</footer></body></html>" % (extra, body))


def run(cwd, *args, when=None):
    env = dict(os.environ)
    env.update({"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    return subprocess.run(["git", "-C", cwd] + list(args), check=True, env=env,
                          capture_output=True, text=True).stdout


class Repo:
    def __init__(self, path):
        self.path = path
        os.makedirs(path)
        run(path, "init", "-q", "-b", "main")

    def commit(self, when, subject, files, url=None):
        for name, text in files.items():
            p = os.path.join(self.path, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
            run(self.path, "add", name)
        msg = subject
        if url:
            msg += "\n\nX-source-document-location: %s" % url
        run(self.path, "commit", "-q", "-m", msg, when=when)


def rows(out):
    """document -> (snaps, ours, ota, upg, matched, verdict, notes)"""
    got = {}
    for line in out.splitlines():
        m = re.match(r"^(\S.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s*(.*)$", line)
        if m and m.group(1) != "total":
            got[m.group(1)] = tuple(int(m.group(i)) for i in range(2, 7)) + \
                (m.group(7), m.group(8))
    return got


class ReplayTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cw-replay-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.snaps = Repo(os.path.join(self.dir, "snapshots"))
        self.vers = Repo(os.path.join(self.dir, "versions"))
        self.decl = os.path.join(self.dir, "declarations")
        os.makedirs(self.decl)
        with open(os.path.join(self.decl, "Acme.json"), "w") as f:
            json.dump({"name": "Acme", "terms": {
                "Terms of Service": {"fetch": "https://acme.example/terms",
                                     "select": "main", "remove": [".promo"]},
                "Privacy Policy": {"fetch": "https://acme.example/privacy",
                                   "select": ["#policy"]},
                "Cookie Policy": {"fetch": "https://acme.example/cookies",
                                  "select": "article"}}}, f)
        # before T2 the terms lived in #old-terms
        with open(os.path.join(self.decl, "Acme.history.json"), "w") as f:
            json.dump({"Terms of Service": [{"fetch": "https://acme.example/terms",
                                             "select": "#old-terms",
                                             "validUntil": T2}]}, f)
        s = self.snaps
        t = "Acme/Terms of Service.html"
        p = "Acme/Privacy Policy.html"
        c = "Acme/Cookie Policy.html"
        s.commit(T1, "First record of Acme", {
            t: page("<div id='old-terms'><h1>Terms</h1><p>You may use the service.</p></div>"),
            p: page("<div id='policy'><h1>Privacy</h1>%s</div>" % LONG),
            c: page("<article><h1>Cookies</h1><p>We set one cookie.</p></article>"),
        }, url="https://acme.example/terms")
        # new layout, same words: the declaration history covers it
        s.commit(T2, "Record new changes of Acme", {
            t: page("<main><h1>Terms</h1><p>You may use the service.</p></main>"),
            p: page("<div id='policy'><h1>Privacy</h1></div>"),
        }, url="https://acme.example/terms")
        # noise only: a script, an NBSP, a promo box inside the selection
        s.commit(T3, "Record new changes of Acme", {
            t: page("<main><h1>Terms</h1><div class='promo'>50% off today</div>"
                    "<p>You may use&nbsp;the service.</p></main>",
                    "<script>var build = 'a81f';</script>"),
            p: page("<div id='policy'><h1>Privacy</h1>%s</div>" % LONG),
            c: page("<article><h1>Cookies</h1><p>We set two cookies.</p></article>"),
        }, url="https://acme.example/terms")
        s.commit(T4, "Record new changes of Acme", {
            t: page("<main><h1>Terms</h1><p>You may use the service.</p>"
                    "<p>We may end your account at any time.</p></main>"),
            "Acme/Data Processing Agreement.pdf": "%PDF-1.4 not html\n",
        }, url="https://acme.example/terms")
        v = self.vers
        v.commit(T1, "First record of Acme Terms of Service",
                 {"Acme/Terms of Service.md": "# Terms\n\nYou may use the service.\n"})
        v.commit(T1, "First record of Acme Privacy Policy",
                 {"Acme/Privacy Policy.md": "# Privacy\n"})
        v.commit(T1, "First record of Acme Cookie Policy",
                 {"Acme/Cookie Policy.md": "# Cookies\n\nWe set one cookie.\n"})
        v.commit("2024-01-02T09:00:00Z",
                 "Apply technical or declaration upgrade on Acme Terms of Service",
                 {"Acme/Terms of Service.md": "# Terms\n\nYou may use the service.\n\n"})
        v.commit(T4, "Record new changes of Acme Terms of Service",
                 {"Acme/Terms of Service.md": "# Terms\n\nend your account\n"})
        v.commit(T5, "Update README", {"README.md": "versions\n"})

    def replay(self, *args, store=None):
        cmd = [BIN, "replay", self.snaps.path, self.vers.path, self.decl]
        if store:
            cmd += ["--store", store]
        return subprocess.run(cmd + list(args), capture_output=True, text=True,
                              timeout=120)

    def test_counts_and_verdicts(self):
        store = os.path.join(self.dir, "store")
        r = self.replay(store=store)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        got = rows(r.stdout)
        # 4 snapshots; recorded at T1 and T4 only (layout change, promo, NBSP
        # and script are not changes); OTA: 2 changes + 1 upgrade; both matched
        self.assertEqual(got[TERMS][:5], (4, 2, 2, 1, 2), r.stdout)
        self.assertEqual(got[TERMS][5], "ok", r.stdout)
        # the shrunk page at T2 is held back, its return at T3 is no change
        self.assertEqual(got[PRIVACY][:5], (3, 1, 1, 0, 1), r.stdout)
        self.assertEqual(got[PRIVACY][5], "ok", r.stdout)
        self.assertIn("1 held", got[PRIVACY][6])
        # a real change OTA did not record: more than OTA + 10%
        self.assertEqual(got[COOKIES][:5], (2, 2, 1, 0, 1), r.stdout)
        self.assertEqual(got[COOKIES][5], "FAIL:noisy", r.stdout)
        self.assertEqual(r.returncode, 1)
        # a PDF is reported and skipped, never normalised
        self.assertEqual(got["Acme/Data Processing Agreement"][0], 1)
        self.assertIn("1 skipped", got["Acme/Data Processing Agreement"][6])
        self.assertRegex(r.stdout, r"time: [0-9.]+ s in all; \d+ snapshots normalised")
        # the scratch store holds exactly the recorded versions, with trailers
        log = subprocess.run(["git", "-C", store, "log", "--format=%ct%n%B%n--",
                              "main", "--", "acme/terms-of-service.md"],
                             capture_output=True, text=True, check=True).stdout
        self.assertEqual(log.count("\n--\n"), 2, log)
        self.assertIn("Document: acme/terms-of-service", log)
        self.assertIn("Source: https://acme.example/terms", log)
        self.assertIn("Fetched: %s" % T4, log)
        text = subprocess.run(["git", "-C", store, "show", "main:acme/terms-of-service.md"],
                              capture_output=True, text=True, check=True).stdout
        self.assertIn("end your account at any time", text)
        self.assertNotIn("50% off", text)

    def test_only_passes(self):
        r = self.replay("--only", TERMS, "--only", PRIVACY)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        got = rows(r.stdout)
        self.assertEqual(sorted(got), [PRIVACY, TERMS])

    def test_store_must_be_fresh_and_names_known(self):
        store = os.path.join(self.dir, "used")
        os.makedirs(store)
        with open(os.path.join(store, "x"), "w") as f:
            f.write("x")
        r = self.replay(store=store)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not empty", r.stderr)
        r = self.replay("--only", "Acme/Nothing")
        self.assertEqual(r.returncode, 2)
        self.assertIn("Acme/Nothing", r.stderr)
        r = subprocess.run([BIN, "replay", self.snaps.path], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage", r.stderr)


@unittest.skipUnless(os.path.isdir(REAL), "no ../shared/realworld")
class RealReplayTest(unittest.TestCase):
    """One small real document: no crash, >= 90% of OTA's changes found."""
    DOC = "UptimeRobot/Terms of Service"

    def clone(self, tmp, what):
        # reuse bench/replay.sh's clones when present (a clone takes seconds)
        cached = os.path.join(TOP, "build", "replay", what)
        if os.path.isdir(os.path.join(cached, ".git")):
            return cached
        dst = os.path.join(tmp, what)
        subprocess.run(["git", "clone", "-q",
                        os.path.join(REAL, "demo-%s.bundle" % what), dst], check=True)
        return dst

    def test_real_document(self):
        tmp = tempfile.mkdtemp(prefix="cw-replay-real-")
        self.addCleanup(shutil.rmtree, tmp, True)
        snaps = self.clone(tmp, "snapshots")
        vers = self.clone(tmp, "versions")
        r = subprocess.run([BIN, "replay", snaps, vers, os.path.join(REAL, "demo-declarations"),
                            "--only", self.DOC], capture_output=True, text=True, timeout=300)
        self.assertIn(r.returncode, (0, 1), r.stdout + r.stderr)
        row = rows(r.stdout)[self.DOC]
        snapshots, ours, ota, upg, matched = row[:5]
        self.assertGreater(snapshots, 100)
        self.assertGreater(ota, 0)
        self.assertGreaterEqual(matched * 10, ota * 9, r.stdout)


if __name__ == "__main__":
    unittest.main()
