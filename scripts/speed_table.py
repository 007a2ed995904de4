#!/usr/bin/env python3
"""The speed table: gleaner against html5ever's parse alone and Resiliparse, on the same
pages in one run (README: Speed).

    python3 scripts/speed_table.py [BENCH] [--limit N] [--rounds R] [--python PY]

BENCH is a benchmark folder (html/<id>.html.gz, truth.jsonl; default ../shared/bench/wcxb-dev).
Every run reads the same gzipped pages from disk. Rows:
- gleaner `extract --jobs 1` and `--jobs 2`, whole process: read, gunzip, decode, extract,
  JSON Lines out;
- html5ever through scraper, parse only, and gleaner's extraction alone, from `eval --speed`
  (pages in memory, one thread);
- Resiliparse (when PY, default this python, can import it), whole process doing the same
  as gleaner's: read, gunzip, detect and decode, extract_plain_text(main_content=True),
  JSON Lines out.
MB/s counts the pages' ungzipped bytes. Each row is the best of R rounds (default 3).
Build first: cargo build --release -p gleaner-cli -p gleaner-tools.
"""
import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLEANER = os.path.join(ROOT, "target", "release", "gleaner")
EVAL = os.path.join(ROOT, "target", "release", "eval")

RESILIPARSE = r"""
import gzip, json, sys
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding
with open(sys.argv[1]) as f:
    paths = f.read().split()
with open(sys.argv[2], "w") as out:
    for p in paths:
        with open(p, "rb") as f:
            raw = gzip.decompress(f.read())
        html = bytes_to_str(raw, detect_encoding(raw))
        text = extract_plain_text(html, main_content=True)
        out.write(json.dumps({"path": p, "text": text}, ensure_ascii=False) + "\n")
"""


def best_wall(cmd, rounds):
    best = None
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t = time.perf_counter() - t
        best = t if best is None else min(best, t)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench", nargs="?", default=os.path.join(ROOT, "..", "shared", "bench", "wcxb-dev"))
    ap.add_argument("--limit", type=int, default=0, help="the first N pages only")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--python", default=sys.executable, help="a python that has resiliparse")
    a = ap.parse_args()
    for b in (GLEANER, EVAL):
        if not os.path.exists(b):
            sys.exit(f"speed_table: {b} missing; cargo build --release -p gleaner-cli -p gleaner-tools")

    src = os.path.join(a.bench, "html")
    names = sorted(n for n in os.listdir(src) if n.endswith(".html.gz"))
    if a.limit:
        names = names[: a.limit]
    ids = {n[: -len(".html.gz")] for n in names}
    with tempfile.TemporaryDirectory() as tmp:
        # The sample as a benchmark folder of its own, for every run alike.
        html = os.path.join(tmp, "html")
        os.mkdir(html)
        size = 0
        for n in names:
            os.symlink(os.path.abspath(os.path.join(src, n)), os.path.join(html, n))
            with gzip.open(os.path.join(src, n)) as f:
                size += len(f.read())
        truth = os.path.join(a.bench, "truth.jsonl")
        if os.path.exists(truth):
            with open(truth) as f, open(os.path.join(tmp, "truth.jsonl"), "w") as out:
                for line in f:
                    if json.loads(line).get("id") in ids:
                        out.write(line)
        pages, mb = len(names), size / 1e6
        rows = []
        for jobs in (1, 2):
            t = best_wall([GLEANER, "extract", "--jobs", str(jobs), "--format", "jsonl",
                           "-o", os.path.join(tmp, f"gleaner{jobs}.jsonl"), html], a.rounds)
            rows.append((f"gleaner extract --jobs {jobs}, whole process", t))
            os.remove(os.path.join(tmp, f"gleaner{jobs}.jsonl"))
        speed = subprocess.run([EVAL, tmp, "--speed", "--rounds", str(a.rounds)], check=True,
                               capture_output=True, text=True).stdout
        for label, name in (("html5ever parse only, 1 thread", "html5ever via scraper, parse only (eval --speed)"),
                            ("full extraction, 1 thread", "gleaner extraction only (eval --speed)")):
            m = re.search(r"\| " + re.escape(label) + r" \| ([\d.]+) \|", speed)
            if m:
                rows.append((name, float(m.group(1))))
        resiliparse = None
        has = subprocess.run([a.python, "-c", "import resiliparse"], capture_output=True).returncode == 0
        if has:
            lst = os.path.join(tmp, "paths.txt")
            with open(lst, "w") as f:
                f.write("\n".join(os.path.join(html, n) for n in names))
            script = os.path.join(tmp, "resiliparse_run.py")
            with open(script, "w") as f:
                f.write(RESILIPARSE)
            resiliparse = best_wall([a.python, script, lst, os.path.join(tmp, "r.jsonl")], a.rounds)
            rows.append(("Resiliparse, whole process (one core)", resiliparse))
        else:
            print(f"speed_table: {a.python} cannot import resiliparse; its row is left out", file=sys.stderr)

    print(f"{pages} pages, {mb:.1f} MB ungzipped, best of {a.rounds} rounds")
    print("| run | seconds | pages/s | MB/s | × Resiliparse |")
    print("|---|---:|---:|---:|---:|")
    for name, t in rows:
        ratio = f"{resiliparse / t:.2f}" if resiliparse else "–"
        print(f"| {name} | {t:.2f} | {pages / t:.0f} | {mb / t:.1f} | {ratio} |")


if __name__ == "__main__":
    main()
