#!/usr/bin/env python3
"""Re-scores gleaner on ../shared/bench and fails if any figure falls below .ci/floors.json.

    python3 scripts/check_floors.py [--bench ../shared/bench] [--eval target/release/eval]

Runs the eval binary on each dataset named in the floors file, scores its output with
shared/tools/score.py, prints one line per figure, and exits 1 if any is below its floor.
A figure named `word_f1@TYPE` (or `shingle_f1@TYPE`) is scored on the pages of that
page_type only (wcxb-dev), so no page type can slip back behind the peers unnoticed.
An entry may name its dataset and extra eval arguments (`"dataset"`, `"eval_args"`), to
guard a mode other than HTML extraction, such as the plain-text cleaner (`--as-text text`).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def figures(report):
    """The figures a floor can name, from score.py's report."""
    out = {}
    if report.get("shingle"):
        out["shingle_f1"] = report["shingle"]["f1"]
    if report.get("wcxb_word"):
        out["word_f1"] = report["wcxb_word"]["f1"]
    if report.get("snippet"):
        out["snippet_f1"] = report["snippet"]["f1"]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--eval", default=os.path.join(ROOT, "target", "release", "eval"))
    ap.add_argument("--floors", default=os.path.join(ROOT, ".ci", "floors.json"))
    args = ap.parse_args()

    sys.path.insert(0, os.path.join(args.bench, "..", "tools"))
    import score  # shared/tools/score.py

    floors = json.load(open(args.floors))
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for entry, wanted in floors.items():
            if entry.startswith("_"):
                continue
            wanted = dict(wanted)
            dataset = wanted.pop("dataset", entry)
            eval_args = wanted.pop("eval_args", [])
            folder = os.path.join(args.bench, dataset)
            pred = os.path.join(tmp, entry.replace(" ", "_") + ".jsonl")
            subprocess.run([args.eval, folder, "--out", pred, *eval_args], check=True)
            truth = score.load_jsonl(os.path.join(folder, "truth.jsonl"))
            predictions = score.load_jsonl(pred)
            got = figures(score.score(truth, predictions))
            for name, floor in wanted.items():
                if name.startswith("_"):
                    continue
                if "@" in name:
                    metric, page_type = name.split("@", 1)
                    subset = [r for r in truth if r.get("page_type") == page_type]
                    value = figures(score.score(subset, predictions)).get(metric) if subset else None
                else:
                    value = got.get(name)
                ok = value is not None and value >= floor
                print(f"{entry:18} {name:26} {value if value is None else round(value, 4)!s:>7}  floor {floor}  {'ok' if ok else 'BELOW FLOOR'}")
                if not ok:
                    failed.append(f"{entry} {name}")
    if failed:
        print("quality fell below the floor: " + ", ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
