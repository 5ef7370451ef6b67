"""End-to-end: agreements that are not static HTML.

PDFs made here with tests/mkpdf.py (Debian's python3-reportlab), served by
the real HTTP server as application/pdf; a page whose text a script inserts,
fetched through the real Debian chromium (contrib/install-deps.sh installs
it).  Changes in both are recorded and judged like any other."""
import glob
import json
import os
import shutil
import subprocess
import unittest

from cwtest import HERE, TOP, Case

MKPDF = os.path.join(TOP, "tests", "mkpdf.py")

DPA = [
    ["h1", "Data Processing Agreement"],
    ["p", "This Data Processing Agreement forms part of the agreement between ACME "
          "Cloud Inc. and the customer for the purchase of online services and it "
          "governs the processing of personal data by ACME on behalf of the customer."],
    ["h2", "1. Changes to this Agreement"],
    ["p", "We may amend this agree-\nment from time to time. We will notify you by "
          "email at least %(days)s days before a material change takes effect. Your "
          "continued use of the services after the effective date constitutes "
          "acceptance of the amended terms."],
    ["break"],
    ["h2", "2. Sub-processors"],
    ["p", "We may engage sub-processors to process personal data on our behalf. "
          "%(sharing)s"],
    ["break"],
    ["h2", "3. Security"],
    ["p", "We implement appropriate technical and organisational measures to protect "
          "personal data against accidental or unlawful destruction or loss."],
]

ZH = [
    ["h1", "用户服务协议"],
    ["p", "欢迎您使用示例云服务。本协议是您与示例科技有限公司之间关于使用本服务所订立的协议。"
          "请您在使用本服务前仔细阅读本协议的全部内容。"],
    ["h2", "第一条 协议的变更"],
    ["p", "我们可能会不时修改本协议。协议发生重大变更的，我们将在变更生效前至少三十日通过"
          "电子邮件通知您。如您在变更生效后继续使用本服务，即视为您已接受修改后的协议。"],
    ["break"],
    ["h2", "第二条 个人信息"],
    ["p", "未经您的同意，我们不会向任何第三方共享您的个人信息。"],
]


def dpa(days="30", sharing="We will inform you of any intended change of "
        "sub-processors, and you may object within fourteen days."):
    return [[k] + [t % dict(days=days, sharing=sharing) for t in rest]
            for k, *rest in DPA]


class PdfCase(Case):

    def pdf(self, name, blocks=None, lang="en", header="ACME Cloud DPA (v2)",
            footer="Page %d of 3", **extra):
        spec = dict(lang=lang, header=header, footer=footer, blocks=blocks or [], **extra)
        path = os.path.join(self.pages, name)
        with open(path + ".json", "w", encoding="utf-8") as f:
            json.dump(spec, f, ensure_ascii=False)
        subprocess.run(["/usr/bin/python3", MKPDF, path, path + ".json"], check=True)
        os.unlink(path + ".json")
        return path


class PdfTest(PdfCase):

    def conf_dpa(self, url):
        self.conf("""[document "acme/dpa"]
\turl = %s
\ttitle = ACME DPA
\tteam = legal
[team "legal"]
\temail = legal@example.com
[run]
\ttimeout = 20
""" % url)

    def test_pdf_recorded_then_change_judged(self):
        # served as application/pdf at a URL that does not say .pdf
        self.pdf("dpa", dpa())
        self.page("dpa.ctype", "application/pdf")
        self.conf_dpa(self.srv.base + "/dpa")
        r = self.cw("run", now="2026-11-22T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.git("show", "main:acme/dpa.md")
        self.assertTrue(text.startswith("# Data Processing Agreement\n"), text)
        self.assertIn("\n## 1. Changes to this Agreement\n", text)
        self.assertIn("We may amend this agreement from time to time.", text)
        self.assertNotIn("ACME Cloud DPA (v2)", text)
        self.assertNotIn("Page ", text)
        # the raw PDF is kept on the snapshots branch
        snap = self.git("ls-tree", "-r", "--name-only", "snapshots")
        self.assertRegex(snap, r"acme/dpa[^\n]*\.pdf")

        # a quiet run: same bytes, nothing recorded
        r = self.cw("run", now="2026-11-23T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.commits()), 1)

        # notice cut from 30 to 7 days, a new sharing clause
        self.pdf("dpa", dpa(days="7", sharing="We may share personal data with our "
                            "advertising partners for marketing purposes."))
        r = self.cw("run", now="2026-11-24T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.commits()), 2)
        msg = self.git("log", "-1", "--format=%B", "main")
        self.assertIn("Document: acme/dpa", msg)
        self.assertIn("Material: yes", msg)
        self.assertRegex(msg, r"Categories: .*sharing")
        self.assertIn("at least 7 days", self.git("show", "main:acme/dpa.md"))
        outbox = glob.glob(os.path.join(self.store, "**", "*.eml"), recursive=True)
        self.assertTrue(outbox, "no mail queued")

    def test_analyze_and_compare_pdf_files(self):
        old = self.pdf("v1.pdf", dpa())
        new = self.pdf("v2.pdf", dpa(days="7"))
        r = self.cw("analyze", old, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        a = json.loads(r.stdout)
        self.assertEqual(a["title"], "Data Processing Agreement")
        self.assertEqual(a["notice"]["days"], 30)
        self.assertTrue(a["deemed_acceptance"])
        r = self.cw("compare", old, new, "--json", "--seen", "2026-11-24")
        self.assertEqual(r.returncode, 1, r.stderr)
        c = json.loads(r.stdout)
        self.assertTrue(c["changed"])
        self.assertEqual([ch["kind"] for ch in c["changes"]], ["modified"])
        self.assertIn("7 days", c["changes"][0]["new"])
        r = self.cw("compare", old, old)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_chinese_pdf(self):
        zh = self.pdf("zh.pdf", ZH, lang="zh", header="示例云服务 用户协议",
                      footer="第 %d 页")
        r = self.cw("analyze", zh, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        a = json.loads(r.stdout)
        self.assertEqual(a["language"], "zh")
        self.assertEqual(a["title"], "用户服务协议")
        self.assertTrue(a["deemed_acceptance"], a)
        self.assertEqual(a["notice"]["days"], 30, a)

    def test_scanned_and_malformed_fail_that_document_only(self):
        self.pdf("scan.pdf", scanned=True, pages=2)
        self.page("broken.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\ngarbage\n")
        self.page("ok.html", "<html><body><main><h1>Terms</h1><p>We may change "
                  "these terms at any time.</p></main></body></html>")
        self.conf("""[document "a/scan"]
\turl = %(b)s/scan.pdf
[document "a/broken"]
\turl = %(b)s/broken.pdf
[document "a/ok"]
\turl = %(b)s/ok.html
""" % dict(b=self.srv.base))
        r = self.cw("run")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"a/scan: no text layer: 2 page\(s\) of images only, "
                         r"probably scanned")
        self.assertRegex(r.stderr, r"a/broken: not a readable PDF")
        files = self.git("ls-tree", "-r", "--name-only", "main")
        self.assertEqual(files.split(), ["a/ok.md"])


CHROMIUM = shutil.which("chromium")

SHELL = """<!doctype html><html><head><title>Console terms</title>
<script src="/app.js"></script></head>
<body><div id="root"></div>
<noscript>You need to enable JavaScript to run this app.</noscript></body></html>
"""

APP = """document.addEventListener("DOMContentLoaded", function () {
  // text only exists once a timer ran, as in apps that fetch their content
  setTimeout(function () {
    var m = document.createElement("main");
    m.innerHTML = "<h1>API Platform Terms</h1>" +
      "<h2>1. Changes</h2><p>We will notify you by email at least %(days)s days " +
      "before changes take effect. If you keep using the API after that, you " +
      "accept the new terms.</p>" +
      "<h2>2. Your data</h2><p>%(data)s</p>";
    document.getElementById("root").appendChild(m);
  }, 200);
});
"""


@unittest.skipUnless(CHROMIUM, "chromium is not installed (contrib/install-deps.sh)")
class RenderTest(Case):

    def app(self, days="30", data="We do not share your request logs with anyone."):
        self.page("index.html", SHELL)
        self.page("app.js", APP % dict(days=days, data=data), "application/javascript")

    def test_rendered_page_recorded_then_change_judged(self):
        self.app()
        self.conf("""[document "api/terms"]
\turl = %(b)s/index.html
\ttitle = API terms
\trender = chromium
\tselect = main
\tteam = dev
[document "api/static"]
\turl = %(b)s/index.html
\tteam = dev
[team "dev"]
\temail = dev@example.com
[run]
\ttimeout = 60
""" % dict(b=self.srv.base))
        r = self.cw("run", now="2026-11-22T07:00:00Z", timeout=300)
        # the static fetch of the same shell says what to do
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("api/static: the selection holds only", r.stderr)
        self.assertIn("looks rendered by JavaScript; set render = chromium", r.stderr)
        self.assertNotIn("api/terms", r.stderr)
        text = self.git("show", "main:api/terms.md")
        self.assertIn("# API Platform Terms", text)
        self.assertIn("at least 30 days before changes take effect", text)
        self.assertNotIn("enable JavaScript", text)

        self.app(days="5", data="We share your request logs with our advertising "
                 "partners for marketing purposes.")
        r = self.cw("run", "--only", "api/terms", now="2026-11-24T07:00:00Z", timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        msg = self.git("log", "-1", "--format=%B", "main")
        self.assertIn("Document: api/terms", msg)
        self.assertIn("Material: yes", msg)
        self.assertRegex(msg, r"Categories: .*sharing")
        self.assertIn("at least 5 days", self.git("show", "main:api/terms.md"))

class NoChromiumTest(Case):
    """What needs no real browser: a missing one, a stand-in, the hints."""


    def test_check_and_run_say_the_browser_is_missing(self):
        self.page("ok.html", "<html><body><main><p>Plain terms.</p></main></body></html>")
        self.conf("""[document "a/spa"]
\turl = %(b)s/ok.html
\trender = chromium
[document "a/ok"]
\turl = %(b)s/ok.html
""" % dict(b=self.srv.base))
        env = {"CLAUSEWATCH_CHROMIUM": "/nonexistent/chromium"}
        r = self.cw("check", env=env)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr, r"test\.conf:3: document 'a/spa' needs a browser "
                         r"\(render = chromium\): .*not installed")
        r = self.cw("run", env=env)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"fetch a/spa: .*not installed")
        self.assertEqual(self.git("ls-tree", "-r", "--name-only", "main").split(),
                         ["a/ok.md"])

    def test_render_setting_and_hint_for_an_unmatched_select(self):
        self.page("shell.html", SHELL)
        self.conf('[document "a/x"]\n\turl = %s/shell.html\n\trender = firefox\n'
                  % self.srv.base)
        r = self.cw("check")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("test.conf:3: render is 'chromium' or 'none', not 'firefox'", r.stderr)
        # [run] render is the default; a document may say none
        self.conf('[document "a/x"]\n\turl = %(b)s/shell.html\n\tselect = main\n'
                  '[document "a/y"]\n\turl = %(b)s/shell.html\n\tselect = main\n'
                  '\trender = none\n[run]\n\trender = chromium\n' % dict(b=self.srv.base))
        env = {"CLAUSEWATCH_CHROMIUM": "/nonexistent/chromium"}
        r = self.cw("check", env=env)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("test.conf:9: document 'a/x' needs a browser", r.stderr)
        self.assertNotIn("a/y", r.stderr)
        # the static fetch: select matches nothing in the shell, and it says why
        self.conf('[document "a/y"]\n\turl = %s/shell.html\n\tselect = main\n'
                  % self.srv.base)
        r = self.cw("run")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"normalize a/y: .*; the page looks rendered by "
                         r"JavaScript: set render = chromium")
        # a small selection meant to be small: render = none says so
        self.page("small.html", "<html><head><script src=/a.js></script></head><body>"
                  "<p class=v>Version 3, 1 May 2026</p><main>Other text</main></body></html>")
        self.conf('[document "a/v"]\n\turl = %s/small.html\n\tselect = .v\n'
                  % self.srv.base)
        r = self.cw("run")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("set render = chromium (or render = none to record it as it is)",
                      r.stderr)
        self.conf('[document "a/v"]\n\turl = %s/small.html\n\tselect = .v\n'
                  '\trender = none\n' % self.srv.base)
        r = self.cw("run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.git("show", "main:a/v.md").strip(), "Version 3, 1 May 2026")

    def test_renders_within_jobs(self):
        """A stand-in browser logs how many of it run at once: never more
        than -j, with curl transfers in the same slots."""
        fake = os.path.join(self.dir, "fakebrowser")
        running = os.path.join(self.dir, "running")
        os.makedirs(running)
        with open(fake, "w") as f:
            f.write("""#!/bin/sh
touch "%(run)s/$$"
ls "%(run)s" | wc -l >> "%(run)s.log"
sleep 0.3
rm -f "%(run)s/$$"
for a in "$@"; do url=$a; done
echo "<html><body><main><p>Rendered terms of $url</p></main></body></html>"
""" % dict(run=running))
        os.chmod(fake, 0o755)
        self.page("ok.html", "<html><body><main><p>Plain terms.</p></main></body></html>")
        conf = ""
        for i in range(6):
            conf += '[document "r/%d"]\n\turl = %s/ok.html?%d\n\trender = chromium\n' % (
                i, self.srv.base, i)
            conf += '[document "s/%d"]\n\turl = %s/ok.html\n' % (i, self.srv.base)
        self.conf(conf)
        r = self.cw("run", "-j", "2", env={"CLAUSEWATCH_CHROMIUM": fake})
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(running + ".log") as f:
            counts = [int(x) for x in f.read().split()]
        self.assertEqual(len(counts), 6)
        self.assertLessEqual(max(counts), 2)
        self.assertIn("Rendered terms of %s/ok.html?3" % self.srv.base,
                      self.git("show", "main:r/3.md"))
        self.assertEqual(len(self.git("ls-tree", "-r", "--name-only", "main").split()), 12)

    def test_shrink_hold_names_scripts(self):
        # a page first recorded whole, later served as an empty shell
        self.page("p.html", "<html><body><main><h1>Terms</h1><p>" +
                  "We may change these terms. " * 200 + "</p></main></body></html>")
        self.conf("""[document "x/p"]
\turl = %s/p.html
""" % self.srv.base)
        r = self.cw("run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.page("p.html", "<html><head><script src=/app.js></script></head><body>"
                  "<main><h1>Terms</h1><p>" + "Loading the terms of service, please "
                  "wait a moment. " * 12 + "</p></main></body></html>")
        r = self.cw("run")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("not recorded unless it persists", r.stderr)
        self.assertIn("the page loads scripts: if they fill it, set render = chromium",
                      r.stderr)


if __name__ == "__main__":
    unittest.main()
