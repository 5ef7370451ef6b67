#!/usr/bin/env python3
"""measure.py [-r N] [--fresh DIR] CMD...: run CMD N times (default 1), print
'SECONDS MAXRSS_KB EXIT CPU_SECONDS', each the median over the runs (wall
time, peak RSS, the worst exit code, user + system time: on a shared machine
the CPU time moves less with the load than the wall time does). --fresh DIR
removes DIR before each run (a first run needs a store that is not there)."""
import os
import shutil
import statistics
import subprocess
import sys
import time

args = sys.argv[1:]
runs, fresh = 1, None
while args and args[0].startswith('-'):
    if args[0] == '-r':
        runs, args = int(args[1]), args[2:]
    elif args[0] == '--fresh':
        fresh, args = args[1], args[2:]
    else:
        break

wall, rss, cpu, codes = [], [], [], []
for _ in range(runs):
    if fresh and os.path.isdir(fresh):
        shutil.rmtree(fresh)
    elif fresh and os.path.exists(fresh):
        os.remove(fresh)
    t = time.monotonic()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall.append(time.monotonic() - t)
    rss.append(ru.ru_maxrss)
    cpu.append(ru.ru_utime + ru.ru_stime)
    codes.append(os.waitstatus_to_exitcode(status))
print("%.3f %d %d %.3f" % (statistics.median(wall), statistics.median(rss),
                          max(codes, key=abs), statistics.median(cpu)))
