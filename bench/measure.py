#!/usr/bin/env python3
"""measure.py CMD...: run CMD, print 'SECONDS MAXRSS_KB EXIT CPU_SECONDS' (wall time,
peak RSS, exit code, user + system time: on a shared machine the CPU time moves
less with the load than the wall time does)."""
import os
import subprocess
import sys
import time

t = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
dt = time.monotonic() - t
print("%.3f %d %d %.3f" % (dt, ru.ru_maxrss, os.waitstatus_to_exitcode(status),
                          ru.ru_utime + ru.ru_stime))
