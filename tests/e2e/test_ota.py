"""End-to-end: `clausewatch import-ota` turns Open Terms Archive declarations
into a watchlist that `check` accepts and `run` fetches, range selectors
included."""
import glob
import json
import os
import unittest

from cwtest import TOP, Case

DEMO = os.path.join(os.path.dirname(TOP), "shared", "realworld", "demo-declarations")

# A made-up API platform's terms page: a table of contents after the
# terms, a help box to remove, and a footer.
TERMS = """<!doctype html><html><head><title>Terms</title></head><body>
<nav><a href="/">Home</a></nav>
<div class="doc">
<h1>Orbit API Terms</h1>
<p>These terms govern your use of the Orbit API.</p>
<div class="helpbox"><p>Need help? Chat with us.</p></div>
<h2>1. Fees</h2>
<p>API calls are billed monthly.</p>
<h3 id="contents">Contents</h3>
<ul><li>Fees</li></ul>
</div>
<footer>Orbit Inc.</footer>
</body></html>
"""


class ImportOtaTest(Case):

    def declaration(self, name, obj):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            json.dump(obj, f, indent=2)
        return path

    def imported(self, *paths):
        r = self.cw("import-ota", *paths)
        with open(os.path.join(self.wl, "ota.conf"), "w") as f:
            f.write(r.stdout)
        self.default_team()     # imported entries name no team
        return r

    @unittest.skipUnless(os.path.isdir(DEMO), "no ../shared/realworld/demo-declarations")
    def test_demo_declarations_pass_check(self):
        paths = sorted(glob.glob(os.path.join(DEMO, "*.json")))
        r = self.imported(*paths)
        self.assertEqual(r.returncode, 0, r.stderr)
        # past declarations are skipped with a note, never imported
        for p in paths:
            if p.endswith(".history.json"):
                self.assertIn("import-ota %s: " % p, r.stderr)
        self.assertNotIn("unsupported", r.stdout)
        current = [p for p in paths if not p.endswith(".history.json")]
        ndocs = 0
        for p in current:
            with open(p) as f:
                ndocs += len(json.load(f)["terms"])
        self.assertEqual(r.stdout.count("[document "), ndocs)
        self.assertIn('[document "npm-public-registry/privacy-policy"]', r.stdout)
        self.assertIn('\tselect = "range(startBefore: h1; endBefore: #toc-heading)"\n',
                      r.stdout)
        c = self.cw("-v", "check")
        self.assertEqual(c.returncode, 0, c.stderr + r.stdout)
        self.assertIn("%d documents" % ndocs, c.stdout)

    def test_range_and_removals_through_run(self):
        self.page("terms.html", TERMS)
        path = self.declaration("Orbit.json", {
            "name": "Orbit",
            "terms": {"Developer Terms": {
                "fetch": self.srv.base + "/terms.html",
                "select": [{"startBefore": "h1", "endBefore": "#contents"}],
                "remove": [".helpbox", "nav"],
            }}})
        r = self.imported(path)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertEqual(self.cw("check").returncode, 0)
        run = self.cw("run", now="2026-11-22T07:00:00Z")
        self.assertEqual(run.returncode, 0, run.stderr)
        text = self.git("show", "main:orbit/developer-terms.md")
        self.assertEqual(text, "# Orbit API Terms\n\n"
                         "These terms govern your use of the Orbit API.\n\n"
                         "## 1. Fees\n\nAPI calls are billed monthly.\n")

    def test_unsupported_reported_exit_1_document_kept(self):
        path = self.declaration("Orbit.json", {
            "name": "Orbit",
            "terms": {"Privacy Policy": {
                "fetch": "https://orbit.example/privacy",
                "select": "main",
                "filter": ["removeTrackers", "fixDates"],
            }}})
        r = self.imported(path)
        self.assertEqual(r.returncode, 1)
        self.assertIn("import-ota Orbit/Privacy Policy: custom filters "
                      "[removeTrackers, fixDates] not supported, dropped\n", r.stderr)
        self.assertIn("# unsupported: custom filters [removeTrackers, fixDates]"
                      " not supported, dropped\n[document \"orbit/privacy-policy\"]\n",
                      r.stdout)
        self.assertEqual(self.cw("check").returncode, 0)

    def test_bad_json_exit_2_with_line_and_no_output(self):
        good = self.declaration("Good.json", {"name": "Good", "terms": {
            "Imprint": {"fetch": "https://good.example/imprint"}}})
        bad = os.path.join(self.dir, "Bad.json")
        with open(bad, "w") as f:
            f.write('{\n  "name": "Bad",\n  "terms": {\n    "Imprint": {,\n  }\n}\n')
        r = self.cw("import-ota", good, bad)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertIn("%s:4:" % bad, r.stderr)
        r = self.cw("import-ota")
        self.assertEqual(r.returncode, 2)

    def test_check_names_a_range_cut_by_a_comment(self):
        # unquoted, git-config takes ';' for a comment and cuts the range
        self.conf("""[document "orbit/terms"]
\turl = https://orbit.example/terms
\tselect = range(startBefore: h1; endBefore: #contents)
\tremove = "range(startAfter: h2)"
\tremove = p:hover
""")
        r = self.cw("check")
        self.assertEqual(r.returncode, 2)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 2, r.stderr)
        self.assertTrue(lines[0].endswith("test.conf:3: select: range "
                                          "'range(startBefore: h1': no closing ')' "
                                          "(quote a watchlist value that holds ';' "
                                          "or '#')"), lines[0])
        self.assertIn("test.conf:5: remove: ", lines[1])
        self.assertIn("'p:hover'", lines[1])


if __name__ == "__main__":
    unittest.main()
