#!/usr/bin/env python3
"""Generate N agreement-like pages of about 20 KB (headings, numbered clauses,
lists, a nav, a footer and a script) for the benchmark: bench/gen.py DIR N."""
import os
import random
import sys

WORDS = ("agreement developer platform service personal information data process "
         "provide notice change effective party fee license terminate liability "
         "law dispute security retain share purpose consent user account access "
         "right obligation warranty limitation third").split()


def sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 24))).capitalize() + "."


def page(i, rng):
    out = ["<!doctype html><html><head><meta charset='utf-8'><title>Doc %d</title>" % i,
           "<script>var build=%d;</script></head><body>" % rng.randint(0, 1 << 30),
           "<nav><a href='/'>Home</a><a href='/docs'>Docs</a></nav><main>",
           "<h1>Developer Agreement %d</h1>" % i]
    size = 0
    sec = 0
    while size < 19000:
        sec += 1
        out.append("<h2>%d. Section %d</h2>" % (sec, sec))
        for k in range(1, 4):
            p = "<p>%d.%d %s %s</p>" % (sec, k, sentence(rng), sentence(rng))
            out.append(p)
            size += len(p)
        items = "".join("<li>%s</li>" % sentence(rng) for _ in range(3))
        out.append("<ul>%s</ul>" % items)
        size += len(items)
    out.append("</main><footer>Footer</footer></body></html>")
    return "\n".join(out)


def main():
    d, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        rng = random.Random(i)
        with open(os.path.join(d, "doc%d.html" % i), "w") as f:
            f.write(page(i, rng))


if __name__ == "__main__":
    main()
