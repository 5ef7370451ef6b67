#!/usr/bin/env python3
"""Accuracy of clausewatch's judgment against hand labels.

Materiality: `compare --json` over every labelled pair (yes/no; '?' skipped),
per set: the demo labels (../shared/realworld/labels/materiality.tsv over
demo-versions.bundle) and the project's own P2B labels
(bench/labels/p2b-materiality.tsv over p2b-versions.bundle), the latter split
into its tuning and held-out halves and a fresh held-out set. Rules: `analyze --json` on the latest
version of each document in ../shared/realworld/labels/rules.tsv, per field.
Prints precision, recall, F1, confusion counts and every miss with the
verdict's reason. Data: Open Terms Archive (ODC-BY 1.0).
"""
import json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
SHARED = os.environ.get('CLAUSEWATCH_SHARED', os.path.join(TOP, '..', 'shared'))
BIN = os.environ.get('CLAUSEWATCH_BIN', os.path.join(TOP, 'clausewatch'))
CACHE = os.environ.get('JUDGE_CACHE', '/tmp/clausewatch-judge-cache')
QUIET = '-q' in sys.argv


def tsv(path):
    rows, head = [], None
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            cells = line.rstrip('\n').split('\t')
            if head is None:
                head = cells
            else:
                rows.append(dict(zip(head, cells)))
    return rows


def clone(bundle):
    name = os.path.basename(bundle).replace('.bundle', '')
    dst = os.path.join(CACHE, name)
    if not os.path.isdir(dst):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run(['git', 'clone', '-q', bundle, dst], check=True)
    return dst


def show(repo, rev, path, out):
    with open(out, 'wb') as f:
        subprocess.run(['git', '-C', repo, 'show', '%s:%s' % (rev, path)],
                       stdout=f, check=True)


def verdict(repo, row, tmp):
    a, b = os.path.join(tmp, 'old.md'), os.path.join(tmp, 'new.md')
    show(repo, row['old_sha'], row['path'], a)
    show(repo, row['new_sha'], row['path'], b)
    p = subprocess.run([BIN, 'compare', '--json', a, b], capture_output=True)
    if p.returncode > 1:
        return None, 'crash (exit %d): %s' % (p.returncode, p.stderr.decode()[:200])
    j = json.loads(p.stdout)
    ch = j.get('changes', [])
    if j['material']:
        why = [c['reason'] for c in ch if c.get('material')]
    else:
        why = [c['reason'] for c in ch if not c.get('editorial')] or \
              [c['reason'] for c in ch]
    return bool(j['material']), (why[0] if why else '(no change)')


def score(name, repo, rows, tmp):
    tp = fp = fn = tn = 0
    misses = []
    for r in rows:
        if r['material'] not in ('yes', 'no'):
            continue
        want = r['material'] == 'yes'
        got, why = verdict(repo, r, tmp)
        if got is None:
            got = True
        if want and got: tp += 1
        elif want: fn += 1; misses.append(('MISSED', r, why))
        elif got: fp += 1; misses.append(('FALSE ALARM', r, why))
        else: tn += 1
    p = tp / (tp + fp) if tp + fp else 1.0
    rc = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    print('%-22s pairs %3d  tp %3d fp %3d fn %3d tn %3d  precision %.2f recall %.2f F1 %.2f'
          % (name, tp + fp + fn + tn, tp, fp, fn, tn, p, rc, f1))
    return (tp, fp, fn, tn), misses


FIELDS = ['effective_date', 'updated_date', 'notice_days', 'before_effect',
          'scope', 'methods', 'deemed_acceptance', 'material_items']


def rules_fields(j):
    n = j.get('notice') or {}
    def s(v):
        return 'none' if v is None else str(v)
    return {
        'effective_date': s(j.get('effective_date')),
        'updated_date': s(j.get('updated_date')),
        'notice_days': s(n.get('days')),
        'before_effect': 'true' if n.get('before_effect') else 'false',
        'scope': s(n.get('scope')),
        'methods': ','.join(sorted(n.get('methods') or [])) or 'none',
        'deemed_acceptance': 'true' if j.get('deemed_acceptance') else 'false',
        'material_items': str(len(j.get('material_definitions') or [])),
    }


def rules_score(repo, rows, tmp):
    ok = {f: 0 for f in FIELDS}
    misses = []
    for r in rows:
        a = os.path.join(tmp, 'doc.md')
        show(repo, r['commit'], r['path'], a)
        p = subprocess.run([BIN, 'analyze', '--json', a], capture_output=True)
        got = rules_fields(json.loads(p.stdout)) if p.returncode == 0 else {}
        for f in FIELDS:
            want = r[f]
            if f == 'methods':
                want = ','.join(sorted(want.split(','))) if want != 'none' else 'none'
            if got.get(f) == want:
                ok[f] += 1
            else:
                misses.append('%s: %s: want %s, got %s' % (r['path'], f, want, got.get(f)))
    total = sum(ok.values())
    n = len(rows) * len(FIELDS)
    print('rules (%d documents)   ' % len(rows) +
          '  '.join('%s %d/%d' % (f, ok[f], len(rows)) for f in FIELDS))
    print('rules overall          %d/%d = %.1f%%' % (total, n, 100.0 * total / n))
    return misses, 100.0 * total / n


def main():
    labels = os.path.join(SHARED, 'realworld', 'labels')
    if not os.path.isdir(labels):
        print('judge-accuracy: no %s; skipped' % labels)
        return 0
    if not os.access(BIN, os.X_OK):
        print('judge-accuracy: no binary at %s (make clausewatch)' % BIN, file=sys.stderr)
        return 2
    all_misses = []
    with tempfile.TemporaryDirectory() as tmp:
        dv = clone(os.path.join(SHARED, 'realworld', 'demo-versions.bundle'))
        demo = tsv(os.path.join(labels, 'materiality.tsv'))
        total = [0, 0, 0, 0]
        c, m = score('demo', dv, demo, tmp)
        demo_c, held, fresh = c, None, None
        all_misses += [('demo',) + x for x in m]
        total = [x + y for x, y in zip(total, c)]
        own = os.path.join(HERE, 'labels', 'p2b-materiality.tsv')
        if os.path.exists(own):
            p2b = clone(os.path.join(SHARED, 'realworld', 'p2b-versions.bundle'))
            rows = tsv(own)
            for half in ('tune', 'heldout', 'fresh'):
                c, m = score('p2b ' + half, p2b, [r for r in rows if r['split'] == half], tmp)
                all_misses += [('p2b ' + half,) + x for x in m]
                if half == 'heldout':
                    held = c
                if half == 'fresh':
                    fresh = c
                total = [x + y for x, y in zip(total, c)]
        def line(name, c):
            tp, fp, fn, tn = c
            p = tp / (tp + fp) if tp + fp else 1.0
            rc = tp / (tp + fn) if tp + fn else 1.0
            print('%-22s pairs %3d  tp %3d fp %3d fn %3d tn %3d  precision %.2f recall %.2f F1 %.2f'
                  % (name, sum(c), tp, fp, fn, tn, p, rc, 2 * p * rc / (p + rc) if p + rc else 0))
            return p, rc
        line('all', total)
        # the development set the targets are about: demo plus the held-out half
        p, rc = line('demo + held-out', [x + y for x, y in zip(demo_c, held)] if held else demo_c)
        # the fresh set was labelled after tuning had read the held-out half
        if fresh:
            line('demo + both held-out', [x + y + z for x, y, z in zip(demo_c, held, fresh)])
        rmiss, rscore = rules_score(dv, tsv(os.path.join(labels, 'rules.tsv')), tmp)
    if not QUIET:
        print('\nmisses:')
        for s, kind, r, why in all_misses:
            pid = r.get('pid', '')
            print('  %-12s %-11s %s %s: %s' % (s, kind, pid, r['path'], why[:300]))
        print('\nrules misses:')
        for x in rmiss:
            print('  ' + x)
    met = p >= 0.90 and rc >= 0.95
    print('\ntargets: materiality on demo + held-out precision %.2f >= 0.90 and recall %.2f >= 0.95: %s; '
          'rules %.1f%% >= 97%%: %s' % (p, rc, 'met' if met else 'NOT met', rscore,
                                        'met' if rscore >= 97 else 'NOT met'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
