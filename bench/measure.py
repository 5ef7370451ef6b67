#!/usr/bin/env python3
"""measure.py CMD...: run CMD, print 'SECONDS MAXRSS_KB EXIT' on stderr's last line."""
import os
import subprocess
import sys
import time

t = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
dt = time.monotonic() - t
print("%.3f %d %d" % (dt, ru.ru_maxrss, os.waitstatus_to_exitcode(status)))
