"""Writes the held-out-4 fixtures into testdata/heldout4.

Run from anywhere: python3 testdata/heldout4/gen/main.py
The set is frozen: it was committed before anyone scored it; do not rerun
this to change a committed fixture.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cases_elsewhere  # noqa: E402
import cases_workload  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    names = set()
    for build in cases_elsewhere.CASES + cases_workload.CASES:
        case = build()
        if case.name in names:
            raise SystemExit("duplicate case " + case.name)
        names.add(case.name)
        case.write(ROOT)
    print("wrote %d cases to %s" % (len(names), ROOT))


if __name__ == "__main__":
    main()
