#!/usr/bin/python3
"""Cost per document of the two paths that are not static HTML.

usage: bench/pdf-render.py [N_PDF] [N_RENDER]      (default 40 and 8)

PDF: N English (8 and 60 pages) and N Chinese (4 pages) agreements made with
tests/mkpdf.py, read by `clausewatch run --dry-run -j 1` from file:// URLs,
against the same number of static HTML pages of the same text (the floor:
fetch, normalise, clause, rules).  Render: N pages whose text a script
inserts, served on 127.0.0.1-4, through the real chromium, with -j 1 and -j 4.
Prints wall seconds per document, and the CPU seconds per document of
clausewatch and its children (chromium included).  Needs the binary built
(make) and chromium for the second part.
"""
import http.server
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CW = os.path.join(TOP, "clausewatch")
MKPDF = os.path.join(TOP, "tests", "mkpdf.py")

EN = ("Section %d. The provider may amend this agreement from time to time and will "
      "notify the customer by email at least thirty days before a material change "
      "takes effect; personal data is processed only on documented instructions, "
      "sub-processors are engaged under written contracts, and the customer may "
      "object to a new sub-processor within fourteen days of the notice. ")
ZH = ("第%d条 我们可能会不时修改本协议。协议发生重大变更的，我们将在变更生效前至少三十日"
      "通过电子邮件通知您；未经您的同意，我们不会向任何第三方共享您的个人信息。")


def blocks(lang, pages, per_page):
    out = [["h1", "Agreement"]]
    for p in range(pages):
        for k in range(per_page):
            n = p * per_page + k + 1
            out.append(["h2", "%d. Clause %d" % (n, n) if lang == "en" else "第%d条" % n])
            out.append(["p", (EN if lang == "en" else ZH) % n * 2])
        if p + 1 < pages:
            out.append(["break"])
    return out


def make_pdf(path, lang, pages, per_page):
    spec = dict(lang=lang, header="Example agreement", footer="Page %d",
                blocks=blocks(lang, pages, per_page))
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False)
    subprocess.run(["/usr/bin/python3", MKPDF, path, path + ".json"], check=True)
    os.unlink(path + ".json")


def html_of(lang, pages, per_page):
    body = "".join("<h2>%s</h2><p>%s</p>" % (h[1], p[1])
                   for h, p in zip(*[iter(b for b in blocks(lang, pages, per_page)[1:]
                                          if b[0] != "break")] * 2))
    return "<html><body><main><h1>Agreement</h1>%s</main></body></html>" % body


def run(wl, store, jobs, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run([CW, "-q", "-w", wl, "-s", store, "run", "--dry-run", "-j", str(jobs)],
                       capture_output=True, text=True, env=env)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode:
        sys.exit("clausewatch failed:\n" + r.stderr[-2000:])
    return wall, cpu


def conf(wl, urls, extra=""):
    os.makedirs(wl, exist_ok=True)
    with open(os.path.join(wl, "bench.conf"), "w") as f:
        for i, u in enumerate(urls):
            f.write('[document "b/%d"]\n\turl = %s\n%s' % (i, u, extra))
        f.write("[run]\n\ttimeout = 120\n")


def row(what, n, wall, cpu):
    print("%-44s %4d docs  %7.3f s/doc wall  %7.3f s/doc CPU" % (what, n, wall / n, cpu / n))


def bench_pdf(work, n):
    for lang, pages, per in (("en", 8, 4), ("en", 60, 4), ("zh", 4, 6)):
        pdf = os.path.join(work, "%s.pdf" % lang)
        make_pdf(pdf, lang, pages, per)
        html = os.path.join(work, "%s.html" % lang)
        with open(html, "w", encoding="utf-8") as f:
            f.write(html_of(lang, pages, per))
        size = os.path.getsize(pdf)
        for kind, path in (("pdf", pdf), ("html", html)):
            # one file per document, so nothing is cached between them
            urls = []
            kind_dir = "%s%s%d" % (kind, lang, pages)
            for i in range(n):
                p = os.path.join(work, kind_dir, "%d.%s" % (i, kind))
                os.makedirs(os.path.dirname(p), exist_ok=True)
                shutil.copy(path, p)
                urls.append("file://" + p)
            wl = os.path.join(work, "wl-" + kind_dir)
            conf(wl, urls)
            wall, cpu = run(wl, os.path.join(work, "nostore"), 1)
            row("%s %s (%d pages, %d KB)" % (kind.upper(), lang, pages,
                                            (size if kind == "pdf" else os.path.getsize(html)) >> 10),
                n, wall, cpu)


SHELL = ("<!doctype html><html><head><script src=/app.js></script></head>"
         "<body><div id=root></div></body></html>")
APP = ("document.addEventListener('DOMContentLoaded', function () { setTimeout(function () {"
       " var m = document.createElement('main'); m.innerHTML = %s;"
       " document.getElementById('root').appendChild(m); }, 100); });")


def bench_render(work, n):
    if not shutil.which("chromium"):
        print("render: chromium not installed, skipped")
        return
    www = os.path.join(work, "www")
    os.makedirs(www)
    with open(os.path.join(www, "index.html"), "w") as f:
        f.write(SHELL)
    with open(os.path.join(www, "app.js"), "w") as f:
        f.write(APP % json.dumps(html_of("en", 2, 4)))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=www, **k)

        def log_message(self, *a):
            pass

    # four loopback addresses, so that the 2-per-host cap leaves -j 4 free
    srvs = [http.server.ThreadingHTTPServer(("127.0.0.%d" % (k + 1), 0), Quiet)
            for k in range(4)]
    for srv in srvs:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        urls = ["http://127.0.0.%d:%d/index.html?%d" % (i % 4 + 1,
                srvs[i % 4].server_address[1], i) for i in range(n)]
        wl = os.path.join(work, "wl-render")
        conf(wl, urls, "\trender = chromium\n\tselect = main\n")
        for jobs in (1, 4):
            wall, cpu = run(wl, os.path.join(work, "nostore"), jobs)
            row("rendered page, chromium, -j %d" % jobs, n, wall, cpu)
    finally:
        for srv in srvs:
            srv.shutdown()


def main():
    n_pdf = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    n_render = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    if not os.access(CW, os.X_OK):
        sys.exit("build ./clausewatch first (make)")
    work = tempfile.mkdtemp(prefix="cw-bench-pdf-")
    try:
        bench_pdf(work, n_pdf)
        bench_render(work, n_render)
    finally:
        shutil.rmtree(work, True)


if __name__ == "__main__":
    main()
