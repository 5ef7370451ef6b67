"""End-to-end: a cron job the platform team can trust and mail counsel can act
on (issue 11). Each test runs the real binary against the real HTTP server;
mail goes to the store's outbox (no [smtp] host) and is read back with
Python's strict MIME parser."""
import email
import email.policy
import fcntl
import glob
import json
import os
import pty
import re
import select
import shutil
import subprocess
import threading
import time
import unittest

from cwtest import BIN, TOP, Case

PAGE = """<html><body><main>
<h1>Example Terms</h1>
<h2>1. Fees</h2>
<p>The service costs %(fee)s per month.</p>
<h2>2. Data</h2>
<p>We share your data with %(share)s.</p>
<h2>3. Changes</h2>
<p>We may update these terms. Material changes include, but are not limited to:</p>
<ul>
<li>changes in the fees charged for the service;</li>
<li>changes in the recipients with whom personal data is shared.</li>
</ul>
<p>We will notify you by e-mail at least 30 days before a material change takes effect.
If you continue to use the service after the change takes effect, you are deemed to have accepted it.
%(object)s</p>
<h2>4. Contact</h2>
<p>Write to help@example.com.</p>
</main></body></html>"""

OBJECT = ("If you do not agree with a change, you may object by writing to "
          "objections@example.com before it takes effect.")


def page(fee="10 euros", share="our payment processor", objection=OBJECT):
    return PAGE % dict(fee=fee, share=share, object=objection)


class CronTest(Case):

    def setup(self, extra="", doc_extra="", **kw):
        self.page("terms.html", page(**kw))
        self.conf("""[document "ex/terms"]
\turl = %s/terms.html
\ttitle = Example Terms
\tteam = legal
%s
[team "legal"]
\temail = legal@example.com
[mail]
\tfrom = clausewatch@example.com
%s""" % (self.srv.base, doc_extra, extra))

    def outbox(self):
        """(message, raw) of the outbox, in the order written."""
        out = []
        paths = glob.glob(os.path.join(self.store, "outbox", "new", "*.eml"))
        for path in sorted(paths, key=os.path.getmtime):
            with open(path, "rb") as f:
                raw = f.read()
            out.append((email.message_from_bytes(raw, policy=email.policy.strict), raw))
        return out

    @staticmethod
    def part(msg, ctype):
        for p in msg.walk():
            if p.get_content_type() == ctype:
                c = p.get_content()
                c = c.decode() if isinstance(c, bytes) else c
                return c.replace("\r\n", "\n")
        return None

    def change(self, **kw):
        """A first record on 2026-11-01, a material change on 2026-11-02."""
        self.setup(**kw)
        r = self.cw("run", now="2026-11-01T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.page("terms.html", page(fee="25 euros"))
        r = self.cw("run", now="2026-11-02T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("material change recorded", r.stdout)
        return self.git("rev-parse", "main").strip()

    # ---- failures are never silent ------------------------------------

    def test_quiet_keeps_failures(self):
        self.setup()
        self.conf("""[document "ex/gone"]
\turl = %s/status/404
\tteam = legal
""" % self.srv.base, "gone.conf")
        r = self.cw("-q", "run")
        self.assertEqual(r.returncode, 1)
        self.assertIn("ex/gone", r.stderr)         # the failure reaches cron's mail
        self.assertIn("404", r.stderr)
        self.assertNotIn("created a new store", r.stdout)
        # the shipped cron line keeps -q, and with it every failure
        with open(os.path.join(TOP, "contrib", "clausewatch.cron")) as f:
            self.assertIn(" -q ", f.read())

    def test_empty_store_is_normal(self):
        self.setup()
        self.conf("""[document "ex/terms"]
\turl = %s/status/503
\tteam = legal
[team "legal"]
\temail = legal@example.com
""" % self.srv.base)
        r = self.cw("run")                       # nothing recorded: store without main
        self.assertEqual(r.returncode, 1)
        self.assertNotIn("reminders", r.stderr)
        self.assertNotIn("refs/heads/main", r.stderr)
        r = self.cw("run")
        self.assertNotIn("reminders", r.stderr)
        for args in (["list"], ["deadlines"], ["deadlines", "--all", "--json"],
                     ["log", "ex/terms"]):
            r = self.cw(*args)
            self.assertEqual(r.returncode, 0, "%s: %s" % (args, r.stderr))
            self.assertNotIn("not found", r.stderr)
        self.assertEqual(json.loads(self.cw("deadlines", "--json").stdout), [])

    def test_store_path_rules(self):
        self.setup()
        # read commands refuse a missing store and say how to create one
        for args in (["list"], ["deadlines"], ["log", "ex/terms"], ["diff", "ex/terms"]):
            r = self.cw(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("clausewatch -s %s run" % self.store, r.stderr)
        self.assertFalse(os.path.exists(self.store))
        # a misspelled path whose parent does not exist is not created
        wrong = os.path.join(self.dir, "stroe", "store")
        r = self.cw("-s", wrong, "run")
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(os.path.dirname(wrong)))
        # a git work tree is refused, untouched
        wt = os.path.join(self.dir, "checkout")
        subprocess.run(["git", "init", "-q", wt], check=True)
        r = self.cw("-s", wt, "run")
        self.assertEqual(r.returncode, 2)
        self.assertIn("work tree", r.stderr)
        self.assertEqual(sorted(os.listdir(wt)), [".git"])
        # a folder of other files is refused
        other = os.path.join(self.dir, "other")
        os.makedirs(other)
        with open(os.path.join(other, "notes.txt"), "w") as f:
            f.write("mine")
        r = self.cw("-s", other, "run")
        self.assertEqual(r.returncode, 2)
        self.assertIn("notes.txt", r.stderr)
        self.assertEqual(os.listdir(other), ["notes.txt"])
        # a missing path (existing parent) is created, and said once, even with -q
        r = self.cw("-q", "run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr.count("created a new store at %s" % self.store), 1)
        r = self.cw("run")
        self.assertNotIn("created", r.stderr)
        # an empty folder, or the project's placeholder store/, is fine too
        empty = os.path.join(self.dir, "empty")
        os.makedirs(empty)
        with open(os.path.join(empty, ".gitignore"), "w") as f:
            f.write("*\n")
        r = self.cw("-s", empty, "run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("created a new store", r.stderr)

    def test_progress_line_cleared_on_a_terminal(self):
        self.setup()
        self.conf("""[document "ex/gone"]
\turl = %s/status/404
\tteam = legal
""" % self.srv.base, "gone.conf")
        master, slave = pty.openpty()
        p = subprocess.Popen([BIN, "-w", self.wl, "-s", self.store, "run", "-j", "1"],
                             stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
        os.close(slave)
        out = b""
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        p.wait(30)
        p.stdout.close()
        os.close(master)
        self.assertIn(b"fetch ex/gone", out)
        # a message never continues the progress line
        for line in out.replace(b"\r\n", b"\n").split(b"\n"):
            self.assertNotRegex(line.decode(errors="replace"),
                                r"documents?clausewatch|\d/\d document[^\r\x1b]*clausewatch:")
        self.assertIn(b"\r\x1b[K", out)

    def test_analyze_compare_detect_text_encodings(self):
        en = ("1. Changes\n\nWe will notify you at least 30 days before changes take "
              "effect. If you continue to use the service, you are deemed to have "
              "accepted the changes.\n")
        zh = ("第一条 变更\n\n我们将在变更生效前至少30日通过电子邮件通知您。"
              "如您继续使用本服务，视为您接受变更后的协议。\n")
        zht = ("第一條 變更\n\n我們將在變更生效前至少30日通過電子郵件通知您。"
               "如您繼續使用本服務，視為您接受變更後的協議。\n")
        files = {
            "en.txt": en.encode(), "en16.txt": en.encode("utf-16"),
            "en16be.md": en.encode("utf-16-be"), "en-bom.txt": b"\xef\xbb\xbf" + en.encode(),
            "zh.txt": zh.encode(), "zh-gbk.txt": zh.encode("gbk"),
            "zh-gb18030.md": zh.encode("gb18030"),
            "zht.txt": zht.encode(), "zht-big5.txt": zht.encode("big5"),
        }
        for name, data in files.items():
            with open(os.path.join(self.dir, name), "wb") as f:
                f.write(data)
        p = lambda n: os.path.join(self.dir, n)
        for name in ("en.txt", "en16.txt", "en16be.md", "en-bom.txt", "zh-gbk.txt",
                     "zh-gb18030.md"):
            r = self.cw("analyze", p(name), "--json")
            self.assertEqual(r.returncode, 0, name + r.stderr)
            j = json.loads(r.stdout)
            self.assertEqual(j["notice"]["days"], 30, name)
            self.assertTrue(j["deemed_acceptance"], name)
        # the same text in another encoding is no change
        for a, b in (("en.txt", "en16.txt"), ("zh.txt", "zh-gbk.txt"),
                     ("zht.txt", "zht-big5.txt"), ("en.txt", "en-bom.txt")):
            r = self.cw("compare", p(a), p(b))
            self.assertEqual(r.returncode, 0, "%s %s: %s%s" % (a, b, r.stdout, r.stderr))
        # binary data is refused, not analysed
        with open(p("blob.txt"), "wb") as f:
            f.write(bytes(range(256)) * 8)
        for args in (["analyze", p("blob.txt")], ["compare", p("en.txt"), p("blob.txt")]):
            r = self.cw(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("binary", r.stderr)

    def test_check_document_without_team(self):
        self.conf("""[document "ex/a"]
\turl = %s/a.html
[document "ex/b"]
\turl = %s/b.html
\tteam = legal
\tteam = ghost
[team "legal"]
\temail = legal@example.com
[team "empty"]
\tnotify = all
""" % (self.srv.base, self.srv.base), "w.conf")
        r = self.cw("check")
        self.assertEqual(r.returncode, 2)
        lines = r.stderr.splitlines()
        wl = os.path.join(self.wl, "w.conf")
        self.assertIn("%s:1: document 'ex/a' has no team" % wl, r.stderr)
        self.assertIn("%s:6: team 'ghost' is used but not defined" % wl, r.stderr)
        self.assertIn("%s:9: team 'empty' has no email" % wl, r.stderr)
        self.assertEqual(len(lines), len(set(lines)))          # each once
        self.assertEqual(len(lines), 3, r.stderr)
        # a default team is what documents without one tell
        with open(os.path.join(self.wl, "w.conf"), "a") as f:
            f.write("\temail = e@example.com\n[mail]\n\tdefault-team = legal\n")
        with open(os.path.join(self.wl, "w.conf")) as f:
            text = f.read().replace("\tteam = ghost\n", "")
        with open(os.path.join(self.wl, "w.conf"), "w") as f:
            f.write(text)
        r = self.cw("check")
        self.assertEqual(r.returncode, 0, r.stderr)

    # ---- nothing swallowed ---------------------------------------------

    def test_publisher_change_with_watchlist_edit_is_judged(self):
        self.setup()
        r = self.cw("run", now="2026-11-01T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        # the same run sees a new remove and a material change of the page
        self.setup(doc_extra="\tremove = h2 + p + ul\n")
        self.page("terms.html", page(share="our payment processor and advertisers"))
        r = self.cw("run", now="2026-11-02T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("new extraction", r.stdout)
        self.assertIn("material change recorded", r.stdout)
        log = self.git("log", "--format=%H %s%n%b---", "main")
        commits = self.commits()
        self.assertEqual(len(commits), 3, log)
        newx = self.git("log", "-1", "--format=%B", commits[1])
        self.assertIn("Record: new-extraction", newx)
        # the new extraction is the old page read with the new settings
        old_text = self.git("show", "%s:ex/terms.md" % commits[1])
        self.assertNotIn("advertisers", old_text)
        self.assertNotIn("fees charged", old_text)
        change = self.git("log", "-1", "--format=%B", commits[0])
        self.assertIn("Material: yes", change)
        self.assertNotIn("Record:", change)
        msgs = self.outbox()
        self.assertEqual(len(msgs), 1)
        self.assertIn("advertisers", self.part(msgs[0][0], "text/plain"))
        # diff on the new extraction says what it is
        r = self.cw("diff", "ex/terms", commits[1])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("New extraction", r.stdout)
        self.assertNotIn("MATERIAL", r.stdout.upper().replace("NOT MATERIAL", ""))

    def test_diff_on_first_record(self):
        self.setup()
        self.assertEqual(self.cw("run").returncode, 0)
        r = self.cw("diff", "ex/terms")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("First record", r.stdout)
        self.assertNotIn("material", r.stdout.lower().replace("first record", ""))

    def test_passed_deadline_recorded_and_told_once(self):
        commit = self.change()
        n = len(self.outbox())
        r = self.cw("deadlines", "--all", now="2026-11-10T08:00:00Z")
        self.assertIn("2026-12-02", r.stdout)
        # the deadline (2026-12-02) passes unacknowledged
        r = self.cw("run", now="2026-12-03T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        msgs = self.outbox()
        last = [m for m, _ in msgs if "Deemed accepted" in str(m["subject"])]
        self.assertEqual(len(last), 1, [str(m["subject"]) for m, _ in msgs])
        text = self.part(last[0], "text/plain")
        self.assertTrue(text.startswith("Deemed accepted from 2026-12-02"), text[:200])
        self.assertIn("[-10-]{+25+}", text)
        note = self.git("notes", "show", commit)
        self.assertIn("Deemed-accepted: 2026-12-02 (not acknowledged)", note)
        n = len(msgs)
        r = self.cw("run", now="2026-12-04T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.outbox()), n)                  # said once
        self.assertEqual(self.git("notes", "show", commit).count("Deemed-accepted"), 1)
        # still visible
        r = self.cw("deadlines", now="2026-12-04T08:00:00Z")
        self.assertEqual(r.stdout, "")
        r = self.cw("deadlines", "--all", now="2026-12-04T08:00:00Z")
        self.assertIn("2026-12-02\tpassed: deemed accepted, not acknowledged\tex/terms", r.stdout)
        j = json.loads(self.cw("deadlines", "--all", "--json", now="2026-12-04T08:00:00Z").stdout)
        self.assertEqual([(e["commit"], e["status"]) for e in j], [(commit, "deemed-accepted")])
        r = self.cw("list", now="2026-12-04T08:00:00Z")
        self.assertIn("deemed accepted 2026-12-02, not acknowledged", r.stdout)
        # an acknowledged one shows as such
        r = self.cw("ack", "ex/terms", commit, "--by", "A. Counsel", now="2026-12-05T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.cw("deadlines", "--all", now="2026-12-05T08:00:00Z")
        self.assertIn("acknowledged by A. Counsel", r.stdout)
        self.assertNotIn("deemed", self.cw("list", now="2026-12-05T08:00:00Z").stdout)

    def test_ack_name_first_record_and_lock(self):
        self.setup()
        self.assertEqual(self.cw("run", now="2026-11-01T08:00:00Z").returncode, 0)
        first = self.git("rev-parse", "main").strip()
        r = self.cw("ack", "ex/terms")
        self.assertEqual(r.returncode, 2)
        self.assertIn("first record", r.stderr)
        self.assertEqual(subprocess.run(["git", "-C", self.store, "notes", "show", first],
                                        capture_output=True).returncode, 1)
        self.page("terms.html", page(fee="25 euros"))
        self.assertEqual(self.cw("run", now="2026-11-02T08:00:00Z").returncode, 0)
        # the name comes from git's config when --by is not given
        home = os.path.join(self.dir, "home")
        os.makedirs(home)
        with open(os.path.join(home, ".gitconfig"), "w") as f:
            f.write("[user]\n\tname = Grace Counsel\n")
        env = {"HOME": home, "XDG_CONFIG_HOME": home, "USER": "", "LOGNAME": ""}
        # a run holds the lock; ack waits for it instead of failing
        lock = open(os.path.join(self.store, "clausewatch.lock"), "a")
        fcntl.flock(lock, fcntl.LOCK_EX)
        t = threading.Timer(1.0, lambda: (fcntl.flock(lock, fcntl.LOCK_UN), lock.close()))
        t.start()
        r = self.cw("ack", "ex/terms", env=env)
        t.join()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("acknowledged by Grace Counsel", r.stdout)
        note = self.git("notes", "show", "main")
        self.assertIn("Acknowledged-by: Grace Counsel", note)
        self.assertNotIn("unknown", note)
        # read-only commands need neither the run's lock nor the mail ledger's,
        # both of which a run holds
        with open(os.path.join(self.store, "clausewatch.lock"), "a") as held, \
                open(os.path.join(self.store, "ledger", "lock"), "a") as mailing:
            fcntl.flock(held, fcntl.LOCK_EX)
            fcntl.flock(mailing, fcntl.LOCK_EX)
            for args in (["list"], ["deadlines", "--all"], ["log", "ex/terms"],
                         ["diff", "ex/terms"], ["mail"]):
                r = self.cw(*args)
                self.assertEqual(r.returncode, 0, "%s %s" % (args, r.stderr))

    # ---- mail counsel can act on ---------------------------------------

    def test_change_mail_counsel_can_act_on(self):
        commit = self.change(extra="\tlink = https://git.example.org/legal/clauses/commit/%H\n")
        msgs = self.outbox()
        self.assertEqual(len(msgs), 1)
        msg = msgs[0][0]
        text = self.part(msg, "text/plain")
        html = self.part(msg, "text/html")
        # the last day to object first, the day before the terms count as accepted
        self.assertTrue(text.startswith("Last day to object: 2026-12-01 (the new terms "
                                        "count as accepted from 2026-12-02)"), text[:300])
        ics = self.part(msg, "text/calendar")
        self.assertIn("DTSTART;VALUE=DATE:20261201", ics)
        self.assertIn("DTEND;VALUE=DATE:20261202", ics)
        self.assertIn("BEGIN:VALARM", ics)
        self.assertIn("TRIGGER:-P3D", ics)
        # the document's own words, quoted and labelled; the tool's labelled as the tool's
        self.assertIn("How the document says it changes (clause 3 \u00b62):\n  \u201cWe will "
                      "notify you by e-mail at least 30 days before a material change "
                      "takes effect.\u201d", text)
        self.assertIn("\u201cIf you continue to use the service after the change takes "
                      "effect, you are deemed to have accepted it.\u201d", text)
        self.assertIn("What the document itself calls a material change", text)
        self.assertIn("\u201cchanges in the fees charged for the service", text)
        self.assertIn("clausewatch's reasoning (not the document's words):", text)
        self.assertIn("clausewatch's reading:", text)
        # how to object: the document's route, quoted
        self.assertIn("How to object", text)
        self.assertIn("\u201c" + OBJECT + "\u201d", text)
        # how to acknowledge: the exact command with the store's absolute path, the link
        self.assertIn("clausewatch -s %s ack ex/terms %s" % (self.store, commit), text)
        self.assertIn("https://git.example.org/legal/clauses/commit/%s" % commit, text)
        self.assertNotIn("./store", text)
        self.assertIn("[-10-]{+25+}", text)
        # the HTML part says the same, designed: header block, quotes, redline
        for want in ("Last day to object: 2026-12-01", "<table class=\"facts\"",
                     "<blockquote>", "<del ", "<ins ", "prefers-color-scheme: dark",
                     "name=\"viewport\"",
                     "href=\"https://git.example.org/legal/clauses/commit/%s\"" % commit,
                     "clausewatch -s %s ack ex/terms %s" % (self.store, commit)):
            self.assertIn(want, html)

    def test_no_objection_route_and_default_rule(self):
        self.page("terms.html", """<html><body><main><h1>Plain Terms</h1>
<h2>1. Fees</h2><p>The service costs 10 euros per month.</p>
<h2>2. Changes</h2><p>We may change these terms at any time by posting them here.
Continued use of the service means you accept the changed terms.</p></main></body></html>""")
        self.conf("""[document "ex/plain"]
\turl = %s/terms.html
\tteam = legal
[team "legal"]
\temail = legal@example.com
""" % self.srv.base)
        self.assertEqual(self.cw("run").returncode, 0)
        self.page("terms.html", """<html><body><main><h1>Plain Terms</h1>
<h2>1. Fees</h2><p>The service costs 30 euros per month.</p>
<h2>2. Changes</h2><p>We may change these terms at any time by posting them here.
Continued use of the service means you accept the changed terms.</p></main></body></html>""")
        r = self.cw("run")
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.part(self.outbox()[0][0], "text/plain")
        self.assertTrue(text.startswith("Act now: continued use already counts as "
                                        "acceptance"), text[:200])
        self.assertIn("The document names no way to object", text)
        self.assertIn("clausewatch judged it by its default rule", text)

    def test_reminders_and_digests_carry_redline_and_reason(self):
        self.setup()
        self.conf("""[team "legal"]
\tnotify = all
""", "notify.conf")
        self.change()
        # an editorial change for the digest
        self.page("terms.html", page(fee="25 euros").replace("help@example.com",
                                                                "help@example.com "))
        self.page("terms.html", page(fee="25 euros").replace("Write to", "Please write to"))
        r = self.cw("run", now="2026-11-03T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("editorial change recorded", r.stdout)
        r = self.cw("run", now="2026-11-04T08:00:00Z")     # the day's digest
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.cw("run", now="2026-11-28T08:00:00Z")     # 4 days before: reminder
        self.assertEqual(r.returncode, 0, r.stderr)
        msgs = self.outbox()
        subjects = [str(m["subject"]) for m, _ in msgs]
        rem = [m for m, _ in msgs if str(m["subject"]).startswith("Reminder:")]
        self.assertTrue(rem, subjects)
        text = self.part(rem[0], "text/plain")
        self.assertIn("Last day to object: 2026-12-01", text.splitlines()[0])
        self.assertIn("[-10-]{+25+}", text)
        self.assertIn("clausewatch's reading:", text)
        dig = [m for m, _ in msgs if "judged not material" in str(m["subject"])]
        self.assertTrue(dig, subjects)
        text = self.part(dig[0], "text/plain")
        self.assertIn("{+Please+}", text.replace("[-Write-]{+Please write+}", "{+Please+}"))
        self.assertIn("clausewatch's reading:", text)

    def test_html_part_renders_in_a_narrow_window(self):
        chromium = shutil.which("chromium")
        if not chromium:
            self.skipTest("no chromium")
        self.change()
        html = self.part(self.outbox()[0][0], "text/html")
        path = os.path.join(self.dir, "m.html")
        with open(path, "w") as f:
            f.write(html)
        png = os.path.join(self.dir, "m.png")
        args = [chromium, "--headless", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + os.path.join(self.dir, "chromium"),
                "--screenshot=" + png, "--window-size=420,1200", "file://" + path]
        if os.geteuid() == 0:
            args.insert(2, "--no-sandbox")
        subprocess.run(args, capture_output=True, timeout=120)
        with open(png, "rb") as f:
            head = f.read(24)
        self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(int.from_bytes(head[16:20], "big"), 420)
        keep = os.environ.get("CLAUSEWATCH_KEEP_SCREENSHOT")
        if keep:
            shutil.copy(png, keep)
        # what a person would notice: nothing wider than a narrow window
        # (no sideways scrolling), and a dark page when the client is dark
        probe = os.path.join(self.dir, "probe.html")
        with open(probe, "w") as f:
            f.write(html.replace("</body>", "<script>document.body.setAttribute("
                                 "'data-probe', [window.innerWidth, document."
                                 "documentElement.scrollWidth, getComputedStyle("
                                 "document.body).backgroundColor].join(';'))"
                                 "</script></body>"))
        seen = {}
        for mode in ("light", "dark"):
            dump = [a for a in args if not a.startswith("--screenshot")]
            dump[-1] = "file://" + probe
            dump.insert(2, "--dump-dom")
            if mode == "dark":
                dump.insert(2, "--force-dark-mode")
            out = subprocess.run(dump, capture_output=True, text=True, timeout=120).stdout
            m = re.search(r'data-probe="(\d+);(\d+);([^"]*)"', out)
            self.assertTrue(m, out[-500:])
            width, scroll, bg = int(m.group(1)), int(m.group(2)), m.group(3)
            self.assertLessEqual(scroll, width, mode)
            seen[mode] = bg
        self.assertEqual(seen["light"], "rgb(243, 244, 246)")
        self.assertEqual(seen["dark"], "rgb(13, 17, 23)")

    # ---- smaller things ------------------------------------------------

    def test_version_help_plurals_labels_verbose(self):
        r = subprocess.run([BIN, "--version"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^clausewatch \S+\n$")
        for cmd in ("run", "list", "log", "ack", "deadlines"):
            r = subprocess.run([BIN, cmd, "--help"], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, cmd)
            self.assertTrue(r.stdout.startswith("usage: clausewatch"), r.stdout)
            self.assertIn(" %s " % cmd, r.stdout)
        one = os.path.join(self.dir, "one.txt")
        with open(one, "w") as f:
            f.write("Terms\n\nWe will notify you at least 1 day before changes take effect.\n")
        r = self.cw("analyze", one)
        self.assertIn("Notice of changes: 1 day, ", r.stdout)
        self.assertRegex(r.stdout, r"; 1 clause\n|; [02-9]\d* clauses\n")
        self.change()
        r = self.cw("deadlines", now="2026-12-01T08:00:00Z")
        self.assertIn("  1 day\t", r.stdout)
        # forgiving clause labels
        for label in ("3 \u00b62", "3 p2", "3\u00b62", "\u00a73 \u00b62", "3 P2"):
            r = self.cw("log", "ex/terms", label)
            self.assertEqual(r.returncode, 0, label + r.stderr)
            self.assertIn("30 days", r.stdout)
        r = self.cw("log", "ex/terms", "9.9")
        self.assertEqual(r.returncode, 2)
        self.assertIn("its clauses are:", r.stderr)
        self.assertIn("  3 \u00b62\n", r.stderr)
        # -v: a line per document in run
        r = self.cw("-v", "run", now="2026-11-03T08:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ex/terms: unchanged", r.stderr)
        r = self.cw("run", now="2026-11-03T09:00:00Z")
        self.assertEqual(r.stderr, "")

    def test_demo_prints_its_mail_in_the_order_written(self):
        env = dict(os.environ, CLAUSEWATCH_BIN=BIN, DEMO_DIR=os.path.join(self.dir, "demo"))
        env.pop("CLAUSEWATCH_NOW", None)
        r = subprocess.run(["sh", "contrib/demo.sh"], cwd=TOP, capture_output=True,
                           text=True, env=env, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        dates = [l for l in r.stdout.splitlines() if l.startswith("Date: ")]
        subjects = [l for l in r.stdout.splitlines() if l.startswith("Subject: ")]
        self.assertEqual(len(subjects), 2, r.stdout)
        self.assertTrue(subjects[0].startswith("Subject: Material change"), subjects)
        self.assertIn("22 Nov 2026", dates[0])
        self.assertIn("23 Nov 2026", dates[1])
        # the change mail's first line is the last day to object
        body = r.stdout.split(subjects[0], 1)[1]
        self.assertIn("\n\nLast day to object: 2026-12-21", body.split("----", 1)[0])

    def test_shipped_watchlist_checks_and_has_no_placeholder(self):
        r = subprocess.run([BIN, "-w", os.path.join(TOP, "watchlist"), "check"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        for path in glob.glob(os.path.join(TOP, "watchlist", "*.conf")):
            with open(path) as f:
                for line in f:
                    if not line.lstrip().startswith("#"):
                        self.assertNotIn("example.invalid", line, path)


if __name__ == "__main__":
    unittest.main()
