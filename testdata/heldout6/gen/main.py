"""Writes the heldout6 fixtures: python3 testdata/heldout6/gen/main.py
(from the repository root, or any directory; the output goes next to gen/)."""

import glob
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import kit  # noqa: E402

MODULES = ["cases_memory_and_crashes", "cases_elsewhere", "cases_capacity", "cases_pending", "cases_quiet"]


def main():
    root = os.path.dirname(HERE)
    names = set()
    for mod in MODULES:
        if not os.path.exists(os.path.join(HERE, mod + ".py")):
            continue
        for fn in importlib.import_module(mod).CASES:
            case = fn()
            if case["name"] in names:
                raise SystemExit(f"duplicate scenario name {case['name']}")
            names.add(case["name"])
            kit.write_case(root, case)
    # Drop directories of scenarios that no longer exist in the generator.
    for d in glob.glob(os.path.join(root, "h6-*")):
        if os.path.basename(d) not in names:
            import shutil
            shutil.rmtree(d)
    print(f"wrote {len(names)} scenarios under {root}")


if __name__ == "__main__":
    main()
