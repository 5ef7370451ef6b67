"""End-to-end: `clausewatch check` names every problem with file and line."""
import os
import unittest

from cwtest import Case


class CheckTest(Case):

    def test_good(self):
        self.conf("""[document "face/privacy"]
\turl = https://example.com/privacy
\tselect = main article
\tteam = legal
[team "legal"]
\temail = legal@example.com
""")
        r = self.cw("check")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_every_problem_reported(self):
        self.conf("""[document "ok/doc"]
\turl = https://example.com/a
\tteam = legal
[team "legal"]
\temail = legal@example.com
[document "Bad/Upper"]
\turl = https://example.com/b
[document "../escape"]
\turl = https://example.com/c
[document "a/b/c"]
\turl = https://example.com/d
[document "no/url"]
\ttitle = Nothing to fetch
[document "ftp/doc"]
\turl = ftp://example.com/e
[document "team/missing"]
\turl = https://example.com/f
\tteam = nobody
[document "typo/key"]
\turl = https://example.com/g
\tselcet = main
""", "a.conf")
        self.conf("""[document "ok/doc"]
\turl = https://example.com/dup
""", "b.conf")
        r = self.cw("check")
        self.assertEqual(r.returncode, 2)
        err = r.stderr
        wl = self.wl
        self.assertIn("%s/a.conf:6: document id 'Bad/Upper'" % wl, err)
        self.assertIn("%s/a.conf:8: document id '../escape'" % wl, err)
        self.assertIn("%s/a.conf:10: document id 'a/b/c'" % wl, err)
        self.assertIn("%s/a.conf:12: document 'no/url' has no url" % wl, err)
        self.assertIn("%s/a.conf:15: url 'ftp://example.com/e'" % wl, err)
        self.assertIn("%s/a.conf:18: team 'nobody' is used but not defined" % wl, err)
        self.assertIn("%s/a.conf:21: unknown key 'selcet'" % wl, err)
        self.assertIn("%s/b.conf:1: document 'ok/doc' is also defined in" % wl, err)

    def test_syntax_error_names_line(self):
        self.conf("[document \"x/y\"]\n\turl = https://example.com/\n[broken\n")
        r = self.cw("check")
        self.assertEqual(r.returncode, 2)
        self.assertIn("test.conf", r.stderr)
        self.assertIn(":3", r.stderr)

    def test_run_refuses_bad_watchlist(self):
        self.conf("[document \"x/y\"]\n\turl = gopher://example.com/\n")
        r = self.cw("run")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")

    def test_smtp_settings(self):
        self.conf("""[smtp]
\thost = 127.0.0.1
\tport = 465
[mail]
\tfrom = cw@example.com
""")
        r = self.cw("check")
        self.assertEqual(r.returncode, 2)
        self.assertIn("587", r.stderr)
        self.conf("""[smtp]
\thost = 127.0.0.1
\tuser = bob
\tsecurity = none
""")
        r = self.cw("check")
        self.assertEqual(r.returncode, 2)
        self.assertIn("starttls", r.stderr)
        self.conf("[smtp]\n\thost = 127.0.0.1\n\tpassword = hunter2\n")
        r = self.cw("check")
        self.assertEqual(r.returncode, 2)
        self.assertIn("password", r.stderr)

    def test_smtp_problem_reported_once(self):
        # the watchlist loader and the mail settings check each said it
        self.conf("""[smtp]
\thost = 127.0.0.1
\tport = 465
\tuser = bob
[mail]
\tfrom = cw@example.com
""")
        r = self.cw("check")
        self.assertEqual(r.returncode, 2)
        lines = r.stderr.splitlines()
        self.assertEqual(len([l for l in lines if "465" in l]), 1, r.stderr)
        self.assertEqual(len([l for l in lines if "starttls" in l and "user" in l]), 1,
                         r.stderr)
        # run refuses the same settings before fetching, with the same words
        r = self.cw("run")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len([l for l in r.stderr.splitlines() if "465" in l]), 1,
                         r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.store, "ledger")))


if __name__ == "__main__":
    unittest.main()
