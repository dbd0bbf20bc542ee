#!/usr/bin/env python3
"""Times `aiops logmine --assignments` against Drain3 on the same file and machine.

Issue 20 asks for 20x Drain3's throughput end to end. A figure measured on
another machine says little, so this script runs both in alternation, each
round on the same input, and prints every round and the medians:

    pip install drain3          # or put a Drain3 checkout on PYTHONPATH
    go build -o /tmp/aiops ./pkg/cmd/aiops
    go run ./scripts/loghub-eval -loghub PATH/TO/loghub -write /tmp/1m.log -lines 1000000
    python3 scripts/drain3-speed.py --aiops /tmp/aiops --input /tmp/1m.log --rounds 5

Drain3 runs with its defaults (no masking), as the issue's baseline did. Its
end-to-end time is a fresh `python3` process reading the file line by line;
its in-process time leaves out interpreter start and import. Run it on an
idle machine: on shared cores wall time measures the neighbours.
"""

import argparse
import statistics
import subprocess
import sys
import time

DRAIN3_RUN = r"""
import sys, time
from drain3 import TemplateMiner
from drain3.template_miner_config import TemplateMinerConfig
miner = TemplateMiner(config=TemplateMinerConfig())
start = time.perf_counter()
lines = 0
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    for line in f:
        miner.add_log_message(line.rstrip("\n"))
        lines += 1
print(lines, time.perf_counter() - start)
"""


def timed(command):
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"drain3-speed: {command[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-500:]}")
    return elapsed, done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", required=True, help="the aiops binary")
    parser.add_argument("--input", required=True, help="the log file, one message per line")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--aiops-runs", type=int, default=3, help="aiops runs per round (default 3)")
    args = parser.parse_args()

    try:
        import drain3  # noqa: F401  (only to fail early with a clear message)
    except ImportError:
        sys.exit("drain3-speed: Drain3 is not importable; install it with `pip install drain3` or set PYTHONPATH")

    aiops_walls, drain_walls, drain_inproc = [], [], []
    lines = 0
    for round_number in range(1, args.rounds + 1):
        wall, out = timed([sys.executable, "-c", DRAIN3_RUN, args.input])
        lines, inproc = out.decode().split()
        lines, inproc = int(lines), float(inproc)
        drain_walls.append(wall)
        drain_inproc.append(inproc)
        runs = [timed([args.aiops, "logmine", "--input", args.input, "--assignments"])[0] for _ in range(args.aiops_runs)]
        aiops_walls.extend(runs)
        print(f"round {round_number}: drain3 {wall:.2f} s end to end ({inproc:.2f} s in-process), "
              f"aiops {' '.join(f'{r:.2f}' for r in runs)} s", flush=True)

    aiops_median = statistics.median(aiops_walls)
    drain_median = statistics.median(drain_walls)
    inproc_median = statistics.median(drain_inproc)
    print(f"{lines} lines; medians: aiops {aiops_median:.2f} s ({lines / aiops_median / 1e6:.2f} M lines/s), "
          f"drain3 {drain_median:.2f} s end to end ({lines / drain_median / 1e3:.0f} k lines/s), "
          f"{inproc_median:.2f} s in-process ({lines / inproc_median / 1e3:.0f} k lines/s)")
    print(f"aiops end to end vs drain3 end to end: {drain_median / aiops_median:.1f}x; "
          f"vs drain3 in-process: {inproc_median / aiops_median:.1f}x; "
          f"slowest aiops run vs fastest drain3 run: {min(drain_walls) / max(aiops_walls):.1f}x")


if __name__ == "__main__":
    main()
