"""End-to-end: the store pushed to a real git server ([store] push) on
127.0.0.1 - git's own http-backend behind githttpd.py, with a token, read
back with the git CLI: down then up (pushed once, nothing lost), a remote
that moved on (never overwritten), a refused token, the mail's web link."""
import getpass
import glob
import os
import shutil
import socket
import subprocess
import sys

import unittest

from cwtest import HERE, Case, git, stop_process
from test_run import policy

TOKEN = "tok-3f9a1c77e2"


class GitServer:
    """githttpd.py on a given port (0: a free one), stopped by stop()."""

    def __init__(self, root, token_file, port=0):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "githttpd.py"), root, "--port",
             str(port), "--token-file", token_file], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("port "):
            self.stop()
            raise RuntimeError("githttpd did not start")
        self.port = int(line.split()[1])

    def stop(self):
        stop_process(self.proc)


class PushTest(Case):

    def setUp(self):
        super().setUp()
        self.root = os.path.join(self.dir, "git")
        self.remote = os.path.join(self.root, "legal", "clauses.git")
        os.makedirs(self.remote)
        subprocess.run(["git", "init", "-q", "--bare", self.remote], check=True)
        self.token = os.path.join(self.dir, "token")
        with open(self.token, "w") as f:
            f.write(TOKEN + "\n")
        self.gs = GitServer(self.root, self.token)
        self.addCleanup(lambda: self.gs.stop())
        self.url = "http://127.0.0.1:%d/legal/clauses.git" % self.gs.port

    def configure(self, token_file=None):
        self.page("policy.html", getattr(self, "text", policy()))
        self.conf("""[document "example/privacy"]
\turl = %s/policy.html
\ttitle = Example Privacy Policy
\tselect = main
\tteam = legal
[team "legal"]
\temail = legal@example.com
[mail]
\tfrom = cw@example.com
\tlink = https://git.example.org/legal/clauses/commit/%%H
[store]
\tpush = %s
\ttoken-file = %s
""" % (self.srv.base, self.url, token_file or self.token))

    def change(self, **kw):
        self.page("policy.html", policy(**kw))

    def remote_ref(self, ref):
        r = subprocess.run(["git", "-C", self.remote, "rev-parse", "--verify", "-q", ref],
                           capture_output=True, text=True)
        return r.stdout.strip() or None

    def local_ref(self, ref):
        r = subprocess.run(["git", "-C", self.store, "rev-parse", "--verify", "-q", ref],
                           capture_output=True, text=True)
        return r.stdout.strip() or None

    def test_pushed_after_each_run_with_acks(self):
        self.configure()
        r = self.cw("run", now="2026-11-01T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        for ref in ("refs/heads/main", "refs/heads/snapshots",
                    "refs/clausewatch/announced"):
            self.assertEqual(self.remote_ref(ref), self.local_ref(ref), ref)
        self.change(recipients="our advertising partners")
        r = self.cw("run", now="2026-11-22T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        log = git(self.remote, "log", "--format=%H %s", "main").splitlines()
        self.assertEqual(len(log), 2)
        self.assertEqual(log[0].split()[0], self.local_ref("main"))
        self.assertIn("Material: yes", git(self.remote, "log", "-1", "main"))
        # the acknowledgement (a note) reaches the remote with the next run
        r = self.cw("ack", "example/privacy", "--by", "A. Counsel",
                    now="2026-11-23T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIsNone(self.remote_ref("refs/notes/commits"))
        r = self.cw("run", now="2026-11-23T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        note = git(self.remote, "notes", "show", log[0].split()[0])
        self.assertIn("Acknowledged-by: A. Counsel", note)
        # the remote is a complete store: a clone lists the same history
        self.assertEqual(subprocess.run(["git", "-C", self.remote, "fsck"],
                                        capture_output=True).returncode, 0)
        # the mail links to the hosting service's commit page
        eml = ""
        for p in glob.glob(os.path.join(self.store, "outbox", "new", "*.eml")):
            with open(p, encoding="utf-8", errors="replace") as f:
                eml += f.read()
        self.assertIn("git.example.org/legal/clauses/commit/" + log[0].split()[0][:20],
                      eml.replace("=\r\n", ""))

    def test_server_down_then_up_nothing_lost(self):
        port = self.gs.port
        self.gs.stop()
        self.configure()
        r = self.cw("run", now="2026-11-01T07:00:00Z")
        self.assertEqual(r.returncode, 1)
        lines = [l for l in r.stderr.splitlines() if "push" in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(self.url, lines[0])
        self.assertIsNone(self.remote_ref("refs/heads/main"))
        self.change(recipients="our advertising partners")
        r = self.cw("run", now="2026-11-22T07:00:00Z")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len([l for l in r.stderr.splitlines() if "push" in l]), 1)
        self.assertEqual(len(self.commits()), 2)        # recorded regardless
        self.gs = GitServer(self.root, self.token, port)
        r = self.cw("run", now="2026-11-23T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("push", r.stderr)
        self.assertEqual(self.remote_ref("refs/heads/main"), self.local_ref("refs/heads/main"))
        self.assertEqual(len(git(self.remote, "rev-list", "main").split()), 2)
        self.assertEqual(self.remote_ref("refs/heads/snapshots"),
                         self.local_ref("refs/heads/snapshots"))
        # and once is enough: the next run has nothing to push and is quiet
        r = self.cw("-v", "run", now="2026-11-24T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("pushed", r.stderr)

    def test_remote_that_moved_on_is_not_overwritten(self):
        self.configure()
        r = self.cw("run", now="2026-11-01T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        # someone else pushes to main (with the git CLI, through the server)
        work = os.path.join(self.dir, "work")
        auth = "http://someone:%s@127.0.0.1:%d/legal/clauses.git" % (TOKEN, self.gs.port)
        subprocess.run(["git", "clone", "-q", "-b", "main", auth, work], check=True)
        with open(os.path.join(work, "NOTES.md"), "w") as f:
            f.write("theirs\n")
        git(work, "add", "NOTES.md")
        git(work, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-q",
            "-m", "theirs")
        git(work, "push", "-q", "origin", "main")
        theirs = git(work, "rev-parse", "HEAD").strip()
        self.change(recipients="our advertising partners")
        r = self.cw("run", now="2026-11-22T07:00:00Z")
        self.assertEqual(r.returncode, 1)
        lines = [l for l in r.stderr.splitlines() if "push" in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("refs/heads/main", lines[0])
        self.assertIn("not overwritten", lines[0])
        self.assertEqual(self.remote_ref("refs/heads/main"), theirs)
        # the other refs still went, and the run's own record is kept here
        self.assertEqual(self.remote_ref("refs/heads/snapshots"),
                         self.local_ref("refs/heads/snapshots"))
        self.assertEqual(len(self.commits()), 2)
        self.assertNotIn(TOKEN, r.stderr)

    def test_rejected_by_the_server_then_accepted(self):
        hook = os.path.join(self.remote, "hooks", "pre-receive")
        with open(hook, "w") as f:
            f.write("#!/bin/sh\necho 'frozen for the audit' >&2\nexit 1\n")
        os.chmod(hook, 0o755)
        self.configure()
        r = self.cw("run", now="2026-11-01T07:00:00Z")
        self.assertEqual(r.returncode, 1)
        lines = [l for l in r.stderr.splitlines() if "push" in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("refused", lines[0])
        self.assertIn("refs/heads/main", lines[0])
        self.assertIsNone(self.remote_ref("refs/heads/main"))
        os.unlink(hook)
        r = self.cw("run", now="2026-11-02T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.remote_ref("refs/heads/main"), self.local_ref("refs/heads/main"))

    def test_refused_token(self):
        bad = os.path.join(self.dir, "bad-token")
        with open(bad, "w") as f:
            f.write("not-the-token\n")
        self.configure(token_file=bad)
        r = self.cw("run", now="2026-11-01T07:00:00Z")
        self.assertEqual(r.returncode, 1)
        self.assertIn("token", r.stderr)
        self.assertNotIn("not-the-token", r.stderr)
        self.assertIsNone(self.remote_ref("refs/heads/main"))
        self.configure()
        r = self.cw("run", now="2026-11-02T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.remote_ref("refs/heads/main"), self.local_ref("refs/heads/main"))

    def test_check_refuses_credentials_in_the_watchlist(self):
        self.conf("""[document "a/b"]
\turl = http://127.0.0.1:1/x
[store]
\tpush = https://me:secret@git.example.org/x.git
\ttoken = abc
[mail]
\tlink = javascript:alert(1)
""")
        r = self.cw("check")
        self.assertEqual(r.returncode, 2)
        self.assertIn("password in it", r.stderr)
        self.assertIn("never go in the watchlist", r.stderr)
        self.assertIn("not an http(s) URL", r.stderr)


SSHD = "/usr/sbin/sshd"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipUnless(os.path.exists(SSHD) and shutil.which("ssh-keygen") and os.geteuid() == 0,
                     "OpenSSH's sshd (run as root) not available")
class SshPushTest(Case):
    """[store] push over ssh to OpenSSH's sshd on 127.0.0.1: the key file
    named by ssh-key, the server's host key checked against known_hosts."""

    def setUp(self):
        super().setUp()
        d = self.ssh = os.path.join(self.dir, "ssh")
        self.home = os.path.join(self.dir, "home")
        os.makedirs(os.path.join(self.home, ".ssh"))
        os.makedirs(d)
        keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f"]
        subprocess.run(keygen + [os.path.join(d, "hostkey")], check=True)
        subprocess.run(keygen + [os.path.join(d, "otherkey")], check=True)
        self.key = os.path.join(self.dir, "client")
        subprocess.run(keygen + [self.key], check=True)
        shutil.copy(self.key + ".pub", os.path.join(d, "authorized_keys"))
        self.port = free_port()
        with open(os.path.join(d, "sshd_config"), "w") as f:
            f.write("Port %d\nListenAddress 127.0.0.1\nHostKey %s/hostkey\n"
                    "PidFile %s/sshd.pid\nAuthorizedKeysFile %s/authorized_keys\n"
                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                    "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n"
                    % (self.port, d, d, d))
        os.makedirs("/run/sshd", exist_ok=True)     # sshd's privilege separation
        self.sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", os.path.join(d, "sshd_config")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(stop_process, self.sshd)
        while True:     # until it listens (or died)
            if self.sshd.poll() is not None:
                self.skipTest("sshd did not start")
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                break
            except OSError:
                try:
                    self.sshd.wait(0.05)
                except subprocess.TimeoutExpired:
                    pass
        self.remote = os.path.join(d, "clauses.git")
        subprocess.run(["git", "init", "-q", "--bare", self.remote], check=True)
        self.page("a.txt", "Terms\n\n1. Use\n\nUse it well.\n")
        self.conf("""[document "a/terms"]
\turl = %s/a.txt
[store]
\tpush = ssh://%s@127.0.0.1:%d%s
\tssh-key = %s
""" % (self.srv.base, getpass.getuser(), self.port, self.remote, self.key))

    def known_host(self, key):
        with open(os.path.join(self.ssh, key + ".pub")) as f:
            kind, blob = f.read().split()[:2]
        with open(os.path.join(self.home, ".ssh", "known_hosts"), "w") as f:
            f.write("[127.0.0.1]:%d %s %s\n" % (self.port, kind, blob))

    def run_cw(self, now):
        # libgit2 1.5.1's known_hosts check (Debian's fix for CVE-2023-22742)
        # leaks a few hundred bytes in libssh2 per connection: leak
        # detection is off for these runs only
        env = {"HOME": self.home, "SSH_AUTH_SOCK": "",
               "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0:exitcode=23"}
        return self.cw("run", now=now, env=env)

    def remote_main(self):
        r = subprocess.run(["git", "-C", self.remote, "rev-parse", "-q", "--verify", "main"],
                           capture_output=True, text=True)
        return r.stdout.strip() or None

    def test_ssh_key_and_host_key(self):
        # a server whose key is not the one known: not trusted, nothing sent
        self.known_host("otherkey")
        r = self.run_cw("2026-11-01T07:00:00Z")
        self.assertEqual(r.returncode, 1)
        self.assertIn("hostkey", r.stderr)
        self.assertIsNone(self.remote_main())
        # the right key: pushed with the key file
        self.known_host("hostkey")
        r = self.run_cw("2026-11-02T07:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.remote_main(), self.git("rev-parse", "main").strip())
        self.assertIn("snapshots", git(self.remote, "for-each-ref", "--format=%(refname)"))
