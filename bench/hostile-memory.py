#!/usr/bin/env python3
"""Peak memory of one hostile page (issue 12): `clausewatch analyze` on
generated pages of about 5 MB - tables wide over short rows, large
colspans, a full 1000-column table, deep nesting - with the peak RSS of
the process (wait4), its CPU time, its exit status and first line of
stderr (the CPU time shows a parse that grows faster than the page).  The
bound to read: peak RSS a small multiple of the page, and a page over its
budget failing on its own (exit 2 for analyze) instead of taking
gigabytes.  Usage: python3 bench/hostile-memory.py [BINARY]"""
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "--write" else os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "clausewatch")


def table(rows, cols, short, cell):
    out = ["<html><body><table>"]
    for i in range(rows):
        out.append("<tr>" + cell * (1 if short and i else cols) + "</tr>")
    out.append("</table></body></html>")
    return "".join(out)


PAGES = [
    ("1000 columns over 500,000 one-cell rows", lambda: table(500000, 1000, True, "<td>x</td>")),
    ("colspan=100 x 20,000 over 200,000 rows", lambda: table(200000, 20000, True,
                                                             '<td colspan="100">x</td>')),
    ("colspan=1000000 in every cell", lambda: table(20000, 20, False,
                                                    '<td colspan="1000000">x</td>')),
    ("full table, 500 rows x 1000 columns", lambda: table(500, 1000, False, "<td>x</td>")),
    ("100,000 nested divs", lambda: "<div>" * 100000 + "text" + "</div>" * 100000),
    ("2,000 nested divs (within the bound)", lambda: ("<div>" * 2000 + "text" + "</div>" * 2000) * 100),
    ("plain paragraphs", lambda: "<p>" + "Some words of an agreement. " * 180000 + "</p>"),
]


def main():
    if sys.argv[1:2] == ["--write"]:
        # a page is made in a process of its own: the child's peak RSS
        # (wait4) counts the memory of the process it was forked from
        with open(sys.argv[3], "w") as f:
            f.write(PAGES[int(sys.argv[2])][1]())
        return
    print("%-42s %9s %10s %7s %6s  %s" % ("page", "size", "peak RSS", "cpu s", "exit",
                                           "stderr"))
    with tempfile.TemporaryDirectory() as d:
        for i, (name, make) in enumerate(PAGES):
            path = os.path.join(d, "page.html")
            subprocess.run([sys.executable, os.path.abspath(__file__), "--write", str(i),
                            path], check=True)
            size = os.path.getsize(path)
            p = subprocess.Popen([BIN, "analyze", path], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
            err = p.stderr.read()
            _, status, ru = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            print("%-42s %7.1fMB %8.0fMB %7.2f %6d  %s" % (
                name, size / 1e6, ru.ru_maxrss / 1024, ru.ru_utime + ru.ru_stime,
                p.returncode, (err.splitlines() or [""])[0][:70]))


if __name__ == "__main__":
    main()
