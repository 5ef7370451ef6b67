"""End-to-end: `clausewatch report` and [report] dir - the static site read
by a real browser (Debian's headless chromium, what a person would see:
the document list, a redline, a deadline), the calendar feed parsed by a
real iCalendar parser (Debian's python3-icalendar), stable UIDs, only
changed pages rewritten, hostile text escaped, several stores in one site."""
import html.parser
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from cwtest import TOP, Case
from test_run import policy

ICSCHECK = os.path.join(TOP, "tests", "icscheck.py")
CHROMIUM = shutil.which("chromium")
HOSTILE = "Evil <script>alert(1)</script> & \"Co\""


class Visible(html.parser.HTMLParser):
    """The text a person sees in a DOM the browser produced, and its elements."""

    def __init__(self):
        super().__init__()
        self.text, self.tags, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script", "title", "head"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title", "head"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)

    def joined(self):
        return " ".join(" ".join(self.text).split())


def browse(path):
    """The page's DOM after chromium loaded it (no script runs: there is none)."""
    prof = tempfile.mkdtemp(prefix="cw-chromium-")
    try:
        r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                            "--user-data-dir=" + prof, "--window-size=420,900",
                            "--dump-dom", "file://" + path],
                           capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(prof, True)
    if r.returncode != 0 or "<html" not in r.stdout:
        raise AssertionError("chromium failed: %s" % r.stderr[-2000:])
    v = Visible()
    v.feed(r.stdout)
    return v


def ics(path):
    r = subprocess.run(["/usr/bin/python3", ICSCHECK, path], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError("deadlines.ics does not parse: " + r.stderr)
    return json.loads(r.stdout)


class ReportTest(Case):

    def setUp(self):
        super().setUp()
        self.site = os.path.join(self.dir, "site")

    def configure(self, extra=""):
        self.conf("""[document "example/privacy"]
\turl = %s/policy.html
\ttitle = Example Privacy Policy
\tselect = main
\tteam = legal
[document "evil/terms"]
\turl = %s/evil.html
\ttitle = %s
\tteam = legal
[team "legal"]
\temail = legal@example.com
[mail]
\tlink = https://git.example.org/legal/clauses/commit/%%H
[report]
\tdir = %s
%s""" % (self.srv.base, self.srv.base, HOSTILE.replace('"', '\\"'), self.site, extra))

    def evil(self, n):
        self.page("evil.html", "<html><body><main><h1>Terms</h1><h2>1. Use</h2>"
                  "<p>Do not &lt;img src=x onerror=alert(%d)&gt; misuse the API.</p>"
                  "</main></body></html>" % n)

    def two_runs(self):
        self.page("policy.html", policy())
        self.evil(1)
        self.configure()
        r = self.cw("run", now="2026-11-01T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.page("policy.html", policy(recipients="our advertising partners"))
        self.evil(2)
        r = self.cw("run", now="2026-11-22T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.change = self.git("log", "-1", "--format=%H", "main", "--",
                               "example/privacy.md").strip()
        self.assertIn("Deadline: 2026-12-22", self.git("log", "-1", self.change))

    def file(self, *parts):
        return os.path.join(self.site, *parts)

    @unittest.skipUnless(CHROMIUM, "chromium not installed")
    def test_site_as_a_person_sees_it(self):
        self.two_runs()
        for f in ("index.html", "deadlines.html", "deadlines.ics", "style.css",
                  "doc/example/privacy.html", "change/example/privacy/%s.html" % self.change):
            self.assertTrue(os.path.exists(self.file(f)), f)
        # the document list
        v = browse(self.file("index.html"))
        text = v.joined()
        self.assertIn("Example Privacy Policy", text)
        self.assertIn(HOSTILE, text)                  # shown as text ...
        self.assertFalse([t for t, _ in v.tags if t == "script"])   # ... never run
        self.assertIn("2026-12-22", text)             # next deadline
        self.assertIn("material", text)
        self.assertIn("ok", text)                     # last fetch
        links = [a.get("href") for t, a in v.tags if t == "a"]
        self.assertIn("doc/example/privacy.html", links)
        self.assertIn("https://git.example.org/legal/clauses/commit/" + self.change, links)
        # the change: verdict, reason and the clause redline
        v = browse(self.file("change/example/privacy/%s.html" % self.change))
        text = v.joined()
        dels = [t for t, _ in v.tags if t == "del"]
        ins = [t for t, _ in v.tags if t == "ins"]
        self.assertTrue(dels and ins)
        self.assertIn("advertising partners", text)
        self.assertIn("last day to object 2026-12-21", text)
        self.assertIn("Clause", text)
        commit_links = [a["href"] for t, a in v.tags if t == "a" and "commit" in a.get("class", "")]
        self.assertEqual(commit_links, ["https://git.example.org/legal/clauses/commit/" + self.change])
        # the document page with its timeline picture
        v = browse(self.file("doc/example/privacy.html"))
        svg = [a for t, a in v.tags if t == "svg"]
        self.assertEqual(len(svg), 1)
        self.assertEqual(len([t for t, a in v.tags if t == "circle"]), 2)
        self.assertEqual(len([t for t, a in v.tags if t == "path"]), 1)    # the deadline
        self.assertIn("Versions (2)", v.joined())
        # the deadlines page
        v = browse(self.file("deadlines.html"))
        text = v.joined()
        self.assertIn("Open (1)", text)
        self.assertIn("2026-12-21", text)
        self.assertIn("Example Privacy Policy", text)
        # the hostile page's text is text on its change page too
        evil = self.git("log", "-1", "--format=%H", "main", "--", "evil/terms.md").strip()
        v = browse(self.file("change/evil/terms/%s.html" % evil))
        self.assertNotIn("img", [t for t, _ in v.tags])
        self.assertIn("Do not <img src=x onerror=alert(", v.joined())
        # a narrow window: the screenshot is made (layout checked by eye, see README)
        shot = os.path.join(self.dir, "index.png")
        prof = tempfile.mkdtemp(prefix="cw-chromium-")
        r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                            "--user-data-dir=" + prof, "--window-size=420,900",
                            "--screenshot=" + shot, "file://" + self.file("index.html")],
                           capture_output=True, timeout=120)
        shutil.rmtree(prof, True)
        self.assertEqual(r.returncode, 0)
        with open(shot, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_feed_stable_uids_then_ack(self):
        self.two_runs()
        cal = ics(self.file("deadlines.ics"))
        self.assertEqual(cal["method"], "PUBLISH")
        self.assertEqual(len(cal["events"]), 1)
        ev = cal["events"][0]
        self.assertTrue(ev["all_day"])
        self.assertEqual(ev["dtstart"], "2026-12-21")     # the last day to object
        self.assertEqual(ev["dtend"], "2026-12-22")
        self.assertIn("Example Privacy Policy", ev["summary"])
        self.assertIn("Material change", ev["description"])
        self.assertIn("sharing", ev["description"])
        self.assertEqual(ev["url"], "https://git.example.org/legal/clauses/commit/" + self.change)
        with open(self.file("deadlines.ics"), "rb") as f:
            before = f.read()
        change_page = self.file("change/example/privacy/%s.html" % self.change)
        css = self.file("style.css")
        stamps = {p: os.stat(p).st_mtime_ns for p in (change_page, css)}
        # the next run, nothing changed: same feed, same UID, pages untouched
        r = self.cw("run", now="2026-11-23T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.file("deadlines.ics"), "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertEqual(ics(self.file("deadlines.ics"))["events"][0]["uid"], ev["uid"])
        for p, t in stamps.items():
            self.assertEqual(os.stat(p).st_mtime_ns, t, p)
        # `report` into another folder gives the same UID (derived, not counted)
        other = os.path.join(self.dir, "other")
        r = self.cw("report", other, now="2026-11-24T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("index.html", r.stdout)
        self.assertEqual(ics(os.path.join(other, "deadlines.ics"))["events"][0]["uid"], ev["uid"])
        # the same report again: nothing to write
        r = self.cw("report", other, now="2026-11-24T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(": 0 files written", r.stdout)
        # acknowledged: out of the feed, listed as acknowledged
        r = self.cw("ack", "example/privacy", "--by", "A. Counsel", now="2026-11-24T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.cw("report", self.site, now="2026-11-24T09:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(ics(self.file("deadlines.ics"))["events"], [])
        with open(self.file("deadlines.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("Acknowledged (1)", page)
        self.assertIn("A. Counsel", page)
        self.assertIn("Open (0)", page)

    def test_passed_unacknowledged_leaves_the_feed(self):
        self.two_runs()
        r = self.cw("report", self.site, now="2027-01-05T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(ics(self.file("deadlines.ics"))["events"], [])
        with open(self.file("deadlines.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("Passed, never acknowledged (deemed accepted) (1)", page)
        self.assertIn("Open (0)", page)

    def test_announcement_listed_not_in_the_feed(self):
        self.two_runs()
        self.page("evil.html", "<html><body><main><p>Notice: we are updating these terms. "
                  "The new terms will take effect on 1 March 2027.</p><h1>Terms</h1>"
                  "<h2>1. Use</h2><p>Do not &lt;img src=x onerror=alert(2)&gt; misuse "
                  "the API.</p></main></body></html>")
        r = self.cw("run", now="2026-11-25T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("update announced for 2027-03-01", r.stdout)
        with open(self.file("deadlines.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("Announced updates (1)", page)
        self.assertIn("<td data-label=\"Announced for\">2027-03-01</td>", page)
        self.assertEqual(len(ics(self.file("deadlines.ics"))["events"]), 1)   # the policy's only
        r = self.cw("report", self.site, now="2027-03-02T07:00:00Z")
        with open(self.file("deadlines.html"), encoding="utf-8") as f:
            self.assertNotIn("Announced updates", f.read())

    def test_several_stores_in_one_site(self):
        self.two_runs()
        # a second host's store, its own watchlist
        wl2 = os.path.join(self.dir, "wl2")
        store2 = os.path.join(self.dir, "store2")
        os.makedirs(wl2)
        self.page("dpa.txt", "Data Processing Addendum\n\n1. Scope\n\nThis addendum applies.\n")
        with open(os.path.join(wl2, "b.conf"), "w") as f:
            f.write('[document "other/dpa"]\n\turl = %s/dpa.txt\n\tteam = dpo\n'
                    '[team "dpo"]\n\temail = dpo@example.com\n' % self.srv.base)
        r = subprocess.run([self.cw_bin(), "-w", wl2, "-s", store2, "--now",
                            "2026-11-22T08:00:00Z", "run"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        site = os.path.join(self.dir, "all")
        r = self.cw("report", site, self.store, store2, now="2026-11-22T09:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(site, "index.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("example/privacy", page)
        self.assertIn("other/dpa", page)
        self.assertTrue(os.path.exists(os.path.join(site, "doc", "other", "dpa.html")))

    def cw_bin(self):
        from cwtest import BIN
        return BIN
