#!/usr/bin/env python3
"""Runs one command and appends `NAME WALL_SECONDS PEAK_RSS_KB` to RESULTS.

Wall time from a monotonic clock (sub-millisecond), peak RSS of that child alone (os.wait4),
stdout and stderr to files next to RESULTS. Usage: measure.py RESULTS NAME -- COMMAND [ARGS...]
"""
import os
import sys
import time

results, name = sys.argv[1], sys.argv[2]
cmd = sys.argv[sys.argv.index("--") + 1:]
base = os.path.join(os.path.dirname(results), name)
with open(base + ".out", "wb") as out, open(base + ".err", "wb") as err:
    start = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, dict(os.environ), file_actions=[
        (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
        (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
    ])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
with open(results, "a") as f:
    f.write(f"{name} {wall:.4f} {usage.ru_maxrss}\n")
