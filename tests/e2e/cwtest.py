"""Shared pieces of the end-to-end tests: the real binary, a scratch folder,
the real HTTP server (httpd.py), and the store read back with the git CLI."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("CLAUSEWATCH_BIN") or os.path.join(TOP, "clausewatch")


def git(store, *args):
    return subprocess.run(["git", "-C", store] + list(args), capture_output=True,
                          text=True, check=True).stdout


def stop_process(proc):
    """Terminate a server the test started (kill if it lingers)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout:
        proc.stdout.close()


class Server:
    """httpd.py on a free 127.0.0.1 port, stopped by stop() (tests call it)."""

    def __init__(self, root):
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "httpd.py"), root],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("port "):
            self.stop()
            raise RuntimeError("httpd did not start")
        self.port = int(line.split()[1])
        self.base = "http://127.0.0.1:%d" % self.port

    def stop(self):
        stop_process(self.proc)


class Case(unittest.TestCase):
    """A scratch folder with pages/, watchlist/ and store/, and a server."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cw-e2e-")
        self.pages = os.path.join(self.dir, "pages")
        self.wl = os.path.join(self.dir, "watchlist")
        self.store = os.path.join(self.dir, "store")
        os.makedirs(self.pages)
        os.makedirs(self.wl)
        self.srv = Server(self.pages)
        self.addCleanup(self.srv.stop)
        self.addCleanup(shutil.rmtree, self.dir, True)

    def page(self, name, text, ctype=None):
        path = os.path.join(self.pages, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(path, mode) as f:
            f.write(text)
        if ctype:
            with open(path + ".ctype", "w") as f:
                f.write(ctype)

    def conf(self, text, name="test.conf"):
        with open(os.path.join(self.wl, name), "w") as f:
            f.write(text)
        # a document nobody is told about is a configuration error; tests
        # that are not about mail name no team: give them one
        if "[document" in text and "team" not in text:
            self.default_team()

    def default_team(self):
        with open(os.path.join(self.wl, "zz-default-team.conf"), "w") as f:
            f.write('[mail]\n\tdefault-team = test\n[team "test"]\n'
                    '\temail = test@example.com\n')

    def cw(self, *args, now=None, env=None, timeout=120):
        e = dict(os.environ)
        e.pop("CLAUSEWATCH_NOW", None)
        e["CLAUSEWATCH_RETRY_MS"] = "100"
        if env:
            e.update(env)
        cmd = [BIN, "-w", self.wl, "-s", self.store]
        if now:
            cmd += ["--now", now]
        return subprocess.run(cmd + list(args), capture_output=True, text=True,
                              env=e, timeout=timeout)

    def git(self, *args):
        return git(self.store, *args)

    def commits(self, ref="main"):
        try:
            out = self.git("rev-list", ref)
        except subprocess.CalledProcessError:
            return []
        return out.split()
