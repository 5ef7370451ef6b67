#!/usr/bin/env python3
"""Time `clausewatch compare` on two versions of a 50-page agreement (issue 10:
under 50 ms). The agreement is generated (about 3 KB of Markdown a page:
numbered sections, clauses, lists, a table), the new version has 30 edits of
the kinds the judge classifies (a word, a number, a modal, a clause added, a
clause removed, a paragraph moved). Prints the median of REPEAT runs, and the
same for the largest labelled real pair when ../shared is present.
    bench/compare-speed.py [BIN]"""
import os, random, resource, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', 'clausewatch')
REPEAT = int(os.environ.get('REPEAT', '15'))
WORDS = ("agreement developer platform service personal information data process provide "
         "notice change effective party fee licence terminate liability law dispute security "
         "retain share purpose consent user account access right obligation warranty "
         "limitation third the of to and a in for with on by we you our your").split()
MODALS = ['may', 'must', 'shall', 'will', 'can']


def sentence(rng):
    w = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    if rng.random() < 0.5:
        w.insert(1, rng.choice(MODALS))
    if rng.random() < 0.2:
        w.insert(3, '%d days' % rng.choice([7, 14, 30, 60, 90]))
    return ' '.join(w).capitalize() + '.'


def agreement(rng, pages=50):
    out, size, sec = ['# Developer Platform Agreement', '', 'Last updated: 1 March 2026', ''], 0, 0
    while size < pages * 3000:
        sec += 1
        out += ['## %d. Section %d' % (sec, sec), '']
        for k in range(1, 4):
            p = '%d.%d %s %s' % (sec, k, sentence(rng), sentence(rng))
            out += [p, '']
            size += len(p)
        for _ in range(3):
            li = '- ' + sentence(rng)
            out.append(li)
            size += len(li)
        out.append('')
        if sec % 10 == 0:
            out += ['| Recipient | Purpose | Country |', '|---|---|---|']
            out += ['| Vendor %d | %s | EU |' % (i, rng.choice(WORDS)) for i in range(5)]
            out.append('')
    return out


def edit(lines, rng):
    new = list(lines)
    paras = [i for i, l in enumerate(new) if l[:1].isdigit()]
    for _ in range(30):
        i = rng.choice(paras)
        w = new[i].split(' ')
        kind = rng.randrange(6)
        if kind == 0:
            w[rng.randrange(1, len(w))] = rng.choice(WORDS)
        elif kind == 1:
            w.insert(2, str(rng.randint(2, 99)))
        elif kind == 2:
            w.insert(1, rng.choice(MODALS))
        elif kind == 3:
            new.insert(i + 1, '')
            new.insert(i + 2, sentence(rng))
        elif kind == 4:
            w = ['']
        else:
            j = rng.choice(paras)
            new[j] = new[j] + ' ' + new[i]
            w = ['']
        new[i] = ' '.join(w)
    return new


def timed(a, b):
    """Median wall and CPU (user + system) milliseconds: on a loaded
    machine the CPU time is the steadier of the two."""
    ms, cpu = [], []
    for _ in range(REPEAT):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run([BIN, 'compare', a, b], stdout=subprocess.DEVNULL)
        ms.append((time.perf_counter() - t) * 1000)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
        if p.returncode > 1:
            sys.exit('compare failed (exit %d)' % p.returncode)
    return '%.1f ms wall, %.1f ms CPU' % (statistics.median(ms), statistics.median(cpu))


def main():
    rng = random.Random(10)
    with tempfile.TemporaryDirectory() as d:
        old = agreement(rng)
        a, b = os.path.join(d, 'old.md'), os.path.join(d, 'new.md')
        open(a, 'w').write('\n'.join(old) + '\n')
        open(b, 'w').write('\n'.join(edit(old, rng)) + '\n')
        print('compare, generated 50-page agreement (%d KB): median %s over %d runs (target < 50 ms)'
              % (os.path.getsize(a) // 1024, timed(a, b), REPEAT))
        real(d)


def real(d):
    """The labelled demo pair with the longest text (Open Terms Archive, ODC-BY 1.0)."""
    shared = os.environ.get('CLAUSEWATCH_SHARED', os.path.join(HERE, '..', '..', 'shared'))
    bundle = os.path.join(shared, 'realworld', 'demo-versions.bundle')
    labels = os.path.join(shared, 'realworld', 'labels', 'materiality.tsv')
    if not os.path.exists(bundle) or not os.path.exists(labels):
        print('compare, real pair: skipped (no ../shared)')
        return
    repo = os.path.join(d, 'dv')
    subprocess.run(['git', 'clone', '-q', bundle, repo], check=True)
    best = None
    for line in open(labels, encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        if line.startswith('#') or len(f) < 4 or f[0] == 'pid':
            continue
        text = subprocess.run(['git', '-C', repo, 'show', '%s:%s' % (f[3], f[1])],
                              capture_output=True).stdout
        if best is None or len(text) > best[0]:
            best = (len(text), f)
    f = best[1]
    a, b = os.path.join(d, 'a.md'), os.path.join(d, 'b.md')
    for sha, out in ((f[2], a), (f[3], b)):
        with open(out, 'wb') as fh:
            subprocess.run(['git', '-C', repo, 'show', '%s:%s' % (sha, f[1])], stdout=fh, check=True)
    print('compare, longest labelled real pair (%s %s, %d KB): median %s over %d runs'
          % (f[0], f[1], best[0] // 1024, timed(a, b), REPEAT))


if __name__ == '__main__':
    main()
