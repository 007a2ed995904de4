#!/usr/bin/env python3
"""The speed guard: counts the instructions `gleaner extract --jobs 1` spends on the bundled
corpus (corpus/, fixed pages) under callgrind, and fails when the count is more than the
tolerance above the committed budget (.ci/instructions.json). CI cannot time on a shared
machine, but it can count: the count moves by well under 1% between runs.

    python3 scripts/instructions.py           # check against the budget
    python3 scripts/instructions.py --update  # write the current count as the budget

Skips (exit 0, with a message) when valgrind is not installed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUDGET = os.path.join(ROOT, ".ci", "instructions.json")
BINARY = os.path.join(ROOT, "target", "release", "gleaner")
COMMAND = [BINARY, "extract", "--jobs", "1", "--config", ".ci/instructions.toml", "corpus/"]


def count() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out"] + COMMAND,
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
    if out.returncode != 0:
        sys.exit(f"instructions: the command failed under valgrind:\n{out.stderr[-2000:]}")
    m = re.search(r"Collected\s*:\s*([\d,]+)", out.stderr)
    if not m:
        sys.exit(f"instructions: no count in valgrind's report:\n{out.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main() -> None:
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed; the speed guard is skipped")
        return
    if not os.path.exists(BINARY):
        sys.exit("instructions: build first (cargo build --release)")
    n = count()
    if "--update" in sys.argv:
        with open(BUDGET, "w") as f:
            json.dump({"command": "gleaner extract --jobs 1 --config .ci/instructions.toml corpus/",
                       "instructions": n, "tolerance": 0.03}, f, indent=2)
            f.write("\n")
        print(f"instructions: budget set to {n:,}")
        return
    with open(BUDGET) as f:
        budget = json.load(f)
    limit = budget["instructions"] * (1 + budget["tolerance"])
    change = n / budget["instructions"] - 1
    print(f"instructions: {n:,} against a budget of {budget['instructions']:,} ({change:+.2%})")
    if n > limit:
        sys.exit(f"instructions: more than {budget['tolerance']:.0%} over the budget; find the "
                 "cost (valgrind --tool=callgrind) or, if it buys accuracy, raise the budget "
                 "with --update in the same commit")


if __name__ == "__main__":
    main()
